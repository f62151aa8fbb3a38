"""sarif: SARIF 2.1.0 valid against the official OASIS schema, all rules, stable fingerprints, real anchors."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources

import jsonschema
import pytest

from mofcheck.checks import load_checks
from mofcheck.report import render

from .conftest import shared_path
from .test_report_helpers import (
    HOSTILE_PATH,
    big_report,
    hostile_report,
    real_report,
    write_repo,
)


@lru_cache(maxsize=1)
def sarif_schema() -> dict:
    return json.loads(resources.files("mofcheck.data.schemas").joinpath("sarif-2.1.0.json").read_text("utf-8"))


def sarif(report: dict, **options) -> dict:
    log = json.loads(render("sarif", report, **options))
    validator = jsonschema.validators.validator_for(sarif_schema())(sarif_schema())
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    return log


def test_the_vendored_schema_is_the_official_one():
    schema = sarif_schema()
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft4Validator
    # the schema does reject what is wrong
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}
    assert list(jsonschema.Draft4Validator(schema).iter_errors(bad))


def test_real_report(tmp_path):
    write_repo(tmp_path)
    log = sarif(real_report(tmp_path))
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "mofcheck" and driver["version"] and driver["informationUri"].startswith("https://")
    assert run["automationDetails"] == {"id": "mofcheck/"}
    results = run["results"]
    assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("license.unknown", "warning", 27),
        ("license.unknown", "warning", 31),
        ("component.unlicensed", "warning", 35),
    ]
    loc = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "mof.yml", "uriBaseId": "%SRCROOT%"}
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_mot_corpus_manifest_info_findings_are_notes():
    path = shared_path("mot", "models", "Pythia-1B.yml")
    report = real_report(path.parent, [path])
    log = sarif(report)
    results = log["runs"][0]["results"]
    assert results and {r["level"] for r in results} == {"note"}
    # the manifest is outside the checked folder's repository-relative space only if absolute
    for r in results:
        for loc in r["locations"]:
            assert not loc["physicalLocation"]["artifactLocation"]["uri"].startswith("/")


def test_rules_are_always_every_check():
    checks = load_checks()
    empty = big_report(0)
    rules = sarif(empty)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(checks)
    for r in rules:
        info = checks[r["id"]]
        assert r["shortDescription"]["text"] == info["short"]
        assert r["fullDescription"]["text"]
        assert info["remediation"].split()[0] in r["help"]["markdown"] and "**Remediation:**" in r["help"]["markdown"]
        assert r["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[info["severity"]]
        assert "mof" in r["properties"]["tags"]


def test_hostile_report_and_unknown_code():
    log = sarif(hostile_report())
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules[-1] == "future.check-nobody-knows" and rules[:-1] == list(load_checks())
    by_rule = {r["ruleId"]: r for r in run["results"]}
    unknown = by_rule["future.check-nobody-knows"]
    assert unknown["level"] == "error" and unknown["message"]["text"] == "<img src=x onerror=alert(1)>"
    # /etc/passwd is outside the repository: anchored on the release's manifest, file-level
    assert unknown["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "mof.yml"
    assert unknown["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    # no path, a component: its line in the manifest
    assert by_rule["license.unknown"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 27}
    # a hostile relative path is kept, percent-encoded as a URI
    uri = by_rule["license.restrictive"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("docs/evil%0A%3A%3Aerror") and "\n" not in uri
    from urllib.parse import unquote

    assert unquote(uri) == HOSTILE_PATH
    assert by_rule["manifest.invalid"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
    # a report-level finding with no usable path and no release: no location at all, never a fake one
    for path in (None, "/abs/outside.yml", "https://example.org/LICENSE", "../up.yml"):
        report = hostile_report()
        report["findings"][0]["path"] = path
        assert sarif(report)["runs"][0]["results"][0]["locations"] == [], path
    assert "\x1b" not in json.dumps(log, ensure_ascii=False)


def test_readme_fallback_when_there_is_no_manifest():
    report = hostile_report()
    report["models"][0]["manifest"] = None
    by_rule = {r["ruleId"]: r for r in sarif(report)["runs"][0]["results"]}
    loc = by_rule["license.unknown"]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "README.md" and loc["region"] == {"startLine": 1}


def _fingerprints(report: dict) -> list[str]:
    return [r["partialFingerprints"]["mofcheck/v1"] for r in sarif(report)["runs"][0]["results"]]


def test_fingerprints_ignore_lines_and_messages_but_not_identity():
    base = hostile_report()
    fps = _fingerprints(base)
    assert len(set(fps)) == len(fps)
    moved = copy.deepcopy(base)
    for f in moved["models"][0]["findings"] + moved["findings"]:
        f["line"] = (f["line"] or 0) + 40
        f["message"] = "reworded"
    assert _fingerprints(moved) == fps
    for key, value in (("component", "Model card"), ("path", "other.yml"), ("code", "license.unknown")):
        changed = copy.deepcopy(base)
        changed["models"][0]["findings"][0][key] = value
        assert _fingerprints(changed)[1] != fps[1], key
    renamed = copy.deepcopy(base)
    renamed["models"][0]["name"] = "Another release"
    assert _fingerprints(renamed)[1:] != fps[1:] and _fingerprints(renamed)[0] == fps[0]


def test_duplicate_findings_get_distinct_stable_fingerprints():
    report = big_report(0)
    f = {"severity": "warning", "code": "license.unknown", "message": "m", "path": "mof.yml", "line": 3}
    report["models"][0]["findings"] = [dict(f), dict(f, line=9)]
    fps = _fingerprints(report)
    assert len(set(fps)) == 2 and _fingerprints(report) == fps


@pytest.mark.parametrize(("category", "expected"), [(None, "mofcheck/"), ("mofcheck/models/", "mofcheck/models/"), ("weights", "weights/")])
def test_category(category, expected):
    opts = {} if category is None else {"category": category}
    assert sarif(big_report(1), **opts)["runs"][0]["automationDetails"]["id"] == expected


def test_large_report_is_valid():
    log = sarif(big_report(2000))
    assert len(log["runs"][0]["results"]) == 2000
