"""Find a file's pickle streams and read only them, each up to a bound, through `Repo.open_binary`.

* torch zip checkpoints and TorchScript archives: the central directory (zipfile, over the bounded file)
  and the `*.pkl` members (`<archive>/data.pkl`, `constants.pkl`); never a storage member;
* `.npz`: the `.npy` members whose dtype holds objects;
* legacy torch checkpoints: the five pickles at the start (magic number, protocol, system info, the
  object, the storage keys); the storages after them are never read;
* `.npy`: the header, then the pickle of an object array (numeric arrays have none);
* `.pkl` / `.pickle` / `.joblib`: the pickle(s) from the start, gzip / zlib / bz2 / xz decompressed with
  an output bound.

Nothing here unpickles anything: the bytes go to the scanner (pickles.py), which only reads opcodes.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field

from ..binfile import BinaryFile

MiB = 1 << 20
STREAM_MAX = 4 * MiB  # one pickle stream (torch's data.pkl for ~30,000 tensors is 3.3 MB)
FIRST_READ = 64 * 1024  # a raw or legacy file's first try (~300 tensors); read on up to STREAM_MAX only if needed
CENTRAL_DIRECTORY_MAX = 8 * MiB  # ~80,000 members
MAX_MEMBERS = 64  # pickle members read in one archive
NPY_HEADER_MAX = 64 * 1024

LEGACY_MAGIC = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e"  # pickle of torch's MAGIC_NUMBER
LEGACY_PICKLES = 5
_COMPRESSED = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x5d\x00\x00", "lzma"),
    (b"\x04\x22\x4d\x18", "lz4"),
)
_ZLIB = re.compile(rb"\x78[\x01\x5e\x9c\xda]")
TORCH_SUFFIXES = (".pt", ".pth", ".ckpt", ".bin")  # "model_best.pth.tar" is read as zip, legacy or PROTO-2+ only
_PROTOCOL_0_STARTS = tuple(bytes([c]) for c in b"(c}])N")  # MARK, GLOBAL, EMPTY_DICT/LIST/TUPLE, NONE


@dataclass
class Stream:
    name: str  # the zip member, or "" for the file itself
    data: bytes
    count: int | None  # pickles to read one after another; None: until the data ends
    complete: bool  # the data holds the whole stream (False: cut at the bound)
    offset: int = 0  # where `data` starts in the file (or member)


@dataclass
class Streams:
    format: str
    streams: list[Stream] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be read
    pickle: bool = True  # False: the file holds no pickle data at all
    maybe: bool = False  # a guess (.bin starting like a protocol 0 pickle): a failed parse means no pickle

    def regrow(self, f: BinaryFile) -> bool:
        """A raw or legacy file whose first read was too short: read it again up to STREAM_MAX."""
        s = self.streams[0] if len(self.streams) == 1 else None
        if s is None or s.name or s.complete or len(s.data) >= STREAM_MAX or self.format not in ("torch-legacy", "pickle", "joblib"):
            return False
        f.allow(STREAM_MAX - len(s.data))
        s.data += f.pread(len(s.data), STREAM_MAX - len(s.data))
        s.complete = len(s.data) >= f.size
        return True


def read_streams(f: BinaryFile, suffix: str) -> Streams:
    f.allow(512)
    head = f.pread(0, 512)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip(f, suffix)
    if head.startswith(b"\x93NUMPY"):
        out = Streams("numpy")
        f.allow(NPY_HEADER_MAX + STREAM_MAX)
        s = _npy(f.pread, 0, f.size, "", out)
        if s is not None:
            out.streams.append(s)
        out.pickle = bool(out.streams or out.problems)
        return out
    if head.startswith(LEGACY_MAGIC):
        return _prefix(f, "torch-legacy", LEGACY_PICKLES)
    if head[257:262] == b"ustar" and suffix in TORCH_SUFFIXES:
        # torch < 0.4 saved a tar of pickles ("sys_info", "pickle", "storages", "tensors"); torch.load still reads it
        return Streams("torch-tar", problems=["a tar-format (torch < 0.4) checkpoint; its pickles were not read"])
    if suffix in (".pkl", ".pickle", ".joblib", ".gz", ".bz2", ".xz", ".lzma", ".z"):
        for magic, kind in _COMPRESSED:
            if head.startswith(magic):
                return _decompressed(f, kind)
        if _ZLIB.match(head):
            return _decompressed(f, "zlib")
        return _prefix(f, "joblib" if suffix == ".joblib" else "pickle", None)
    if head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return _prefix(f, "pickle", None)
    if suffix in TORCH_SUFFIXES and head[:1] in _PROTOCOL_0_STARTS:
        # torch.load unpickles whatever a non-zip file starts with, protocol 0 and 1 included
        out = _prefix(f, "pickle", None)
        out.maybe = suffix == ".bin"  # .bin is also GGML, raw tensors, ...: a failed parse means "not a pickle"
        return out
    return Streams("other", pickle=False)


def _prefix(f: BinaryFile, fmt: str, count: int | None) -> Streams:
    f.allow(FIRST_READ)
    data = f.pread(0, FIRST_READ)
    return Streams(fmt, [Stream("", data, count, len(data) >= f.size)])


def _decompressed(f: BinaryFile, kind: str) -> Streams:
    import bz2
    import lzma

    out = Streams(f"joblib ({kind})")
    if kind == "lz4":
        out.problems.append("lz4-compressed (joblib); Python cannot decompress it without the lz4 package, so it was not read")
        return out
    d = {
        "gzip": lambda: zlib.decompressobj(16 + zlib.MAX_WBITS),
        "zlib": zlib.decompressobj,
        "bz2": bz2.BZ2Decompressor,
        "xz": lzma.LZMADecompressor,
        "lzma": lzma.LZMADecompressor,
    }[kind]()
    f.allow(STREAM_MAX)
    data, pos, complete = bytearray(), 0, False
    try:
        while len(data) <= STREAM_MAX:
            chunk = f.pread(pos, 256 * 1024)
            if not chunk:
                complete = True
                break
            pos += len(chunk)
            data += d.decompress(chunk, STREAM_MAX + 1 - len(data))  # the output bound: a bomb stops here
            if getattr(d, "eof", False):
                complete = True
                break
    except (zlib.error, OSError, EOFError, ValueError, lzma.LZMAError) as e:
        out.problems.append(f"{kind} data is corrupt ({e})")
    if len(data) > STREAM_MAX:
        complete = False
        data = data[:STREAM_MAX]
    out.streams.append(Stream("", bytes(data), None, complete))
    return out


def _npy(pread, base: int, size: int, name: str, out: Streams) -> Stream | None:
    """The pickle of an object array in the .npy at `base`, or None (a numeric array)."""
    head = pread(base, 12)
    if len(head) < 10 or not head.startswith(b"\x93NUMPY"):
        out.problems.append(f"{name or 'the file'}: not a valid .npy header")
        return None
    major = head[6]
    if major == 1:
        hlen, start = struct.unpack("<H", head[8:10])[0], 10
    else:
        hlen, start = struct.unpack("<I", head[8:12])[0], 12
    if hlen > NPY_HEADER_MAX:
        out.problems.append(f"{name or 'the file'}: .npy header of {hlen} bytes (more than {NPY_HEADER_MAX})")
        return None
    import ast

    raw = pread(base + start, hlen)
    try:
        header = ast.literal_eval(raw.decode("latin-1"))
        descr = header["descr"] if isinstance(header, dict) else None
    except (ValueError, SyntaxError, KeyError, TypeError, MemoryError, RecursionError):
        out.problems.append(f"{name or 'the file'}: unreadable .npy header")
        return None
    if "O" not in repr(descr):
        return None  # numbers only: np.load needs no pickle for it
    at = base + start + hlen
    data = pread(at, min(STREAM_MAX, max(0, size - (at - base))))
    return Stream(name, data, 1, len(data) >= size - (at - base), at)


def _zip(f: BinaryFile, suffix: str) -> Streams:
    import zipfile

    f.allow(CENTRAL_DIRECTORY_MAX + 128 * 1024)
    try:
        zf = zipfile.ZipFile(f)
        infos = zf.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
        struct.error,
        MemoryError,
        RecursionError,
        UnicodeDecodeError,
    ) as e:
        why = f"its zip central directory is larger than {CENTRAL_DIRECTORY_MAX // MiB} MiB" if f.cut else f"not a readable zip ({e})"
        return Streams("zip", problems=[why])
    names = [i.filename for i in infos]
    pkls = [i for i in infos if i.filename.lower().endswith((".pkl", ".pickle"))]
    npys = [i for i in infos if i.filename.lower().endswith(".npy")]
    if any(n.endswith("constants.pkl") for n in names) or any("/code/" in n or n.startswith("code/") for n in names):
        fmt = "torchscript"
    elif any(n == "data.pkl" or n.endswith("/data.pkl") for n in names):
        fmt = "torch-zip"
    elif suffix == ".npz" or (npys and len(npys) == len(names)):
        fmt = "npz"
    else:
        fmt = "zip"
    out = Streams(fmt)
    wanted = pkls + npys
    if len(wanted) > MAX_MEMBERS:
        out.problems.append(f"{len(wanted)} pickle or .npy members; only the first {MAX_MEMBERS} were read")
        wanted = wanted[:MAX_MEMBERS]
    for info in wanted:
        f.allow(STREAM_MAX + 4096)
        data, complete, problem = _member(f, info)
        if problem:
            out.problems.append(f"{info.filename}: {problem}")
            continue
        if info.filename.lower().endswith(".npy"):
            s = _npy(lambda off, n, d=data: d[off : off + n], 0, info.file_size, info.filename, out)
            if s is not None:
                s.complete = s.complete and complete
                out.streams.append(s)
        else:
            out.streams.append(Stream(info.filename, data, 1, complete))
    if fmt == "zip" and not out.streams and not out.problems:
        out.pickle = False  # a zip with no pickle in it
    return out


def _member(f: BinaryFile, info) -> tuple[bytes, bool, str | None]:
    """A member's bytes, up to STREAM_MAX, read from its local header on: (data, complete, problem).
    Stored and deflated members are read here (no CRC check: torch does not check either); others not."""
    local = f.pread(info.header_offset, 30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        return b"", False, "its local header is missing"
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    start = info.header_offset + 30 + name_len + extra_len
    if info.compress_type == 0:  # stored
        n = min(info.compress_size, STREAM_MAX)
        data = f.pread(start, n)
        return data, len(data) >= info.compress_size, None
    if info.compress_type == 8:  # deflated
        d = zlib.decompressobj(-15)
        out, pos, end = bytearray(), start, start + info.compress_size
        try:
            while pos < end and len(out) <= STREAM_MAX and not d.eof:
                chunk = f.pread(pos, min(256 * 1024, end - pos))
                if not chunk:
                    break
                pos += len(chunk)
                out += d.decompress(chunk, STREAM_MAX + 1 - len(out))  # the output bound: a bomb stops here
        except zlib.error as e:
            return bytes(out[:STREAM_MAX]), False, f"corrupt deflate data ({e})"
        if len(out) > STREAM_MAX:
            return bytes(out[:STREAM_MAX]), False, None
        return bytes(out), d.eof, None
    return b"", False, f"compression method {info.compress_type} is not read (torch stores its members uncompressed)"
