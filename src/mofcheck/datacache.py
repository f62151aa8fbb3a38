"""Packaged YAML criteria read from a JSON twin built at development time (scripts/build_data_cache.py).

ruamel.yaml takes milliseconds per file at every `mofcheck check`; json a fraction of one. Each entry of
data/yaml-cache.json records the CRC-32 of the YAML text it came from: an entry that does not match the
YAML on disk (edited since) is ignored and the YAML itself is loaded, so the cache can be stale but never
wrong. tests/test_datacache.py fails when it is stale. The YAML stays the source of truth.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from . import data

CACHE = "yaml-cache.json"
# The files cached (paths under mofcheck/data), each read by one loader.
FILES = (
    "evidence/cards.yaml", "evidence/components.yaml", "evidence/sources.yaml", "framework/mof-1.0.yaml",
    "yardsticks/index.yaml", "yardsticks/g7-2026.yaml", "yardsticks/osaid-1.0.yaml", "yardsticks/eu-ai-act-53-2.yaml",
    "safety/pickle-imports.yaml", "safety/rules.yaml",
)


def checksum(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(text)


def load_yaml(rel: str) -> Any:
    """The parsed YAML file data/<rel>: a fresh object at every call (callers may change it)."""
    text = data.text(rel)
    try:
        entry = json.loads(data.text(CACHE)).get(rel)
    except (OSError, ValueError):
        entry = None
    if isinstance(entry, dict) and entry.get("crc32") == checksum(text):
        return entry["data"]
    return _yaml(text)


def build() -> dict[str, Any]:
    """The cache document for FILES. Refuses a file whose data JSON cannot carry exactly (dates, non-string keys)."""
    out: dict[str, Any] = {}
    for rel in FILES:
        text = data.text(rel)
        parsed = _yaml(text)
        try:
            same = json.loads(json.dumps(parsed)) == parsed
        except (TypeError, ValueError):
            same = False
        if not same:
            raise ValueError(f"{rel}: its data does not survive JSON (a date or a non-string key?); do not cache it")
        out[rel] = {"crc32": checksum(text), "data": parsed}
    return out


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
