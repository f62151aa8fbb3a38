"""Benchmark the remote layer: fetching a release with 5 links (GitHub, an HF model, an HF dataset, two
arXiv ids) from the local stand-ins, through the real clients. Target: under 2 s.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python bench/bench_remote.py [--runs 11]

Measures, each as a median over --runs:
  * a fresh process (what `mofcheck resolve` pays): importing the clients, then fetch_many, wall and CPU;
  * fetch_many in a warm process (clients imported, connections new per source), workers=4 and workers=1;
  * fetch_many answered from the RemoteSource cache (the `audit` re-run case);
and the number of requests one release costs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_S = 2.0

CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from mofcheck.remote.budget import Budget
from mofcheck.remote.fetch import Target, fetch_many
t1 = time.perf_counter()
import defusedxml.ElementTree, github, huggingface_hub.hf_api, huggingface_hub.utils  # what fetch_many would import
t2 = time.perf_counter()
targets = [Target("github", "open-lab/openlm"), Target("hf-model", "open-lab/OpenLM-7B"),
           Target("hf-dataset", "open-lab/open-corpus"), Target("arxiv", "2401.99901"), Target("arxiv", "2407.99902")]
got = fetch_many(targets, budget=Budget())
t3 = time.perf_counter()
assert all(s.ok for s in got), [s.error for s in got]
u = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"import": t1 - t0, "clients": t2 - t1, "fetch": t3 - t2, "cpu": u.ru_utime + u.ru_stime, "rss_mb": u.ru_maxrss / 1024}))
"""


def med(xs: list[float]) -> str:
    return f"median {statistics.median(xs) * 1000:.0f} ms (min {min(xs) * 1000:.0f}, max {max(xs) * 1000:.0f})"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()

    from tests.standins import Standins

    with Standins() as s, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, **s.env(Path(tmp))}
        for var in ("HF_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"):
            env.pop(var, None)
        os.environ.clear()
        os.environ.update(env)
        print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")

        walls, fetches, imports, clients, cpus, rss = [], [], [], [], [], []
        for i in range(args.runs + 1):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True)
            wall = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if i == 0:
                continue  # warm-up: bytecode
            got = json.loads(out.stdout)
            walls.append(wall)
            fetches.append(got["fetch"])
            imports.append(got["import"])
            clients.append(got["clients"])
            cpus.append((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime))
            rss.append(got["rss_mb"])
        print(f"fresh process, whole: wall {med(walls)}, CPU {med(cpus)}, max RSS {statistics.median(rss):.0f} MB")
        print(f"  of which importing mofcheck.remote: {med(imports)}")
        print(f"  of which importing the clients (huggingface_hub, PyGithub, defusedxml): {med(clients)}")
        print(f"  of which fetch_many (5 links, 19 requests, first connections): {med(fetches)}")

        from mofcheck.remote.budget import Budget
        from mofcheck.remote.cache import Cache
        from mofcheck.remote.fetch import Target, fetch_many

        targets = [
            Target("github", "open-lab/openlm"),
            Target("hf-model", "open-lab/OpenLM-7B"),
            Target("hf-dataset", "open-lab/open-corpus"),
            Target("arxiv", "2401.99901"),
            Target("arxiv", "2407.99902"),
        ]
        fetch_many(targets, budget=Budget())  # import and connect once
        for workers in (4, 1):
            times, counts = [], []
            for _ in range(args.runs):
                n = s.requests()
                t = time.perf_counter()
                got = fetch_many(targets, budget=Budget(), workers=workers)
                times.append(time.perf_counter() - t)
                counts.append(s.requests() - n)
                assert all(x.ok for x in got)
            print(f"warm process, fetch_many workers={workers}: {med(times)}; {counts[0]} requests per release")

        cache = Cache(Path(tmp) / "cache")
        fetch_many(targets, budget=Budget(), cache=cache)
        times = []
        for _ in range(args.runs):
            n = s.requests()
            t = time.perf_counter()
            fetch_many(targets, budget=Budget(), cache=cache)
            times.append(time.perf_counter() - t)
            assert s.requests() == n
        print(f"from the RemoteSource cache: {med(times)}; 0 requests")
        ok = statistics.median(walls) < TARGET_S
        print(f"target: a fresh `resolve`-like process under {TARGET_S:g} s: {'met' if ok else 'NOT met'}")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
