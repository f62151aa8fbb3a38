"""Hostile sizes, end to end through a real `mofcheck check` subprocess (so its time and peak memory are its
own): multi-gigabyte sparse files, a 10 MB front matter, a million-line card, 200k files, a 10k-component
manifest, a 100 kB license expression. Reads are bounded and the report says what was cut short.

The wall-clock and memory bounds here are safety nets only (generous, for a loaded CI machine); the
real targets are in bench/ and docs/benchmarks.md."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import MIT_TEXT
from .hostile_trees import GIT_ENV, git_init, manifest_text, needs_git, write

# The CLI's main, then its own peak resident memory on stderr (Linux /proc; nothing elsewhere).
PEAK_RUNNER = """
import re, sys
from mofcheck.cli import main
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as fh:
        sys.stderr.write("MOFCHECK_PEAK_KB=" + re.search(r"VmHWM:\\s+(\\d+)", fh.read()).group(1) + "\\n")
except OSError:
    pass
sys.exit(code)
"""
WALL = 60.0  # seconds: catches a stall, not a speed target (those are in bench/, docs/benchmarks.md)
RSS_MB = 400  # peak resident memory of the mofcheck process


@dataclass
class Measured:
    code: int
    report: dict
    err: str
    seconds: float
    rss_mb: float

    def codes(self) -> set[tuple[str, str | None]]:
        r = self.report
        return {(f["code"], f.get("path")) for f in [*r["findings"], *(f for m in r["models"] for f in m["findings"])]}

    def messages(self, code: str) -> dict[str, str]:
        r = self.report
        return {f.get("path"): f["message"] for f in [*r["findings"], *(f for m in r["models"] for f in m["findings"])] if f["code"] == code}


def measured_check(root: Path, *args: str, timeout: float = 120) -> Measured:
    """`mofcheck check ROOT --format json` as a child process: its own wall time, and its own peak RSS
    (VmHWM, which starts afresh at exec; ru_maxrss would include this parent's size at fork)."""
    import tempfile
    import threading

    out = root.parent / f"{root.name}-report.json"
    cmd = [sys.executable, "-c", PEAK_RUNNER, "check", str(root), "--format", "json", "--output", str(out), *args]
    with tempfile.TemporaryFile() as errf:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errf)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, _usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        errf.seek(0)
        text = errf.read().decode("utf-8", "replace")
    if proc.returncode < 0:
        pytest.fail(f"mofcheck check did not finish within {timeout} s")
    assert "Traceback" not in text, text
    peak = re.search(r"^MOFCHECK_PEAK_KB=(\d+)$", text, re.M)
    rss = int(peak.group(1)) / 1024 if peak else 0.0  # 0: no /proc here, the memory bound is not checked
    return Measured(proc.returncode, json.loads(out.read_text("utf-8")), text, seconds, rss)


def sparse(path: Path, head: bytes, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(head)
    try:
        os.truncate(path, size)
    except OSError as e:
        pytest.skip(f"cannot make a sparse file here: {e}")


def assert_within_budget(m: Measured) -> None:
    assert m.seconds < WALL, f"took {m.seconds:.1f} s"
    assert m.rss_mb < RSS_MB, f"peak RSS {m.rss_mb:.0f} MB"


# --------------------------------------------------------------------------------------------------


def test_multi_gigabyte_sparse_readme_license_and_weights(tmp_path):
    root = tmp_path / "repo"
    sparse(root / "README.md", b"# Model\n\nThe weights are MIT licensed.\n", 4 * 1024**3)
    sparse(root / "LICENSE", b"MIT License\n\nPermission is hereby granted, free of charge\n", 4 * 1024**3)
    sparse(root / "model.safetensors", b"\x00" * 8, 16 * 1024**3)
    write(root, "mof.yml", manifest_text())
    m = measured_check(root)
    assert_within_budget(m)
    assert m.code == 0
    too_large = m.messages("repo.too-large")
    assert too_large["README.md"] == f"read only the first {1024 * 1024} bytes of {4 * 1024**3}"
    assert too_large["LICENSE"] == f"read only the first {256 * 1024} bytes of {4 * 1024**3}"
    assert "model.safetensors" not in too_large  # weights: only the head is ever read, by design
    assert m.messages("license.unreadable")["LICENSE"].endswith("a binary file (NUL bytes), not a license text")


def test_ten_megabyte_front_matter_and_a_million_line_card(tmp_path):
    root = tmp_path / "repo"
    write(root, "README.md", "---\nlicense: apache-2.0\n" + "tags: [x]\n" * 1_000_000 + "---\n# Model\n")
    write(root, "MODEL_CARD.md", "".join(f"| row {i} | value |\n" for i in range(1_000_000)))
    write(root, "weights/model.safetensors", b"\x00" * 64)
    m = measured_check(root)
    assert_within_budget(m)
    truncated = {p for c, p in m.codes() if c == "evidence.truncated"}
    assert {"README.md", "MODEL_CARD.md"} <= truncated
    assert ("card.front-matter-unclosed", "README.md") in m.codes()  # its closing line is beyond the cut
    assert m.report["models"], "the release is still inferred and judged"


def test_oversized_manifest_is_an_input_error_not_a_read(tmp_path):
    root = tmp_path / "repo"
    write(root, "mof.yml", manifest_text() + "# " + "x" * (3 * 1024 * 1024) + "\n")
    m = measured_check(root)
    assert_within_budget(m)
    assert m.code == 2
    assert "mof.yml: the manifest is larger than 2 MiB" in m.err


def test_ten_thousand_component_manifest(tmp_path):
    root = tmp_path / "repo"
    comps = [{"name": "Model architecture", "description": f"c{i}", "license": "MIT"} for i in range(10_000)]
    write(root, "mof.yml", manifest_text(components=comps))
    write(root, ".mof/other.yml", manifest_text(name="other"))
    m = measured_check(root)
    assert_within_budget(m)
    assert m.code == 2
    assert "mof.yml:14:5: release.components: more than 17 components" in m.err
    assert [x["name"] for x in m.report["models"]] == ["other"]  # the other manifest is still evaluated


def test_hundred_kilobyte_license_expression(tmp_path):
    root = tmp_path / "repo"
    expr = " OR ".join(["MIT", "Apache-2.0", "(GPL-2.0-only WITH Classpath-exception-2.0)"] * 2000)[:100_000].rsplit(" OR ", 1)[0]
    assert len(expr) > 90_000
    comps = [{"name": "Model architecture", "description": "code", "license": expr}]
    write(root, "mof.yml", manifest_text(components=comps))
    write(root, "README.md", f"---\nlicense: {json.dumps(expr)}\n---\n# Model\n")
    write(root, "model.py", f"# SPDX-License-Identifier: {expr}\n")
    m = measured_check(root)
    assert_within_budget(m)
    (arch,) = [c for c in m.report["models"][0]["components"] if c["name"] == "Model architecture"]
    assert arch["status"] != "met"  # an expression nobody can read is not an open license
    assert "too long" in arch["reason"]
    assert "unreadable license (license expression too long" in arch["reason"]


@needs_git
@pytest.mark.slow
def test_two_hundred_thousand_files(tmp_path):
    """200k tracked files in one git index (written with one blob and `update-index --index-info`, marked
    skip-worktree as in a sparse checkout so the test needs no 200k files on disk), plus a real release."""
    root = tmp_path / "repo"
    write(root, "mof.yml", manifest_text(components=[{"name": "Model architecture", "description": "code", "license": "MIT"}]))
    write(root, "LICENSE", "MIT License\n\n" + MIT_TEXT)
    write(root, "model.py", "x = 1\n")
    git_init(root)
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], input=b"x\n", cwd=root, env=GIT_ENV, capture_output=True, check=True).stdout.decode().strip()
    names = ("train.jsonl", "LICENSE", "README.md", "model.py", "card.md")
    paths = [f"data/d{d:03}/{i:03}-{names[i % len(names)]}" for d in range(400) for i in range(500)]
    subprocess.run(
        ["git", "update-index", "--add", "--index-info"], input="".join(f"100644 {blob}\t{p}\n" for p in paths).encode(), cwd=root, env=GIT_ENV, check=True
    )
    subprocess.run(
        ["git", "update-index", "--skip-worktree", "-z", "--stdin"], input="".join(p + "\0" for p in paths).encode(), cwd=root, env=GIT_ENV, check=True
    )
    ls = subprocess.run(["git", "ls-files"], cwd=root, env=GIT_ENV, capture_output=True, check=True).stdout
    assert ls.count(b"\n") == 200_003
    m = measured_check(root, timeout=60)
    assert_within_budget(m)
    assert m.code == 0 and [x["name"] for x in m.report["models"]] == ["tiny"], (
        m.report["gate"]["reasons"],
        [f["message"] for mm in m.report["models"] for f in mm.get("findings", []) if f["severity"] == "error"],
    )
