#!/usr/bin/env python3
"""Benchmark `mofcheck identify`: data loading and the time to identify one license file.

    .venv/bin/python bench/bench_identify.py [--rounds 3]

Loading is measured in fresh interpreters (cold, as a `mofcheck check` run pays it). Identification is
measured over the labelled corpus tests/data/license-variants/ after one warm-up pass (the data and the
per-text caches loaded), reading each file once and timing identify_text() alone.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "license-variants"

LOAD = """
import time
t0 = time.perf_counter()
from mofcheck.licenses import identify
t1 = time.perf_counter()
c1 = time.process_time()
identify.load()
c2 = time.process_time()
t2 = time.perf_counter()
identify.identify_text("Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    "software, to deal in the Software without restriction, subject to the following conditions: none. "
    "THE SOFTWARE IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.")
t3 = time.perf_counter()
print(f"{(t1 - t0) * 1e3:.1f} {(t2 - t1) * 1e3:.1f} {(t3 - t2) * 1e3:.1f} {(c2 - c1) * 1e3:.1f}")
"""


def cold_load(rounds: int) -> tuple[float, float, float, float]:
    samples = []
    for _ in range(rounds):
        out = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, check=True).stdout
        samples.append([float(x) for x in out.split()])
    return tuple(statistics.median(s[i] for s in samples) for i in range(4))  # type: ignore[return-value]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the corpus")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from mofcheck.licenses.identify import identify_text, read_bounded
    from mofcheck.licenses.normalize import normalize

    imp, load, first, load_cpu = cold_load(args.rounds)
    with open(CORPUS / "labels.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    texts = [(row, read_bounded(CORPUS / row["path"])) for row in rows]
    by_match: dict[str, list[float]] = {}
    norm_times: list[float] = []
    all_times: list[float] = []
    cpu_times: list[float] = []
    for _, text in texts:
        identify_text(text)  # warm-up
    for _ in range(args.rounds):
        for _, text in texts:
            t0 = time.perf_counter()
            normalize(text)
            t1 = time.perf_counter()
            c1 = time.process_time()
            result = identify_text(text)
            c2 = time.process_time()
            t2 = time.perf_counter()
            norm_times.append(t1 - t0)
            all_times.append(t2 - t1)
            cpu_times.append(c2 - c1)
            by_match.setdefault(result.match, []).append(t2 - t1)

    def ms(values: list[float], q: float | None = None) -> str:
        if q is None:
            return f"{statistics.median(values) * 1e3:.2f}"
        return f"{sorted(values)[min(int(len(values) * q), len(values) - 1)] * 1e3:.2f}"

    print(f"corpus: {len(texts)} files x {args.rounds} rounds; python {sys.version.split()[0]}")
    print(f"cold: import {imp:.1f} ms, load data {load:.1f} ms ({load_cpu:.1f} ms CPU), first similarity call (bitmaps loaded) {first:.1f} ms")
    print("| files | n | median ms | p90 ms | max ms |")
    print("|---|---|---|---|---|")
    print(f"| all (identify_text) | {len(all_times)} | {ms(all_times)} | {ms(all_times, 0.9)} | {max(all_times) * 1e3:.1f} |")
    print(f"| all, CPU time | {len(cpu_times)} | {ms(cpu_times)} | {ms(cpu_times, 0.9)} | {max(cpu_times) * 1e3:.1f} |")
    for match in ("exact", "similar", "none"):
        values = by_match.get(match, [])
        if values:
            print(f"| match={match} | {len(values)} | {ms(values)} | {ms(values, 0.9)} | {max(values) * 1e3:.1f} |")
    print(f"| normalise only | {len(norm_times)} | {ms(norm_times)} | {ms(norm_times, 0.9)} | {max(norm_times) * 1e3:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
