#!/usr/bin/env python3
"""Build src/mofcheck/data/yaml-cache.tsv, the one cache of the packaged YAML data (mofcheck/datacache.py).

It holds the YAML criteria as JSON, the license index and the expanded path patterns with their needles.

    .venv/bin/python scripts/build_data_cache.py            # after editing a cached YAML file (or licenses.yaml, patterns.yaml)
    .venv/bin/python scripts/build_data_cache.py --check    # exit 1 when any entry is stale

A stale entry is ignored at runtime (the YAML is loaded instead) and fails tests/test_datacache.py.
The build-time steps of derived entries (datacache.Derived.finish, such as pattern_needles.py) are
imported from this folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))  # build-time steps (datacache.Derived.finish)

from mofcheck import datacache  # noqa: E402

OUT = ROOT / "src" / "mofcheck" / "data" / datacache.CACHE


def render() -> str:
    return datacache.render(datacache.build())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 when the cache is stale")
    args = ap.parse_args(argv)
    return datacache.refresh(OUT, render(), args.check, "scripts/build_data_cache.py")


if __name__ == "__main__":
    raise SystemExit(main())
