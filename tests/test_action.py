"""action.yml: valid metadata, no script injection, and its `run:` steps executed in a simulated runner."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).parent))
from github_api_server import FakeGitHub  # noqa: E402
from test_github_command import HEAD, MANIFEST, TOKEN, pr_event  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load_action() -> dict:
    return YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))


def test_action_metadata_matches_githubs_schema():
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("check_jsonschema", reason="check-jsonschema (vendored GitHub schemas) is not installed")
    schema = json.loads(resources.files("check_jsonschema.builtin_schemas.vendor").joinpath("github-actions.json").read_text("utf-8"))
    action = load_action()
    jsonschema.validate(action, schema)
    bad = dict(action, runs={"using": "composite"})  # the schema is strict enough to catch a broken action
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_no_expression_inside_run_scripts():
    action = load_action()
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert not EXPR.search(step["run"]), f"step {step.get('id')}: ${{{{ }}}} inside run: (script injection)"
            assert step.get("shell") == "bash"


def test_inputs_outputs_and_pins_are_consistent():
    action = load_action()
    inputs = set(action["inputs"])
    assert {"path", "mode", "min-class", "fail-on", "baseline", "comment", "status", "sarif", "badge", "github-token"} <= inputs
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert {"class", "class-label", "progress", "report", "badge-url", "sarif-file"} <= set(action["outputs"])
    assert action["branding"]["icon"] and action["branding"]["color"]
    used = set()
    for step in action["runs"]["steps"]:
        for value in (step.get("env") or {}).values():
            used |= {m.split(".", 1)[1] for m in EXPR.findall(str(value)) if m.startswith("inputs.")}
        if "uses" in step:
            assert re.search(r"@(v\d+|[0-9a-f]{40})$", step["uses"]), f"{step['uses']} is not pinned"
    assert inputs - used <= {"python-version"}  # every input reaches the script (python-version goes to setup-python)
    assert re.search(r'"uv==\d+\.\d+\.\d+"', next(s["run"] for s in action["runs"]["steps"] if s.get("id") == "install"))


def test_install_step_is_valid_bash():
    script = next(s["run"] for s in load_action()["runs"]["steps"] if s.get("id") == "install")
    assert subprocess.run(["bash", "-n"], input=script, text=True).returncode == 0
    # `python -m uv pip install` targets the interpreter running uv unless told otherwise (found by running it)
    assert re.search(r'uv pip install [^\n]*--python "\$venv"', script)


# ------------------------------------------------------------------------------------ simulated runner


def mofcheck_exe() -> str:
    exe = shutil.which("mofcheck", path=str(Path(sys.executable).parent)) or shutil.which("mofcheck")
    if exe is None:
        pytest.skip("the mofcheck console script is not installed")
    return exe


def read_step_outputs(path: Path) -> dict[str, str]:
    out, lines, i = {}, path.read_text().splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            end = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
        else:
            name, value = line.split("=", 1)
            out[name] = value
            i += 1
    return out


class Runner:
    """Runs the composite action's `run:` steps as GitHub's runner would: `bash --noprofile --norc -eo
    pipefail`, one GITHUB_OUTPUT file per step, `env:` evaluated from inputs and earlier steps' outputs.
    `uses:` steps are skipped; the install step is replaced by the already-installed mofcheck."""

    def __init__(self, tmp: Path, workspace: Path, api_url: str, event: Path):
        self.tmp, self.workspace = tmp, workspace
        self.temp = tmp / "runner-temp"
        self.temp.mkdir()
        self.summary = tmp / "summary.md"
        self.summary.write_text("")
        self.base_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp),
            "GITHUB_ACTIONS": "true",
            "GITHUB_REPOSITORY": "acme/tiny-model",
            "GITHUB_SHA": "c" * 40,
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_API_URL": api_url,
            "GITHUB_RUN_ID": "77",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_ENV": str(tmp / "env"),
            "GITHUB_PATH": str(tmp / "path"),
            "RUNNER_TEMP": str(self.temp),
            "MOFCHECK_RETRY_SCALE": "0",
        }

    def evaluate(self, value: object, inputs: dict[str, str], steps: dict[str, dict[str, str]]) -> str:
        def one(m: re.Match[str]) -> str:
            expr = m.group(1)
            if expr.startswith("inputs."):
                return inputs[expr.split(".", 1)[1]]
            if mt := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr):
                return steps.get(mt.group(1), {}).get(mt.group(2), "")
            known = {"github.action_path": str(ROOT), "runner.temp": str(self.temp), "github.token": TOKEN}
            if expr in known:
                return known[expr]
            raise AssertionError(f"the simulation does not know ${{{{ {expr} }}}}")

        return EXPR.sub(one, str(value))

    def run(self, given: dict[str, str]) -> tuple[dict[str, str], int, str, str]:
        action = load_action()
        inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
        inputs = {k: self.evaluate(v, {}, {}) for k, v in inputs.items()}
        inputs.update(given)
        steps: dict[str, dict[str, str]] = {}
        code, out, err = 0, "", ""
        for i, step in enumerate(action["runs"]["steps"]):
            if "uses" in step:
                continue
            if step.get("id") == "install":
                steps["install"] = {"bin": mofcheck_exe()}
                continue
            output = self.tmp / f"output-{i}"
            output.write_text("")
            env = dict(self.base_env, GITHUB_OUTPUT=str(output))
            env.update({k: self.evaluate(v, inputs, steps) for k, v in (step.get("env") or {}).items()})
            script = self.tmp / f"step-{i}.sh"
            script.write_text(step["run"])
            p = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=self.workspace, env=env, capture_output=True, text=True, timeout=120
            )
            code, out, err = p.returncode, out + p.stdout, err + p.stderr
            steps[step.get("id") or str(i)] = read_step_outputs(output)
            if code != 0:
                break
        outputs = {name: self.evaluate(spec["value"], inputs, steps) for name, spec in action["outputs"].items()}
        return outputs, code, out, err


@pytest.fixture
def sim(tmp_path):
    pytest.importorskip("github", reason="PyGithub (the 'github' extra) is not installed")
    srv = FakeGitHub().start()
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "mof.yml").write_text(MANIFEST)
    (ws / "LICENSE").write_text("Apache License\nVersion 2.0, January 2004\n")
    (ws / "README.md").write_text("# tiny-model\n\nA model.\n")
    runner = Runner(tmp_path, ws, srv.url, pr_event(tmp_path / "event.json"))
    runner.server = srv
    yield runner
    srv.stop()


def test_pull_request_job(sim):
    outputs, code, out, err = sim.run({"min-class": "1"})
    assert code == 1  # the gate's verdict is the step's exit code
    report = json.loads(Path(outputs["report"]).read_text())
    assert report["gate"]["exit_code"] == 1
    model = report["models"][0]
    assert outputs["class"] == str(model["class"]) and outputs["class-label"] == model["class_label"]
    assert json.loads(outputs["progress"]) == model["progress"]
    assert outputs["badge-url"].startswith("https://img.shields.io/badge/")
    assert outputs["sarif-file"] == ""
    assert sim.summary.read_text().strip()
    (status,) = sim.server.calls("POST", r"/statuses/")
    assert status.path.endswith(HEAD) and status.body["state"] == "failure"
    assert status.headers["Authorization"].endswith(TOKEN)  # the github-token input's default reached the tool
    assert len(sim.server.calls("POST", r"/issues/7/comments$")) == 1
    assert TOKEN not in err and TOKEN not in out.replace(f"::add-mask::{TOKEN}\n", "")


def test_switches_and_sarif(sim):
    pytest.importorskip("mofcheck.report.sarif", reason="the SARIF renderer is not there yet")
    outputs, code, _, _ = sim.run({"comment": "false", "status": "false", "sarif": "true"})
    assert code == 0
    assert sim.server.requests == []
    sarif = Path(outputs["sarif-file"])
    assert sarif.parent == sim.temp
    assert "runs" in json.loads(sarif.read_text())


def test_badge_input_updates_the_readme(sim):
    if subprocess.run([mofcheck_exe(), "badge", "--help"], capture_output=True).returncode != 0:
        pytest.skip("this mofcheck has no badge command yet")
    outputs, code, _, err = sim.run({"badge": "README.md", "comment": "false", "status": "false"})
    assert code == 0, err
    readme = (sim.workspace / "README.md").read_text()
    assert "<!-- mofcheck-badge:start -->" in readme and "MOF" in readme and readme.startswith("# tiny-model")


def test_require_input_gates_on_verdicts(sim):
    outputs, code, _, err = sim.run({"require": "g7:open-weights,\nosaid  eu-ai-act", "comment": "false", "status": "false"})
    report = json.loads(Path(outputs["report"]).read_text())
    assert report["gate"]["require"] == ["g7:open-weights", "osaid", "eu-ai-act"], err
    assert code == 1 and any("--require g7:open-weights" in r for r in report["gate"]["reasons"])
    outputs, code, _, _ = sim.run({"require": "", "comment": "false", "status": "false"})
    assert code == 0 and json.loads(Path(outputs["report"]).read_text())["gate"]["require"] == []
    _, code, _, err = sim.run({"require": "g7:open-wieghts", "comment": "false", "status": "false"})
    assert code == 2 and "g7 has no level 'open-wieghts'" in err


@pytest.mark.parametrize(
    "bad",
    [
        {"mode": "bogus"},
        {"comment": "yes"},
        {"min-class": "4"},
        {"sarif": "1"},
        {"require": "--no-comment"},
        {"config": "pr"},
        {"new-waivers": "maybe"},
        {"online": "maybe"},
        {"budget": "ten"},
        {"budget": "1;x"},
        {"budget": "-5"},
    ],
)
def test_invalid_inputs_fail_with_one_error(sim, bad):
    _, code, out, _ = sim.run(bad)
    assert code == 2
    assert len([line for line in out.splitlines() if line.startswith("::error")]) == 1
    assert sim.server.requests == []


@pytest.mark.parametrize("path", ["$(touch pwned)", '"; touch pwned; #', "`touch pwned`"])
def test_inputs_are_data_not_code(sim, path):
    _, code, _, err = sim.run({"path": path, "fail-on": "$(touch pwned)"})
    assert code == 2  # no such path: an input error, not a command
    assert not (sim.workspace / "pwned").exists() and not (sim.tmp / "pwned").exists()


def test_settings_are_named_action_inputs_and_the_config_input_is_honoured(sim):
    (sim.workspace / ".mofcheck.toml").write_text("trust-manifest = true\nmin-class = 1\n")
    outputs, code, _, err = sim.run({"min-class": "3", "comment": "false", "status": "false"})
    report = json.loads(Path(outputs["report"]).read_text())
    assert report["settings"]["min_class"] == {"value": 1, "from": ".mofcheck.toml"}  # the stricter one
    assert [i["setting"] for i in report["settings"]["ignored"]] == ["trust-manifest"]
    outputs, code, _, err = sim.run({"min-class": "3", "config": "none", "comment": "false", "status": "false"})
    report = json.loads(Path(outputs["report"]).read_text())
    assert report["settings"]["min_class"] == {"value": 3, "from": "action input"}
    assert report["settings"]["configuration"]["used"] is False
    # base: the event's base commit is not in this checkout (no history): an input error that says why
    _, code, out, err = sim.run({"config": "base", "comment": "false", "status": "false"})
    assert code == 2 and "fetch-depth: 0" in err


def test_online_and_budget_inputs_reach_the_run(sim):
    outputs, code, _, err = sim.run({"comment": "false", "status": "false", "budget": "12.5"})
    report = json.loads(Path(outputs["report"]).read_text())
    assert report["settings"]["online"] == {"value": "yes, budget 12.5 s", "from": "action input"}, err
    outputs, code, _, err = sim.run({"comment": "false", "status": "false", "online": "false"})
    assert json.loads(Path(outputs["report"]).read_text())["settings"]["online"]["value"] == "no", err
