#!/usr/bin/env python3
"""What loading the license reference data costs one license file, in fresh interpreters.

    env -u PYTHONDONTWRITEBYTECODE PYTHONPATH=src .venv/bin/python bench/bench_refdb.py [FILE] [--runs 9]

Each run imports the identification modules and the license table first (not timed), then times in CPU:
`refdb.db()` (the index) and `identify_text()` of FILE (default: the Class I fixture's LICENSE, a canonical
Apache-2.0: an exact match). Prints the best and median of the runs and which parts of the data the
identification read. Run it against another checkout with its own PYTHONPATH to compare. A file that is no
exact match (tests/data/license-variants/generated/nearmiss-apache-nopatent.txt: an edited Apache-2.0)
shows the similarity path: the bitmaps, and the texts of the candidates it diffs (texts, text_members,
text_bytes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, sys, time
from pathlib import Path
from mofcheck.licenses import identify, refdb, table
import mofcheck.repo  # read_bounded's decoder
text = identify.read_bounded(Path(sys.argv[1]))
table.lookup("MIT")
t0 = time.process_time()
store = refdb.db()
t1 = time.process_time()
got = identify.identify_text(text)
t2 = time.process_time()
loaded = store.loaded() if hasattr(store, "loaded") else {}
print(json.dumps({"db": 1e3 * (t1 - t0), "identify": 1e3 * (t2 - t1), "license": got.license, "match": got.match, "loaded": loaded}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "fixtures" / "class1-open-science" / "LICENSE"))
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    runs = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", CHILD, args.file], capture_output=True, text=True, check=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    print(f"{args.file}: {runs[0]['license']} ({runs[0]['match']}); {args.runs} fresh processes, load average {os.getloadavg()[0]:.2f}")
    for key in ("db", "identify"):
        values = [r[key] for r in runs]
        print(f"{'refdb.db()' if key == 'db' else 'identify_text()':<16} cpu best {min(values):6.1f} ms   median {statistics.median(values):6.1f} ms")
    print(f"read: {runs[-1]['loaded']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
