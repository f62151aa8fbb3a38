"""Paths a caller names inside the workspace: the checked PATH, `--output`, `badge --write`.

The workspace is GITHUB_WORKSPACE when set, else the current folder. A checkout controls every component
of a path below it, so a planted `models/a -> /elsewhere` or `reports -> /elsewhere` must never be
followed out. A path that lies (lexically) outside the workspace is the caller's explicit choice and is
taken as given, like `--manifest`.

* Reads (the checked PATH): resolved and compared with the resolved workspace. The checkout does not
  change while mofcheck runs, and the repository layer re-checks every read against the resolved root.
* Writes: opened component by component from a descriptor of the workspace, each folder with O_NOFOLLOW
  (and created there when missing), the file with O_NOFOLLOW: no window between a check and the write
  in which a component could be swapped for a link. Where `dir_fd` is unsupported (Windows), resolve and
  compare instead.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import MofcheckError

_LINK = "refusing to write through a symbolic link"


def root() -> Path:
    ws = os.environ.get("GITHUB_WORKSPACE")
    if ws and os.path.isdir(ws):
        return Path(ws)
    return Path.cwd()


def _below(path: str | os.PathLike[str]) -> tuple[str, list[str]] | None:
    """(workspace, the components of `path` below it) when `path` lies lexically inside the workspace."""
    ws = os.path.abspath(root())
    p = os.path.abspath(path)
    if p == ws:
        return ws, []
    prefix = ws.rstrip(os.sep) + os.sep
    if not p.startswith(prefix):
        return None
    return ws, p[len(prefix) :].split(os.sep)


def _within(real: str, ws_real: str) -> bool:
    return real == ws_real or real.startswith(ws_real.rstrip(os.sep) + os.sep)


def _first_link_out(ws: str, parts: list[str]) -> str | None:
    """The first component (as a workspace-relative path) that is a link leading out of the workspace."""
    ws_real = os.path.realpath(ws)
    cur = ws
    for i, part in enumerate(parts):
        cur = os.path.join(cur, part)
        if os.path.islink(cur) and not _within(os.path.realpath(cur), ws_real):
            return "/".join(parts[: i + 1])
    return None


def check_read(path: Path) -> None:
    """Raise unless `path` (to be read) stays inside the workspace after links resolve, or lies outside it."""
    below = _below(path)
    if below is None:
        return
    ws, parts = below
    # The OS resolves `a/..` after following `a`: compare what it would really open.
    if _within(os.path.realpath(path), os.path.realpath(ws)):
        return
    link = _first_link_out(ws, parts) or os.fspath(path)
    raise MofcheckError(f"leads outside the workspace ({ws}) through the symbolic link {link}; refusing to follow it", str(path))


def check_write(path: Path) -> None:
    """Raise if a component of `path` below the workspace is a symbolic link (before reading a file that is
    then rewritten, e.g. `badge --write`)."""
    below = _below(path)
    if below is None:
        return
    ws, parts = below
    cur = ws
    for i, part in enumerate(parts):
        cur = os.path.join(cur, part)
        if os.path.islink(cur):
            raise MofcheckError(f"{_LINK} ({'/'.join(parts[: i + 1])})", str(path))


def write_bytes(path: Path, data: bytes) -> None:
    """Create or replace the file `path` with `data`, creating its folders, never through a link (see above)."""
    try:
        fd = _open_for_write(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise MofcheckError(_LINK, str(path)) from None
        raise MofcheckError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise MofcheckError(f"cannot write: {exc.strerror or exc}", str(path)) from None


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS |= getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)  # a FIFO fails (ENXIO) rather than blocks
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _open_for_write(path: Path) -> int:
    below = _below(path)
    by_fd = os.open in os.supports_dir_fd and os.mkdir in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
    if below is None or not below[1] or not by_fd:
        if below is not None and below[1]:
            check_write(path)  # no dir_fd here: check each component, then open
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return _regular(os.open(path, _FILE_FLAGS, 0o644), path)
    ws, parts = below
    dfd = os.open(ws, _DIR_FLAGS & ~getattr(os, "O_NOFOLLOW", 0))  # the workspace itself may be reached by a link
    try:
        for i, part in enumerate(parts[:-1]):
            try:
                nfd = os.open(part, _DIR_FLAGS, dir_fd=dfd)
            except FileNotFoundError:
                os.mkdir(part, 0o777, dir_fd=dfd)
                nfd = os.open(part, _DIR_FLAGS, dir_fd=dfd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR) and stat.S_ISLNK(os.lstat(part, dir_fd=dfd).st_mode):
                    raise MofcheckError(f"{_LINK} ({'/'.join(parts[: i + 1])})", str(path)) from None
                raise
            os.close(dfd)
            dfd = nfd
        return _regular(os.open(parts[-1], _FILE_FLAGS, 0o644, dir_fd=dfd), path)
    finally:
        os.close(dfd)


def _regular(fd: int, path: Path) -> int:
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise MofcheckError("not a regular file", str(path))
    if hasattr(os, "O_NONBLOCK"):
        os.set_blocking(fd, True)
    return fd
