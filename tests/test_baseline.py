"""--baseline REF: the base commit is evaluated from git (no checkout); only a regression fails."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, git


@pytest.fixture
def repo(tmp_path):
    """The Class III fixture committed as the base, with the work tree then free to change."""
    shutil.copytree(FIXTURES / "class3-open-model", tmp_path / "r")
    r = tmp_path / "r"
    git(r, "init", "-q")
    git(r, "add", "-A")
    git(r, "commit", "-qm", "base")
    return r


def _check(cli, repo: Path, *args: str):
    run = cli("check", str(repo), "--baseline", "HEAD", "--format", "json", "--no-config", *args)
    assert "Traceback" not in run.err, run.err
    return run.code, json.loads(run.out)


def test_no_change_passes_even_below_min_class(cli, repo):
    code, report = _check(cli, repo, "--min-class", "1")
    (m,) = report["baseline"]["models"]
    assert (m["class_before"], m["class_after"], m["regressed"]) == (3, 3, False)
    assert code == 0 and report["gate"]["passed"]  # Class III is below Class I, but nothing regressed


def test_weights_relicensed_is_a_regression_with_the_delta(cli, repo):
    mof = repo / "mof.yml"
    mof.write_text(
        mof.read_text().replace(
            "- {name: 'Model parameters (Final)', component_path: model.safetensors}",
            "- {name: 'Model parameters (Final)', license: llama3, component_path: model.safetensors}",
        )
    )
    git(repo, "add", "-A")  # staged, not committed: the base is HEAD
    code, report = _check(cli, repo)
    (m,) = report["baseline"]["models"]
    assert (m["class_before"], m["class_after"], m["regressed"]) == (3, 0, True)
    assert any(c.startswith("Model parameters (Final) license CDLA-Permissive-2.0 -> LicenseRef-Llama-3") for c in m["changes"]), m["changes"]
    assert code == 1
    assert any("regression since HEAD" in r for r in report["gate"]["reasons"])


def test_base_is_read_from_git_not_the_work_tree(cli, repo):
    # Break the base commit's manifest in a new commit, then restore it in the work tree only:
    mof = repo / "mof.yml"
    good = mof.read_text()
    mof.write_text(good.replace("Model card", "Model kard"))
    git(repo, "commit", "-qam", "typo")
    mof.write_text(good)
    git(repo, "add", "-A")
    code, report = _check(cli, repo)
    # the base (HEAD) has the broken manifest: no release there, so nothing regressed
    assert report["baseline"]["models"][0]["class_before"] == 0
    assert report["models"][0]["class"] == 3 and code == 0


def test_fail_on_counts_only_new_findings(cli, repo):
    code, _ = _check(cli, repo, "--fail-on", "warning")
    assert code == 0
    (repo / "USE_POLICY.md").write_text("# Acceptable use\n\nDo not use the model to harm people.\n")
    git(repo, "add", "-A")
    code, report = _check(cli, repo, "--fail-on", "license.use-policy")
    assert code == 1


def test_text_output_prints_the_delta(cli, repo):
    (repo / "model.safetensors").unlink()
    git(repo, "add", "-A")
    run = cli("check", str(repo), "--baseline", "HEAD", "--no-config")
    assert run.code == 1
    assert "since HEAD:" in run.out and "Class III -> no class" in run.out


def test_markdown_shows_the_delta(cli, repo):
    (repo / "model.safetensors").unlink()
    git(repo, "add", "-A")
    run = cli("check", str(repo), "--baseline", "HEAD", "--no-config", "--format", "markdown")
    assert "**Since HEAD:**" in run.out and "🔻" in run.out  # marked as a regression
    assert "Class III -&gt; no class" in run.out  # escaped: no raw HTML from the report
