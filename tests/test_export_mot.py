"""`mofcheck export --format mot`: a MOT registry file that is schema-valid, re-loadable and evaluates the same."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from mofcheck import framework
from mofcheck.check import CheckOptions, run
from mofcheck.export import collect, render
from mofcheck.manifest import load_text, parse, schema_errors

from .conftest import SHARED

FW = framework.load()

MANIFEST = """\
framework: {name: 'Model Openness Framework', version: '1.0', date: '2024-12-15'}
release:
  name: Tiny-LM
  version: 1.0.0
  date: '2025-03-01'
  type: language
  architecture: 'transformer decoder'
  treatment: pre-trained
  origin: ''
  producer: Example Lab
  contact: 'ml@example.org'
  repository: 'https://github.com/example/tiny-lm'
  huggingface: 'https://huggingface.co/example/tiny-lm'
  license:
    distribution: {name: Apache-2.0, path: 'https://github.com/example/tiny-lm/blob/main/LICENSE'}
    data: {name: CDLA-Permissive-2.0, path: ''}
  components:
    - {name: 'Model architecture', description: 'my own words', component_path: 'https://github.com/example/tiny-lm/tree/main/model'}
    - {name: 'Model parameters (Final)'}
    - {name: 'Model card', license: CC-BY-4.0, license_path: 'MODEL_CARD.md'}
    - {name: 'Data card', license: unlicensed}
    - {name: 'Evaluation results', license: 'CC-BY-NC-4.0'}
    - {name: 'Technical report', license: CC-BY-4.0}
    - {name: 'Training code'}
"""


def cli(*args: str) -> tuple[int, str, str]:
    from mofcheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "mof.yml").write_text(MANIFEST, encoding="utf-8")
    return tmp_path


def test_export_mot_file_is_valid_and_carries_the_release(repo: Path, tmp_path: Path):
    out = tmp_path / "out" / "Tiny-LM.yml"
    code, stdout, err = cli("export", str(repo), "--format", "mot", "--mode", "mot", "--output", str(out))
    assert (code, stdout, err) == (0, "", "")
    text = out.read_text("utf-8")
    data, _ = load_text(text, "Tiny-LM.yml")
    assert schema_errors(data) == []
    m = parse(text, "Tiny-LM.yml", FW)  # strict rules too: known names, no duplicates

    assert data["framework"] == {"name": "Model Openness Framework", "version": "1.0", "date": "2024-12-15"}
    rel = data["release"]
    for key in ("version", "date", "type", "architecture", "treatment", "producer", "contact", "repository", "huggingface"):
        assert rel[key] == m.release[key]
    assert rel["name"] == "Tiny-LM" and rel["date"] == "2025-03-01"
    assert rel["license"]["distribution"] == {"name": "Apache-2.0", "path": "https://github.com/example/tiny-lm/blob/main/LICENSE"}
    assert rel["license"]["data"] == {"name": "CDLA-Permissive-2.0", "path": ""}

    comps = {c["name"]: c for c in rel["components"]}
    assert list(comps) == [
        "Model architecture",
        "Model parameters (Final)",
        "Model card",
        "Data card",
        "Evaluation results",
        "Technical report",
        "Training code",
    ]  # only the listed ones, in the manifest's order
    arch = comps["Model architecture"]
    assert arch["description"] == FW.component("Model architecture").description  # the framework's words
    assert arch["license"] == "Apache-2.0"  # inherited license written out
    assert arch["license_path"] == "https://github.com/example/tiny-lm/blob/main/LICENSE"
    assert arch["component_path"] == "https://github.com/example/tiny-lm/tree/main/model"
    assert comps["Model parameters (Final)"]["license"] == "CDLA-Permissive-2.0"  # data global beats distribution
    assert "license_path" not in comps["Model parameters (Final)"]
    assert comps["Model card"] == {
        "name": "Model card",
        "description": FW.component("Model card").description,
        "license": "CC-BY-4.0",
        "license_path": "MODEL_CARD.md",
    }
    assert comps["Data card"]["license"] == "unlicensed"
    assert comps["Evaluation results"]["license"] == "CC-BY-NC-4.0"


def test_export_mot_keeps_flow_style_and_quotes_urls(repo: Path):
    code, text, _ = cli("export", str(repo), "--format", "mot", "--mode", "mot")
    assert code == 0
    assert "framework: {name: 'Model Openness Framework', version: '1.0', date: '2024-12-15'}" in text
    assert "    data: {name: CDLA-Permissive-2.0, path: ''}" in text
    assert "\n  date: '2025-03-01'\n" in text  # a quoted date: MOT's schema wants a string


def test_exported_file_evaluates_like_the_original(repo: Path, tmp_path: Path):
    original = run(CheckOptions(path=repo, mode="mot")).models[0]
    out = tmp_path / "exported.yml"
    assert cli("export", str(repo), "--format", "mot", "--mode", "mot", "--output", str(out))[0] == 0
    again = run(CheckOptions(path=out, mode="mot")).models[0]
    assert (again.cls, again.standing.progress) == (original.cls, original.standing.progress)
    assert [(c.name, c.status) for c in again.components] == [(c.name, c.status) for c in original.components]


def test_export_from_manifest_option_and_model_selection(tmp_path: Path):
    d = tmp_path / "r" / ".mof"
    d.mkdir(parents=True)
    (d / "a.yml").write_text(MANIFEST, encoding="utf-8")
    (d / "b.yml").write_text(MANIFEST.replace("Tiny-LM", "Tiny-LM-Chat"), encoding="utf-8")
    code, out, err = cli("export", str(tmp_path / "r"), "--format", "mot", "--mode", "mot")
    assert code == 2 and out == ""
    assert "--model" in err and "'Tiny-LM-Chat'" in err
    code, out, _ = cli("export", str(tmp_path / "r"), "--format", "mot", "--mode", "mot", "--model", "Tiny-LM-Chat")
    assert code == 0 and "  name: Tiny-LM-Chat\n" in out
    code, _, err = cli("export", str(tmp_path / "r"), "--format", "mot", "--mode", "mot", "--model", "Nope")
    assert code == 2 and "no release named 'Nope'" in err
    code, out, _ = cli("export", str(tmp_path), "--manifest", str(d / "a.yml"), "--format", "mot", "--mode", "mot")
    assert code == 0 and "  name: Tiny-LM\n" in out and "  producer: Example Lab\n" in out
    code, out, _ = cli("export", str(d / "b.yml"), "--format", "mot", "--mode", "mot")  # a manifest as PATH
    assert code == 0 and "  name: Tiny-LM-Chat\n" in out and "  version: 1.0.0\n" in out


def test_export_refuses_an_invalid_manifest_or_no_release(tmp_path: Path):
    (tmp_path / "mof.yml").write_text(MANIFEST.replace("'Model card'", "'Model Card'"), encoding="utf-8")
    code, out, err = cli("export", str(tmp_path), "--format", "mot", "--mode", "mot")
    assert code == 2 and out == ""
    assert "mof.yml:" in err and "Model card" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = cli("export", str(empty), "--format", "mot")
    assert code == 2 and "no release to export" in err


@pytest.mark.shared
@pytest.mark.slow
def test_mot_corpus_round_trips_with_the_same_class():
    models = SHARED / "mot" / "models"
    if not models.is_dir():
        pytest.skip(f"needs MOT's models at {models} (../shared beside the repository); absent here")
    files = sorted(models.glob("*.yml"))
    assert len(files) > 200
    diffs = []
    for f in files:
        report, releases = collect(CheckOptions(path=f, mode="mot"))
        text = render("mot", releases)
        data, _ = load_text(text, f.name)
        assert schema_errors(data) == [], f.name
        from mofcheck.evaluate import evaluate_manifest

        again = evaluate_manifest(parse(text, f.name, FW), FW, "mot")
        before = report.models[0]
        assert data["release"].get("version") == releases[0].manifest.release.get("version"), f.name
        if (again.cls, again.standing.progress) != (before.cls, before.standing.progress):
            diffs.append((f.name, before.cls, again.cls))
    assert diffs == []


def test_mof_mode_writes_normalised_spdx_expressions(tmp_path: Path):
    text = MANIFEST.replace("{name: Apache-2.0, path:", "{name: 'Apache 2.0', path:").replace(
        "- {name: 'Training code'}", "- {name: 'Training code', license: 'mit'}"
    )
    (tmp_path / "mof.yml").write_text(text, encoding="utf-8")
    code, out, _ = cli("export", str(tmp_path), "--format", "mot")  # mof mode is the default
    assert code == 0
    data, _ = load_text(out, "x.yml")
    assert schema_errors(data) == []
    rel = data["release"]
    assert rel["license"]["distribution"]["name"] == "Apache-2.0"
    comps = {c["name"]: c["license"] for c in rel["components"]}
    assert comps["Training code"] == "MIT" and comps["Model architecture"] == "Apache-2.0"
    # and MOT itself now reads it the way mof mode did
    again = evaluate_manifest_text(out)
    assert again.cls == run(CheckOptions(path=tmp_path, mode="mof")).models[0].cls


def evaluate_manifest_text(text: str):
    from mofcheck.evaluate import evaluate_manifest

    return evaluate_manifest(parse(text, "x.yml", FW), FW, "mot")
