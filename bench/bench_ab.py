"""Interleaved A/B of `mofcheck check` as a whole process: another tree of mofcheck against this one.

    mkdir -p /tmp/old && git archive <commit> src | tar -x -C /tmp/old
    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python bench/bench_ab.py /tmp/old/src [--runs 15] [--format text]

Both trees run alternately (the other tree first on PYTHONPATH, which beats the editable install), so a
machine whose speed drifts by tens of percent over minutes still gives a fair comparison. Prints the
median wall and CPU (child user + system) time of each.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("other", help="the src/ directory of the other tree")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--format", default="text")
    ap.add_argument("--fixture", default="fixtures/class1-open-science")
    a = ap.parse_args()
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    trees = {"other": {**base, "PYTHONPATH": a.other}, "this": {**base, "PYTHONPATH": str(ROOT / "src")}}
    cmd = [sys.executable, "-m", "mofcheck", "check", a.fixture, "--no-config", "--format", a.format]
    times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in trees}
    for env in trees.values():
        subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)  # warm-up: bytecode
    load = os.getloadavg()[0]
    for _ in range(a.runs):
        for name, env in trees.items():
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)
            wall = time.perf_counter() - t
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            times[name][0].append(wall)
            times[name][1].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    for name, (wall, cpu) in times.items():
        print(
            f"{name:<5} {a.fixture} --format {a.format}: wall median {statistics.median(wall) * 1000:.0f} ms "
            f"(min {min(wall) * 1000:.0f}), CPU median {statistics.median(cpu) * 1000:.0f} ms (min {min(cpu) * 1000:.0f}), n={a.runs}"
        )
    print(f"load average {load:.2f} -> {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
