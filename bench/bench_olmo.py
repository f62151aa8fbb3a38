"""Benchmark: a repository of allenai/OLMo's size and shape: `mofcheck check` against `reuse lint`, and
which files the check reads.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python bench/bench_olmo.py --runs 5
    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python bench/bench_olmo.py --tree /work/realrepos/allenai+OLMo

The repository is generated: by default from SHAPE below (directories, extensions and counts as
seen in OLMo's tree, 1,337 files: the datasets-library cache under olmo_data/hf_datasets, the vendored
inference code, configs, scripts, tests). With `--tree`, the names and sizes come from a local checkout
instead (nothing of its content is read or copied: every file is written with generated text of the
same size, capped at 256 KiB). The Class I fixture's release files (mof.yml, LICENSE, cards) go on top.

Timing: `mofcheck check --format json` and `reuse lint` as whole processes, alternately in the same
minutes, median wall and CPU (children's rusage) of N runs after a warm-up. Target (issue 12): the
check at least 10 times faster than `reuse lint`.

Reads: one more check runs with an audit hook that records every file opened below the repository
(git's own files aside). Each read must be a candidate (a path the classifier gave a kind), a manifest,
or one of the repository's configuration files; then the same repository with ten times as many
non-candidate files (GROWN, `--grow`) must cause the same reads.
"""

from __future__ import annotations

import argparse
import json
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
FIXTURE = ROOT / "fixtures" / "class1-open-science"
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@x"}

# (directory template, file name template, count, size in bytes): OLMo's tree in outline. {i} numbers
# the file, {j} groups files ten to a directory.
SHAPE = [
    ("olmo_data/hf_datasets/task_{i}/default/train", "dataset_info.json", 63, 2_000),
    ("olmo_data/hf_datasets/task_{i}/default/train", "state.json", 63, 600),
    ("olmo_data/hf_datasets/task_{i}/default", "dataset_dict.json", 63, 80),
    ("olmo_data/hf_datasets/task_{i}/default/validation", "dataset_info.json", 63, 2_000),
    ("olmo_data/hf_datasets/task_{i}/default/validation", "state.json", 63, 600),
    ("olmo_data/hf_datasets/task_{i}/default/validation", "data-{i:05d}-of-00001.arrow", 63, 40_000),
    ("olmo_data/hf_datasets/task_{i}/default/train", "data-{i:05d}-of-00001.arrow", 63, 40_000),
    ("olmo_data/hf_datasets/task_{i}/default/test", "data-{i:05d}-of-00001.arrow", 63, 40_000),
    ("olmo_data/hf_datasets/task_{i}/default/test", "dataset_info.json", 63, 2_000),
    ("olmo_data/oe_eval_tasks/task_{i}", "config.json", 74, 500),
    ("olmo_data/oe_eval_tasks/task_{i}", "requests.jsonl.gz", 74, 20_000),
    ("olmo_data/tokenizers", "tokenizer_{i}.json", 3, 200_000),
    ("olmo_data", "module_{i}.py", 2, 1_500),
    ("inference/efficiency/bench_{j}", "run_{i}.py", 282, 3_000),
    ("inference/efficiency", "run_{i}.sh", 10, 400),
    ("inference/compression/kernels_{j}", "quant_{i}.py", 69, 4_000),
    ("inference/compression/kernels", "kernel_{i}.cuh", 8, 5_000),
    ("inference/compression/kernels", "kernel_{i}.cu", 6, 5_000),
    ("inference/compression/kernels", "kernel_{i}.cpp", 4, 3_000),
    ("inference/compression", "NOTES_{i}.md", 6, 3_000),
    ("inference", "README.md", 1, 2_000),
    ("inference/eval", "eval_{i}.py", 6, 3_000),
    ("olmo", "module_{i}.py", 15, 20_000),
    ("olmo/data", "data_{i}.py", 7, 10_000),
    ("olmo/eval", "eval_{i}.py", 3, 10_000),
    ("hf_olmo", "hf_{i}.py", 5, 8_000),
    ("scripts", "script_{i}.py", 29, 6_000),
    ("scripts/beaker", "job_{i}.sh", 21, 1_000),
    ("scripts/augusta", "job_{i}.sh", 14, 1_000),
    ("configs/microannealing", "mix_{i}.yaml", 17, 3_000),
    ("configs/official-1124", "OLMo-{i}.yaml", 9, 4_000),
    ("configs/official-1124", "OLMo-{i}.csv", 5, 30_000),
    ("configs/annealing", "anneal_{i}.yaml", 8, 3_000),
    ("configs", "run_{i}.yaml", 9, 3_000),
    ("configs/tiny", "tiny_{i}.yaml", 5, 2_000),
    ("evaluation/experiments", "exp_{i}.libsonnet", 11, 2_000),
    ("evaluation/steps", "step_{i}.py", 4, 3_000),
    ("evaluation", "eval_{i}.py", 3, 3_000),
    ("tests", "test_{i}.py", 13, 5_000),
    ("tests/data", "test_data_{i}.py", 6, 3_000),
    ("tests/hf_olmo", "test_hf_{i}.py", 6, 3_000),
    ("test_fixtures/test-olmo-model", "config_{i}.json", 4, 800),
    ("docs", "doc_{i}.md", 3, 6_000),
    (".github/workflows", "ci_{i}.yml", 2, 2_000),
    ("", "CHANGELOG.md", 1, 30_000),
    ("", "Makefile", 1, 1_500),
    ("", "pyproject.toml", 1, 3_000),
    ("", "conftest.py", 1, 200),
]

# folders of files that are candidates for nothing: the read test multiplies them
GROWN = ("scripts/beaker", "scripts/augusta", "tests", "docs")

WORDS = "the model data training evaluation tokens layer weights config step batch learning rate".split()


def filler(name: str, size: int) -> bytes:
    """Generated text of `size` bytes, shaped for the file's type (no real content)."""
    size = min(size, 256 * 1024)
    ext = name.rpartition(".")[2].lower()
    if ext in ("arrow", "gz", "bin", "pt"):
        return (bytes(range(256)) * (size // 256 + 1))[:size]
    if ext in ("json",):
        line = '{"key": "value", "n": 1},\n'
        body = "[\n" + line * max(0, (size - 4) // len(line)) + "{}]\n"
        return body.encode()
    if ext == "py":
        line = "def f(x):\n    return x + 1\n\n"
    elif ext == "md":
        line = "## Section\n\n" + " ".join(WORDS) + ".\n\n"
    else:
        line = " ".join(WORDS) + "\n"
    return (line * (size // len(line) + 1))[:size].encode()


def listing_from_shape(grow: int = 1) -> list[tuple[str, int]]:
    out = []
    for d, n, count, size in SHAPE:
        for i in range(count * (grow if d.startswith(GROWN) else 1)):
            dd = d.format(i=i, j=i // 10)
            out.append((f"{dd}/{n.format(i=i, j=i // 10)}" if dd else n.format(i=i, j=i // 10), size))
    return out


def listing_from_tree(tree: Path) -> list[tuple[str, int]]:
    out = []
    for p in sorted(tree.rglob("*")):
        if ".git" in p.relative_to(tree).parts[:1] or not p.is_file() or p.is_symlink():
            continue
        out.append((p.relative_to(tree).as_posix(), p.stat().st_size))
    return out


def build(root: Path, listing: list[tuple[str, int]]) -> int:
    root.mkdir(parents=True)
    for rel, size in listing:
        f = root / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(filler(rel, size))
    for src in FIXTURE.rglob("*"):  # the release files: manifest, LICENSE, cards
        if src.is_file():
            dst = root / src.relative_to(FIXTURE)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, env=GIT_ENV, check=True)
    subprocess.run(["git", "commit", "-qm", "x"], cwd=root, env=GIT_ENV, check=True)
    return int(subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True).stdout.count("\n"))


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


PROBE = r"""
import io, json, os, sys
from contextlib import redirect_stdout
root = os.path.realpath(sys.argv[1])
opened = set()
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        p = os.path.realpath(os.fsdecode(args[0]))
        if p.startswith(root + "/") and "/.git/" not in p + "/":
            opened.add(os.path.relpath(p, root))
sys.addaudithook(hook)
from mofcheck.cli import main
with redirect_stdout(io.StringIO()):
    main(["check", root, "--format", "json", "--no-config"])
from mofcheck.evidence.paths import classify_paths
from mofcheck.repo import Repo
index = classify_paths(Repo.open(root).files)
cands = {f.path for f in index.files if index.kinds_of(f.path)}
print(json.dumps({"opened": sorted(opened), "candidates": sorted(cands), "files": len(index.files)}))
"""

# read because of what they are, whatever the kinds: manifests and the repository's configuration
NOT_CANDIDATES_OK = {"mof.yml", "mof.yaml", ".mof.yml", ".mofcheck.yml", ".gitmodules", ".gitattributes", "REUSE.toml", ".reuse/dep5"}


def reads(root: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    rest = [p for p in got["opened"] if p not in set(got["candidates"]) and p not in NOT_CANDIDATES_OK and not p.endswith(".license")]
    # source files at the root or a package's top level: read for weights URL tables (pathevidence)
    placed = [p for p in rest if p.count("/") <= 1 and p.rpartition(".")[2] in ("py", "sh", "js", "mjs", "ts", "lua", "rs", "go", "jl")]
    return {**got, "placed": placed, "stray": [p for p in rest if p not in placed]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tree", type=Path, help="take names and sizes from this local checkout")
    ap.add_argument("--grow", type=int, default=10, help="non-candidate files multiplied by this for the read test")
    args = ap.parse_args()
    exe = Path(sys.executable).with_name("mofcheck")
    reuse = shutil.which("reuse", path=str(Path(sys.executable).parent)) or shutil.which("reuse")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        listing = listing_from_tree(args.tree) if args.tree else listing_from_shape()
        root = Path(tmp) / "olmo-shape"
        n = build(root, listing)
        print(f"repository: {n} files ({'names and sizes from ' + str(args.tree) if args.tree else 'SHAPE'})")
        check = [str(exe), "check", str(root), "--format", "json", "--no-config"]
        lint = [reuse, "--root", str(root), "lint"] if reuse else None
        timed(check, root)
        if lint:
            timed(lint, root)
        c, r = [], []
        for _ in range(args.runs):  # interleaved: both in the same minutes
            c.append(timed(check, root))
            if lint:
                r.append(timed(lint, root))

        def med(xs: list[tuple[float, float]], k: int) -> float:
            return statistics.median(x[k] for x in xs) * 1000

        print(f"mofcheck check --format json: wall median {med(c, 0):.0f} ms, CPU median {med(c, 1):.0f} ms over {args.runs} runs")
        if lint:
            print(f"reuse lint: wall median {med(r, 0):.0f} ms, CPU median {med(r, 1):.0f} ms over {args.runs} runs")
            print(f"ratio: reuse lint / mofcheck check = {med(r, 0) / med(c, 0):.1f}x wall, {med(r, 1) / med(c, 1):.1f}x CPU (target >= 10x)")
        got = reads(root)
        print(
            f"reads: {len(got['opened'])} files opened of {got['files']} listed; {len(got['candidates'])} candidates; {len(got['placed'])} source files by place; "
            f"others: {got['stray'] or 'none'}"
        )
        if not args.tree:
            big = Path(tmp) / "olmo-grown"
            m = build(big, listing_from_shape(args.grow))
            got2 = reads(big)
            same = got2["opened"] == got["opened"]
            print(
                f"grown to {m} files ({args.grow}x the files in {', '.join(GROWN)}): {len(got2['opened'])} files opened; "
                f"{len(got2['candidates'])} candidates; same reads: {same}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
