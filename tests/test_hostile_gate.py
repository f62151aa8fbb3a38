"""A pull request's configuration must not relax the workflow's gate.

The repository (and so a pull request) controls `.mofcheck.toml` / `[tool.mofcheck]`. The workflow's
settings (command line, Action inputs) decide the gate; the configuration may only tighten it. The base
case is issue 8's reproduction: the restrictive-weights fixture with the manifest's weights license
changed to Apache-2.0 (the Llama text in LICENSE-MODEL says otherwise), checked with `--min-class 3`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mofcheck.check import CheckOptions, run

from .hostile_trees import FIXTURES, git, needs_git, run_cli
from .test_github_command import actions, pr_event, server  # noqa: F401 - fixtures
from .test_github_command import run as gh_run

LIE = ("license: llama3.1, license_path: LICENSE-MODEL", "license: Apache-2.0, license_path: LICENSE-MODEL")

# Each would pass the reproduction's gate if the repository could relax it (it did before the fix).
LOOSENING = {
    "trust-manifest": "trust-manifest = true\n",
    "mode-mot": 'mode = "mot"\n',
    "looser-min-class": "min-class = 3\n",  # with the workflow's --min-class 2 below
    "manifests-elsewhere": 'manifests = ["other/mof.yml"]\n',
    "ignore-license": 'ignore = ["LICENSE-MODEL", "USE_POLICY.md", "mof.yml"]\n',
    "everything": 'mode = "mot"\ntrust-manifest = true\nmin-class = 3\nignore = ["LICENSE-*", "*.md"]\nmanifests = ["other/mof.yml"]\n',
}
OTHER = """framework: {name: 'Model Openness Framework', version: '1.0', date: '2024-12-15'}
release:
  name: Decoy
  version: '1'
  producer: x
  license:
    code: {name: MIT, path: ''}
    data: {name: CDLA-Permissive-2.0, path: ''}
    document: {name: CC-BY-4.0, path: ''}
  components:
    - {name: 'Model architecture', component_path: 'https://example.org/a'}
    - {name: 'Model parameters (Final)', component_path: 'https://example.org/w'}
    - {name: 'Model card', component_path: 'https://example.org/c'}
    - {name: 'Data card', component_path: 'https://example.org/d'}
    - {name: 'Evaluation results', component_path: 'https://example.org/e'}
    - {name: 'Technical report', component_path: 'https://example.org/t'}
"""


def _refill(ws: Path) -> Path:
    """Empty the workspace (the current folder: it must stay) so a test can build another repository there."""
    for p in ws.iterdir():
        shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
    return ws


def lying_repo(root: Path, config: str | None = None, *, commit: bool = False) -> Path:
    shutil.copytree(FIXTURES / "restrictive-weights", root, dirs_exist_ok=True)
    m = root / "mof.yml"
    m.write_text(m.read_text().replace(*LIE))
    (root / "other").mkdir(exist_ok=True)
    (root / "other" / "mof.yml").write_text(OTHER)
    if config is not None:
        (root / ".mofcheck.toml").write_text(config)
    if commit:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "base")
    return root


def test_control_the_lie_fails_the_gate_without_configuration(tmp_path):
    root = lying_repo(tmp_path / "r")
    r = run_cli("check", str(root), "--min-class", "3", "--format", "json")
    assert r.code == 1
    assert json.loads(r.out)["models"][0]["class"] == 0


@pytest.mark.parametrize("name", sorted(LOOSENING))
def test_a_configuration_cannot_pass_a_failing_gate(tmp_path, name):
    root = lying_repo(tmp_path / "r", LOOSENING[name])
    min_class = "2" if name == "looser-min-class" else "3"
    if name == "looser-min-class":
        assert run_cli("check", str(root), "--no-config", "--min-class", "2").code == 1
    r = run_cli("check", str(root), "--min-class", min_class, "--format", "json")
    assert r.code == 1, r.out[-2000:]
    report = json.loads(r.out)
    names = {m["name"]: m for m in report["models"]}
    assert names["Kestrel-8B"]["class"] == 0  # the lying release is still judged, on what the repository shows
    if name == "manifests-elsewhere":  # read besides the manifest found, never instead
        assert set(names) == {"Kestrel-8B", "Decoy"}
    else:
        assert report["settings"]["ignored"], "the report says which settings were not applied"
        codes = {(f["code"], f["path"]) for f in report["findings"]}
        assert ("config.ignored", ".mofcheck.toml") in codes
    if name in ("ignore-license", "everything"):
        conflict = [f for f in names["Kestrel-8B"]["findings"] if f["code"] == "license.conflict"]
        assert conflict and conflict[0]["path"] == "LICENSE-MODEL"  # the ignore glob could not hide it
        assert any(i["setting"] == "ignore" and "LICENSE-MODEL" in i["reason"] for i in report["settings"]["ignored"])


@pytest.mark.parametrize("name", ["trust-manifest", "mode-mot", "ignore-license"])
def test_the_github_front_holds_the_gate_too(actions, capsys, name):  # noqa: F811
    ws = _refill(actions["repo"])
    lying_repo(ws, LOOSENING[name])
    code, out, err = gh_run(capsys, "--no-status", "--no-comment", "--min-class", "3")
    assert code == 1, err
    report = json.loads((actions["tmp"] / "temp" / "mofcheck-report.json").read_text())
    assert report["settings"]["min_class"] == {"value": 3, "from": "command line"}
    assert "Ignored from the configuration" in actions["summary"].read_text()


def test_mode_mot_from_the_configuration_keeps_the_verified_class_and_the_license_evidence(tmp_path):
    root = lying_repo(tmp_path / "r", 'mode = "mot"\n')
    # without a workflow gate the configuration's mode applies, but the repository is still read
    report = json.loads(run_cli("check", str(root), "--format", "json").out)
    assert report["mode"] == "mot" and report["settings"]["mode"] == {"value": "mot", "from": ".mofcheck.toml"}
    assert report["settings"]["read_repository"]["value"] is True
    model = next(m for m in report["models"] if m["name"] == "Kestrel-8B")
    assert model["verified"]["class"] == 0
    paths = {e["path"] for c in model["components"] for e in c["evidence"]} | {f["path"] for f in model["findings"]}
    assert "LICENSE-MODEL" in paths
    # under the workflow's gate the configuration's mode is ignored: mof, verified
    report = json.loads(run_cli("check", str(root), "--format", "json", "--min-class", "3").out)
    assert report["mode"] == "mof" and report["settings"]["ignored"][0]["setting"] == "mode"


@pytest.mark.parametrize("name", sorted(LOOSENING))
def test_the_default_gate_holds_without_any_workflow_setting(tmp_path, name):
    """No --min-class, no --fail-on: the default gate (error-severity findings) still fails the lie, whatever
    the configuration says; only the workflow's own `--fail-on none` opts out."""
    root = lying_repo(tmp_path / "r", LOOSENING[name])
    r = run_cli("check", str(root), "--format", "json")
    assert r.code == 1, r.out[-2000:]
    report = json.loads(r.out)
    assert "error" in report["settings"]["fail_on"]["value"]
    assert any(f["code"] == "license.conflict" for m in report["models"] for f in m["findings"])
    if name == "mode-mot":
        assert report["mode"] == "mot"  # the configuration's mode applies, and the conflict is still found


def test_the_configuration_adds_to_the_default_gate_and_cannot_turn_it_off(tmp_path):
    root = lying_repo(tmp_path / "r", 'fail-on = ["license.use-policy"]\n')
    report = json.loads(run_cli("check", str(root), "--format", "json").out)
    assert report["settings"]["fail_on"] == {"value": ["error", "license.use-policy"], "from": "default + .mofcheck.toml"}
    root = lying_repo(tmp_path / "n", 'fail-on = ["none"]\n')
    r = run_cli("check", str(root), "--format", "json")
    assert r.code == 2  # `none` is no finding code: the configuration is an input error, not an opt-out
    r = run_cli("check", str(lying_repo(tmp_path / "o")), "--format", "json", "--fail-on", "none")
    assert r.code == 0 and json.loads(r.out)["settings"]["fail_on"] == {"value": [], "from": "command line"}


def test_the_configuration_may_tighten(tmp_path):
    root = lying_repo(tmp_path / "r", 'min-class = 1\nfail-on = ["license.use-policy"]\n')
    r = run_cli("check", str(root), "--format", "json", "--fail-on", "license.conflict", "--min-class", "3")
    report = json.loads(r.out)
    assert r.code == 1
    assert report["settings"]["min_class"] == {"value": 1, "from": ".mofcheck.toml"}
    assert report["settings"]["fail_on"] == {"value": ["license.conflict", "license.use-policy"], "from": "command line + .mofcheck.toml"}
    assert report["settings"]["ignored"] == []


def test_every_format_says_where_the_settings_came_from(tmp_path):
    root = lying_repo(tmp_path / "r", "trust-manifest = true\n")
    text = run_cli("check", str(root), "--min-class", "3").out
    assert "min-class Class III (command line)" in text and "trust-manifest" in text and "ignored from the configuration" in text
    md = run_cli("check", str(root), "--min-class", "3", "--format", "markdown").out
    assert "min-class Class III \\(command line\\)" in md and "Ignored from the configuration" in md
    assert json.loads(run_cli("check", str(root), "--format", "json").out)["settings"]["trust_manifest"] == {"value": True, "from": ".mofcheck.toml"}


# --- the invariant -------------------------------------------------------------------------------

_CONFIG_VALUES = {
    "mode": st.sampled_from(['"mof"', '"mot"']),
    "min-class": st.sampled_from(["1", "2", "3"]),
    "trust-manifest": st.sampled_from(["true", "false"]),
    "fail-on": st.sampled_from(["[]", '["info"]', '["license.use-policy"]']),
    "manifests": st.sampled_from(['["other/mof.yml"]', '["mof.yml"]']),
    "ignore": st.sampled_from(['["LICENSE-MODEL"]', '["*.md", "LICENSE*"]', '["mof.yml", "other/**"]', '["kestrel/**"]']),
}
_COMMANDS = st.fixed_dictionaries(
    {},
    optional={
        "min_class": st.sampled_from([1, 2, 3]),
        "fail_on": st.sampled_from([["license.conflict"], ["warning"], ["evidence"]]),
        "mode": st.sampled_from(["mof", "mot"]),
        "trust_manifest": st.booleans(),
    },
)


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    base = tmp_path_factory.mktemp("gate")
    return {
        "lie": lying_repo(base / "lie"),
        "restrictive": Path(shutil.copytree(FIXTURES / "restrictive-weights", base / "restrictive")),
        "class3": Path(shutil.copytree(FIXTURES / "class3-open-model", base / "class3")),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.sampled_from(["lie", "restrictive", "class3"]),
    command=_COMMANDS,
    config=st.dictionaries(st.sampled_from(sorted(_CONFIG_VALUES)), st.none()).flatmap(
        lambda keys: st.fixed_dictionaries({k: _CONFIG_VALUES[k] for k in keys})
    ),
)
@example(which="lie", command={"min_class": 3}, config={"trust-manifest": "true"})  # issue 8's reproductions
@example(which="lie", command={"min_class": 3}, config={"mode": '"mot"'})
@example(which="lie", command={"min_class": 2}, config={"min-class": "3"})
@example(which="lie", command={"fail_on": ["license.conflict"]}, config={"ignore": '["LICENSE-MODEL"]'})
def test_adding_a_configuration_never_passes_a_failing_gate(repos, which, command, config):
    root = repos[which]
    cfg = root / ".mofcheck.toml"
    without = run(CheckOptions(path=root, use_config=False, **command)).gate
    cfg.write_text("".join(f"{k} = {v}\n" for k, v in config.items()))
    try:
        with_config = run(CheckOptions(path=root, **command)).gate
    finally:
        cfg.unlink()
    if not without["passed"]:
        assert not with_config["passed"], (command, config, without["reasons"])
        assert with_config["exit_code"] >= without["exit_code"] or with_config["exit_code"] == 2


# --- waivers a pull request adds -------------------------------------------------------------------

WAIVER = '[[waiver]]\ncomponent = "Model parameters (Final)"\nreason = "weights relicensing under review"\n'


def _with_new_waiver(tmp_path) -> Path:
    root = lying_repo(tmp_path / "r", "", commit=True)
    (root / ".mofcheck.toml").write_text(WAIVER)
    git(root, "commit", "-qam", "waive the weights")
    return root


@needs_git
def test_a_waiver_added_since_the_baseline_is_new_and_counts_only_when_allowed(tmp_path):
    root = _with_new_waiver(tmp_path)
    r = run_cli("check", str(root), "--format", "json", "--min-class", "3", "--baseline", "HEAD~1", "--no-new-waivers")
    report = json.loads(r.out)
    model = next(m for m in report["models"] if m["name"] == "Kestrel-8B")
    new = [f for f in model["findings"] if f["code"] == "waiver.new"]
    assert new and new[0]["severity"] == "warning" and "not counted" in new[0]["message"] and "HEAD~1" in new[0]["message"]
    weights = next(c for c in model["components"] if c["name"] == "Model parameters (Final)")
    assert weights["waiver"] is None and not weights["status"].startswith("met")
    assert report["settings"]["new_waivers"] == {"value": "not counted", "from": "command line"}
    r = run_cli("check", str(root), "--format", "json", "--baseline", "HEAD~1", "--new-waivers")
    model = next(m for m in json.loads(r.out)["models"] if m["name"] == "Kestrel-8B")
    weights = next(c for c in model["components"] if c["name"] == "Model parameters (Final)")
    assert weights["waiver"]["new"] is True
    assert [f["severity"] for f in model["findings"] if f["code"] == "waiver.new"] == ["info"]


@needs_git
def test_a_waiver_present_at_the_base_is_not_new(tmp_path):
    root = _with_new_waiver(tmp_path)
    r = run_cli("check", str(root), "--format", "json", "--baseline", "HEAD", "--no-new-waivers")
    model = next(m for m in json.loads(r.out)["models"] if m["name"] == "Kestrel-8B")
    weights = next(c for c in model["components"] if c["name"] == "Model parameters (Final)")
    assert weights["waiver"] is not None and weights["waiver"]["new"] is False


@needs_git
def test_github_front_on_a_pull_request_does_not_count_new_waivers_by_default(actions, capsys, tmp_path):  # noqa: F811
    ws = _refill(actions["repo"])
    root = _with_new_waiver(tmp_path)
    shutil.copytree(root, ws, symlinks=True, dirs_exist_ok=True)
    base = git(ws, "rev-parse", "HEAD~1").strip()
    event = json.loads(Path(os.environ["GITHUB_EVENT_PATH"]).read_text())
    event["pull_request"]["base"]["sha"] = base
    Path(os.environ["GITHUB_EVENT_PATH"]).write_text(json.dumps(event))
    gh_run(capsys, "--no-status", "--no-comment")
    report = json.loads((actions["tmp"] / "temp" / "mofcheck-report.json").read_text())
    model = next(m for m in report["models"] if m["name"] == "Kestrel-8B")
    assert any(f["code"] == "waiver.new" and f["severity"] == "warning" for f in model["findings"])
    assert report["settings"]["new_waivers"] == {"value": "not counted", "from": "default"}
    gh_run(capsys, "--no-status", "--no-comment", "--new-waivers")
    report = json.loads((actions["tmp"] / "temp" / "mofcheck-report.json").read_text())
    model = next(m for m in report["models"] if m["name"] == "Kestrel-8B")
    assert any(f["code"] == "waiver.new" and f["severity"] == "info" for f in model["findings"])


@needs_git
def test_github_front_reads_the_configuration_at_the_base_or_none(actions, capsys, tmp_path):  # noqa: F811
    ws = _refill(actions["repo"])
    lying_repo(ws, 'fail-on = ["license.use-policy"]\n', commit=True)
    (ws / ".mofcheck.toml").write_text("trust-manifest = true\n")  # the pull request drops the base's fail-on
    git(ws, "commit", "-qam", "relax")
    event = json.loads(Path(os.environ["GITHUB_EVENT_PATH"]).read_text())
    event["pull_request"]["base"]["sha"] = git(ws, "rev-parse", "HEAD~1").strip()
    Path(os.environ["GITHUB_EVENT_PATH"]).write_text(json.dumps(event))
    code, _, err = gh_run(capsys, "--no-status", "--no-comment", "--config-base")
    report = json.loads((actions["tmp"] / "temp" / "mofcheck-report.json").read_text())
    assert report["settings"]["fail_on"]["value"] == ["error", "license.use-policy"]  # the default, and the base configuration adds
    assert report["settings"]["configuration"]["ref"] == event["pull_request"]["base"]["sha"]
    assert code == 1, err
    code, _, _ = gh_run(capsys, "--no-status", "--no-comment", "--no-config")
    report = json.loads((actions["tmp"] / "temp" / "mofcheck-report.json").read_text())
    assert report["settings"]["configuration"]["used"] is False and report["settings"]["trust_manifest"]["from"] == "default"
    cfg = tmp_path / "workflow.toml"
    cfg.write_text("min-class = 1\n")
    code, _, _ = gh_run(capsys, "--no-status", "--no-comment", "--config", str(cfg))
    report = json.loads((actions["tmp"] / "temp" / "mofcheck-report.json").read_text())
    assert code == 1 and report["settings"]["min_class"]["value"] == 1
