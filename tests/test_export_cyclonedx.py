"""`mofcheck export --format cyclonedx`: a CycloneDX 1.6 ML-BOM, valid under cyclonedx-python-lib's strict
JSON validator for 1.6 on every fixture."""

from __future__ import annotations

import json
import os
from functools import lru_cache

import pytest

from .conftest import FIXTURES, shared_path

EPOCH = "1700000000"


@lru_cache(maxsize=1)
def _validator():
    pytest.importorskip("cyclonedx.validation.json", reason="cyclonedx-python-lib[json-validation] (the test extra) is not installed")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    return JsonStrictValidator(SchemaVersion.V1_6)


def errors(doc: dict) -> str | None:
    err = _validator().validate_str(json.dumps(doc))
    return None if err is None else err.data.message


def export(cli, *args: str) -> dict:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        run = cli("export", *args, "--format", "cyclonedx")
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH")
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    assert run.code == 0, run.err
    return json.loads(run.out)


RELEASES = sorted(
    p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in ("bad-manifests", "mot-differences", "framework-no-release", "dataset-repo")
)


@pytest.mark.parametrize("name", RELEASES)
def test_every_fixture_exports_a_valid_ml_bom(cli, name):
    doc = export(cli, str(FIXTURES / name))
    assert errors(doc) is None
    for model in doc["components"]:
        assert model["type"] == "machine-learning-model" and "modelCard" in model
        refs = {c["bom-ref"]: c for c in model.get("components", [])}
        for ds in model["modelCard"].get("modelParameters", {}).get("datasets", []):
            assert refs[ds["ref"]]["type"] == "data" and refs[ds["ref"]]["data"][0]["type"] == "dataset"


def test_the_validator_is_strict():
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [{"type": "model", "name": "x"}]}
    assert errors(doc) is not None  # not a component type
    doc["components"][0]["type"] = "machine-learning-model"
    assert errors(doc) is None
    doc["components"][0]["modelCard"] = {"modelParameters": {"datasets": [{"name": "no type"}]}}
    assert errors(doc) is not None


def test_model_card_licenses_and_properties(cli):
    doc = export(cli, str(FIXTURES / "class1-open-science"))
    (model,) = doc["components"]
    assert model["purl"] == "pkg:huggingface/example-open-lab/tern-1b"
    card = model["modelCard"]
    params = card["modelParameters"]
    assert params["architectureFamily"] == "transformer decoder" and "tern/model.py" in params["modelArchitecture"]
    assert len(params["datasets"]) == 2  # Datasets and Evaluation data
    assert card["considerations"]["useCases"][0].startswith("Intended for research")
    assert card["considerations"]["technicalLimitations"]
    props = {p["name"]: p["value"] for p in card["properties"]}
    assert props["mofcheck:mof-class"] == "1" and props["mofcheck:g7-label"] == "open-source-open-data"
    assert props["mofcheck:osaid-1.0"] == "meets"
    by_name = {c["name"]: c for c in model["components"]}
    assert by_name["Model parameters (Final)"]["type"] == "machine-learning-model"
    assert by_name["Model parameters (Final)"]["licenses"] == [{"expression": "CDLA-Permissive-2.0", "acknowledgement": "concluded"}]
    assert by_name["Training code"]["type"] == "application"
    assert by_name["Model card"]["type"] == "file"
    assert by_name["Research paper"]["externalReferences"] == [{"type": "documentation", "url": "https://arxiv.org/abs/2601.00001"}]
    assert doc["dependencies"][0]["ref"] == model["bom-ref"] and len(doc["dependencies"][0]["dependsOn"]) == len(model["components"])


def test_unlicensed_and_restrictive_components(cli):
    doc = export(cli, str(FIXTURES / "unlicensed"))
    comps = {c["name"]: c for c in doc["components"][0]["components"]}
    weights = comps["Model parameters (Final)"]
    assert "licenses" not in weights  # nothing concluded
    assert {"name": "mofcheck:status", "value": "unlicensed"} in weights["properties"]
    doc = export(cli, str(FIXTURES / "restrictive-weights"))
    weights = {c["name"]: c for c in doc["components"][0]["components"]}["Model parameters (Final)"]
    assert weights["licenses"][0]["expression"] == "LicenseRef-Llama-3.1"


def test_reproducible_and_several_releases(cli):
    a = export(cli, str(FIXTURES / "multi-model"))
    b = export(cli, str(FIXTURES / "multi-model"))
    assert a == b and a["metadata"]["timestamp"] == "2023-11-14T22:13:20Z"
    assert [m["name"] for m in a["components"]] == ["Sparrow-Base", "Sparrow-Chat"]
    refs = [c["bom-ref"] for m in a["components"] for c in [m, *m.get("components", [])]]
    assert len(refs) == len(set(refs))


@pytest.mark.parametrize("model", ["Pythia-1B.yml", "Llama-3.1-8B.yml", "OLMo-7B.yml"])
def test_mot_models(cli, model):
    path = shared_path("mot", "models", model)
    doc = export(cli, str(path), "--manifest", str(path))
    assert errors(doc) is None
