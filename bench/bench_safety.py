"""Benchmark: release safety on large checkpoints (issue 14: "a 1 GB sparse legacy checkpoint is scanned in
under 1 s"; "ten large checkpoints cost no more than reading their pickle streams").

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python bench/bench_safety.py [--runs 7]

Three git repositories, built by tests/pickles.py with storage bytes as holes (sparse files):
  legacy-1g  one 1 GiB legacy (non-zip) torch checkpoint, 291 tensors, plus a model card
  zip-10x2g  ten 2 GiB torch zip checkpoints (a sharded pytorch_model-0000N-of-00010.bin), 291 tensors each
  none       the same model card and no weights (what a check costs without the scan)
For each: `mofcheck check --format json` as a whole process (median wall and CPU of N runs after a warm-up),
the in-process `safety.scan()` time, the bytes it read, and the floor: reading exactly the pickle streams
(each data.pkl via zipfile; the legacy file's five pickles) in the same process.
"""

from __future__ import annotations

import argparse
import os
import pickletools
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests import pickles as P  # noqa: E402
from tests.conftest import GIT_ENV  # noqa: E402

GiB = 1 << 30
CARD = "---\nlicense: apache-2.0\n---\n# Bench-7B\n\n## Training Data\n\nWeb text; PII removed.\n"


def build(base: Path) -> dict[str, Path]:
    repos = {}
    for name in ("legacy-1g", "zip-10x2g", "none"):
        d = base / name
        d.mkdir()
        (d / "README.md").write_text(CARD)
        (d / "LICENSE").write_text("Apache License\nVersion 2.0, January 2004\n")
        repos[name] = d
    P.legacy_checkpoint(repos["legacy-1g"] / "pytorch_model.bin", P.tensors(291, GiB, legacy=True))
    for i in range(10):
        n = f"pytorch_model-{i + 1:05d}-of-00010"
        P.torch_zip(repos["zip-10x2g"] / f"{n}.bin", P.tensors(291, 2 * GiB), archive=n)
    for d in repos.values():
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bench"]):
            subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=d, env=GIT_ENV, check=True)
    return repos


def floor(repo: Path) -> tuple[float, int]:
    """Seconds and bytes to read just the pickle streams and walk their opcodes once with pickletools
    (the least any scanner must do to list imports), in this process."""
    t = time.perf_counter()
    n = 0
    for f in sorted(repo.glob("*.bin")):
        if zipfile.is_zipfile(f):
            with zipfile.ZipFile(f) as z:
                for name in z.namelist():
                    if name.endswith("data.pkl"):
                        data = z.read(name)
                        for _op in pickletools.genops(data):
                            pass
                        n += len(data)
        else:
            with open(f, "rb") as fh:
                for _ in range(5):
                    start = fh.tell()
                    for _op in pickletools.genops(fh):
                        pass
                    n += fh.tell() - start
    return time.perf_counter() - t, n


def in_process(repo: Path) -> tuple[float, int]:
    from mofcheck.repo import Repo
    from mofcheck.safety import scan

    t = time.perf_counter()
    r = scan(Repo.open(repo))
    return time.perf_counter() - t, sum(f.bytes_read for f in r.files)


def whole(repo: Path, runs: int) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "mofcheck", "check", str(repo), "--no-config", "--format", "json"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, env=env, capture_output=True)  # warm-up: bytecode, page cache
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        repos = build(Path(tmp))
        for name, repo in repos.items():
            size = sum(f.stat().st_size for f in repo.glob("*.bin"))
            in_process(repo)  # warm: imports, page cache
            scan_s, read = in_process(repo)
            floor_s, stream = floor(repo)
            wall, cpu = whole(repo, args.runs)
            print(
                f"{name}: {size / GiB:.0f} GiB of weights; `mofcheck check` wall {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms (median of {args.runs}); "
                f"safety.scan() {scan_s * 1000:.0f} ms, read {read / 1024:.0f} KiB; floor (the pickle streams alone, {stream / 1024:.0f} KiB) {floor_s * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
