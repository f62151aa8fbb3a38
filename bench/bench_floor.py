"""What the design card's libraries cost before mofcheck does any work: the floor under issue 12's targets.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python bench/bench_floor.py [--runs 11]

Each step is a fresh interpreter that does everything the step before did, plus one more library that a
`mofcheck check` of the Class I fixture cannot do without: cyclopts (the CLI), cyclopts parsing and
binding `check`'s parameters (the command body replaced by an exit, so nothing of the check runs),
markdown-it-py (the cards, with the parser mofcheck builds), ruamel.yaml (the manifest, with the loader
mofcheck uses), and rich (the text format). Then the whole check, in JSON and in text. Median CPU time
(user + system of the child) of N runs after a warm-up run that writes bytecode.

The targets of issue 12 are measured against `python -c "import cyclopts"`: the fixture check at most
2x that, the hook at most 2x pre-commit's own floor. This shows how much of each budget the libraries
take before the first line of mofcheck's own work.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = "fixtures/class1-open-science"

# `check` parsed and bound by cyclopts (App.parse_args: the command is not called). Importing
# mofcheck.cli, which declares the commands, is ~8 ms of mofcheck's own.
PARSE = f"from mofcheck.cli import app\napp.parse_args(['check', '{FIXTURE}', '--format', 'json', '--no-config'])\n"
MARKDOWN = "from markdown_it import MarkdownIt\nMarkdownIt('commonmark', {'html': True}).enable('table')\n"
YAML = "from ruamel.yaml import YAML\nYAML(typ='safe').load('a: 1')\n"
RICH = "from rich.console import Console\nfrom rich.table import Table\nfrom rich.text import Text\n"

STEPS = [
    ("python -c pass", "pass"),
    ("+ import cyclopts", "import cyclopts"),
    ("+ cyclopts parses `check` (no check run)", PARSE),
    ("+ markdown-it-py (the card parser)", PARSE + MARKDOWN),
    ("+ ruamel.yaml (the manifest loader)", PARSE + MARKDOWN + YAML),
    ("+ rich (the text format)", PARSE + MARKDOWN + YAML + RICH),
]


def cpu(cmd: list[str], runs: int) -> float:
    """Median CPU seconds of `cmd` (children's rusage), after one warm-up run."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=11)
    a = ap.parse_args()
    py = sys.executable
    exe = str(Path(py).with_name("mofcheck"))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, median CPU of {a.runs} runs")
    rows = [(name, cpu([py, "-c", code], a.runs)) for name, code in STEPS]
    cyclopts = rows[1][1]
    rows.append(("mofcheck check --format json (whole)", cpu([exe, "check", FIXTURE, "--format", "json", "--no-config"], a.runs)))
    rows.append(("mofcheck check --format text (whole)", cpu([exe, "check", FIXTURE, "--format", "text", "--no-config"], a.runs)))
    for name, t in rows:
        print(f"{name:<44} {t * 1000:6.0f} ms   {t / cyclopts:4.2f}x import cyclopts")
    print(f"target (issue 12): the JSON check <= {2 * cyclopts * 1000:.0f} ms (2x import cyclopts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
