"""SPDX 3.0.1 AI / Dataset documents committed in a repository are license evidence (readers.spdx3):
round trip with `export --format spdx3`, datasets named by trainedOn, hostile documents, lazy imports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from mofcheck.readers import REGISTRY, get
from mofcheck.repo import Repo

from .conftest import FIXTURES, git
from .test_export_spdx3 import schema_errors

EPOCH = "1700000000"
CTX = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"


def _export(cli, fixture: str, monkeypatch) -> tuple[dict, dict]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    run = cli("export", str(FIXTURES / fixture), "--format", "spdx3")
    assert run.code == 0, run.err
    report = json.loads(cli("check", str(FIXTURES / fixture), "--format", "json", "--no-config").out)
    return json.loads(run.out), report


def _repo_with(tmp_path, files: dict[str, str]):
    r = tmp_path / "r"
    r.mkdir()
    for name, text in files.items():
        (r / name).write_text(text, encoding="utf-8")
    git(r, "init", "-q")
    git(r, "add", "-A")
    git(r, "commit", "-qm", "sbom")
    return r


def _sources(r) -> tuple[list, list]:
    ev = get("spdx3").read(Repo.open(r))
    return ev.licenses, ev.findings


def test_registered():
    assert REGISTRY["spdx3"] == "mofcheck.readers.spdx3"
    assert get("spdx3").REMOTE is False


@pytest.mark.parametrize("fixture", ["class1-open-science", "restrictive-weights", "osaid-data-information"])
def test_round_trip_reads_back_every_component_license(cli, tmp_path, monkeypatch, fixture):
    doc, report = _export(cli, fixture, monkeypatch)
    assert schema_errors(doc) == []  # the official 3.0.1 schema (skips without ../shared)
    r = _repo_with(tmp_path, {"release.spdx3.json": json.dumps(doc, indent=2)})
    sources, findings = _sources(r)
    assert findings == []
    got = {c: s.expression for s in sources for c in s.covers if s.specificity == 3}
    want = {c["name"]: c["license"]["expression"] for c in report["models"][0]["components"] if c["listed"] and c["license"] and c["license"]["expression"]}
    assert want and got == want
    assert all(s.kind == "spdx-document" and s.path == "release.spdx3.json" and s.line for s in sources)


def test_a_committed_spdx3_document_is_evidence_in_check(cli, tmp_path, monkeypatch):
    doc, _ = _export(cli, "class3-open-model", monkeypatch)
    text = json.dumps(doc).replace('"simplelicensing_licenseExpression": "CDLA-Permissive-2.0"', '"simplelicensing_licenseExpression": "CC-BY-NC-4.0"')
    r = tmp_path / "r"
    shutil.copytree(FIXTURES / "class3-open-model", r)
    (r / "sbom.spdx3.json").write_text(text)
    git(r, "init", "-q")
    git(r, "add", "-A")
    report = json.loads(cli("check", str(r), "--format", "json", "--no-config").out)
    weights = next(c for c in report["models"][0]["components"] if c["name"] == "Model parameters (Final)")
    assert weights["status"] == "conflict" and "sbom.spdx3.json" in weights["reason"]
    assert not any(f["code"] == "evidence.spdx-invalid" for f in report["findings"])


AI_BOM = {
    "@context": CTX,
    "@graph": [
        {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1", "created": "2026-01-01T00:00:00Z", "createdBy": ["https://example.org/bom#tool"]},
        {"type": "Tool", "spdxId": "https://example.org/bom#tool", "creationInfo": "_:ci", "name": "other-aibom-tool"},
        {"type": "ai_AIPackage", "spdxId": "https://example.org/bom#model", "creationInfo": "_:ci", "name": "finch-7b", "software_primaryPurpose": "model"},
        {
            "type": "dataset_DatasetPackage",
            "spdxId": "https://example.org/bom#c4",
            "creationInfo": "_:ci",
            "name": "c4-en",
            "software_primaryPurpose": "data",
            "dataset_datasetType": ["text"],
        },
        {
            "type": "dataset_DatasetPackage",
            "spdxId": "https://example.org/bom#bench",
            "creationInfo": "_:ci",
            "name": "bench",
            "software_primaryPurpose": "data",
            "dataset_datasetType": ["text"],
        },
        {
            "type": "Relationship",
            "spdxId": "https://example.org/bom#r1",
            "creationInfo": "_:ci",
            "from": "https://example.org/bom#model",
            "relationshipType": "trainedOn",
            "to": ["https://example.org/bom#c4"],
        },
        {
            "type": "Relationship",
            "spdxId": "https://example.org/bom#r2",
            "creationInfo": "_:ci",
            "from": "https://example.org/bom#model",
            "relationshipType": "testedOn",
            "to": ["https://example.org/bom#bench"],
        },
        {
            "type": "Relationship",
            "spdxId": "https://example.org/bom#r3",
            "creationInfo": "_:ci",
            "from": "https://example.org/bom#c4",
            "relationshipType": "hasDeclaredLicense",
            "to": ["https://spdx.org/licenses/ODC-By-1.0"],
        },
        {
            "type": "Relationship",
            "spdxId": "https://example.org/bom#r4",
            "creationInfo": "_:ci",
            "from": "https://example.org/bom#bench",
            "relationshipType": "hasConcludedLicense",
            "to": ["https://spdx.org/rdf/3.0.1/terms/Expanded/NoAssertionLicense"],
        },
        {
            "type": "Relationship",
            "spdxId": "https://example.org/bom#r5",
            "creationInfo": "_:ci",
            "from": "https://example.org/bom#model",
            "relationshipType": "hasDeclaredLicense",
            "to": ["https://example.org/bom#lic"],
        },
        {
            "type": "simplelicensing_LicenseExpression",
            "spdxId": "https://example.org/bom#lic",
            "creationInfo": "_:ci",
            "simplelicensing_licenseExpression": "Apache-2.0",
        },
        {
            "type": "SpdxDocument",
            "spdxId": "https://example.org/bom#doc",
            "creationInfo": "_:ci",
            "rootElement": ["https://example.org/bom#model"],
            "profileConformance": ["core", "software", "ai", "dataset", "simpleLicensing"],
        },
    ],
}


def test_datasets_the_model_is_trained_on(tmp_path):
    assert schema_errors(AI_BOM) == []
    r = _repo_with(tmp_path, {"model.spdx3.jsonld": json.dumps(AI_BOM, indent=1)})
    sources, findings = _sources(r)
    assert findings == []
    by = {tuple(sorted(s.covers)) if s.specificity == 3 else "package": s for s in sources}
    assert by[("Datasets",)].expression == "ODC-By-1.0" and "dataset_DatasetPackage 'c4-en' (declared)" in by[("Datasets",)].detail
    assert ("Evaluation data",) not in by  # NoAssertion states nothing
    assert by["package"].expression == "Apache-2.0" and by["package"].specificity == 1


HOSTILE = [
    b"{not json",
    b"[]",
    b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": 5}',
    b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [1, "x", null, {"type": "Relationship", "from": 3, "to": {"a": 1}},'
    b' {"type": "Relationship", "from": "p", "relationshipType": "hasDeclaredLicense", "to": ["l", 7, null]},'
    b' {"type": "software_Package", "spdxId": "p", "name": ["Datasets"]},'
    b' {"type": "simplelicensing_LicenseExpression", "spdxId": "l", "simplelicensing_licenseExpression": "' + b"MIT AND " * 500 + b'MIT"}]}',
    b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
    b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [' + b",".join([b"{}"] * 60_000) + b"]}",
    b'\xff\xfe{"@context": "https://spdx.org/rdf/3.0.1/x"}',
]


@pytest.mark.parametrize("data", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_documents_are_findings_never_crashes(data):
    from mofcheck.evidence.items import EvidenceSet
    from mofcheck.readers import spdx3

    ev = EvidenceSet()
    spdx3.add_document(ev, "bad.spdx3.json", data)
    assert ev.licenses == []
    assert all(f.code == "evidence.spdx-invalid" and f.path == "bad.spdx3.json" for f in ev.findings)


def test_hostile_document_in_a_repository(cli, tmp_path):
    r = _repo_with(tmp_path, {"README.md": "# x\n"})
    (r / "bad.spdx3.json").write_bytes(HOSTILE[3])
    (r / "deep.spdx3.json").write_bytes(HOSTILE[4])
    git(r, "add", "-A")
    run = cli("check", str(r), "--format", "json", "--no-config")
    assert "Traceback" not in run.err
    codes = [f["code"] for f in json.loads(run.out)["findings"]]
    assert codes.count("evidence.spdx-invalid") == 1  # the deep one; the other reads as nothing


def test_spdx3_documents_do_not_import_spdx_tools(tmp_path):
    r = _repo_with(tmp_path, {"model.spdx3.json": json.dumps(AI_BOM), "README.md": "---\nlicense: mit\n---\n# m\n"})
    probe = (
        "import io, sys\nfrom contextlib import redirect_stdout\nfrom mofcheck.cli import main\n"
        "with redirect_stdout(io.StringIO()):\n    main(sys.argv[1:])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('spdx_tools', 'spdx_python_model'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, "check", str(r), "--no-config", "--format", "json"], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
