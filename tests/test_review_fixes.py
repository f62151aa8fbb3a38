"""Regression tests for problems an independent review found (each would fail if it came back)."""

from __future__ import annotations

import json
import shutil
import sys

from .conftest import FIXTURES, MIT_TEXT, git


def _repo(tmp_path, fixture: str = "class3-open-model"):
    r = tmp_path / "r"
    shutil.copytree(FIXTURES / fixture, r)
    return r


def _check(cli, r, *args):
    git(r, "init", "-q")
    git(r, "add", "-A")
    run = cli("check", str(r), "--format", "json", "--no-config", *args)
    return run, (json.loads(run.out) if run.out.strip().startswith("{") else None)


def test_a_page_about_licenses_is_not_a_license(cli, tmp_path):
    r = _repo(tmp_path)
    (r / "docs").mkdir()
    (r / "docs" / "licenses.md").write_text("# Licenses\n\nThis page explains which licenses apply to which part of Wren.\n")
    (r / "wren-technical-report.pdf").rename(r / "docs" / "wren-technical-report.pdf")
    (r / "mof.yml").write_text((r / "mof.yml").read_text().replace("wren-technical-report.pdf", "docs/wren-technical-report.pdf"))
    run, report = _check(cli, r)
    assert report["models"][0]["class"] == 3, [f["message"] for f in report["models"][0]["findings"]]


def test_license_path_leaving_the_repository_is_a_finding(cli, tmp_path):
    r = _repo(tmp_path)
    mof = r / "mof.yml"
    mof.write_text(mof.read_text().replace("component_path: MODEL_CARD.md}", "component_path: MODEL_CARD.md, license_path: ../../etc/shadow}", 1))
    run, report = _check(cli, r)
    msgs = [f["message"] for f in report["models"][0]["findings"] if f["code"] == "evidence.path-missing"]
    assert any("license_path '../../etc/shadow'" in m for m in msgs), msgs


def test_unknown_fail_on_selector_is_a_usage_error(cli, tmp_path):
    run = cli("check", str(FIXTURES / "openwashing"), "--fail-on", "conflcit", "--no-config")
    assert run.code == 2 and "conflcit" in run.err
    r = _repo(tmp_path)
    (r / ".mofcheck.toml").write_text('fail-on = ["licence.conflict"]\n')
    run = cli("check", str(r), "--format", "json")
    report = json.loads(run.out)
    assert run.code == 2 and any(f["code"] == "config.invalid" and "licence.conflict" in f["message"] for f in report["findings"])


def test_unknown_component_suggests_by_alias(cli):
    bad = FIXTURES / "bad-manifests"
    run = cli("check", str(bad), "--manifest", str(bad / "unknown-component.yml"), "--format", "json")
    assert "did you mean 'Datasets'?" in run.err


def test_explain_suggests_a_component(cli):
    run = cli("explain", "Modle card")
    assert "did you mean 'Model card'?" in run.out
    assert cli("explain", "weights").out.startswith("Model parameters (Final)")


def test_identify_reads_utf16_and_reports_every_readable_file(cli, tmp_path):
    p = tmp_path / "LICENSE"
    p.write_bytes(("MIT License\n\n" + MIT_TEXT).encode("utf-16"))
    run = cli("identify", str(p), str(tmp_path / "missing"), "--format", "json")
    assert run.code == 2 and "missing" in run.err
    (result,) = json.loads(run.out)
    assert result["license"] == "MIT" and result["match"] == "exact"


def test_spdx_document_without_the_extra_is_reported_as_not_read(cli, tmp_path, monkeypatch):
    r = _repo(tmp_path)
    (r / "sbom.spdx.json").write_text('{"spdxVersion": "SPDX-2.3"}')
    monkeypatch.setitem(sys.modules, "spdx_tools", None)  # as if the spdx extra were not installed
    run, report = _check(cli, r)
    codes = {f["code"] for f in report["findings"]}
    assert "evidence.spdx-unread" in codes and "evidence.spdx-invalid" not in codes


def test_alias_bomb_error_has_a_position(cli, tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    p = tmp_path / "bomb.yml"
    p.write_text("\n".join(lines) + "\n")
    run = cli("check", str(tmp_path), "--manifest", str(p), "--manifest-only")
    assert run.code == 2 and "bomb.yml:1:" in run.err and "alias bomb" in run.err
