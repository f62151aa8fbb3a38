#!/usr/bin/env python3
"""Build src/mofcheck/data/evidence/patterns.json from patterns.yaml.

    .venv/bin/python scripts/build_patterns_cache.py            # after editing patterns.yaml
    .venv/bin/python scripts/build_patterns_cache.py --check    # exit 1 when patterns.json is stale

patterns.json is the expanded form of patterns.yaml (macros and globs expanded, regexes checked, the
needles and the needle trie precomputed), so `mofcheck check` neither loads YAML nor runs sre_parse on
~100 regexes at startup. It records the CRC-32 of the YAML it came from; a stale file is ignored at
runtime (the YAML is parsed instead) and fails tests/test_paths.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "mofcheck" / "data" / "evidence" / "patterns.json"
sys.path.insert(0, str(ROOT / "src"))


def render() -> str:
    from mofcheck.evidence.paths import _load_yaml, expand_patterns, packaged_yaml, source_checksum

    text = packaged_yaml()
    doc = {"source_crc32": source_checksum(text), **expand_patterns(_load_yaml(text))}
    return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 when patterns.json is stale")
    args = ap.parse_args()
    from mofcheck import datacache

    return datacache.refresh(OUT, render(), args.check, "scripts/build_patterns_cache.py")


if __name__ == "__main__":
    raise SystemExit(main())
