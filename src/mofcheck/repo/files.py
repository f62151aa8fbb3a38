"""What a listing holds and a read returns: RepoFile, ReadResult, and Git LFS pointers (spec v1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MODE_FILE, MODE_EXEC, MODE_LINK, MODE_SUBMODULE = "100644", "100755", "120000", "160000"

LFS_POINTER_MAX = 1024  # the LFS spec: pointer files are smaller than 1024 bytes
LFS_POINTER_MIN = 100  # version line + "oid sha256:<64 hex>" + "size N" is longer than this
LFS_HEADERS = (b"version https://git-lfs.github.com/spec/v1", b"version https://hawser.github.com/spec/v1")


@dataclass(frozen=True)
class LfsPointer:
    oid: str  # "sha256:<hex>"
    size: int  # size of the real object, as the pointer states it


@dataclass
class ReadResult:
    text: str | None = None
    truncated: bool = False
    encoding: str = ""
    error: str | None = None
    binary: bool = False
    note: str | None = None  # e.g. "not valid UTF-8; decoded as latin-1"
    data: bytes | None = None  # raw bytes, set by read_bytes only
    size: int | None = None  # full size of the file when known

    @property
    def ok(self) -> bool:
        return self.error is None


_UNSET: Any = object()


class RepoFile:
    """One listed file. `size` and `lfs` are computed on first use (no stat per listed file), by the
    repository it came from (`stat_size`, `detect_lfs`)."""

    __slots__ = ("path", "mode", "oid", "_size", "_lfs", "_repo")

    def __init__(self, path: str, mode: str = MODE_FILE, size: int | None = None, oid: str | None = None, repo=None):
        self.path = path
        self.mode = mode
        self.oid = oid  # blob id (ref listings only)
        self._size = size
        self._lfs: LfsPointer | None = _UNSET
        self._repo = repo

    @property
    def is_symlink(self) -> bool:
        return self.mode == MODE_LINK

    @property
    def is_submodule(self) -> bool:
        return self.mode == MODE_SUBMODULE

    @property
    def name(self) -> str:
        return self.path.rpartition("/")[2]

    @property
    def suffix(self) -> str:
        name = self.name
        dot = name.rfind(".")
        return name[dot:].lower() if dot > 0 else ""

    @property
    def size(self) -> int:
        if self._size is None:
            self._size = self._repo.stat_size(self.path) if self._repo is not None else 0
        return self._size

    @property
    def lfs(self) -> LfsPointer | None:
        if self._lfs is _UNSET:
            self._lfs = self._repo.detect_lfs(self) if self._repo is not None else None
        return self._lfs

    def __repr__(self) -> str:
        return f"RepoFile({self.path!r}, mode={self.mode})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RepoFile) and other.path == self.path and other.mode == self.mode

    def __hash__(self) -> int:
        return hash(self.path)


def may_be_pointer(size: int) -> bool:
    """Whether a blob of `size` bytes can be an LFS pointer at all."""
    return LFS_POINTER_MIN <= size < LFS_POINTER_MAX


def parse_lfs_pointer(head: bytes) -> LfsPointer | None:
    """Recognise a Git LFS pointer file (spec v1) from its first bytes."""
    if len(head) >= LFS_POINTER_MAX or not head.startswith(LFS_HEADERS):
        return None
    oid = size = None
    for line in head.split(b"\n"):
        key, _, value = line.partition(b" ")
        if key == b"oid" and re.fullmatch(rb"sha256:[0-9a-f]{64}", value.strip()):
            oid = value.strip().decode()
        elif key == b"size" and value.strip().isdigit():
            size = int(value.strip())
    if oid is None or size is None:
        return None
    return LfsPointer(oid=oid, size=size)
