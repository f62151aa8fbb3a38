"""Reading a commit's files without a checkout: blobs through `git cat-file`, symlinks followed inside
the tree only, small blobs (link targets, LFS pointers) fetched in one `git cat-file --batch` run."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from .files import ReadResult, RepoFile, may_be_pointer
from .git import GitError
from .notes import UNREADABLE, Notes
from .reading import clean_relpath

MiB = 1024 * 1024
LINK_MAX = 4096  # a symlink blob longer than PATH_MAX is not a real link target
LFS_BATCH_MAX = 20_000  # pointer-sized blobs fetched in one git run, up to this many
REF_BINARY_MAX = 64 * MiB  # open_binary at a ref: git cannot seek in a blob, so it is read whole


class CommitFiles:
    """The blobs of one listed commit. `git` runs git in the repository; `files` is the listing."""

    def __init__(self, git: Callable[..., tuple[bytes, bool]], ref: str, files: list[RepoFile], get: Callable[[str], RepoFile | None], notes: Notes):
        self._git = git
        self.ref = ref
        self._files = files
        self._get = get
        self._notes = notes
        self._links: dict[str, str] | None = None
        self._small: dict[str, bytes] | None = None

    def follow(self, rel: str) -> tuple[str | None, str | None]:
        """Where a path of the commit really points: (path, None) or (None, why). Never leaves the tree."""
        seen = set()
        cur = rel
        while True:
            f = self._get(cur)
            if f is None:
                return None, ("dangling symlink" if cur != rel else f"not in {self.ref}")
            if not f.is_symlink:
                return cur, None
            if cur in seen or len(seen) > 40:
                return None, "symlink loop"
            seen.add(cur)
            target = self._link_targets().get(cur)
            if target is None:
                return None, "unreadable symlink"
            if target.startswith("/"):
                return None, "symlink to a path outside the repository"
            nxt, _ = clean_relpath(posixpath.join(posixpath.dirname(cur), target))
            if nxt is None or nxt == "":
                return None, "symlink to a path outside the repository"
            cur = nxt

    def read(self, rel: str, limit: int) -> ReadResult:
        real_rel, why = self.follow(rel)
        if real_rel is None:
            self._notes.refusal(rel, why)
            return ReadResult(error=why)
        f = self._get(real_rel)
        assert f is not None
        if f.is_submodule:
            self._notes.add(UNREADABLE, "a git submodule, not a file", rel)
            return ReadResult(error="a git submodule, not a file")
        try:
            data, cut = self._git(["cat-file", "blob", f.oid or ""], max_bytes=limit, truncate=True)
        except GitError as e:
            self._notes.add(UNREADABLE, str(e), rel)
            return ReadResult(error=str(e))
        return ReadResult(data=data, truncated=cut or f.size > len(data), size=f.size)

    def open(self, rel: str, budget: int):
        """A BinaryFile over a blob up to REF_BINARY_MAX (read whole), or (None, why)."""
        from ..binfile import BinaryFile

        real_rel, why = self.follow(rel)
        f = self._get(real_rel) if real_rel else None
        if f is None or f.is_submodule or not f.oid:
            self._notes.refusal(rel, why)
            return None, why or "not a file"
        if f.size > REF_BINARY_MAX:
            return None, f"{f.size} bytes: too large to read from git at {self.ref}"
        try:
            data, _ = self._git(["cat-file", "blob", f.oid], max_bytes=f.size)
        except GitError as e:
            return None, str(e)
        return BinaryFile(None, len(data), budget, data=data), None

    def pointer_head(self, f: RepoFile) -> bytes | None:
        """The blob of a pointer-sized file, from one git run for every pointer-sized blob of the commit
        (None when it is not among them)."""
        if self._small is None:
            small = [g for g in self._files if not g.is_symlink and not g.is_submodule and may_be_pointer(g.size)]
            self._small = self.batch(small) if len(small) <= LFS_BATCH_MAX else {}
        return self._small.get(f.path)

    def _link_targets(self) -> dict[str, str]:
        """Every symlink's target in the commit, from one `git cat-file --batch` run."""
        if self._links is None:
            links = [f for f in self._files if f.is_symlink and 0 < f.size <= LINK_MAX]
            self._links = {p: b.decode("utf-8", "surrogateescape") for p, b in self.batch(links).items()}
        return self._links

    def batch(self, files: list[RepoFile]) -> dict[str, bytes]:
        """Small blobs by path, from one `git cat-file --batch` run. The caller bounds the sizes (known
        from ls-tree), so the output is bounded too."""
        files = [f for f in files if f.oid]
        if not files:
            return {}
        try:
            out, _ = self._git(
                ["cat-file", "--batch"],
                stdin="".join(f"{f.oid}\n" for f in files).encode(),
                max_bytes=sum(f.size for f in files) + 128 * len(files),
            )
        except GitError as e:
            self._notes.add(UNREADABLE, f"cannot read blobs: {e}", None)
            return {}
        by_oid: dict[str, bytes] = {}
        pos = 0
        while pos < len(out):
            nl = out.find(b"\n", pos)
            if nl < 0:
                break
            header = out[pos:nl].split()
            if len(header) != 3 or not header[2].isdigit():
                break  # "<oid> missing" or garbage: the rest stay unread
            size = int(header[2])
            by_oid[header[0].decode()] = out[nl + 1 : nl + 1 + size]
            pos = nl + 1 + size + 1
        return {f.path: by_oid[f.oid] for f in files if f.oid in by_oid}
