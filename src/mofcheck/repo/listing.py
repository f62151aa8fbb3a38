"""Listing a repository's files: the index of a work tree (`git ls-files`), a commit's tree
(`git ls-tree`), or a bounded walk of a plain folder. Each returns RepoFiles and says what it skipped."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import MofcheckError
from .files import MODE_FILE, MODE_LINK, MODE_SUBMODULE, RepoFile
from .git import GitError
from .globs import GlobSet
from .notes import MAX_SKIP_FINDINGS, SKIPPED, UNREADABLE, Notes

# Walk: directories never descended into (caches, environments, build output, other VCS).
SKIP_DIRS = frozenset(
    ".git .hg .svn .bzr .venv venv node_modules __pycache__ build dist .tox .nox .mypy_cache .pytest_cache"
    " .ruff_cache site-packages .eggs .ipynb_checkpoints".split()
)
VENV_MARKERS = ("pyvenv.cfg", "conda-meta")  # a directory holding one of these is an environment
WALK_MAX_FILES = 500_000
WALK_MAX_DEPTH = 64

Git = Callable[..., tuple[bytes, bool]]  # run git in the repository: (args, **bounds) -> (stdout, cut)


@dataclass
class Listing:
    files: list[RepoFile] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)  # tracked by git but missing from the work tree
    commit: str | None = None  # the commit a ref listing resolved to


def in_work_tree(git: Git) -> bool:
    try:
        out, _ = git(["rev-parse", "--is-inside-work-tree"], timeout=15)
    except GitError:
        return False
    return out.strip() == b"true"


class _Beside:
    """A git run in a thread beside the caller's work: git waits on the disk, not on Python."""

    def __init__(self, git: Git, args: list[str]):
        self._out: bytes = b""
        self._error: GitError | None = None
        self._thread = threading.Thread(target=self._run, args=(git, args), daemon=True)
        self._thread.start()

    def _run(self, git: Git, args: list[str]) -> None:
        try:
            self._out, _ = git(args)
        except GitError as e:
            self._error = e

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> bytes:
        self.wait()
        if self._error is not None:
            raise self._error
        return self._out


def list_index(git: Git, ignore: GlobSet, notes: Notes, repo) -> Listing | None:
    """Tracked and staged files (`git ls-files`), or None when git tracks nothing here."""
    # --deleted stats every tracked file (0.2 s of system time on 100k files): it runs while the
    # listing is read and parsed, not after
    deleted = _Beside(git, ["ls-files", "-z", "--deleted"])
    try:
        out, _ = git(["ls-files", "-z", "--cached", "--stage"])
    except GitError:
        deleted.wait()  # no git run outlives the listing
        raise
    files: list[RepoFile] = []
    last = None
    ignoring = bool(ignore)
    # git writes paths as raw bytes; undecodable ones survive as surrogates, like os.fsdecode
    for rec in out.decode("utf-8", "surrogateescape").split("\0"):
        if not rec:
            continue
        meta, _, path = rec.partition("\t")
        if path == last:  # merge conflicts list a path once per stage
            continue
        last = path
        if ignoring and ignore.match(path):
            continue
        files.append(RepoFile(path, meta[:6], None, None, repo))
    if not files:  # e.g. an untracked directory inside some other work tree
        deleted.wait()
        return None
    deleted_out = deleted.result()
    listing = Listing(files)
    if deleted_out:
        gone = {p for p in deleted_out.decode("utf-8", "surrogateescape").split("\0") if p}
        # a submodule that was never checked out is still a declared submodule
        gone -= {f.path for f in files if f.is_submodule}
        listing.files = [f for f in files if f.path not in gone]
        listing.deleted = sorted(gone)
        for p in listing.deleted[:MAX_SKIP_FINDINGS]:
            notes.add(SKIPPED, "tracked by git but deleted from the working tree", p)
    return listing


def list_tree(git: Git, ref: str, ignore: GlobSet, where: str, repo) -> Listing:
    """A commit's files (`git ls-tree`), with their blob ids and sizes. Raises MofcheckError."""
    if not ref or ref.startswith("-") or "\x00" in ref:
        raise MofcheckError(f"not a git ref: {ref!r}")
    if not in_work_tree(git):
        raise MofcheckError(f"cannot read ref {ref!r}: {where} is not inside a git work tree")
    try:
        sha, _ = git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], timeout=15)
    except GitError:
        raise MofcheckError(f"unknown git ref: {ref!r}") from None
    commit = sha.decode().strip()
    try:
        out, _ = git(["ls-tree", "-r", "-z", "--long", commit])
    except GitError as e:
        raise MofcheckError(f"cannot list {ref!r}: {e}") from None
    files = []
    for rec in out.split(b"\0"):
        if not rec:
            continue
        meta, _, raw = rec.partition(b"\t")
        parts = meta.split()
        if len(parts) < 4:
            continue
        mode, _otype, oid, size = (p.decode("ascii") for p in parts[:4])
        path = os.fsdecode(raw)
        if ignore and ignore.match(path):
            continue
        files.append(RepoFile(path, mode, size=int(size) if size.isdigit() else 0, oid=oid, repo=repo))
    return Listing(files, commit=commit)


def walk(root: str, ignore: GlobSet, notes: Notes, repo) -> Listing:
    """A bounded walk: no environments, caches or build output, no nested repository's files, no
    symlink followed, at most WALK_MAX_FILES files and WALK_MAX_DEPTH directories deep."""
    files: list[RepoFile] = []
    stack: list[tuple[str, str, int]] = [("", root, 0)]
    skipped = 0
    # A directory the globs match is pruned, unless a `!` pattern could re-include something below it.
    prune = ignore and not ignore.negates

    def skip(why: str, path: str) -> None:
        nonlocal skipped
        skipped += 1
        if skipped <= MAX_SKIP_FINDINGS:
            notes.add(SKIPPED, f"skipped {why}", path)

    while stack:
        rel, absdir, depth = stack.pop()
        try:
            with os.scandir(absdir) as it:
                entries = list(it)
        except OSError as e:
            notes.add(UNREADABLE, f"cannot list directory: {e.strerror or e}", rel or ".")
            continue
        if rel:
            names = {e.name for e in entries}
            if any(m in names for m in VENV_MARKERS):
                skip("a Python or conda environment", rel + "/")
                continue
            if ".git" in names:  # a nested repository or submodule: like git, one entry, not its files
                files.append(RepoFile(rel, MODE_SUBMODULE, size=0, repo=repo))
                continue
        for e in entries:
            relp = f"{rel}/{e.name}" if rel else e.name
            try:
                if e.is_symlink():
                    if not (ignore and ignore.match(relp)):
                        files.append(RepoFile(relp, MODE_LINK, repo=repo))
                    continue
                if e.is_dir(follow_symlinks=False):
                    if e.name in SKIP_DIRS or e.name.endswith(".egg-info"):
                        skip("a cache, environment or build directory", relp + "/")
                    elif prune and ignore.match(relp + "/"):
                        pass
                    elif depth + 1 >= WALK_MAX_DEPTH:
                        notes.add(SKIPPED, f"deeper than {WALK_MAX_DEPTH} directories", relp + "/", when="limit")
                    else:
                        stack.append((relp, e.path, depth + 1))
                    continue
                if e.is_file(follow_symlinks=False):
                    if not (ignore and ignore.match(relp)):
                        files.append(RepoFile(relp, MODE_FILE, repo=repo))
                    continue
            except OSError as err:
                notes.add(UNREADABLE, f"cannot inspect: {err.strerror or err}", relp)
                continue
            notes.add(SKIPPED, "not a regular file (FIFO, socket or device)", relp)
        if len(files) > WALK_MAX_FILES:
            notes.add(SKIPPED, f"stopped listing after {WALK_MAX_FILES} files", None, when="limit")
            break
    if skipped > MAX_SKIP_FINDINGS:
        notes.add(SKIPPED, f"{skipped - MAX_SKIP_FINDINGS} more directories skipped", None)
    files.sort(key=lambda f: f.path)
    return Listing(files)
