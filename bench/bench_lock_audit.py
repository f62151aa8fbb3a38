"""Benchmarks of issue 10 against the local stand-ins (tests/standins): a check from the evidence lock
against the same check without remote evidence, and `audit` of MOT's 273 model files from a warm cache.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python bench/bench_lock_audit.py --runs 9

1. Lock overhead. The open release of tests/test_resolve.py (GitHub, an HF model, an HF dataset, arXiv)
   is resolved once (`mofcheck resolve`, lock staged). Then `mofcheck check --format json` runs on it
   and on a copy without the lock (the same files, so the links are only declared), alternately,
   median wall and CPU of N runs after a warm-up. Target: at most 10 % more.
2. Audit. `mofcheck audit ../shared/mot/models --format json` with an on-disk cache in a temporary
   directory: once cold (fills the cache), then warm. The stand-ins know the test scenarios' releases,
   not MOT's, so most sources come back as not found: the run measures the machinery (reading 273
   manifests, link discovery, fetch and cache, evaluation, rendering), not a real host. Target: warm
   under 60 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MOT = ROOT.parent / "shared" / "mot" / "models"


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall * 1000, ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000, p


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--skip-audit", action="store_true")
    args = ap.parse_args()
    from tests.standins import Standins
    from tests.test_resolve import OPEN, repo

    exe = str(Path(sys.executable).with_name("mofcheck"))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with Standins() as s, tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(s.env(Path(tmp) / "home"))
        s.scenario("open")
        locked = repo(Path(tmp) / "a", OPEN)
        plain = Path(tmp) / "plain"
        shutil.copytree(locked, plain, symlinks=True)
        w, c, p = timed([exe, "resolve", str(locked)], env)
        assert p.returncode == 0, p.stderr
        print(f"resolve (5 links, fresh process): wall {w:.0f} ms, CPU {c:.0f} ms")
        subprocess.run(["git", "add", ".mof/evidence.lock.json"], cwd=locked, check=True)
        a_cmd = [exe, "check", str(locked), "--format", "json", "--no-config"]
        b_cmd = [exe, "check", str(plain), "--format", "json", "--no-config"]
        timed(a_cmd, env), timed(b_cmd, env)
        a, b = [], []
        for _ in range(args.runs):
            a.append(timed(a_cmd, env)[:2])
            b.append(timed(b_cmd, env)[:2])

        def med(xs: list[tuple[float, float]], k: int) -> float:
            return statistics.median(x[k] for x in xs)

        print(f"check, no remote evidence: wall median {med(b, 0):.0f} ms, CPU median {med(b, 1):.0f} ms (n={args.runs})")
        print(f"check from the lock:       wall median {med(a, 0):.0f} ms, CPU median {med(a, 1):.0f} ms (n={args.runs})")
        print(f"lock overhead: {100 * (med(a, 0) / med(b, 0) - 1):+.0f} % wall, {100 * (med(a, 1) / med(b, 1) - 1):+.0f} % CPU (target <= +10 %)")
        if args.skip_audit:
            return 0
        if not MOT.is_dir():
            print("audit: ../shared/mot/models absent, skipped")
            return 0
        cache = Path(tmp) / "cache"
        cmd = [exe, "audit", str(MOT), "--format", "json", "--cache", str(cache), "--output", str(Path(tmp) / "audit.json")]
        w1, c1, p1 = timed(cmd, env)
        w2, c2, p2 = timed(cmd, env)
        n = len(list(MOT.glob("*.y*ml")))
        print(
            f"audit of {n} MOT files: cold wall {w1 / 1000:.1f} s (CPU {c1 / 1000:.1f} s, exit {p1.returncode}); "
            f"warm wall {w2 / 1000:.1f} s (CPU {c2 / 1000:.1f} s, exit {p2.returncode}); target warm < 60 s"
        )
        if p2.returncode not in (0, 1):
            print(p2.stderr[-2000:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
