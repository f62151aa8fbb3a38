"""Reports for the renderer tests: real ones from the checker on manifests written here, a handcrafted one
full of hostile strings, and a large one. The tests in this file keep them honest against the schema."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema

HOSTILE = [
    "evil\n::error::pwned",
    "%0A::set-output name=x::y",
    "x\r\n::add-mask::secret",
    "\x1b[31mred\x1b[0m",
    "<img src=x onerror=alert(1)>",
    "[x](http://evil)",
    "![i](https://evil/i.png)",
    "@octocat and @github/team",
    "| col |",
    "<script>alert(1)</script><!--",
    "see #1 and www.evil.com and https://evil.com/x",
    "**bold** _it_ ~~s~~ `code` $x$ # h",
]
HOSTILE_TEXT = " ".join(HOSTILE)
HOSTILE_PATH = "docs/evil\n::error file=x::pwned %0A | <b>@octocat</b>.md"

MANIFEST = """\
framework:
  name: 'Model Openness Framework'
  version: '1.0'
  date: '2024-12-15'
release:
  name: {name}
  version: '1'
  date: '2025-01-01'
  type: language
  architecture: transformer
  origin: ''
  producer: Me
  contact: ''
  repository: ''
  huggingface: ''
  license:
    distribution:
      name: Apache-2.0
      path: ''
  components:
    -
      name: 'Model architecture'
      description: 'x'
    -
      name: 'Model parameters (Final)'
      description: 'w'
      license: {weights_license}
    -
      name: 'Model card'
      description: 'c'
      license: Made-Up-License
    -
      name: 'Data card'
      description: 'c'
      license: unlicensed
"""


def _yaml_str(s: str) -> str:
    return json.dumps(s)  # a JSON string is a valid double-quoted YAML scalar


def write_repo(root: Path, *, name: str = "Tiny", weights_license: str = "llama3", manifest_name: str = "mof.yml") -> Path:
    """A git repository holding one MOT-format manifest; returns the manifest's path."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    path = root / manifest_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MANIFEST.format(name=_yaml_str(name), weights_license=_yaml_str(weights_license)), "utf-8")
    (root / "README.md").write_text("# Tiny\n", "utf-8")
    return path


def real_report(root: Path, manifests: list[Path] | None = None, mode: str = "mot") -> dict[str, Any]:
    """The real checker's report dict for the repository at `root`."""
    from mofcheck.check import CheckOptions, run

    return run(CheckOptions(path=root, manifests=list(manifests or []), mode=mode)).to_dict()


def _finding(code: str, severity: str, message: str, path: str | None, line: int | None, component: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"severity": severity, "code": code, "message": message, "path": path, "line": line}
    if component:
        d["component"] = component
    return d


def hostile_report() -> dict[str, Any]:
    """A schema-valid report whose every free-text field is hostile."""
    comp = {
        "id": 10,
        "name": "Model parameters (Final)",
        "category": "data",
        "class": 3,
        "required": True,
        "listed": True,
        "status": "restrictive",
        "reason": HOSTILE_TEXT,
        "license": {
            "expression": "LicenseRef-" + HOSTILE[0],
            "declared": HOSTILE_TEXT,
            "source": "component",
            "open": False,
            "type_appropriate": False,
            "reason": HOSTILE_TEXT,
            "chosen": None,
        },
        "evidence": [
            {"kind": "manifest", "rule": "manifest.component-listed", "detail": HOSTILE_TEXT, "path": "mof.yml", "line": 27, "confidence": 1.0},
            {"kind": "card", "rule": "card.found", "detail": "model card", "path": "README.md", "line": None, "confidence": 1.0},
        ],
        "waiver": {"reason": HOSTILE_TEXT, "expires": "2030-01-01", "expired": False},
    }
    card = copy.deepcopy(comp) | {"id": 13, "name": "Model card", "category": "document", "status": "met", "waiver": None}
    card["license"] = None
    card["reason"] = HOSTILE[8]
    model = {
        "name": HOSTILE[0] + " " + HOSTILE[7],
        "manifest": "mof.yml",
        "mode": "mof",
        "class": 0,
        "class_label": "Unclassified",
        "progress": {"1": 0.0, "2": 0.0, "3": 50.0},
        "total_progress": 20.0,
        "declared": {"class": 3, "progress": {"1": 20.0, "2": 60.0, "3": 100.0}},
        "verified": {"class": 0, "progress": {"1": 0.0, "2": 0.0, "3": 50.0}},
        "components": [comp, card],
        "plan": [{"target_class": 3, "component": "Model parameters (Final)", "problem": HOSTILE_TEXT, "fix": HOSTILE[5], "effort": "high"}],
        "findings": [
            _finding("license.restrictive", "warning", HOSTILE_TEXT, HOSTILE_PATH, 3, "Model parameters (Final)"),
            _finding("license.unknown", "warning", HOSTILE[0], None, None, "Model parameters (Final)"),
            _finding("license.not-type-appropriate", "info", HOSTILE[3], "mof.yml", 17, "Model card"),
            _finding("future.check-nobody-knows", "error", HOSTILE[4], "/etc/passwd", 1),
        ],
    }
    return {
        "schema_version": "1.0",
        "tool": {"name": "mofcheck", "version": "0.1.0"},
        "framework": {"name": "Model Openness Framework", "version": "1.0"},
        "root": ".",
        "mode": "mof",
        "gate": {"passed": False, "exit_code": 1, "min_class": 3, "fail_on": [], "reasons": [HOSTILE_TEXT]},
        "models": [model],
        "findings": [_finding("manifest.invalid", "error", HOSTILE[1], HOSTILE[2], 2)],
    }


def big_report(n: int) -> dict[str, Any]:
    """A report with `n` findings in one release (mixed severities, all with a path and line)."""
    report = hostile_report()
    model = report["models"][0]
    sev = ("error", "warning", "info")
    codes = ("gate.min-class", "license.restrictive", "license.not-type-appropriate")
    model["findings"] = [
        _finding(codes[i % 3], sev[i % 3], f"finding number {i} about a component", f"weights/part-{i:05d}.safetensors", i + 1) for i in range(n)
    ]
    report["findings"] = []
    return report


def report_schema() -> dict[str, Any]:
    from mofcheck.report.json import schema

    return schema()


def test_hostile_report_is_a_valid_report():
    jsonschema.validate(hostile_report(), report_schema())
    jsonschema.validate(big_report(10), report_schema())


def test_real_report_has_findings_with_lines(tmp_path):
    write_repo(tmp_path)
    report = real_report(tmp_path)
    jsonschema.validate(report, report_schema())
    lines = {(f["path"], f["line"], f["code"]) for f in report["models"][0]["findings"]}
    assert ("mof.yml", 27, "license.unknown") in lines
    assert ("mof.yml", 35, "component.unlicensed") in lines
