"""`mofcheck export --format spdx3`: SPDX 3.0.1 JSON-LD (AI and Dataset profiles), valid under the official schema."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from functools import lru_cache
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
  architecture: 'transformer decoder'
  treatment: pre-trained
  producer: Example Lab
  repository: 'https://github.com/example/tiny-lm'
  huggingface: 'https://huggingface.co/example/tiny-lm'
  license:
    distribution: {name: Apache-2.0, path: ''}
    data: {name: CC-BY-4.0, path: ''}
  components:
    - {name: 'Model architecture'}
    - {name: 'Model parameters (Final)', license: 'Llama 3 Community', license_path: 'https://llama.meta.com/llama3/license/'}
    - {name: Datasets, component_path: 'https://huggingface.co/datasets/example/corpus'}
    - {name: 'Evaluation data', component_path: 'data/eval'}
    - {name: 'Model card', license: CC-BY-4.0}
    - {name: 'Data card', license: unlicensed}
"""


def cli(*args: str) -> tuple[int, str, str]:
    from mofcheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@lru_cache(maxsize=1)
def _validator():
    """The official 3.0.1 schema with anyOf/oneOf that stop at the first matching branch.

    Same verdict as jsonschema's own keywords (a branch either validates or not), but ~15x faster: the
    stock keywords collect every error of every branch, which takes half a minute per document here.
    """
    import jsonschema
    from jsonschema import ValidationError, validators

    path = SHARED / "spdx" / "3.0.1" / "schema.json"
    if not path.is_file():
        return None

    def any_of(validator, subschemas, instance, schema):
        if not any(validator.evolve(schema=s).is_valid(instance) for s in subschemas):
            yield ValidationError(f"{instance!r:.120} is not valid under any of the given schemas")

    def one_of(validator, subschemas, instance, schema):
        hits = 0
        for s in subschemas:
            hits += validator.evolve(schema=s).is_valid(instance)
            if hits > 1:
                break
        if hits != 1:
            yield ValidationError(f"{instance!r:.120} matches {hits} of the oneOf schemas, not exactly one")

    fast = validators.extend(jsonschema.Draft202012Validator, {"anyOf": any_of, "oneOf": one_of})
    schema = json.loads(path.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return fast(schema)


def schema_errors(doc: dict) -> list[str]:
    v = _validator()
    if v is None:
        pytest.skip(f"needs the SPDX 3.0.1 JSON schema at {SHARED / 'spdx' / '3.0.1' / 'schema.json'} (../shared); absent here")
    if v.is_valid(doc):
        return []
    # say which element is wrong: each @graph element against the whole-document schema
    out = []
    for el in doc.get("@graph", []):
        one = {"@context": doc.get("@context"), "@graph": [el]}
        if not v.is_valid(one):
            out.append(f"{el.get('type')} {el.get('spdxId') or el.get('@id')}")
    return out or ["the document"]


@pytest.fixture
def doc(tmp_path: Path, monkeypatch) -> dict:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (tmp_path / "mof.yml").write_text(MANIFEST, encoding="utf-8")
    out = tmp_path / "sbom.spdx3.json"
    code, stdout, err = cli("export", str(tmp_path), "--format", "spdx3", "--mode", "mot", "--output", str(out))
    assert (code, stdout, err) == (0, "", "")
    return json.loads(out.read_text("utf-8"))


def _by_type(doc: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for el in doc["@graph"]:
        out.setdefault(el["type"], []).append(el)
    return out


def test_valid_under_the_official_spdx_3_0_1_schema(doc: dict):
    assert doc["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    assert schema_errors(doc) == []


def test_the_validator_catches_broken_documents(doc: dict):
    broken = json.loads(json.dumps(doc))
    pkg = next(e for e in broken["@graph"] if e["type"] == "ai_AIPackage")
    pkg["software_primaryPurpose"] = "weights"  # not a SoftwarePurpose
    assert schema_errors(broken) == [f"ai_AIPackage {pkg['spdxId']}"]
    broken = json.loads(json.dumps(doc))
    next(e for e in broken["@graph"] if e["type"] == "CreationInfo").pop("specVersion")
    assert schema_errors(broken) != []


def test_model_components_and_licenses(doc: dict):
    t = _by_type(doc)
    ids = {e.get("spdxId"): e for e in doc["@graph"]}
    (info,) = t["CreationInfo"]
    assert info["specVersion"] == "3.0.1" and info["created"] == "2023-11-14T22:13:20Z"
    assert [ids[i]["name"] for i in info["createdUsing"]] == ["mofcheck-0.1.0"]

    (document,) = t["SpdxDocument"]
    (model,) = t["ai_AIPackage"]
    assert document["rootElement"] == [model["spdxId"]]
    assert {"ai", "dataset", "software", "core", "simpleLicensing"} <= set(document["profileConformance"])
    assert set(document["element"]) == {e["spdxId"] for e in doc["@graph"] if "spdxId" in e} - {document["spdxId"]}

    assert model["name"] == "Tiny-LM" and model["software_packageVersion"] == "1.0.0"
    assert model["software_primaryPurpose"] == "model"
    assert model["ai_typeOfModel"] == ["transformer decoder", "language"]
    assert model["ai_informationAboutTraining"] == "pre-trained"
    assert model["software_packageUrl"] == "pkg:huggingface/example/tiny-lm"
    assert model["releaseTime"] == "2025-03-01T00:00:00Z"
    assert ids[model["suppliedBy"]]["name"] == "Example Lab"

    comps = {e["name"]: e for kind in ("software_Package", "dataset_DatasetPackage") for e in t.get(kind, [])}
    assert set(comps) == {"Model architecture", "Model parameters (Final)", "Datasets", "Evaluation data", "Model card", "Data card"}
    assert {e["name"] for e in t["dataset_DatasetPackage"]} == {"Datasets", "Evaluation data"}
    assert comps["Datasets"]["software_downloadLocation"] == "https://huggingface.co/datasets/example/corpus"
    assert comps["Evaluation data"]["software_sourceInfo"] == "component path: data/eval"
    purposes = {n: c["software_primaryPurpose"] for n, c in comps.items()}
    assert purposes == {
        "Model architecture": "source",
        "Model parameters (Final)": "model",
        "Datasets": "data",
        "Evaluation data": "data",
        "Model card": "documentation",
        "Data card": "documentation",
    }

    rels: dict[tuple[str, str], list[str]] = {}
    for r in t["Relationship"]:
        rels.setdefault((r["from"], r["relationshipType"]), []).extend(r["to"])
    assert set(rels[(model["spdxId"], "contains")]) == {c["spdxId"] for c in comps.values()}
    assert rels[(model["spdxId"], "trainedOn")] == [comps["Datasets"]["spdxId"]]
    assert rels[(model["spdxId"], "testedOn")] == [comps["Evaluation data"]["spdxId"]]

    def lic(name: str, kind: str) -> str:
        (target,) = rels[(comps[name]["spdxId"], kind)]
        el = ids.get(target)
        return el["simplelicensing_licenseExpression"] if el else target

    assert lic("Model architecture", "hasConcludedLicense") == "Apache-2.0"
    assert lic("Model architecture", "hasDeclaredLicense") == "Apache-2.0"
    assert lic("Datasets", "hasConcludedLicense") == "CC-BY-4.0"  # the data global
    assert lic("Model parameters (Final)", "hasConcludedLicense") == "LicenseRef-Llama-3-Community"
    assert lic("Data card", "hasConcludedLicense") == "expandedlicensing_NoAssertionLicense"
    assert lic("Data card", "hasDeclaredLicense") == "expandedlicensing_NoneLicense"

    (custom,) = t["expandedlicensing_CustomLicense"]
    assert custom["name"] == "Llama 3 Community"
    assert custom["expandedlicensing_seeAlso"] == ["https://llama.meta.com/llama3/license/"]
    ref = next(e for e in t["simplelicensing_LicenseExpression"] if e["simplelicensing_licenseExpression"] == "LicenseRef-Llama-3-Community")
    assert ref["simplelicensing_customIdToUri"] == [{"type": "DictionaryEntry", "key": "LicenseRef-Llama-3-Community", "value": custom["spdxId"]}]
    # one element per distinct expression
    exprs = [e["simplelicensing_licenseExpression"] for e in t["simplelicensing_LicenseExpression"]]
    assert len(exprs) == len(set(exprs))


def test_spdx_python_model_reads_it_back(doc: dict, tmp_path: Path):
    from spdx_python_model import v3_0_1 as spdx

    p = tmp_path / "doc.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    objects = spdx.SHACLObjectSet()
    with open(p, "rb") as fh:
        spdx.JSONLDDeserializer().read(fh, objects)
    models = list(objects.foreach_type(spdx.ai_AIPackage))
    assert [m.name for m in models] == ["Tiny-LM"]
    assert len(list(objects.foreach_type(spdx.dataset_DatasetPackage))) == 2


def test_reproducible_with_source_date_epoch(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (tmp_path / "mof.yml").write_text(MANIFEST, encoding="utf-8")
    first = cli("export", str(tmp_path), "--format", "spdx3", "--mode", "mot")[1]
    assert cli("export", str(tmp_path), "--format", "spdx3", "--mode", "mot")[1] == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 1))
    assert cli("export", str(tmp_path), "--format", "spdx3", "--mode", "mot")[1] != first


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("name", ["Pythia-1B.yml", "Llama-3.1-8B.yml", "OLMo-7B.yml"])
def test_mot_models_export_valid_spdx3(name: str):
    from mofcheck.check import CheckOptions
    from mofcheck.export import collect
    from mofcheck.export.spdx3 import build, to_json

    f = SHARED / "mot" / "models" / name
    if not f.is_file():
        pytest.skip(f"needs {f} (../shared beside the repository); absent here")
    _, releases = collect(CheckOptions(path=f, mode="mot"))
    assert schema_errors(to_json(build(releases)[0])) == []


def test_two_releases_share_their_producer(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    d = tmp_path / ".mof"
    d.mkdir()
    (d / "a.yml").write_text(MANIFEST, encoding="utf-8")
    (d / "b.yml").write_text(MANIFEST.replace("Tiny-LM", "Tiny-LM-Chat"), encoding="utf-8")
    code, out, _ = cli("export", str(tmp_path), "--format", "spdx3")
    assert code == 0
    doc = json.loads(out)
    t = _by_type(doc)
    (document,) = t["SpdxDocument"]
    assert sorted(m["name"] for m in t["ai_AIPackage"]) == ["Tiny-LM", "Tiny-LM-Chat"]
    assert sorted(document["rootElement"]) == sorted(m["spdxId"] for m in t["ai_AIPackage"])
    assert [o["name"] for o in t["Organization"]] == ["Example Lab"]
    ids = [e["spdxId"] for e in doc["@graph"] if "spdxId" in e]
    assert len(ids) == len(set(ids))
    assert schema_errors(doc) == []
