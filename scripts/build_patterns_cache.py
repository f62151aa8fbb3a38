#!/usr/bin/env python3
"""Build src/mofcheck/data/evidence/patterns.json from patterns.yaml.

    .venv/bin/python scripts/build_patterns_cache.py            # after editing patterns.yaml
    .venv/bin/python scripts/build_patterns_cache.py --check    # exit 1 when patterns.json is stale

patterns.json is the expanded form of patterns.yaml (macros and globs expanded, regexes checked, the
needles of every name and directory regex, scripts/pattern_needles.py), so `mofcheck check` neither
loads YAML nor parses a regex at startup. It records the CRC-32 of the YAML it came from; a stale file is ignored at
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
    from mofcheck.evidence.pathdata import expand_patterns, load_yaml, packaged_yaml, source_checksum

    sys.path.insert(0, str(ROOT / "scripts"))
    from pattern_needles import with_needles

    text = packaged_yaml()
    doc = {"source_crc32": source_checksum(text), **with_needles(expand_patterns(load_yaml(text)))}
    return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 when patterns.json is stale")
    args = ap.parse_args()
    from mofcheck import datacache

    return datacache.refresh(OUT, render(), args.check, "scripts/build_patterns_cache.py")


if __name__ == "__main__":
    raise SystemExit(main())
