"""Finding paths are repository-relative, so every format anchors them once: a relative PATH such as
`cases/x` must not double them (`file=cases/x/cases/x/.mofcheck.toml`), in `check` or in `mofcheck github`."""

from __future__ import annotations

import json
import re

from .hostile_trees import FIXTURES, copy_fixture, run_cli
from .test_github_command import actions, run, server  # noqa: F401 - fixtures


def _case(ws, config: str):
    case = copy_fixture("class3-open-model", ws / "cases" / "x")
    (case / ".mofcheck.toml").write_text(config)
    return case


def _annotated_files(text: str) -> set[str]:
    return set(re.findall(r"^::\w+ file=([^,:]+)", text, re.M))


def test_configuration_findings_are_repository_relative(tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    _case(ws, "min-class = 7\n")
    monkeypatch.chdir(ws)
    r = run_cli("check", "cases/x", "--format", "json", "--output", "r.json", "--format", "lines", "--output", "r.lines", "--format", "github")
    report = json.loads((ws / "r.json").read_text("utf-8"))
    (f,) = [f for f in report["findings"] if f["code"] == "config.invalid"]
    assert f["path"] == ".mofcheck.toml"
    assert "file=cases/x/.mofcheck.toml," in r.out
    assert all(not p.startswith("cases/x/cases/") for p in _annotated_files(r.out)), r.out
    assert (ws / "r.lines").read_text("utf-8").startswith("cases/x/.mofcheck.toml: error: [config.invalid]")


def test_waiver_findings_point_at_the_configuration_once(tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    _case(ws, '[[waiver]]\ncomponent = "Datasets"\nreason = "the data is licensed separately"\nexpires = "2020-01-01"\n')
    monkeypatch.chdir(ws)
    r = run_cli("check", "cases/x", "--format", "github")
    assert "file=cases/x/.mofcheck.toml," in r.out  # waiver.expired
    assert all(not p.startswith("cases/x/cases/") for p in _annotated_files(r.out)), r.out


def test_github_front_with_a_relative_path_anchors_every_annotation_once(actions, capsys):  # noqa: F811
    ws = actions["repo"]
    _case(ws, "min-class = 7\n")
    code, out, _ = run(capsys, "--no-status", "--no-comment", "cases/x")
    files = _annotated_files(out)
    assert "cases/x/.mofcheck.toml" in files
    assert all(not p.startswith("cases/x/cases/") for p in files), out
    summary = actions["summary"].read_text("utf-8")
    assert "cases/x/cases/" not in summary
    assert FIXTURES.exists()
