"""One cache for the packaged criteria data: data/yaml-cache.tsv, built at development time by
scripts/build_data_cache.py.

ruamel.yaml takes about a second for licenses.yaml and 20-35 ms for each small criteria file; json takes
a fraction of that. So each YAML file `check` reads has a JSON twin, and so has the data derived from YAML
that costs more to build than to read: the license lookup index (24 ms to build, under 9 ms to read) and
the expanded path patterns with the needles of their regexes (which only the build can compute). Each
line of the cache is `key<TAB>{"sources": {path: CRC-32}, "data": ...}`; only the line asked for is
decoded and parsed. An entry whose sources do not match the YAML on disk (edited since) is ignored and the
data is built from the YAML, so the cache can be stale but never wrong; tests/test_datacache.py fails when
it is stale. The YAML stays the source of truth.
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from importlib import import_module
from typing import Any, NamedTuple

from . import data

CACHE = "yaml-cache.tsv"
# YAML files cached as parsed (paths under mofcheck/data), each read by one loader.
FILES = (
    "evidence/cards.yaml", "evidence/components.yaml", "evidence/sources.yaml", "framework/mof-1.0.yaml",
    "yardsticks/index.yaml", "yardsticks/g7-2026.yaml", "yardsticks/osaid-1.0.yaml", "yardsticks/eu-ai-act-53-2.yaml",
    "safety/pickle-imports.yaml", "safety/rules.yaml", "checks.yaml",
)  # fmt: skip


class Derived(NamedTuple):
    """Data derived from YAML files. `build` ("module:function") makes it from `sources`, at runtime too when
    the entry is stale. `finish` ("module:function" of the data), when set, runs only when the cache is built:
    it may use what src/ must not (scripts/pattern_needles.py parses regexes with re._parser), and its result
    must mean the same as its input, so a stale entry rebuilt without it gives the same answers, slower."""

    sources: tuple[str, ...]
    build: str
    finish: str | None = None


DERIVED = {
    "licenses/index": Derived(("licenses/licenses.yaml", "licenses/hf-ids.yaml"), "mofcheck.licenses.table:index_from_yaml"),
    # the expanded path patterns; the build adds each regex's needles (importable from scripts/)
    "evidence/patterns": Derived(("evidence/patterns.yaml",), "mofcheck.evidence.pathdata:packaged_document", "pattern_needles:with_needles"),
}


def checksum(raw: bytes) -> int:
    return zlib.crc32(raw)


def _yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(text)


def _function(spec: str) -> Any:
    module, _, name = spec.partition(":")
    return getattr(import_module(module), name)


def _spec(key: str) -> tuple[tuple[str, ...], Any]:
    """(sources, build) for a cache key: a YAML file parses itself; derived data names its builder."""
    if key in DERIVED:
        derived = DERIVED[key]
        return derived.sources, lambda: _function(derived.build)()
    return (key,), lambda: _yaml(data.text(key))


@lru_cache(maxsize=1)
def _cache() -> bytes:
    try:
        return data.raw(CACHE)
    except OSError:
        return b""


def _line(key: str) -> bytes | None:
    """The JSON on `key`'s line, found without decoding or splitting the others (JSON escapes tabs and
    newlines inside strings, so a line starts with its key and a tab)."""
    raw, head = _cache(), key.encode("utf-8") + b"\t"
    if raw.startswith(head):
        start = len(head)
    else:
        at = raw.find(b"\n" + head)
        if at < 0:
            return None
        start = at + 1 + len(head)
    end = raw.find(b"\n", start)
    return raw[start:] if end < 0 else raw[start:end]


def stored(key: str) -> tuple[bool, Any]:
    """(True, data) when the cache holds `key` built from the current YAML, else (False, None)."""
    sources, _ = _spec(key)
    line = _line(key)
    if line is None:
        return False, None
    try:
        entry = json.loads(line)
    except ValueError:
        return False, None
    if isinstance(entry, dict) and entry.get("sources") == {rel: checksum(data.raw(rel)) for rel in sources}:
        return True, entry["data"]
    return False, None


def load(key: str) -> Any:
    """The data under `key` (a cached YAML path or a DERIVED key): a fresh object at every call."""
    ok, value = stored(key)
    return value if ok else _spec(key)[1]()


def load_yaml(rel: str) -> Any:
    """The parsed YAML file data/<rel>: a fresh object at every call (callers may change it)."""
    return load(rel) if rel in FILES else _yaml(data.text(rel))


def build() -> dict[str, Any]:
    """Every cache entry, built from the YAML and finished (Derived.finish, imported from sys.path: the build
    script puts scripts/ on it). Refuses data JSON cannot carry exactly (dates, non-string keys)."""
    out: dict[str, Any] = {}
    for key in (*FILES, *DERIVED):
        sources, make = _spec(key)
        value = make()
        finish = DERIVED[key].finish if key in DERIVED else None
        if finish:
            value = _function(finish)(value)
        try:
            same = json.loads(json.dumps(value)) == value
        except (TypeError, ValueError):
            same = False
        if not same:
            raise ValueError(f"{key}: its data does not survive JSON (a date or a non-string key?); do not cache it")
        out[key] = {"sources": {rel: checksum(data.raw(rel)) for rel in sources}, "data": value}
    return out


def render(entries: dict[str, Any]) -> str:
    """The cache file's text for `entries` (one line each)."""
    return "".join(f"{key}\t{json.dumps(entry, ensure_ascii=False, separators=(',', ':'))}\n" for key, entry in entries.items())


def refresh(out, new: str, check: bool, how: str) -> int:
    """For the build scripts: write `new` to `out` if it changed, or with `check` only compare (exit 1 if stale)."""
    import sys

    old = out.read_text("utf-8") if out.exists() else ""
    if check:
        if new != old:
            print(f"{out.name} is stale: run {how}", file=sys.stderr)
            return 1
        return 0
    if new != old:
        out.write_text(new, encoding="utf-8")
        print(f"wrote {out} ({len(new)} bytes)")
    return 0
