"""Several licenses in one component (lfai/model_openness_tool #168): each part is reported, the most
restrictive decides, and the report names the part that holds the component back."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import FIXTURES
from .fixture_repos import check_git, copy_fixture

CC_BY = (FIXTURES / "data-card-stub" / "LICENSE-DOCS").read_text()
CC_BY_NC = (FIXTURES / "alpaca-style" / "DATA_LICENSE").read_text()
APACHE = (FIXTURES / "class3-open-model" / "LICENSE").read_text()
LFS = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "b" * 64 + "\nsize 9999\n"

MANIFEST = """\
framework: {name: Model Openness Framework, version: '1.0', date: '2024-12-15'}
release:
  name: Plover-1B
  producer: Example Lab
  license:
    distribution: {name: CC-BY-4.0}
    code: {name: Apache-2.0}
  components:
    - {name: Datasets}
    - {name: Model architecture}
"""


def build(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def component(report: dict, name: str) -> dict:
    return next(c for c in report["models"][0]["components"] if c["name"] == name)


def tree(tmp_path: Path, with_manifest: bool) -> Path:
    files = {
        "LICENSE": APACHE,
        "plover/model.py": "class Plover:\n    pass\n",
        "data/web/LICENSE": CC_BY,
        "data/web/shard-000.jsonl": '{"text": "a"}\n',
        "data/books/LICENSE": CC_BY_NC,
        "data/books/shard-000.jsonl": '{"text": "b"}\n',
        "MODEL_CARD.md": "# Plover-1B\n\n## Model Details\n\nA model.\n\n## Uses\n\nResearch.\n",
        "model.safetensors": LFS,
    }
    if with_manifest:
        files["mof.yml"] = MANIFEST
    return build(tmp_path, files)


def test_the_most_restrictive_part_decides_and_is_named(cli, tmp_path):
    run = cli("check", str(tree(tmp_path, False)), "--format", "json", "--no-config")
    data = component(json.loads(run.out), "Datasets")
    assert data["status"] == "restrictive", data
    assert "data/books (CC-BY-NC-4.0) holds it back" in data["reason"]
    assert "data/web (CC-BY-4.0)" in data["reason"]
    assert {e["path"] for e in data["evidence"] if e["kind"] == "license-file"} == {"data/web/LICENSE", "data/books/LICENSE"}


def test_a_manifest_that_calls_every_part_open_conflicts_with_the_restricted_one(cli, tmp_path):
    run = cli("check", str(tree(tmp_path, True)), "--format", "json", "--no-config")
    report = json.loads(run.out)
    data = component(report, "Datasets")
    assert data["status"] == "conflict", data
    assert "data/books/LICENSE" in data["reason"]
    assert component(report, "Model architecture")["status"] == "met"


def test_parts_under_one_license_are_one_part(cli, tmp_path):
    root = tree(tmp_path, False)
    (root / "data/books/LICENSE").write_text(CC_BY)
    data = component(json.loads(cli("check", str(root), "--format", "json", "--no-config").out), "Datasets")
    assert "parts under different licenses" not in data["reason"]


def test_license_path_leaving_the_repository_is_a_finding(cli, tmp_path):
    r = copy_fixture(tmp_path)
    mof = r / "mof.yml"
    mof.write_text(mof.read_text().replace("component_path: MODEL_CARD.md}", "component_path: MODEL_CARD.md, license_path: ../../etc/shadow}", 1))
    run, report = check_git(cli, r)
    msgs = [f["message"] for f in report["models"][0]["findings"] if f["code"] == "evidence.path-missing"]
    assert any("license_path '../../etc/shadow'" in m for m in msgs), msgs
