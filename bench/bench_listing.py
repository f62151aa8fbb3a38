"""Benchmark: list and classify git repositories of 1k, 10k and 100k files.

    .venv/bin/python bench/bench_listing.py            # 1k 10k 100k
    .venv/bin/python bench/bench_listing.py 200000     # other sizes

Each size is generated once in a temp dir (a git repository with everything staged), then timed in a
fresh interpreter: `Repo.open` (git ls-files), pattern classification, and the walk fallback for
comparison. Peak RSS is the whole measuring process (interpreter included).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}

# A model-repository-like tree: mostly source with distinct word-made names (so the per-name cache
# in classify_paths gets no free hits), numbered data shards, configs, docs, a vendored library.
WORDS = (
    "attention cache tensor block layer router expert mixer norm rotary embed token batch sampler loader"
    " optimizer schedule kernel fused flash quant shard merge split stream buffer queue worker pool graph"
    " vision audio speech text image video patch pixel codec feature head encoder decoder adapter prompt"
    " reward policy value critic rollout replay metric logger config registry utils helpers common core"
).split()
TEMPLATES = [
    "src/{w1}/{w2}_{w3}.py",
    "src/{w1}/{w2}/{w3}_{w4}.py",
    "src/{w1}/models/{w2}_{w3}.py",
    "tests/{w1}/test_{w2}_{w3}.py",
    "configs/{w1}/{w2}_{w3}.yaml",
    "data/{w1}/part-{i:05d}.jsonl",
    "docs/{w1}/{w2}_{w3}.md",
    "scripts/eval/{w1}_{w2}_{w3}.py",
    "third_party/{w1}/src/{w2}_{w3}_{w4}.c",
    "assets/{w1}/{w2}_{i}.png",
]
RELEASE = [
    "LICENSE",
    "README.md",
    "MODEL_CARD.md",
    "train.py",
    "generate.py",
    "requirements.txt",
    "pyproject.toml",
    "third_party/lib0/LICENSE",
    "third_party/lib0/README.md",
]


def make_repo(root: Path, n: int) -> None:
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=root, env=GIT_ENV, check=True)
    paths = list(RELEASE)
    i = 0
    while len(paths) < n:
        t = TEMPLATES[i % len(TEMPLATES)]
        k = i // len(TEMPLATES)
        nw = len(WORDS)
        w = [WORDS[k % nw], WORDS[(k // nw) % nw], WORDS[(k // nw // nw) % nw], WORDS[(k * 7) % nw]]
        paths.append(t.format(w1=w[0], w2=w[1], w3=w[2], w4=w[3], i=i))
        i += 1
    paths = sorted(set(paths))
    for p in paths:
        f = root / p
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(b"x\n")
    subprocess.run(["git", "add", "-A"], cwd=root, env=GIT_ENV, check=True)


def measure(root: str) -> dict[str, float]:
    from mofcheck.evidence.paths import classify_paths, load_patterns
    from mofcheck.repo import Repo

    load_patterns().compile_all()  # once per process (lazily on first use otherwise); not part of the per-listing cost
    t0 = time.perf_counter()
    c0 = time.process_time()
    repo = Repo.open(root)
    t1 = time.perf_counter()
    c1 = time.process_time()
    index = classify_paths(repo.files)
    t2 = time.perf_counter()
    c2 = time.process_time()
    assert repo.mode == "git" and index.by_kind("license_file")[0].path == "LICENSE"
    assert "third_party" in index.vendored_roots
    names = len({f.path.rpartition("/")[2] for f in repo.files})
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    # the walk fallback on the same tree, for comparison
    from mofcheck.repo import git as repo_git

    saved = repo_git.executable
    repo_git.executable = lambda: None
    t3 = time.perf_counter()
    walked = Repo.open(root)
    t4 = time.perf_counter()
    repo_git.executable = saved
    return {
        "files": len(repo.files),
        "distinct_names": names,
        "walked": len(walked.files),
        "open_s": round(t1 - t0, 3),
        "classify_s": round(t2 - t1, 3),
        "total_s": round(t2 - t0, 3),
        "open_cpu_s": round(c1 - c0, 3),
        "classify_cpu_s": round(c2 - c1, 3),
        "walk_s": round(t4 - t3, 3),
        "peak_rss_mb": round(rss, 1),
    }


def main(argv: list[str]) -> None:
    if argv[:1] == ["--measure"]:
        print(json.dumps(measure(argv[1])))
        return
    sizes = [int(a) for a in argv] or [1_000, 10_000, 100_000]
    with tempfile.TemporaryDirectory(prefix="mofcheck-bench-") as tmp:
        print(f"{'files':>8} {'names':>7} {'open':>7} {'classify':>9} {'total':>7} {'walk':>7} {'peak RSS':>9}")
        for n in sizes:
            root = Path(tmp) / f"r{n}"
            make_repo(root, n)
            out = subprocess.run([sys.executable, __file__, "--measure", str(root)], check=True, capture_output=True, text=True).stdout
            r = json.loads(out)
            print(
                f"{r['files']:>8} {r['distinct_names']:>7} {r['open_s']:>6.3f}s {r['classify_s']:>8.3f}s"
                f" {r['total_s']:>6.3f}s {r['walk_s']:>6.3f}s {r['peak_rss_mb']:>7.1f}MB"
                f"   (cpu: open {r['open_cpu_s']:.3f}s, classify {r['classify_cpu_s']:.3f}s)"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
