"""The CLI: commands, help, exit codes, gates, configuration, waivers, and what a plain check imports."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from mofcheck import __version__

from .conftest import FIXTURES
from .fixture_repos import copy_fixture

CLASS1 = FIXTURES / "class1-open-science"
CLASS3 = FIXTURES / "class3-open-model"


def test_version(cli):
    run = cli("--version")
    assert run.code == 0 and run.out.strip() == __version__


@pytest.mark.parametrize("cmd", ["check", "explain", "licenses", "schema", "identify", "badge", "export", "github", "init"])
def test_every_command_has_help(cli, cmd):
    run = cli(cmd, "--help")
    assert run.code == 0
    assert "Usage" in run.out and len(run.out) > 200


def test_text_report_names_class_components_and_plan(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one table row per component
    run = cli("check", str(CLASS3), "--no-config")
    assert run.code == 0
    assert "Class III - Open Model" in run.out
    assert "Model parameters (Final)" in run.out and "CDLA-Permissive-2.0" in run.out
    assert "To reach Class II:" in run.out and "Training code" in run.out


@pytest.mark.parametrize("min_class,code", [(3, 0), (2, 1), (1, 1)])
def test_min_class_gate(cli, min_class, code):
    run = cli("check", str(CLASS3), "--no-config", "--min-class", str(min_class), "--format", "json")
    assert run.code == code
    report = json.loads(run.out)
    gate = report["gate"]
    assert gate["exit_code"] == code and gate["passed"] == (code == 0)
    gate_findings = [f for f in report["models"][0]["findings"] if f["code"] == "gate.min-class"]
    assert len(gate_findings) == (1 if code else 0)  # anchored on the manifest, for annotations
    if code:
        assert gate_findings[0]["path"] == "mof.yml" and "Training code" in gate_findings[0]["message"]


def test_fail_on_codes_groups_and_severities(cli):
    base = ("check", str(FIXTURES / "openwashing"), "--no-config", "--format", "json")
    assert cli(*base).code == 1  # by default a contradicted claim (license.conflict, an error) fails
    assert cli(*base, "--fail-on", "none").code == 0
    assert cli(*base, "--fail-on", "license.conflict").code == 1
    assert cli(*base, "--fail-on", "conflict").code == 1
    assert cli(*base, "--fail-on", "license").code == 1
    assert cli(*base, "--fail-on", "error").code == 1
    assert cli(*base, "--fail-on", "waiver.expired").code == 0


def test_usage_errors_exit_2(cli):
    assert cli("check", "--mode", "nope").code == 2
    assert cli("check", "/no/such/path").code == 2
    run = cli("check", str(CLASS3), "--format", "json", "--format", "text")
    assert run.code == 2 and "several formats" in run.err


def test_schema_command_prints_valid_schemas(cli):
    for which in ("report", "manifest", "config"):
        run = cli("schema", which)
        assert run.code == 0
        schema = json.loads(run.out)
        jsonschema.validators.validator_for(schema).check_schema(schema)


def test_explain_component_license_and_evidence_chain(cli):
    run = cli("explain", "model parameters (final)")
    assert run.code == 0 and "open data license" in run.out and "MOT id 10" in run.out
    run = cli("explain", "cc-by-nc-4.0")
    assert "not open" in run.out and "non-commercial" in run.out.lower()
    run = cli("explain", "Model parameters (Final)", "--path", str(CLASS3))
    assert "model.safetensors" in run.out and "LICENSE-MODEL" in run.out


def test_licenses_listing(cli):
    run = cli("licenses", "--kind", "data", "--format", "json")
    ids = {e["id"] for e in json.loads(run.out)}
    assert {"CDLA-Permissive-2.0", "CC-BY-4.0", "PDDL-1.0", "OpenMDW-1.0"} <= ids
    assert "MIT" not in ids and "CC-BY-NC-4.0" not in ids
    run = cli("licenses", "--all")
    assert "LicenseRef-Llama-3.1" in run.out


# -- configuration and waivers --------------------------------------------------------------------


def _repo_with_config(tmp_path, config: str, name: str = ".mofcheck.toml"):
    import shutil

    shutil.copytree(CLASS3, tmp_path / "r")
    (tmp_path / "r" / name).write_text(config)
    return tmp_path / "r"


def test_config_sets_min_class_and_may_only_tighten_the_command_line(cli, tmp_path):
    r = _repo_with_config(tmp_path, "min-class = 2\n")
    assert cli("check", str(r), "--format", "json").code == 1
    # the repository's min-class 2 is stricter than the command line's 3: it stays (it was loosened before)
    run = cli("check", str(r), "--format", "json", "--min-class", "3")
    assert run.code == 1
    assert json.loads(run.out)["settings"]["min_class"] == {"value": 2, "from": ".mofcheck.toml"}
    assert cli("check", str(r), "--format", "json", "--no-config", "--min-class", "3").code == 0
    assert cli("check", str(r), "--format", "json", "--no-config").code == 0


def test_pyproject_table(cli, tmp_path):
    r = _repo_with_config(tmp_path, "[project]\nname = 'x'\n\n[tool.mofcheck]\nmin-class = 1\n", "pyproject.toml")
    assert cli("check", str(r), "--format", "json").code == 1


def test_bad_config_exits_2_naming_the_file(cli, tmp_path):
    r = _repo_with_config(tmp_path, "min-class = 5\n")
    run = cli("check", str(r), "--format", "json")
    assert run.code == 2 and ".mofcheck.toml" in run.err and "min-class" in run.err
    r2 = _repo_with_config(tmp_path / "b", "[[waiver]]\ncomponent = 'Weights'\nreason = 'x y z'\n")
    run = cli("check", str(r2), "--format", "json")
    assert run.code == 2 and "unknown component" in run.err


def _waivers(expires: str) -> str:
    # Class III lacks Training code, Evaluation code and Evaluation data for Class II: waive all three.
    return "".join(
        f"[[waiver]]\ncomponent = '{c}'\nreason = 'being open-sourced'\nexpires = '{expires}'\n"
        for c in ("Training code", "Evaluation code", "Evaluation data")
    )


def test_waiver_counts_and_is_shown_and_expiry_fails(cli, tmp_path):
    r = _repo_with_config(tmp_path, "min-class = 2\n" + _waivers("2099-01-01"))
    run = cli("check", str(r), "--format", "json")
    report = json.loads(run.out)
    m = report["models"][0]
    assert run.code == 0 and m["class"] == 2 and report["gate"]["waivers"] == 3
    waived = [c for c in m["components"] if c["waiver"]]
    assert {c["name"] for c in waived} == {"Training code", "Evaluation code", "Evaluation data"}
    assert "(waived)" in cli("check", str(r)).out
    expired = _repo_with_config(tmp_path / "e", "min-class = 2\n" + _waivers("2020-01-01"))
    run = cli("check", str(expired), "--format", "json")
    report = json.loads(run.out)
    assert run.code == 1 and any(f["code"] == "waiver.expired" for f in report["models"][0]["findings"])
    assert report["models"][0]["class"] == 3


def test_plain_check_imports_no_heavy_library():
    code = (
        "import sys, io, contextlib\n"
        "from mofcheck.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['check', {str(CLASS1)!r}, '--no-config'])\n"
        "heavy = [m for m in ('github', 'spdx_tools', 'spdx_python_model', 'genbadge', 'PIL') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_unknown_fail_on_selector_is_a_usage_error(cli, tmp_path):
    run = cli("check", str(FIXTURES / "openwashing"), "--fail-on", "conflcit", "--no-config")
    assert run.code == 2 and "conflcit" in run.err
    r = copy_fixture(tmp_path)
    (r / ".mofcheck.toml").write_text('fail-on = ["licence.conflict"]\n')
    run = cli("check", str(r), "--format", "json")
    report = json.loads(run.out)
    assert run.code == 2 and any(f["code"] == "config.invalid" and "licence.conflict" in f["message"] for f in report["findings"])


def test_explain_suggests_a_component(cli):
    run = cli("explain", "Modle card")
    assert "did you mean 'Model card'?" in run.out
    assert cli("explain", "weights").out.startswith("Model parameters (Final)")
