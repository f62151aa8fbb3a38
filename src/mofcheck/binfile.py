"""A read-only, seekable view of one repository file with a byte budget (`Repo.open_binary` makes them).

Binary containers (zip checkpoints, legacy torch files, .npy) need random access: a zip's central
directory sits at its end. Every byte actually read counts against `budget`; once it is spent, reads
return what fits and then end-of-file, and `cut` says so. Nothing is ever read that the caller did not
ask for, so a 10 GB checkpoint costs only its directory and its pickle streams.
"""

from __future__ import annotations

import io
import os


class BinaryFile(io.RawIOBase):
    def __init__(self, fd: int | None, size: int, budget: int, data: bytes | None = None):
        super().__init__()
        self._fd = fd
        self._data = data  # a blob already in memory (a git ref); then fd is None
        self.size = size
        self.budget = budget
        self.bytes_read = 0
        self.cut = False  # a read was shortened by the budget
        self._pos = 0

    # -- the budget

    def allow(self, n: int) -> None:
        """Give `n` more bytes to read (e.g. one more stream), and clear `cut`."""
        self.budget += max(0, n)
        self.cut = False

    def pread(self, offset: int, n: int) -> bytes:
        """Up to `n` bytes at `offset` (short at end of file or of the budget)."""
        if n <= 0 or offset >= self.size or offset < 0:
            return b""
        want = min(n, self.size - offset)
        if want > self.budget:
            want = self.budget
            self.cut = True
        if want <= 0:
            return b""
        if self._data is not None:
            got = self._data[offset : offset + want]
        elif hasattr(os, "pread"):
            chunks, done = [], 0
            while done < want:
                part = os.pread(self._fd, min(want - done, 1 << 22), offset + done)  # type: ignore[arg-type]
                if not part:
                    break
                chunks.append(part)
                done += len(part)
            got = b"".join(chunks)
        else:  # pragma: no cover - Windows
            os.lseek(self._fd, offset, os.SEEK_SET)  # type: ignore[arg-type]
            got = os.read(self._fd, want)  # type: ignore[arg-type]
        self.budget -= len(got)
        self.bytes_read += len(got)
        return got

    # -- io.RawIOBase

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, b) -> int:  # type: ignore[override]
        data = self.pread(self._pos, len(b))
        n = len(data)
        b[:n] = data
        self._pos += n
        return n

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.size - self._pos
        data = self.pread(self._pos, n)
        self._pos += len(data)
        return data

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        super().close()
