"""Benchmark: `mofcheck check` on generated repositories of 1k, 10k and 100k files.

    .venv/bin/python bench/bench_scale.py              # 1k 10k 100k
    .venv/bin/python bench/bench_scale.py 200000       # other sizes

Each repository is bench_listing.py's model-like tree (source, configs, data shards, docs, a vendored
library) with the release files made real: the Class I fixture's manifest, LICENSE, cards and code.
`mofcheck check --format json` runs as a whole process (import cost included) three times after a warm-up;
the median wall time and the peak RSS (/usr/bin/time) are reported. Targets (issue 3): under 0.5 s at 10k
files, under 2 s at 100k, memory under 150 MB.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_listing import GIT_ENV, make_repo  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "fixtures" / "class1-open-science"


def build(root: Path, n: int) -> None:
    make_repo(root, n)
    for src in FIXTURE.rglob("*"):
        if src.is_file():
            dst = root / src.relative_to(FIXTURE)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    subprocess.run(["git", "add", "-A"], cwd=root, env=GIT_ENV, check=True)


def run(root: Path) -> tuple[float, int]:
    exe = Path(sys.executable).with_name("mofcheck")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cmd = ["/usr/bin/time", "-f", "%M", str(exe), "check", str(root), "--format", "json", "--no-config"]
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    rss_kb = int(p.stderr.strip().splitlines()[-1])
    return wall, rss_kb


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1_000, 10_000, 100_000]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            root = Path(tmp) / f"r{n}"
            build(root, n)
            run(root)  # warm-up: bytecode, page cache
            results = [run(root) for _ in range(3)]
            wall = statistics.median(w for w, _ in results)
            rss = max(r for _, r in results) / 1024
            print(f"{n:>7} files: mofcheck check median {wall:.2f} s, peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
