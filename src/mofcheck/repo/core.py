"""Repo: one listed repository (a work tree, a commit, or a plain folder), what its listing skipped,
lookups over the listing, and bounded, symlink-safe reads dispatched to the work tree or the commit."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from pathlib import Path

from ..errors import MofcheckError
from ..model import Finding
from ..urls import is_url
from . import git as gitrun
from . import listing, reading
from .commit import CommitFiles
from .files import LFS_POINTER_MAX, LfsPointer, ReadResult, RepoFile, may_be_pointer, parse_lfs_pointer
from .globs import GlobSet
from .notes import MAX_SKIP_FINDINGS, SKIPPED, SYMLINK_ESCAPE, TOO_LARGE, UNREADABLE, Notes

MiB = 1024 * 1024
DEFAULT_READ_LIMIT = MiB

# Model weight blobs: never read beyond the head needed to recognise a Git LFS pointer.
WEIGHT_EXTENSIONS = frozenset(
    ".safetensors .bin .pt .pth .ckpt .gguf .ggml .ggjt .onnx .h5 .hdf5 .keras .msgpack .npz .npy .tflite"
    " .mlmodel .pb .joblib .pkl .pickle .ot .nemo .mar .pdparams .params .llamafile .engine .plan .trt"
    " .caffemodel .weights .tar .zst".split()
)
WEIGHT_HEAD = 256


class Repo:
    """A listed repository. Build with `Repo.open(root)`."""

    def __init__(self, root: Path, mode: str, ref: str | None = None):
        self.root = root
        self.mode = mode  # "git" (work tree via ls-files) | "ref" (a commit via ls-tree) | "walk"
        self.ref = ref
        self.commit: str | None = None  # the commit a ref listing resolved to
        self.files: list[RepoFile] = []
        self._notes = Notes()
        self.skipped: list[Finding] = self._notes.findings
        self.deleted: list[str] = []  # tracked by git but missing from the work tree
        self._root_real = os.path.realpath(root)
        self._real_dirs: dict[str, str] = {}  # each directory's real path, for reading.follow
        self._git: str | None = None
        self._by_path: dict[str, RepoFile] | None = None
        self._dirs: set[str] | None = None
        self._lfs_paths: set[str] | None = None
        self._blobs: CommitFiles | None = None

    # ---- construction

    @classmethod
    def open(cls, root: str | Path, *, ref: str | None = None, ignore: Sequence[str] = ()) -> Repo:
        root = Path(root)
        if not root.is_dir():
            raise MofcheckError(f"not a directory: {root}")
        ignore_set = GlobSet(ignore)
        repo = cls(root, "walk", ref)
        repo._git = git = gitrun.executable()
        notes = repo._notes
        if ref is not None:
            if git is None:
                raise MofcheckError(f"cannot read ref {ref!r}: git is not installed")
            repo.mode = "ref"
            found = listing.list_tree(repo._run_git, ref, ignore_set, str(root), repo)
            repo.commit = found.commit
            repo._blobs = CommitFiles(repo._run_git, ref, found.files, repo.get, notes)
        else:
            found, untracked = None, False
            if git is not None and listing.in_work_tree(repo._run_git):
                try:
                    found = listing.list_index(repo._run_git, ignore_set, notes, repo)
                    untracked = found is None
                except gitrun.GitError as e:
                    notes.add(SKIPPED, f"git listing failed ({e}); listed the directory instead", None)
            elif git is None and gitrun.looks_like_git(repo._root_real):
                notes.add(SKIPPED, "git is not installed; walked the directory (untracked files count)", None)
            repo.mode = "git" if found is not None else "walk"
            if found is None:
                found = listing.walk(str(root), ignore_set, notes, repo)
                if untracked and found.files:
                    notes.add(SKIPPED, "git tracks no files here; listed the directory instead", None)
        repo.files, repo.deleted = found.files, found.deleted
        repo._check_symlinks()
        return repo

    def _run_git(self, args: Sequence[str], **kw) -> tuple[bytes, bool]:
        assert self._git is not None
        return gitrun.run_git(self._git, self._root_real, args, **kw)

    def _check_symlinks(self) -> None:
        # Symlinks are rare; resolving each once surfaces `LICENSE -> /etc/passwd` even if nobody reads it.
        bad = 0
        for f in self.files:
            if f.is_symlink:
                target, why = self._follow(f.path)
                if target is None and why is not None and ("outside" in why or "loop" in why):
                    bad += 1
                    if bad <= MAX_SKIP_FINDINGS:
                        self._notes.add(SYMLINK_ESCAPE, why, f.path)
        if bad > MAX_SKIP_FINDINGS:
            self._notes.add(SYMLINK_ESCAPE, f"{bad - MAX_SKIP_FINDINGS} more symlinks point outside the repository", None)

    def exclude(self, paths: set[str]) -> None:
        """Drop `paths` from the listing (and what the listing said about them)."""
        if not paths:
            return
        self.files = [f for f in self.files if f.path not in paths]
        self.skipped[:] = [f for f in self.skipped if f.path not in paths]
        self._by_path = self._dirs = None

    # ---- lookup

    @property
    def name(self) -> str:
        """The repository's folder name (cards often name their model after it)."""
        return self.root.resolve().name

    def get(self, path: str) -> RepoFile | None:
        if self._by_path is None:
            self._by_path = {f.path: f for f in self.files}
        return self._by_path.get(path)

    def is_dir(self, path: str) -> bool:
        if self._dirs is None:
            dirs: set[str] = set()
            for f in self.files:
                d = f.path
                while "/" in d:
                    d = d.rpartition("/")[0]
                    if d in dirs:
                        break
                    dirs.add(d)
            self._dirs = dirs
        return path in self._dirs

    def exists(self, path: str) -> bool:
        return self.get(path) is not None or self.is_dir(path)

    def resolve(self, path: str, base: str = "") -> str | None:
        """The repository-relative path a manifest path names, or None (see `resolve_reason`)."""
        return self.resolve_reason(path, base)[0]

    def resolve_reason(self, path: str, base: str = "") -> tuple[str | None, str | None]:
        """(path, None) when `path` (relative to the repository directory `base`) stays inside the
        repository and is listed; else (None, why)."""
        if not isinstance(path, str):
            return None, "not a path"
        if is_url(path):
            return None, "a URL, not a repository path"
        first, why = reading.clean_relpath(path)
        if first is None and base and why == "path leaves the repository":
            first, why = reading.clean_relpath(posixpath.join(base.replace("\\", "/"), path.replace("\\", "/")))
        elif first is not None and base:
            first, why = reading.clean_relpath(posixpath.join(base, first) if first else base)
        if first is None:
            return None, why
        if first == "":
            return "", None
        if self.is_dir(first):
            return first, None
        f = self.get(first)
        if f is None:
            # A path through a listed symlink (LICENSES/x with LICENSES a link) is not in the listing.
            return None, "not in the repository listing"
        if f.is_symlink:
            target, why = self._follow(first)
            if target is None:
                return None, why
        return first, None

    # ---- reading

    def read_text(self, path: str, limit: int = DEFAULT_READ_LIMIT, *, head: bool = False) -> ReadResult:
        """Up to `limit` bytes, decoded. `head`: the caller wants only the start (a header), so a cut
        is not reported as something skipped."""
        res = self._read(path, limit, head)
        if res.error is None and res.data is not None:
            res.text, res.encoding, res.binary, res.note = reading.decode_text(res.data, res.truncated)
            res.data = None
        return res

    def read_bytes(self, path: str, limit: int = DEFAULT_READ_LIMIT) -> ReadResult:
        res = self._read(path, limit)
        if res.error is None:
            res.encoding = "bytes"
        return res

    def open_binary(self, path: str, budget: int):
        """A seekable, read-only view of a regular file that reads at most `budget` bytes in all
        (binfile.BinaryFile, which the caller closes), or (None, why). Same refusals as reads: no
        symlink out, no FIFO or device, no `.git`. At a ref, only blobs up to REF_BINARY_MAX are read."""
        rel, why = reading.clean_relpath(path)
        if rel is None or rel == "" or ".git" in rel.split("/"):
            return None, why or "not a file"
        if self._blobs is not None:
            return self._blobs.open(rel, budget)
        return reading.open_file(self._root_real, rel, budget, self._notes, self._real_dirs)

    def _read(self, path: str, limit: int, head: bool = False) -> ReadResult:
        rel, why = reading.clean_relpath(path)
        if rel is None or rel == "":
            return ReadResult(error=why or "not a file")
        if ".git" in rel.split("/"):
            return ReadResult(error="inside a .git directory")  # git's own files are never evidence
        if os.path.splitext(rel)[1].lower() in WEIGHT_EXTENSIONS:
            limit = min(limit, WEIGHT_HEAD)  # weights: the head is all we ever need (LFS pointers)
            quiet = True
        else:
            quiet = head
        limit = max(0, int(limit))
        if self._blobs is not None:
            res = self._blobs.read(rel, limit)
        else:
            res = reading.read_file(self._root_real, rel, limit, self._notes, self._real_dirs)
        if res.truncated and not quiet:
            size = f" of {res.size}" if res.size is not None else ""
            self._notes.add(TOO_LARGE, f"read only the first {limit} bytes{size}", rel)
        return res

    def _follow(self, rel: str) -> tuple[str | None, str | None]:
        """Where a path really points: (real relative path, None) or (None, why). Never leaves the root."""
        if self._blobs is not None:
            return self._blobs.follow(rel)
        return reading.follow(self._root_real, rel, self._real_dirs)

    # ---- lazy per-file facts (RepoFile.size, RepoFile.lfs)

    def stat_size(self, rel: str) -> int:
        return reading.stat_size(self._root_real, rel)

    def detect_lfs(self, f: RepoFile) -> LfsPointer | None:
        if f.is_symlink or f.is_submodule or not may_be_pointer(f.size):
            return None
        head = self._blobs.pointer_head(f) if self._blobs is not None else None
        if head is None:
            head = self._read(f.path, LFS_POINTER_MAX).data
        return parse_lfs_pointer(head) if head else None

    def lfs_tracked(self, path: str) -> bool:
        """True when `.gitattributes` gives `path` the attribute `filter=lfs`, as git reads it."""
        if self._git is None or self.mode == "walk":
            return False
        if self._lfs_paths is None:  # one git run answers for the whole listing
            self._lfs_paths = self._ask_lfs([f.path for f in self.files if not f.is_submodule])
        if self.get(path) is None:
            return path in self._ask_lfs([path])
        return path in self._lfs_paths

    def _ask_lfs(self, paths: list[str]) -> set[str]:
        from .attributes import lfs_tracked

        try:
            return lfs_tracked(self._run_git, paths, self.commit if self.mode == "ref" else None)
        except gitrun.GitError as e:
            self._notes.add(UNREADABLE, f"cannot read .gitattributes: {e}", None)
            return set()
