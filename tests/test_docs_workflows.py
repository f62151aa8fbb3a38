"""The copy-paste workflows in the README and docs are valid GitHub workflows that use the Action's real
inputs and outputs, and the pre-commit snippets name the real hooks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from .conftest import ROOT

DOCS = [ROOT / "README.md", ROOT / "docs" / "github.md", ROOT / "docs" / "pre-commit.md"]
_BLOCK = re.compile(r"^```ya?ml\n(.*?)^```", re.M | re.S)


def _blocks(kind: str) -> list[tuple[str, dict]]:
    out = []
    for doc in DOCS:
        for text in _BLOCK.findall(doc.read_text(encoding="utf-8")):
            data = YAML(typ="safe").load(text)
            if isinstance(data, dict) and kind in data:
                out.append((f"{doc.name}: {text.splitlines()[0]}", data))
    return out


def _workflow_schema() -> dict:
    check_jsonschema = pytest.importorskip("check_jsonschema")
    path = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor" / "github-workflows.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _action() -> dict:
    return YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_workflows_are_valid_and_use_real_inputs_and_outputs():
    validator = jsonschema.Draft7Validator(_workflow_schema())
    action = _action()
    inputs, outputs = set(action["inputs"]), set(action["outputs"])
    workflows = _blocks("jobs")
    assert len(workflows) >= 6  # three in the README, three in docs/github.md
    for where, wf in workflows:
        errors = sorted(validator.iter_errors(wf), key=str)
        assert not errors, (where, errors[0].message)
        assert "pull_request_target" not in (wf.get("on") or wf.get(True) or {}), where
        for job in wf["jobs"].values():
            # a bound for the job: a repository must never hold a runner for GitHub's default 6 hours
            assert 0 < job.get("timeout-minutes", 0) <= 60, (where, "set timeout-minutes on the job")
            for step in job["steps"]:
                if str(step.get("uses", "")).startswith("mofcheck/mofcheck@"):
                    assert set(step.get("with") or {}) <= inputs, where
        used = set(re.findall(r"steps\.mof\.outputs\.([\w-]+)", json.dumps(wf)))
        assert used <= outputs, (where, used - outputs)


def test_pre_commit_snippets_name_the_real_hooks():
    hooks = {h["id"] for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    snippets = _blocks("repos")
    assert snippets
    for where, cfg in snippets:
        for repo in cfg["repos"]:
            assert {h["id"] for h in repo["hooks"]} <= hooks, where
