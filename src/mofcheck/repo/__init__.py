"""The repository layer: list a repository's files and read them boundedly and safely.

Listing comes from git when the root is inside a work tree (`git ls-files`: tracked and staged files
only), from a commit's tree with `ref` (`git ls-tree`, blobs read with `git cat-file`, no checkout),
or else from a bounded `os.scandir` walk. Git runs with a minimal environment and command-line
overrides so that nothing in the repository's own config (fsmonitor, hooks, ssh commands, lazy
fetches) can run code. Reads never exceed their byte limit, never block on FIFOs or devices, and never
follow a symlink out of the repository.

    git.py         running git on an untrusted repository (environment, overrides, bounds)
    globs.py       gitignore-style globs (pathspec, RE2)
    files.py       RepoFile, ReadResult, LFS pointers
    notes.py       the findings listing and reading make
    listing.py     git ls-files, git ls-tree, the bounded walk
    reading.py     bounded, symlink-safe reads of a work tree; bytes to text
    commit.py      a commit's blobs (cat-file, symlinks inside the tree, batches)
    attributes.py  `filter=lfs` through git check-attr
    core.py        Repo: the listing, lookups, reads dispatched to the work tree or the commit
"""

from .commit import REF_BINARY_MAX
from .core import DEFAULT_READ_LIMIT, WEIGHT_EXTENSIONS, WEIGHT_HEAD, Repo
from .files import MODE_EXEC, MODE_FILE, MODE_LINK, MODE_SUBMODULE, LfsPointer, ReadResult, RepoFile, parse_lfs_pointer
from .git import GitError, run_git
from .globs import GlobSet, glob_to_regex
from .notes import CODES, SKIPPED, SYMLINK_ESCAPE, TOO_LARGE, UNREADABLE
from .reading import decode_text

__all__ = [
    "CODES", "DEFAULT_READ_LIMIT", "MODE_EXEC", "MODE_FILE", "MODE_LINK", "MODE_SUBMODULE", "REF_BINARY_MAX",
    "SKIPPED", "SYMLINK_ESCAPE", "TOO_LARGE", "UNREADABLE", "WEIGHT_EXTENSIONS", "WEIGHT_HEAD",
    "GitError", "GlobSet", "LfsPointer", "ReadResult", "Repo", "RepoFile", "decode_text", "glob_to_regex",
    "parse_lfs_pointer", "run_git",
]  # fmt: skip
