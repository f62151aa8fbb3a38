"""`mofcheck check --format X --output F ...`: several report formats from one run."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema

from mofcheck.report.json import schema as report_schema

from .test_report_helpers import write_repo


def test_json_and_sarif_files_and_markdown_on_stdout(tmp_path):
    repo = tmp_path / "repo"
    write_repo(repo)
    a, b = tmp_path / "out" / "a.json", tmp_path / "out" / "b.sarif"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mofcheck",
            "check",
            str(repo),
            "--mode",
            "mot",
            "--format",
            "json",
            "--output",
            str(a),
            "--format",
            "sarif",
            "--output",
            str(b),
            "--format",
            "markdown",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(a.read_text("utf-8"))
    jsonschema.validate(report, report_schema())
    log = json.loads(b.read_text("utf-8"))
    assert log["version"] == "2.1.0" and len(log["runs"][0]["results"]) == 3
    assert proc.stdout.startswith("## mofcheck: Model Openness Framework report\n")
    assert "### ❌ Tiny: Unclassified" in proc.stdout and "license.unknown" in proc.stdout


def test_github_and_lines_formats_from_the_cli(tmp_path, cli):
    write_repo(tmp_path)
    run = cli("check", ".", "--mode", "mot", "--format", "github", cwd=tmp_path)
    assert run.code == 0 and run.out.startswith("::warning file=mof.yml,line=27,title=")
    run = cli("check", ".", "--mode", "mot", "--format", "lines", cwd=tmp_path)
    assert run.code == 0 and run.out.splitlines()[0].startswith("mof.yml:27: warning: [license.unknown] ")
