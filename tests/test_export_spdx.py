"""`mofcheck export --format spdx`: an SPDX 2.3 JSON document that spdx-tools and the 2.3 JSON schema accept."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from .conftest import SHARED

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z

MANIFEST = """\
framework: {name: 'Model Openness Framework', version: '1.0', date: '2024-12-15'}
release:
  name: Tiny-LM
  version: 1.0.0
  date: '2025-03-01'
  type: language
  producer: Example Lab
  repository: 'https://github.com/example/tiny-lm'
  huggingface: 'https://huggingface.co/example/tiny-lm'
  license:
    distribution: {name: Apache-2.0, path: 'https://github.com/example/tiny-lm/blob/main/LICENSE'}
  components:
    - {name: 'Model architecture', component_path: 'https://github.com/example/tiny-lm/tree/main/model'}
    - {name: 'Model parameters (Final)', license: 'Llama 3 Community', license_path: 'https://llama.meta.com/llama3/license/'}
    - {name: 'Model card', license: CC-BY-4.0, component_path: 'MODEL_CARD.md'}
    - {name: 'Data card', license: unlicensed}
    - {name: 'Training code', license: 'MIT OR Apache-2.0'}
"""


def cli(*args: str) -> tuple[int, str, str]:
    from mofcheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def schema_2_3() -> dict:
    p = SHARED / "spdx" / "2.3" / "spdx-schema.json"
    if not p.is_file():
        pytest.skip(f"needs the SPDX 2.3 JSON schema at {p} (../shared beside the repository); absent here")
    return json.loads(p.read_text("utf-8"))


@pytest.fixture
def exported(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (tmp_path / "mof.yml").write_text(MANIFEST, encoding="utf-8")
    out = tmp_path / "sbom.spdx.json"
    code, stdout, err = cli("export", str(tmp_path), "--format", "spdx", "--mode", "mot", "--output", str(out))
    assert (code, stdout, err) == (0, "", "")
    return out


def test_spdx_tools_reads_it_back_and_finds_nothing_wrong(exported: Path):
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import (
        validate_full_spdx_document,
    )

    doc = parse_file(str(exported))
    assert [m.validation_message for m in validate_full_spdx_document(doc)] == []
    assert [p.name for p in doc.packages] == [
        "Tiny-LM",
        "Model architecture",
        "Model parameters (Final)",
        "Model card",
        "Data card",
        "Training code",
    ]


def test_valid_against_the_spdx_2_3_json_schema(exported: Path):
    import jsonschema

    errors = [e.message for e in jsonschema.Draft7Validator(schema_2_3()).iter_errors(json.loads(exported.read_text("utf-8")))]
    assert errors == []


def test_document_content(exported: Path):
    d = json.loads(exported.read_text("utf-8"))
    assert d["spdxVersion"] == "SPDX-2.3" and d["dataLicense"] == "CC0-1.0"
    assert d["creationInfo"] == {"created": "2023-11-14T22:13:20Z", "creators": ["Tool: mofcheck-0.1.0"]}
    pkgs = {p["name"]: p for p in d["packages"]}
    release = pkgs["Tiny-LM"]
    assert release["versionInfo"] == "1.0.0"
    assert release["supplier"] == "Organization: Example Lab"
    assert release["downloadLocation"] == "https://github.com/example/tiny-lm"
    assert release["homepage"] == "https://huggingface.co/example/tiny-lm"
    assert release["licenseDeclared"] == "Apache-2.0"
    assert release["releaseDate"] == "2025-03-01T00:00:00Z"
    assert {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:huggingface/example/tiny-lm"} in release["externalRefs"]
    assert "Class" in release["comment"] or "Unclassified" in release["comment"]

    arch = pkgs["Model architecture"]
    assert (arch["licenseConcluded"], arch["licenseDeclared"]) == ("Apache-2.0", "Apache-2.0")  # inherited
    assert arch["downloadLocation"] == "https://github.com/example/tiny-lm/tree/main/model"
    assert arch["primaryPackagePurpose"] == "SOURCE"
    assert "status: met" in arch["comment"]

    weights = pkgs["Model parameters (Final)"]
    assert weights["primaryPackagePurpose"] == "OTHER"
    assert weights["licenseConcluded"] == "LicenseRef-Llama-3-Community"
    assert "status: restrictive" in weights["comment"]
    refs = {e["licenseId"]: e for e in d["hasExtractedLicensingInfos"]}
    assert refs["LicenseRef-Llama-3-Community"]["name"] == "Llama 3 Community"
    assert refs["LicenseRef-Llama-3-Community"]["seeAlsos"] == ["https://llama.meta.com/llama3/license/"]

    card = pkgs["Model card"]
    assert card["downloadLocation"] == "NOASSERTION" and "component path: MODEL_CARD.md" in card["comment"]
    data_card = pkgs["Data card"]
    assert (data_card["licenseConcluded"], data_card["licenseDeclared"]) == ("NOASSERTION", "NONE")
    assert "status: unlicensed" in data_card["comment"]
    assert pkgs["Training code"]["licenseConcluded"] == "MIT OR Apache-2.0"

    ids = {p["name"]: p["SPDXID"] for p in d["packages"]}
    rels = {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]) for r in d["relationships"]}
    assert ("SPDXRef-DOCUMENT", "DESCRIBES", ids["Tiny-LM"]) in rels
    assert {r for r in rels if r[1] == "CONTAINS"} == {(ids["Tiny-LM"], "CONTAINS", ids[n]) for n in ids if n != "Tiny-LM"}


def test_output_is_reproducible_with_source_date_epoch(exported: Path, tmp_path: Path):
    again = tmp_path / "again.json"
    assert cli("export", str(tmp_path), "--format", "spdx", "--mode", "mot", "--output", str(again))[0] == 0
    assert again.read_bytes() == exported.read_bytes()


def test_bad_source_date_epoch_is_an_input_error(tmp_path: Path, monkeypatch):
    (tmp_path / "mof.yml").write_text(MANIFEST, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, out, err = cli("export", str(tmp_path), "--format", "spdx", "--mode", "mot")
    assert code == 2 and out == "" and "SOURCE_DATE_EPOCH" in err


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("mode", ["mot", "mof"])
def test_every_mot_model_exports_valid_spdx_2_3(mode: str):
    import jsonschema

    from mofcheck.check import CheckOptions
    from mofcheck.export import collect
    from mofcheck.export.spdx2 import build, to_json, validate

    models = SHARED / "mot" / "models"
    if not models.is_dir():
        pytest.skip(f"needs MOT's models at {models} (../shared beside the repository); absent here")
    validator = jsonschema.Draft7Validator(schema_2_3())
    bad = []
    for f in sorted(models.glob("*.yml")):
        _, releases = collect(CheckOptions(path=f, mode=mode))
        doc = build(releases)
        problems = validate(doc) + [e.message for e in validator.iter_errors(to_json(doc))]
        if problems:
            bad.append((f.name, problems[:2]))
    assert bad == []


def test_mof_mode_normalises_declared_licenses_and_names_known_refs(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    text = MANIFEST.replace("{name: Apache-2.0, path:", "{name: 'Apache 2.0', path:").replace("'Llama 3 Community'", "llama3")
    (tmp_path / "mof.yml").write_text(text, encoding="utf-8")
    code, out, _ = cli("export", str(tmp_path), "--format", "spdx")  # mof mode is the default
    assert code == 0
    d = json.loads(out)
    pkgs = {p["name"]: p for p in d["packages"]}
    assert pkgs["Tiny-LM"]["licenseDeclared"] == "Apache-2.0"
    assert pkgs["Model architecture"]["licenseDeclared"] == "Apache-2.0"
    weights = pkgs["Model parameters (Final)"]
    assert weights["licenseDeclared"] == weights["licenseConcluded"] == "LicenseRef-Llama-3"
    (ref,) = d["hasExtractedLicensingInfos"]
    assert ref["licenseId"] == "LicenseRef-Llama-3" and "Llama 3" in ref["name"] and ref["name"] != "LicenseRef-Llama-3"


def test_several_releases_are_described_by_one_document(tmp_path: Path, monkeypatch):
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import (
        validate_full_spdx_document,
    )

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    d = tmp_path / ".mof"
    d.mkdir()
    (d / "a.yml").write_text(MANIFEST, encoding="utf-8")
    (d / "b.yml").write_text(MANIFEST.replace("Tiny-LM", "Tiny-LM-Chat"), encoding="utf-8")
    out = tmp_path / "all.spdx.json"
    assert cli("export", str(tmp_path), "--format", "spdx", "--output", str(out))[0] == 0
    doc = parse_file(str(out))
    assert [m.validation_message for m in validate_full_spdx_document(doc)] == []
    described = sorted(r.related_spdx_element_id for r in doc.relationships if r.relationship_type.name == "DESCRIBES")
    assert described == ["SPDXRef-Release1-Tiny-LM", "SPDXRef-Release2-Tiny-LM-Chat"]
    assert len(doc.packages) == 2 * 6
    # --model narrows it to one
    assert cli("export", str(tmp_path), "--format", "spdx", "--model", "Tiny-LM-Chat", "--output", str(out))[0] == 0
    assert [p.name for p in parse_file(str(out)).packages][0] == "Tiny-LM-Chat"
