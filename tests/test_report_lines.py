"""lines: `path:line: severity: [code] message`, one finding per line, sorted."""

from __future__ import annotations

import re
from pathlib import Path

from mofcheck.report import render

from .test_report_helpers import big_report, hostile_report, real_report, write_repo

LINE = re.compile(r"^(?P<path>[^\n]+?)(?::(?P<line>\d+))?: (?P<sev>error|warning|info): \[(?P<code>[^\]]+)\] (?P<msg>.*)$")


def test_real_report_lines(tmp_path, monkeypatch):
    write_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = render("lines", real_report(Path(".")))
    lines = out.splitlines()
    assert len(lines) == 3 and out.endswith("\n")
    assert lines[0].startswith("mof.yml:27: warning: [license.unknown] Model parameters (Final): license 'llama3'")
    assert lines[1].startswith("mof.yml:31: warning: [license.unknown] Model card: license 'Made-Up-License'")
    assert lines[2].startswith("mof.yml:35: warning: [component.unlicensed] Data card: ")


def test_hostile_lines_are_one_per_finding_and_inert():
    report = hostile_report()
    out = render("lines", report)
    lines = out.splitlines()
    assert len(lines) == 5 and out.endswith("\n")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\r]", out)
    for line in lines:
        assert LINE.match(line), line
    # no path: "-"; sorted by path, then line
    assert lines[0].startswith("-: warning: [license.unknown] evil\\n::error::pwned")
    paths = [LINE.match(x)["path"] for x in lines]
    assert paths == sorted(paths)


def test_sort_order_path_line_severity_code():
    report = big_report(0)
    f = lambda code, sev, path, line: {"severity": sev, "code": code, "message": "m", "path": path, "line": line}  # noqa: E731
    report["models"][0]["findings"] = [
        f("license.unknown", "info", "b.yml", 2),
        f("license.unknown", "warning", "b.yml", 2),
        f("component.unlicensed", "warning", "b.yml", 2),
        f("license.unknown", "error", "b.yml", 10),
        f("license.unknown", "error", "a.yml", None),
        f("license.unknown", "error", None, None),
    ]
    assert [tuple(x.split(": ")[:3]) for x in render("lines", report).splitlines()] == [
        ("-", "error", "[license.unknown] m"),
        ("a.yml", "error", "[license.unknown] m"),
        ("b.yml:2", "warning", "[component.unlicensed] m"),
        ("b.yml:2", "warning", "[license.unknown] m"),
        ("b.yml:2", "info", "[license.unknown] m"),
        ("b.yml:10", "error", "[license.unknown] m"),
    ]


def test_paths_are_joined_to_the_checked_folder(tmp_path):
    write_repo(tmp_path)
    out = render("lines", real_report(tmp_path))
    assert out.startswith(f"{tmp_path.as_posix()}/mof.yml:27: warning: [license.unknown] ")
