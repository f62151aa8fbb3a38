"""Benchmark the `mofcheck` pre-commit hook: wall time of `pre-commit run mofcheck` when one relevant file
(LICENSE) changed, on a small fixture repository, excluding environment creation.

    .venv/bin/python bench/bench_hook.py [--runs 15] [--rev HEAD] [--mode mof]

pre-commit installs mofcheck from this repository at `--rev` (a commit: pre-commit clones it), so the
first run needs PyPI for the dependencies; set PRE_COMMIT_HOME to reuse an environment between runs.
Also shows that the hook is skipped when no relevant file changed, and times the hook's entry alone.

The floor is pre-commit's own cost: a no-op local hook (`entry: "true"`, language system, always run)
timed the same way, alternately with the mofcheck hook. Target (issue 12): the mofcheck hook on a
relevant change costs at most twice the floor.
"""

from __future__ import annotations

import argparse
import glob
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 2.0
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false"]

MANIFEST = """framework:
  name: 'Model Openness Framework'
  version: '1.0'
  date: '2024-12-15'
release:
  name: bench-lm
  version: 1B
  date: '2025-01-01'
  type: language
  architecture: transformer
  origin: bench-lm
  producer: Example Lab
  contact: ''
  license:
    distribution:
      name: Apache-2.0
      path: LICENSE
  components:
"""
COMPONENTS = [
    "Model architecture",
    "Model parameters (Final)",
    "Model card",
    "Data card",
    "Evaluation results",
    "Technical report",
    "Training code",
    "Inference code",
    "Evaluation code",
    "Evaluation data",
]


def sh(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)


def make_repo(where: Path, rev: str, mode: str) -> Path:
    repo = where / "repo"
    repo.mkdir()
    manifest = MANIFEST + "".join(f"    - name: '{c}'\n      description: 'released'\n" for c in COMPONENTS)
    files = {
        "mof.yml": manifest,
        "LICENSE": "Apache License\nVersion 2.0, January 2004\n",
        "README.md": "# bench-lm\n\nA model.\n",
        "notes.txt": "not relevant\n",
        ".pre-commit-config.yaml": f"repos:\n- repo: {ROOT}\n  rev: {rev}\n  hooks:\n  - id: mofcheck\n    args: [--mode, {mode}]\n"
        "- repo: local\n  hooks:\n  - id: noop\n    name: noop\n    entry: 'true'\n    language: system\n"
        "    always_run: true\n    pass_filenames: false\n",
    }
    for rel, text in files.items():
        (repo / rel).write_text(text, encoding="utf-8")
    return repo


def timed(cmd: list[str], cwd: Path, env: dict[str, str], cpu: list[float] | None = None) -> tuple[float, subprocess.CompletedProcess]:
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = sh(cmd, cwd, env)
    wall = (time.perf_counter() - t0) * 1000
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:  # CPU time barely depends on the machine's load; wall time does
        cpu.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
    return wall, out


def summary(name: str, ms: list[float], cpu: list[float]) -> str:
    ms = sorted(ms)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    return (
        f"{name:<44} wall median {statistics.median(ms):7.1f} ms  min {ms[0]:7.1f}  p90 {p90:7.1f}"
        f"  | cpu median {statistics.median(cpu):6.1f} ms  (n={len(ms)})"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--rev", default="HEAD", help="commit of this repository to install the hook from")
    ap.add_argument("--mode", default="mof", choices=["mof", "mot"])
    a = ap.parse_args()
    rev = subprocess.run(["git", "rev-parse", a.rev], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="mofcheck-bench-") as tmp:
        tmp_path = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.setdefault("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
        env["PRE_COMMIT_COLOR"] = "never"
        repo = make_repo(tmp_path, rev, a.mode)
        sh([*GIT, "init", "-q"], repo, env)
        sh([*GIT, "add", "-A"], repo, env)
        sh([*GIT, "commit", "-q", "-m", "fixture"], repo, env)
        pc = [sys.executable, "-m", "pre_commit"]

        t0 = time.perf_counter()
        out = sh([*pc, "install-hooks"], repo, env)
        if out.returncode != 0:
            print(out.stdout + out.stderr, file=sys.stderr)
            return 2
        print(f"environment ready in {time.perf_counter() - t0:.1f} s (excluded)   rev {rev[:12]}   mode {a.mode}")

        changed: list[float] = []
        changed_cpu: list[float] = []
        floor: list[float] = []
        floor_cpu: list[float] = []
        for i in range(a.runs):  # alternately: the hook and the floor in the same minutes
            with open(repo / "LICENSE", "a", encoding="utf-8") as f:
                f.write(f"# edit {i}\n")
            sh([*GIT, "add", "LICENSE"], repo, env)
            ms, out = timed([*pc, "run", "mofcheck"], repo, env, changed_cpu)
            if "Skipped" in out.stdout or out.returncode not in (0, 1):
                print(out.stdout + out.stderr, file=sys.stderr)
                return 2
            changed.append(ms)
            last = out.stdout.strip().splitlines()[0]
            ms, out = timed([*pc, "run", "noop"], repo, env, floor_cpu)
            if out.returncode != 0:
                print(out.stdout + out.stderr, file=sys.stderr)
                return 2
            floor.append(ms)

        skipped: list[float] = []
        skipped_cpu: list[float] = []
        for i in range(a.runs):
            sh([*GIT, "commit", "-q", "-m", f"edit {i}"], repo, env)
            (repo / "notes.txt").write_text(f"edit {i}\n", encoding="utf-8")
            sh([*GIT, "add", "notes.txt"], repo, env)
            ms, out = timed([*pc, "run", "mofcheck"], repo, env, skipped_cpu)
            skipped.append(ms)
        skip_line = out.stdout.strip().splitlines()[0]

        entry = glob.glob(os.path.join(env["PRE_COMMIT_HOME"], "repo*", "py_env-*", "bin", "mofcheck"))
        alone: list[float] = []
        alone_cpu: list[float] = []
        for _ in range(a.runs if entry else 0):
            ms, _out = timed([entry[0], "check", "--mode", a.mode], repo, env, alone_cpu)
            alone.append(ms)

    print(f"$ pre-commit run mofcheck    (LICENSE staged)    -> {last}")
    print(f"$ pre-commit run mofcheck    (notes.txt staged)  -> {skip_line}")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(summary("pre-commit run noop (the floor), LICENSE changed", floor, floor_cpu))
    print(summary("pre-commit run mofcheck, LICENSE changed", changed, changed_cpu))
    print(summary("pre-commit run mofcheck, nothing relevant", skipped, skipped_cpu))
    if alone:
        print(summary("hook entry alone (mofcheck check)", alone, alone_cpu))
    ratio = statistics.median(changed) / statistics.median(floor)
    ratio_cpu = statistics.median(changed_cpu) / statistics.median(floor_cpu)
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"target: at most {TARGET_RATIO:g}x the floor for a relevant change: {ratio:.1f}x wall, {ratio_cpu:.1f}x CPU -> {verdict} it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
