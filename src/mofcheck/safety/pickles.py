"""Pickle-based files: which globals each pickle stream imports, read without ever loading it.

The streams come from streams.py (bounded reads through the repository); picklescan lists their imports
from the opcodes alone (`scan_pickle_bytes`: pickletools' disassembler, memo-aware for STACK_GLOBAL).
Each import is then judged against data/safety/pickle-imports.yaml, and picklescan's own "dangerous"
verdict is kept too. picklescan is imported only when a pickle stream is found. Why picklescan, and why
it is fed bounded bytes rather than the file: README, design notes; docs/safety.md.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..repo import Repo, RepoFile
from .result import NOT_FETCHED, NOT_PICKLE, PARTIAL, SCANNED, UNREAD, FileScan, Import

MiB = 1 << 20
REPOSITORY_BUDGET = 32 * MiB  # pickle bytes read in one scan, all files together
MAX_FILES = 1000  # pickle files scanned in one repository; the rest are reported unverified
TIME_BUDGET = 30.0  # seconds: no new file is scanned after this (hostile streams cost ~1-3 s per MiB)
_ALIAS = {"__builtin__": "builtins", "copy_reg": "copyreg", "exceptions": "builtins"}


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    from ..datacache import load_yaml

    data = load_yaml("safety/rules.yaml")
    data["_copies"] = [(re.compile(r["pickle"], re.I), re.compile(r["safetensors"], re.I)) for r in data["safetensors_copies"]]
    return data


@lru_cache(maxsize=1)
def import_lists() -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    from ..datacache import load_yaml

    data = load_yaml("safety/pickle-imports.yaml")
    return data["dangerous"], data["safe"], data.get("sources", {})


def _listed(table: dict[str, Any], module: str, name: str) -> bool:
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        entry = table.get(".".join(parts[:i]))
        if entry == "*":
            return True
        if entry is not None and i == len(parts):
            head = name.split(".", 1)[0]
            if name in entry or head in entry:
                return True
    return False


def verdict(module: str, name: str, scanner_says_dangerous: bool = False) -> str:
    """dangerous | safe | unknown for one import (data/safety/pickle-imports.yaml)."""
    module = _ALIAS.get(module, module)
    dangerous, safe, _ = import_lists()
    if scanner_says_dangerous or "unknown" in (module, name) or _listed(dangerous, module, name):
        return "dangerous"
    if _listed(safe, module, name):
        return "safe"
    return "unknown"


# --------------------------------------------------------------------------------------- the scanner


class ScannerMissing(Exception):
    pass


@lru_cache(maxsize=1)
def _scanner():
    try:
        from picklescan import scanner
    except ImportError as e:  # a broken install: picklescan is a core dependency
        raise ScannerMissing(str(e)) from None
    import logging  # only when a pickle is scanned: ~8 ms of every check otherwise

    log = logging.getLogger("picklescan")  # its warnings name repository files: never on our stderr
    log.addHandler(logging.NullHandler())
    log.propagate = False
    return scanner


def scanner_info() -> dict[str, str] | None:
    try:
        _scanner()
    except ScannerMissing:
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("picklescan")
    except PackageNotFoundError:
        v = "unknown"
    return {"name": "picklescan", "version": v}


def list_imports(data: bytes, count: int | None, label: str) -> tuple[list[tuple[str, str, bool]], bool, int]:
    """The imports of the pickle(s) in `data`: ([(module, name, scanner_says_dangerous)], clean, end).
    `count` pickles one after another (None: as many as there are); `clean` is False when a pickle did
    not end with STOP; `end` is the offset after the last one read."""
    sc = _scanner()
    buf = io.BytesIO(data)
    found: list[tuple[str, str, bool]] = []
    clean = True
    n = 0
    end = 0
    while count is None or n < count:
        start = end
        if start >= len(data):
            clean = count is None and n > 0
            break
        if data[start : start + 1] != b"\x80" and count is not None:
            clean = False  # torch writes protocol 2: a legacy file's pickles all start with PROTO
            break
        buf.seek(start)
        try:
            # one pickle: picklescan then swallows a parse error (scan_err stays False), so the end is
            # checked here: a clean pickle stops right after its STOP opcode
            res = sc.scan_pickle_bytes(buf, label, multiple_pickles=False)
        except Exception:  # noqa: BLE001 - the scanner choked on hostile bytes: what we have is all we know
            clean = False
            break
        for g in res.globals:
            found.append((str(g.module), str(g.name), g.safety == sc.SafetyLevel.Dangerous))
        end = buf.tell()
        if end == len(data) - 1 and data[-1:] == b".":
            end = len(data)  # after the last byte picklescan peeks one byte and steps back one
        if res.scan_err or end <= start or data[end - 1 : end] != b".":
            clean = False
            break
        n += 1
    return found, clean, end


# --------------------------------------------------------------------------------------- one file


def scan_file(repo: Repo, path: str) -> FileScan:
    """List the imports of every pickle stream in one repository file (never loading it)."""
    from .streams import read_streams

    f, why = repo.open_binary(path, 64)  # the head; read_streams allows each stream its own bytes
    if f is None:
        return FileScan(path, "unknown", UNREAD, note=f"not read: {why}")
    suffix = path.rpartition(".")[2].lower()
    suffix = "." + suffix if "." in path.rpartition("/")[2] else ""
    try:
        found = read_streams(f, suffix)
        if not found.pickle:
            return FileScan(path, found.format, NOT_PICKLE, size=f.size, bytes_read=f.bytes_read)
        try:
            imports, notes, streams = _imports(found, f, path)
        except ScannerMissing:
            return FileScan(
                path,
                found.format,
                UNREAD,
                size=f.size,
                bytes_read=f.bytes_read,
                note="picklescan is not installed, so no pickle was scanned (pip install picklescan, or reinstall mofcheck)",
            )
        if found.maybe and notes and not imports:
            return FileScan(path, "other", NOT_PICKLE, size=f.size, bytes_read=f.bytes_read)
        notes = found.problems + notes
        status = SCANNED if not notes else (PARTIAL if streams or imports else UNREAD)
        return FileScan(path, found.format, status, imports, streams, f.bytes_read, f.size, "; ".join(notes[:3]) or None)
    finally:
        f.close()


def _imports(found, f, path: str) -> tuple[list[Import], list[str], int]:
    """(imports, notes on what could not be read, streams listed to their end)."""
    from .streams import STREAM_MAX

    seen: dict[tuple[str, str], Import] = {}
    notes: list[str] = []
    done = 0
    for s in found.streams:
        label = f"{path}:{s.name}" if s.name else path
        items, clean, end = list_imports(s.data, s.count, label)
        if not clean and found.regrow(f):  # the first read of a raw / legacy file was too short
            items, clean, end = list_imports(s.data, s.count, label)
        for module, name, flagged in items:
            key = (module, name)
            if key not in seen or (flagged and seen[key].verdict != "dangerous"):
                seen[key] = Import(module, name, verdict(module, name, flagged))
        where = f" ({s.name})" if s.name else ""
        if clean:
            done += 1
        elif not s.complete:
            size = f"{len(s.data) // MiB} MiB" if len(s.data) >= MiB else f"{len(s.data)} bytes"
            notes.append(f"a pickle stream{where} is longer than {STREAM_MAX // MiB} MiB; only its first {size} were scanned")
        else:
            notes.append(f"a pickle stream{where} is malformed or truncated at byte {s.offset + end}; loading would run it up to there")
    order = {"dangerous": 0, "unknown": 1, "safe": 2}
    return sorted(seen.values(), key=lambda i: (order[i.verdict], i.module, i.name)), notes, done


# --------------------------------------------------------------------------------------- a repository


def candidates(repo: Repo, index) -> list[tuple[RepoFile, bool]]:
    """(file, is weights) for every file that may hold pickle streams, outside vendored folders."""
    r = rules()
    exts = set(r["pickle_extensions"])
    weights = {m.file.path for kind in ("weights", "checkpoint") for m in index.matches(kind)}
    out = []
    for f in repo.files:
        p = f.path
        dot = p.rfind(".")
        if dot < 0 or p[dot:].lower() not in exts or "/" in p[dot:]:  # cheap: most of 200,000 files stop here
            continue
        if f.is_symlink or f.is_submodule or index.is_vendored(p):
            continue
        out.append((f, p in weights))
    return out


def safetensors_copy(path: str, listed: set[str]) -> str | None:
    """The safetensors file in the same folder that holds the same weights as `path`, if any."""
    folder, _, name = path.rpartition("/")
    prefix = folder + "/" if folder else ""
    stem = name.rsplit(".", 1)[0]
    same = prefix + stem + ".safetensors"
    if same in listed:
        return same
    siblings = [
        p for p in listed if p.startswith(prefix) and "/" not in p[len(prefix) :] and (p.endswith(".safetensors") or p.endswith(".safetensors.index.json"))
    ]
    for pickle_rx, st_rx in rules()["_copies"]:
        if pickle_rx.fullmatch(name):
            for p in sorted(siblings):
                if st_rx.fullmatch(p[len(prefix) :]):
                    return p
    return None


def scan_files(repo: Repo, index) -> list[FileScan]:
    listed: set[str] | None = None
    only = set(rules()["pickle_only_extensions"])
    out: list[FileScan] = []
    spent = 0
    scanned = 0
    deadline = time.monotonic() + TIME_BUDGET
    for f, is_weights in candidates(repo, index):
        lfs = f.lfs
        if lfs is not None:
            if is_weights or f.suffix in only:
                out.append(
                    FileScan(
                        f.path,
                        "lfs-pointer",
                        NOT_FETCHED,
                        size=lfs.size,
                        weights=is_weights,
                        note=f"a Git LFS pointer ({lfs.size} bytes in LFS): not fetched, so not scanned",
                    )
                )
            continue
        if scanned >= MAX_FILES or spent >= REPOSITORY_BUDGET or time.monotonic() > deadline:
            out.append(
                FileScan(
                    f.path,
                    "unknown",
                    UNREAD,
                    weights=is_weights,
                    note=f"not scanned: the scan stops after {MAX_FILES} files, {REPOSITORY_BUDGET // MiB} MiB of pickle data or {TIME_BUDGET:g} s",
                )
            )
            continue
        res = scan_file(repo, f.path)
        if res.status != NOT_PICKLE:
            scanned += 1
        spent += res.bytes_read
        res.weights = is_weights
        if res.status in (SCANNED, PARTIAL):
            if listed is None:
                listed = {g.path for g in repo.files}
            res.safetensors_copy = safetensors_copy(f.path, listed)
        out.append(res)
    return out


def pickle_paths(paths: Iterable[str]) -> bool:
    exts = tuple(rules()["pickle_extensions"])
    return any(p.lower().endswith(exts) for p in paths)
