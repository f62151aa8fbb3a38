"""Build pickle-based weight files by hand, for the release-safety tests and benchmarks.

No torch and no numpy: the pickles are written opcode by opcode (protocol 2, as `torch.save` writes
them), and the containers byte by byte: torch zip checkpoints (`<archive>/data.pkl` plus one stored
member per storage), legacy (non-zip) torch checkpoints, `.npy` / `.npz` object arrays. Storage bytes are
left as holes (`truncate`), so a 1 GB checkpoint costs no disk. `pickle.dumps` is used only for the
hostile payloads (an object whose `__reduce__` calls `os.system`), which it writes without running.

The layouts follow what torch 2.x writes (checked once against a real `torch.save`, see docs/safety.md).
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# --------------------------------------------------------------------------------------- opcodes


def proto(n: int = 2) -> bytes:
    return b"\x80" + bytes([n])


def glob(module: str, name: str) -> bytes:
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def ustr(s: str) -> bytes:
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def short_ustr(s: str) -> bytes:  # protocol 4
    b = s.encode()
    return b"\x8c" + bytes([len(b)]) + b


def integer(n: int) -> bytes:
    if 0 <= n < 256:
        return b"K" + bytes([n])
    if 0 <= n < 65536:
        return b"M" + struct.pack("<H", n)
    if -(2**31) <= n < 2**31:
        return b"J" + struct.pack("<i", n)
    raw = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(raw)]) + raw


def put(i: int) -> bytes:
    return b"q" + bytes([i]) if i < 256 else b"r" + struct.pack("<I", i)


def get(i: int) -> bytes:
    return b"h" + bytes([i]) if i < 256 else b"j" + struct.pack("<I", i)


def tup(items: Sequence[bytes]) -> bytes:
    if len(items) == 0:
        return b")"
    if len(items) == 1:
        return items[0] + b"\x85"
    if len(items) == 2:
        return b"".join(items) + b"\x86"
    if len(items) == 3:
        return b"".join(items) + b"\x87"
    return b"(" + b"".join(items) + b"t"


MARK, STOP, NONE, NEWFALSE, REDUCE, EMPTY_TUPLE, SETITEMS = b"(", b".", b"N", b"\x89", b"R", b")", b"u"

# --------------------------------------------------------------------------------------- tensors


@dataclass
class Tensor:
    name: str
    key: str  # the storage key: "0", "1", ... in zip checkpoints, an id in legacy ones
    numel: int
    shape: tuple[int, ...]
    storage: str = "HalfStorage"
    itemsize: int = 2

    @property
    def nbytes(self) -> int:
        return self.numel * self.itemsize


def tensors(n: int, total_bytes: int, *, legacy: bool = False, prefix: str = "model.layers") -> list[Tensor]:
    """`n` fp16 tensors sharing `total_bytes` (a transformer-like state dict)."""
    each = max(2, total_bytes // max(n, 1)) // 2 * 2
    numel = each // 2
    out = []
    for i in range(n):
        key = str(94_000_000_000_000 + i * 4096) if legacy else str(i)
        out.append(Tensor(f"{prefix}.{i // 9}.{('q', 'k', 'v', 'o', 'gate', 'up', 'down', 'in_norm', 'post_norm')[i % 9]}.weight", key, numel, (numel,)))
    return out


def state_dict_pickle(ts: Iterable[Tensor], *, legacy: bool = False, extra: bytes = b"") -> bytes:
    """A protocol-2 pickle of an OrderedDict of tensors, as torch.save writes it (persistent ids for the
    storages). `extra` is spliced in as one more value (key "extra"), e.g. a hostile payload."""
    memo = 0

    def new() -> int:
        nonlocal memo
        memo += 1
        return memo - 1

    out = [proto(2), glob("collections", "OrderedDict")]
    od = new()
    out += [put(od), EMPTY_TUPLE, REDUCE, put(new()), MARK]
    rebuild = storage_types = None
    storage_ids: dict[str, int] = {}
    strings: dict[str, int] = {}
    for t in ts:
        out += [ustr(t.name), put(new())]
        if rebuild is None:
            rebuild = new()
            out += [glob("torch._utils", "_rebuild_tensor_v2"), put(rebuild)]
        else:
            out.append(get(rebuild))
        out += [MARK, MARK]
        if "storage" in strings:
            out.append(get(strings["storage"]))
        else:
            strings["storage"] = new()
            out += [ustr("storage"), put(strings["storage"])]
        if storage_types is None:
            storage_types = {}
        if t.storage in storage_types:
            out.append(get(storage_types[t.storage]))
        else:
            storage_types[t.storage] = new()
            out += [glob("torch", t.storage), put(storage_types[t.storage])]
        out += [ustr(t.key), put(new())]
        if "cpu" in strings:
            out.append(get(strings["cpu"]))
        else:
            strings["cpu"] = new()
            out += [ustr("cpu"), put(strings["cpu"])]
        out.append(integer(t.numel))
        if legacy:
            out.append(NONE)  # view metadata
        out += [b"t", put(new()), b"Q"]  # TUPLE, BINPERSID
        storage_ids[t.key] = memo
        out.append(integer(0))  # storage offset
        out += [tup([integer(d) for d in t.shape]), put(new())]
        out += [tup([integer(1) for _ in t.shape]), put(new())]
        out += [NEWFALSE, get(od), EMPTY_TUPLE, REDUCE, put(new()), b"t", put(new()), REDUCE, put(new())]
    if extra:
        out += [ustr("extra"), extra]
    out += [SETITEMS, STOP]
    return b"".join(out)


# --------------------------------------------------------------------------------------- payloads


class _Call:
    """Pickles as a call of `func(*args)`; `pickle.dumps` writes it without calling anything."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def pickle_call(func, *args, protocol: int = 2) -> bytes:
    """A pickle that calls `func(*args)` when it is loaded (func must be importable by name)."""
    import pickle

    return pickle.dumps(_Call(func, *args), protocol=protocol)


def os_system(command: str, protocol: int = 2) -> bytes:
    """A pickle that runs `command` in a shell when it is loaded (os.system; posix.system on POSIX)."""
    import pickle

    return pickle.dumps(_Call(os.system, command), protocol=protocol)


def exec_payload(code: str, protocol: int = 2) -> bytes:
    """A pickle that calls builtins.exec(code) when it is loaded."""
    import builtins
    import pickle

    return pickle.dumps(_Call(builtins.exec, code), protocol=protocol)


def inline(payload: bytes) -> bytes:
    """A whole pickle turned into a value inside another pickle: drop its PROTO and STOP opcodes."""
    body = payload[2:] if payload[:1] == b"\x80" else payload
    if body.endswith(b"."):
        body = body[:-1]
    # memo indices of the payload may clash with the host's: renumber them far away
    return _shift_memo(body, 200_000)


def _shift_memo(body: bytes, by: int) -> bytes:
    import pickletools

    out = io.BytesIO()
    ops = list(pickletools.genops(body + STOP))[:-1]
    for i, (op, arg, pos) in enumerate(ops):
        end = ops[i + 1][2] if i + 1 < len(ops) else len(body)
        if op.name in ("BINPUT", "LONG_BINPUT", "PUT"):
            out.write(b"r" + struct.pack("<I", arg + by))
        elif op.name in ("BINGET", "LONG_BINGET", "GET"):
            out.write(b"j" + struct.pack("<I", arg + by))
        elif op.name == "MEMOIZE":
            raise ValueError("protocol 4 MEMOIZE cannot be renumbered; build the payload with protocol 2")
        else:
            out.write(body[pos:end])
    return out.getvalue()


def stack_global(module: str, name: str, arg: str) -> bytes:
    """Protocol 4: STACK_GLOBAL fed through the memo (the form scanners must follow), then a call."""
    return (
        proto(4)
        + short_ustr(module)
        + b"\x94"  # MEMOIZE -> 0
        + short_ustr(name)
        + b"\x94"  # MEMOIZE -> 1
        + b"h\x00h\x01\x93"  # BINGET 0, BINGET 1, STACK_GLOBAL
        + short_ustr(arg)
        + b"\x85"
        + REDUCE
        + STOP
    )


def nested(depth: int) -> bytes:
    """A deeply nested value: `depth` lists inside each other (EMPTY_LIST ... APPEND)."""
    return proto(2) + b"]" * depth + b"a" * (depth - 1) + STOP


# --------------------------------------------------------------------------------------- containers

_ALIGN = 64  # torch aligns storage data to 64 bytes (an extra field pads the local header)
_ZERO_CRC: dict[int, int] = {}


def _zero_crc(n: int) -> int:
    if n not in _ZERO_CRC:
        crc, chunk, left = 0, bytes(1 << 24), n
        while left:
            step = min(left, len(chunk))
            crc = zlib.crc32(chunk[:step] if step < len(chunk) else chunk, crc)
            left -= step
        _ZERO_CRC[n] = crc
    return _ZERO_CRC[n]


class _ZipWriter:
    """A stored (uncompressed) zip written by hand, so that member data can be holes. ZIP64 is not
    needed: the benchmarks keep each file under 4 GiB."""

    def __init__(self, f):
        self.f = f
        self.entries: list[tuple[bytes, int, int, int, int, int]] = []  # name, crc, csize, usize, offset, method

    def add(self, name: str, data: bytes | None = None, *, size: int = 0, deflate: bool = False, crc: int | None = None, declared: int | None = None) -> None:
        raw = name.encode()
        offset = self.f.tell()
        body = data if data is not None else b""
        method = 0
        if data is not None:
            size = len(data)
            crc = zlib.crc32(data) if crc is None else crc
            if deflate:
                c = zlib.compressobj(9, zlib.DEFLATED, -15)
                body = c.compress(data) + c.flush()
                method = 8
        else:
            crc = _zero_crc(size) if crc is None else crc
        csize = len(body) if data is not None else size
        usize = size if declared is None else declared
        pad = (-(offset + 30 + len(raw) + 4)) % _ALIGN
        extra = struct.pack("<HH", 0x4246, pad) + b"Z" * pad  # "FB" padding, as torch writes it
        self.f.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, csize, usize, len(raw), len(extra)))
        self.f.write(raw + extra)
        if data is not None:
            self.f.write(body)
        else:
            self.f.seek(size, os.SEEK_CUR)  # a hole
        self.entries.append((raw, crc, csize, usize, offset, method))

    def close(self) -> None:
        start = self.f.tell()
        for raw, crc, csize, usize, offset, method in self.entries:
            self.f.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, csize, usize, len(raw), 0, 0, 0, 0, 0, offset))
            self.f.write(raw)
        end = self.f.tell()
        self.f.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(self.entries), len(self.entries), end - start, start, 0))
        self.f.truncate()


def torch_zip(path: Path, ts: Sequence[Tensor], *, archive: str = "archive", pkl: bytes | None = None, deflate_pkl: bool = False) -> Path:
    """A torch zip checkpoint: `<archive>/data.pkl`, `byteorder`, one stored member per storage (holes), `version`."""
    pkl = state_dict_pickle(ts) if pkl is None else pkl
    with open(path, "wb") as f:
        z = _ZipWriter(f)
        z.add(f"{archive}/data.pkl", pkl, deflate=deflate_pkl)
        z.add(f"{archive}/.format_version", b"1")
        z.add(f"{archive}/.storage_alignment", b"64")
        z.add(f"{archive}/byteorder", b"little")
        for t in ts:
            z.add(f"{archive}/data/{t.key}", size=t.nbytes)
        z.add(f"{archive}/version", b"3\n")
        z.add(f"{archive}/.data/serialization_id", b"0" * 40)
        z.close()
    return path


LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


def legacy_checkpoint(path: Path, ts: Sequence[Tensor], *, pkl: bytes | None = None) -> Path:
    """A legacy (non-zip, torch < 1.6 or `_use_new_zipfile_serialization=False`) checkpoint: five pickles
    (magic number, protocol version, sys info, the object, the storage keys), then each storage as an
    int64 element count and its bytes (holes)."""
    sys_info = (
        proto(2)
        + b"}"
        + put(0)
        + MARK
        + ustr("protocol_version")
        + integer(1001)
        + ustr("little_endian")
        + b"\x88"
        + ustr("type_sizes")
        + b"}"
        + put(1)
        + MARK
        + ustr("short")
        + integer(2)
        + ustr("int")
        + integer(4)
        + ustr("long")
        + integer(4)
        + SETITEMS
        + SETITEMS
        + STOP
    )
    keys = proto(2) + b"]" + put(0) + MARK + b"".join(ustr(t.key) for t in ts) + b"e" + STOP
    with open(path, "wb") as f:
        f.write(proto(2) + integer(LEGACY_MAGIC) + STOP)
        f.write(proto(2) + integer(1001) + STOP)
        f.write(sys_info)
        f.write(state_dict_pickle(ts, legacy=True) if pkl is None else pkl)
        f.write(keys)
        for t in ts:
            f.write(struct.pack("<q", t.numel))
            f.seek(t.nbytes, os.SEEK_CUR)
        f.truncate()
    return path


def npy_header(descr: str, shape: tuple[int, ...]) -> bytes:
    d = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape!r}, }}"
    total = 10 + len(d) + 1
    d += " " * ((-total) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(d)) + d.encode("latin-1")


def object_array_pickle(n: int = 2) -> bytes:
    """What `np.save(allow_pickle=True)` writes after the header for an object array: the array pickled
    (numpy's reconstruct, ndarray, dtype globals) with its items."""
    return (
        proto(3)
        + glob("numpy.core.multiarray", "_reconstruct")
        + put(0)
        + glob("numpy", "ndarray")
        + put(1)
        + integer(0)
        + b"\x85"
        + put(2)
        + b"C\x01b"
        + put(3)
        + b"\x87"
        + put(4)
        + REDUCE
        + put(5)
        + MARK
        + integer(1)
        + tup([integer(n)])
        + glob("numpy", "dtype")
        + put(6)
        + ustr("O8")
        + integer(0)
        + integer(1)
        + b"\x87"
        + REDUCE
        + MARK
        + integer(3)
        + ustr("|")
        + NONE
        + NONE
        + NONE
        + integer(-1)
        + integer(-1)
        + integer(63)
        + b"t"
        + b"b"
        + NEWFALSE
        + b"]"
        + MARK
        + b"".join(ustr(f"item{i}") for i in range(n))
        + b"e"
        + b"t"
        + b"b"
        + STOP
    )


def npy(path: Path, *, payload: bytes | None = None, numeric: int | None = None) -> Path:
    """An .npy file: an object array (its pickle, or `payload`), or a numeric array of `numeric` bytes (holes)."""
    with open(path, "wb") as f:
        if numeric is not None:
            f.write(npy_header("<f4", (numeric // 4,)))
            f.seek(numeric, os.SEEK_CUR)
            f.truncate()
        else:
            f.write(npy_header("|O", (2,)))
            f.write(object_array_pickle() if payload is None else payload)
    return path


def npz(path: Path, members: dict[str, bytes]) -> Path:
    """An .npz archive (a zip of .npy members, as np.savez writes it)."""
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def zip_bomb_member(path: Path, *, archive: str = "archive", size: int = 3 << 30) -> Path:
    """A torch-style zip whose data.pkl inflates to `size` bytes (under 4 GiB): a pickle that never ends
    (EMPTY_LIST, then APPEND of None over and over), from a few MB on disk. Each 1 MiB block is
    compressed after a full flush, so one compressed block repeats; the CRC is not computed (0), since
    nothing may read that far."""
    unit = b"Na" * (1 << 19)  # 1 MiB
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(proto(2) + b"]") + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
    body = first + block * ((size - 3) // len(unit)) + c.flush()
    usize = 3 + (size - 3) // len(unit) * len(unit)
    with open(path, "wb") as f:
        z = _ZipWriter(f)
        raw = f"{archive}/data.pkl".encode()
        f.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, 0, len(body), usize, len(raw), 0))
        f.write(raw + body)
        z.entries.append((raw, 0, len(body), usize, 0, 8))
        z.add(f"{archive}/version", b"3\n")
        z.close()
    return path
