"""The golden test: every fixture repository against its expectations in fixtures/expected.yaml.

For each fixture: `mofcheck check` in the default mode (verified and declared class per release, exit code,
and the exact set of warning/error finding codes) and in `--mode mot`; every JSON report is validated
against the published report schema. Each release's verdicts beside the MOF class (G7 label, OSAID, EU AI
Act Art. 53(2)) are checked too, and every verdict value is reached by some fixture and missed by another.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from ruamel.yaml import YAML

from mofcheck.report.json import schema as report_schema

from .conftest import FIXTURES

EXPECTED = YAML(typ="safe").load((FIXTURES / "expected.yaml").read_text())
VALIDATOR = jsonschema.Draft202012Validator(report_schema())


def _check(cli, name: str, *extra: str) -> tuple[int, dict]:
    run = cli("check", str(FIXTURES / name), "--format", "json", "--no-config", *extra)
    assert "Traceback" not in run.err
    report = json.loads(run.out)
    errors = sorted(VALIDATOR.iter_errors(report), key=str)
    assert not errors, errors[0]
    return run.code, report


def test_every_fixture_has_expectations():
    dirs = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in ("bad-manifests", "mot-differences"))
    assert dirs == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture(cli, name):
    want = EXPECTED[name]
    code, report = _check(cli, name)
    assert code == want.get("exit", 0)
    got = {m["name"]: m for m in report["models"]}
    assert sorted(got) == sorted(want["models"])
    for model, exp in want["models"].items():
        m = got[model]
        assert m["verified"]["class"] == exp["verified"], (model, "verified")
        assert m["class"] == exp["verified"]
        if "declared" in exp:
            assert m["declared"]["class"] == exp["declared"], (model, "declared")
        else:
            assert "declared" not in m
        v = m["verdicts"]
        got_verdicts = {"g7": v["g7"]["label"], "osaid": v["osaid"]["meets"], "eu_ai_act": v["eu_ai_act"]["open_source_exemption_candidate"]}
        assert got_verdicts == dict(exp["verdicts"]), (model, "verdicts", v)
        for comp, status in (exp.get("status") or {}).items():
            c = next(c for c in m["components"] if c["name"] == comp)
            assert c["status"] == status, (model, comp, c["reason"])
    codes = sorted(f["code"] for f in report["findings"] + [f for m in report["models"] for f in m["findings"]] if f["severity"] != "info")
    assert codes == sorted(want.get("findings", [])), codes
    if any("mot" in exp for exp in want["models"].values()):
        code, mot = _check(cli, name, "--mode", "mot")
        for m in mot["models"]:
            assert m["class"] == want["models"][m["name"]]["mot"], (m["name"], "mot")
            assert "verified" not in m  # MOT knows no repository


def test_trust_manifest_gates_on_declared(cli):
    code, report = _check(cli, "openwashing", "--trust-manifest")
    m = report["models"][0]
    assert m["class"] == m["declared"]["class"] != m["verified"]["class"]


def test_every_verdict_is_reached_and_missed_by_some_fixture():
    seen: dict[str, set] = {"g7": set(), "osaid": set(), "eu_ai_act": set()}
    for exp in EXPECTED.values():
        for m in exp["models"].values():
            for key, value in m["verdicts"].items():
                seen[key].add(value)
    assert seen["g7"] == {"none", "weights-available", "open-weights", "open-source", "open-source-open-data"}
    assert seen["osaid"] == {True, False} and seen["eu_ai_act"] == {True, False}
