"""github: workflow-command annotations, anchored, ranked, capped, and impossible to inject into."""

from __future__ import annotations

import json
import re

from mofcheck.report import render
from mofcheck.report.escape import terminal

from .test_report_helpers import (
    HOSTILE_PATH,
    big_report,
    hostile_report,
    real_report,
    write_repo,
)

COMMAND = re.compile(r"^::(?P<cmd>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def _unescape(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse(out: str) -> list[dict]:
    """Read the output as the Actions runner does: one command per line, `::cmd k=v,k=v::data`."""
    assert out.endswith("\n")
    cmds = []
    for line in out.split("\n")[:-1]:
        m = COMMAND.match(line)
        assert m, f"not one well-formed command: {line!r}"
        props = {}
        for pair in (m["props"] or "").split(","):
            if pair:
                k, v = pair.split("=", 1)
                props[k] = _unescape(v)
        cmds.append({"cmd": m["cmd"], **props, "data": _unescape(m["data"])})
    return cmds


def test_real_report_annotations(tmp_path):
    write_repo(tmp_path)
    cmds = parse(render("github", real_report(tmp_path)))
    assert [(c["cmd"], c["file"], c["line"]) for c in cmds] == [
        ("warning", "mof.yml", "27"),
        ("warning", "mof.yml", "31"),
        ("warning", "mof.yml", "35"),
    ]
    assert cmds[0]["title"] == "A component's license is not known (license.unknown)"
    assert cmds[0]["data"].startswith("Model parameters (Final): license 'llama3' is not open")
    assert "\nFix: Write the license as an SPDX id" in cmds[0]["data"]


def test_hostile_names_and_licenses_cannot_start_a_command(tmp_path):
    # A real repository whose manifest has a hostile file name, release name and license.
    manifest = write_repo(
        tmp_path, name="evil\n::error::pwned", weights_license="MIT\n::set-output name=x::y %0A::add-mask::s\x1b[31m", manifest_name=HOSTILE_PATH
    )
    report = real_report(tmp_path, [manifest])
    assert report["models"][0]["manifest"] == HOSTILE_PATH
    for r in (report, hostile_report()):
        out = render("github", r)
        cmds = parse(out)
        assert len(cmds) == sum(len(m["findings"]) for m in r["models"]) + len(r["findings"])
        assert "\x1b" not in out and "\r" not in out
        for line in out.splitlines():
            assert re.match(r"^::(error|warning|notice) ", line), line
    cmds = parse(render("github", report))
    hostile = [c for c in cmds if "MIT" in c["data"]]
    assert hostile and hostile[0]["file"] == terminal(HOSTILE_PATH, 1000)
    assert "::set-output name=x::y %0A::add-mask::s\\x1b[31m" in hostile[0]["data"]


def test_anchors_fall_back_to_the_manifest_line_and_skip_outside_paths():
    cmds = parse(render("github", hostile_report()))
    by_code = {c["title"].rsplit("(", 1)[-1].rstrip(")"): c for c in cmds}
    # no path, component listed at mof.yml:27 in the evidence
    assert by_code["license.unknown"]["file"] == "mof.yml" and by_code["license.unknown"]["line"] == "27"
    # an absolute path outside the repository gets no file=
    unknown = by_code["future.check-nobody-knows"]
    assert "file" not in unknown and "line" not in unknown and unknown["title"] == "future.check-nobody-knows"
    assert unknown["data"].startswith("<img src=x onerror=alert(1)>")


def test_caps_ranking_and_the_closing_notice():
    report = big_report(90)  # 30 errors, 30 warnings, 30 infos
    findings = report["models"][0]["findings"]
    findings[3]["line"] = None  # an error without a line ranks after the errors with one
    findings[3]["path"] = None
    report["models"][0]["manifest"] = None
    cmds = parse(render("github", report))
    kinds = [c["cmd"] for c in cmds]
    assert kinds == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 10
    assert kinds.count("notice") == 10  # 9 findings + the closing notice
    assert [c["line"] for c in cmds[:10]] == [str(i + 1) for i in range(0, 30, 3) if i != 3] + ["31"]
    assert cmds[-1].keys() == {"cmd", "data"}
    assert cmds[-1]["data"].startswith("mofcheck: 61 more finding(s) not shown as annotations")
    assert "job summary" in cmds[-1]["data"]


def test_total_cap_leaves_room_for_the_notice():
    cmds = parse(render("github", big_report(90), max_per_kind=10, max_total=15))
    assert len(cmds) == 15
    assert [c["cmd"] for c in cmds] == ["error"] * 10 + ["warning"] * 4 + ["notice"]
    assert cmds[-1]["data"].startswith("mofcheck: 76 more finding(s)")


def test_no_notice_when_everything_fits():
    cmds = parse(render("github", big_report(12)))
    assert len(cmds) == 12 and all("more finding" not in c["data"] for c in cmds)


def test_paths_are_relative_to_the_checkout_when_a_subfolder_is_checked(tmp_path, monkeypatch):
    from pathlib import Path

    from mofcheck.report.findings import root_prefix

    write_repo(tmp_path / "models" / "tiny")
    monkeypatch.chdir(tmp_path)
    report = real_report(Path("models/tiny"))
    assert report["root"] == "models/tiny"
    assert [c["file"] for c in parse(render("github", report))] == ["models/tiny/mof.yml"] * 3
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(render("sarif", report))["runs"][0]["results"]}
    assert uris == {"models/tiny/mof.yml"}
    assert render("lines", report).startswith("models/tiny/mof.yml:27: warning: ")
    assert root_prefix(str(tmp_path / "models" / "tiny")) == "models/tiny/"
    assert root_prefix(".") == root_prefix("") == root_prefix("../elsewhere") == root_prefix("/") == ""
