"""SPDX documents committed in a repository are evidence (read with spdx-tools, only when present)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from .conftest import FIXTURES
from .fixture_repos import check_git, copy_fixture


def _spdx(weights_license: str) -> dict:
    pkg = lambda i, name, lic: {  # noqa: E731
        "SPDXID": f"SPDXRef-{i}",
        "name": name,
        "downloadLocation": "NOASSERTION",
        "licenseConcluded": lic,
        "licenseDeclared": lic,
        "filesAnalyzed": False,
    }
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "wren",
        "documentNamespace": "https://example.org/spdx/wren-1",
        "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: test"]},
        "packages": [pkg("release", "Wren-3B", "Apache-2.0"), pkg("weights", "Model parameters (Final)", weights_license)],
        "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-release"}],
    }


def _repo(tmp_path, name: str, content: str):
    r = tmp_path / "r"
    shutil.copytree(FIXTURES / "class3-open-model", r)
    (r / name).write_text(content)
    subprocess.run(["git", "init", "-q"], cwd=r, check=True)
    subprocess.run(["git", "add", "-A"], cwd=r, check=True)
    return r


def _check(cli, r):
    run = cli("check", str(r), "--format", "json", "--no-config")
    return run.code, json.loads(run.out)


def test_spdx_document_package_license_is_evidence_and_can_conflict(cli, tmp_path):
    code, report = _check(cli, _repo(tmp_path, "sbom.spdx.json", json.dumps(_spdx("CC-BY-NC-4.0"))))
    weights = next(c for c in report["models"][0]["components"] if c["name"] == "Model parameters (Final)")
    assert weights["status"] == "conflict", weights["reason"]
    assert any(e["rule"] == "license.spdx-document" and e["path"] == "sbom.spdx.json" for e in weights["evidence"])
    codes = {f["code"] for f in report["models"][0]["findings"]}
    assert "license.conflict" in codes and report["models"][0]["class"] == 0


def test_agreeing_spdx_document_keeps_the_class(cli, tmp_path):
    code, report = _check(cli, _repo(tmp_path, "sbom.spdx.json", json.dumps(_spdx("CDLA-Permissive-2.0"))))
    assert report["models"][0]["class"] == 3


def test_broken_spdx_document_is_a_finding_not_a_crash(cli, tmp_path):
    code, report = _check(cli, _repo(tmp_path, "sbom.spdx.json", '{"spdxVersion": "SPDX-2.3", "packages": [}'))
    assert code == 0 and report["models"][0]["class"] == 3
    assert any(f["code"] == "evidence.spdx-invalid" and f["path"] == "sbom.spdx.json" for f in report["findings"])


def test_spdx_document_without_the_extra_is_reported_as_not_read(cli, tmp_path, monkeypatch):
    r = copy_fixture(tmp_path)
    (r / "sbom.spdx.json").write_text('{"spdxVersion": "SPDX-2.3"}')
    monkeypatch.setitem(sys.modules, "spdx_tools", None)  # as if the spdx extra were not installed
    run, report = check_git(cli, r)
    codes = {f["code"] for f in report["findings"]}
    assert "evidence.spdx-unread" in codes and "evidence.spdx-invalid" not in codes
