"""Verdicts beside the MOF class (mofcheck.verdicts over data/yardsticks/*.yaml): the criteria language,
license kinds, waivers, the --require gate (CLI, configuration, baseline) and the reports."""

from __future__ import annotations

import json
import shutil

import pytest

from mofcheck import verdicts
from mofcheck.errors import MofcheckError

from .conftest import FIXTURES, git


def _check(cli, path, *args: str) -> tuple[int, dict]:
    run = cli("check", str(path), "--format", "json", *args)
    assert "Traceback" not in run.err, run.err
    return run.code, json.loads(run.out)


def test_yardsticks_load_in_order_with_their_sources():
    ys = verdicts.yardsticks()
    assert [y.key for y in ys] == ["g7", "osaid", "eu_ai_act"]
    assert [lv.id for lv in ys[0].levels] == ["weights-available", "open-weights", "open-source", "open-source-open-data"]
    for y in ys:
        assert y.source["url"].startswith("https://") and y.source["date"]
    assert ys[2].notice and "not legal advice" in ys[2].notice
    assert any("template of 24 July 2025" in d for d in ys[2].still_due)


@pytest.mark.parametrize(
    "raw, error",
    [
        ({"component": "Weights", "license": "open"}, "unknown MOF component"),
        ({"component": "Datasets", "license": "permissive"}, "license must be one of"),
        ({"component": "Datasets", "license": "open", "any": [{"component": "Data card", "license": "open"}]}, "exactly one of"),
        ({"all": []}, "exactly one of"),
        ({"component": "Datasets", "license": "open", "when": "always"}, "unknown criterion keys"),
    ],
)
def test_criteria_are_validated(raw, error):
    names = {"Datasets", "Data card"}
    with pytest.raises(ValueError, match=error):
        verdicts._criterion(raw, "test", names)


@pytest.mark.parametrize(
    "expr, ok",
    [
        ("MIT", True),
        ("Apache-2.0 WITH LLVM-exception", True),
        ("CC-BY-4.0", False),  # open, not OSI-approved
        ("CDLA-Permissive-2.0", False),
        ("MIT OR CC-BY-NC-4.0", True),
        ("MIT AND CC-BY-NC-4.0", False),
        ("LicenseRef-Llama-3", False),
        ("not a license (", False),
        (None, False),
    ],
)
def test_osi_approved(expr, ok):
    assert verdicts.osi_approved(expr) is ok


def test_waivers_lift_the_class_but_never_a_verdict(cli, tmp_path):
    repo = tmp_path / "r"
    shutil.copytree(FIXTURES / "class3-open-model", repo)
    (repo / ".mofcheck.toml").write_text(
        "".join(f'[[waiver]]\ncomponent = "{c}"\nreason = "released later"\n' for c in ("Training code", "Evaluation code", "Evaluation data"))
    )
    code, report = _check(cli, repo)
    m = report["models"][0]
    assert m["class"] == 2  # the waivers count for MOF
    assert m["verdicts"]["g7"]["label"] == "open-weights"  # ... not for the G7 label
    assert any("Training code: missing" in r for r in m["verdicts"]["g7"]["reasons"])


def test_manifest_alone_says_so(cli):
    code, report = _check(cli, FIXTURES / "class1-open-science", "--no-config", "--manifest-only")
    v = report["models"][0]["verdicts"]
    assert v["g7"]["label"] == "open-source-open-data"
    assert "note: judged from the manifest alone: the repository was not read" in v["g7"]["reasons"]


def test_reasons_name_evidence_and_what_blocks_the_next_label(cli):
    _, report = _check(cli, FIXTURES / "restrictive-weights", "--no-config")
    g7 = report["models"][0]["verdicts"]["g7"]
    assert g7["label"] == "weights-available"
    first, blocks = g7["reasons"]
    assert "Model parameters (Final) under LicenseRef-Llama-3.1 (mof.yml:12), at model.safetensors" in first
    assert "Inference code under MIT" in first
    assert blocks.startswith("blocks open-weights: weights: Model parameters (Final): LicenseRef-Llama-3.1: not open")
    eu = report["models"][0]["verdicts"]["eu_ai_act"]
    assert eu["open_source_exemption_candidate"] is False and eu["reasons"][0].startswith("blocks candidate:")
    assert len(eu["still_due"]) == 3 and "not legal advice" in eu["notice"]


# ------------------------------------------------------------------------------------------ the gate


def test_require_values():
    assert verdicts.parse_requirement("g7:open-weights")[1] == 1
    assert verdicts.parse_requirement("osaid")[1] == verdicts.parse_requirement("osaid:meets")[1] == 0
    assert verdicts.parse_requirement(" EU-AI-Act ")[0].key == "eu_ai_act"
    for bad in ("g7", "g7:open", "mof:1", ""):
        with pytest.raises(MofcheckError):
            verdicts.parse_requirement(bad)
    assert "g7:open-source-open-data" in verdicts.choices() and "eu-ai-act" in verdicts.choices()


def test_require_gates_like_min_class(cli):
    code, report = _check(cli, FIXTURES / "class3-open-model", "--no-config", "--require", "g7:open-weights", "--require", "eu-ai-act")
    assert code == 0 and report["gate"]["require"] == ["g7:open-weights", "eu-ai-act"]
    code, report = _check(cli, FIXTURES / "class3-open-model", "--no-config", "--require", "g7:open-source", "--require", "osaid")
    assert code == 1
    assert report["gate"]["reasons"] == [
        "Wren-3B: G7 label: Open Weights AI, below the required Open Source AI (--require g7:open-source)",
        "Wren-3B: not Open Source AI (--require osaid)",
    ]
    assert [f["code"] for f in report["models"][0]["findings"]].count("gate.require") == 2
    run = cli("check", str(FIXTURES / "class3-open-model"), "--no-config", "--require", "g7:opne-weights")
    assert run.code == 2 and "g7 has no level 'opne-weights'" in run.err


def test_require_in_the_configuration_adds_to_the_command_line(cli, tmp_path):
    repo = tmp_path / "r"
    shutil.copytree(FIXTURES / "class3-open-model", repo)
    (repo / ".mofcheck.toml").write_text('require = ["osaid"]\n')
    code, report = _check(cli, repo, "--require", "g7:open-weights")
    assert code == 1 and report["gate"]["require"] == ["g7:open-weights", "osaid"]
    (repo / ".mofcheck.toml").write_text('require = ["g7:everything"]\n')
    code, report = _check(cli, repo)
    errors = [f for f in report["findings"] if f["severity"] == "error"]  # notes (e.g. privacy.undocumented) aside
    assert code == 2 and [f["code"] for f in errors] == ["config.invalid"]
    assert "g7 has no level 'everything'" in errors[0]["message"]


def test_require_with_baseline_fails_only_on_a_regression(cli, tmp_path):
    repo = tmp_path / "r"
    shutil.copytree(FIXTURES / "class3-open-model", repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    args = ("--no-config", "--baseline", "HEAD")
    code, report = _check(cli, repo, *args, "--require", "osaid")  # never met: not a regression
    assert code == 0 and "g7:open-weights" in report["baseline"]["models"][0]["requires_met"]
    mof = repo / "mof.yml"
    mof.write_text(mof.read_text().replace("data: {name: CDLA-Permissive-2.0, path: LICENSE-MODEL}", "data: {name: CC-BY-NC-4.0, path: ''}"))
    (repo / "LICENSE-MODEL").write_text("Creative Commons Attribution-NonCommercial 4.0 International\n")
    code, report = _check(cli, repo, *args, "--require", "g7:open-weights")
    assert code == 1 and any("--require g7:open-weights" in r for r in report["gate"]["reasons"])


# ------------------------------------------------------------------------------------------ reports


def test_text_and_markdown_show_the_verdicts_under_the_class(cli):
    run = cli("check", str(FIXTURES / "osaid-data-information"), "--no-config", "--format", "text")
    out = run.out
    assert out.index("Class II - Open Tooling Model") < out.index("G7 label: Open Source AI") < out.index("component")
    assert "OSAID 1.0: Open Source AI" in out and "EU AI Act Art. 53(2): open-source exemption candidate" in out
    assert "An indicator, not legal advice" in out
    md = cli("check", str(FIXTURES / "cc-by-everything"), "--no-config", "--format", "markdown").out
    assert "| G7 label | ✅ Weights Available AI | blocks open-weights: deployment code: Inference code: CC-BY-4.0" in md
    assert "| OSAID 1.0 | ❌ not Open Source AI |" in md
