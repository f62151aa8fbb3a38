"""Which paths `.gitattributes` gives to Git LFS (`filter=lfs`), as git itself reads them:
`git check-attr` in one batch, with the lockdown of `git.run_git` (no system or global attributes, no
`core.attributesFile`, no hooks; check-attr runs no filter). A work tree is asked about its own
`.gitattributes` files; a commit, through a throwaway index read from its tree (`check-attr --source`
needs git 2.40). A plain folder has no git to ask: nothing is LFS-tracked there."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

Git = Callable[..., tuple[bytes, bool]]
MAX_PATHS = 200_000  # one check-attr run answers this many paths at most


def lfs_tracked(git: Git, paths: Iterable[str], commit: str | None = None) -> set[str]:
    """The paths among `paths` whose `filter` attribute is `lfs` (in the work tree, or at `commit`).
    Raises GitError."""
    todo = [p for p in paths if "\0" not in p][:MAX_PATHS]
    if not todo:
        return set()
    stdin = "\0".join(todo).encode("utf-8", "surrogateescape") + b"\0"
    bound = len(stdin) + 32 * len(todo)  # each answer is the path, "filter" and a short value
    if commit is None:
        out, _ = git(["check-attr", "--stdin", "-z", "filter"], stdin=stdin, max_bytes=bound)
    else:
        import tempfile  # only at a ref: a throwaway index

        with tempfile.TemporaryDirectory(prefix="mofcheck-attr-") as tmp:
            index = os.path.join(tmp, "index")
            git(["read-tree", f"--index-output={index}", commit], max_bytes=1 << 20)
            out, _ = git(["check-attr", "--cached", "--stdin", "-z", "filter"], stdin=stdin, max_bytes=bound, env={"GIT_INDEX_FILE": index})
    fields = out.split(b"\0")
    found = set()
    for i in range(0, len(fields) - 2, 3):
        if fields[i + 2] == b"lfs":
            found.add(fields[i].decode("utf-8", "surrogateescape"))
    return found
