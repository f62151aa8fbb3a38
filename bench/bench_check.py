"""Benchmark `mofcheck check` as users run it, and the MOT corpus in one process.

    python bench/bench_check.py [--runs 21] [--fixture fixtures/class1-open-science]

1. Whole-process wall time of `mofcheck check FIXTURE` (import cost included), median of N runs after a
   warm-up run, for the text and the JSON format. Target: median under 150 ms on the 2-core machine.
2. The 273 MOT registry files (../shared/mot/models) evaluated in one process, mot and mof mode
   (manifest only). Target: under 2 s.
Bytecode caching matters: the script runs the children without PYTHONDONTWRITEBYTECODE so the first
(warm-up) run writes .pyc files, as an installed tool would have them.
CPU time (user + system of the child) is printed beside wall time: on a shared, loaded machine wall time
inflates, CPU time much less. The floor is measured too: `python -c pass` and `import cyclopts`.
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
SHARED = ROOT.parent / "shared"


def timed(cmd: list[str], runs: int) -> tuple[list[float], list[float]]:
    """(wall seconds, CPU seconds) of each run of `cmd`, after one warm-up run (which writes bytecode)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)
    wall, cpu = [], []
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)
        wall.append(time.perf_counter() - t)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return wall, cpu


def whole_process(fixture: str, fmt: str, runs: int) -> tuple[list[float], list[float]]:
    exe = Path(sys.executable).with_name("mofcheck")
    return timed([str(exe), "check", fixture, "--format", fmt, "--no-config"], runs)


def line(name: str, wall: list[float], cpu: list[float]) -> str:
    return (
        f"{name}: wall median {statistics.median(wall) * 1000:.0f} ms (min {min(wall) * 1000:.0f}, max "
        f"{max(wall) * 1000:.0f}), CPU median {statistics.median(cpu) * 1000:.0f} ms over {len(wall)} runs"
    )


def corpus(mode: str) -> tuple[int, float]:
    from mofcheck import evaluate, framework, manifest

    fw = framework.load()
    files = sorted((SHARED / "mot" / "models").glob("*.yml"))
    t = time.perf_counter()
    for f in files:
        m = manifest.load_file(f, f.name, fw)
        evaluate.evaluate_manifest(m, fw, mode)
    return len(files), time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--fixture", default="fixtures/class1-open-science")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(line("floor: python -c pass", *timed([sys.executable, "-c", "pass"], args.runs)))
    print(line("floor: python -c 'import cyclopts'", *timed([sys.executable, "-c", "import cyclopts"], args.runs)))
    for fmt in ("text", "json"):
        print(line(f"mofcheck check {args.fixture} --format {fmt}", *whole_process(args.fixture, fmt, args.runs)))
    print(f"load average {os.getloadavg()[0]:.2f}")
    if (SHARED / "mot" / "models").is_dir():
        for mode in ("mot", "mof"):
            n, secs = corpus(mode)
            print(f"MOT corpus, {n} files, --mode {mode}, one process: {secs:.2f} s")
    else:
        print("MOT corpus: ../shared absent, skipped")


if __name__ == "__main__":
    main()
