"""SPDX 3.0.1 JSON-LD documents committed in the repository (AI and Dataset profiles), as license evidence.

A package named after a MOF component (as `mofcheck export --format spdx3` writes them: `software_Package`
or `dataset_DatasetPackage`) states that component's license; a `dataset_DatasetPackage` the model is
`trainedOn` states the Datasets' license, one it is `testedOn` the Evaluation data's; the `ai_AIPackage`
states the release's license like a package manifest. Licenses come from `hasConcludedLicense` (else
`hasDeclaredLicense`) relationships to `simplelicensing_LicenseExpression` elements, SPDX License List IRIs
or `expandedlicensing_CustomLicense` elements; NoAssertion and None state nothing.

The document is read as plain JSON (the serialisation's compact form with the SPDX 3 context): bounded,
and never raising; what cannot be read is a finding.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..evidence.items import EvidenceSet, LicenseSource
from ..evidence.rules import component_rules, license_expression
from ..framework import role
from ..model import Finding

NAME = "spdx3"
REMOTE = False

MAX_ELEMENTS = 50_000
MAX_EXPRESSION = 1_000
LISTED = "https://spdx.org/licenses/"
NO_LICENSE = ("/NoneLicense", "/NoAssertionLicense", "NoneLicense", "NoAssertionLicense")
PACKAGES = ("software_Package", "ai_AIPackage", "dataset_DatasetPackage")
LICENSE_KINDS = (("hasConcludedLicense", "concluded"), ("hasDeclaredLicense", "declared"))
DATA_USES = {"trainedOn": "datasets", "testedOn": "evaluation-data"}  # SPDX relationship -> component role


def is_spdx3(data: bytes) -> bool:
    """A JSON-LD document with the SPDX 3 context (checked on its head only)."""
    head = data[:4096].lstrip()
    return head.startswith(b"{") and b"@context" in head and b"spdx.org/rdf/3." in data[:65536]


def read(tree) -> EvidenceSet:
    """The licenses that the SPDX 3 documents in `tree` state (what `spdx.add_documents` does for them)."""
    from ..evidence.paths import classify_paths
    from . import spdx

    ev = EvidenceSet(repo=tree, index=classify_paths(tree.files))
    spdx.add_documents(ev)
    return ev


def add_document(ev: EvidenceSet, path: str, data: bytes) -> None:
    """Add the licenses one SPDX 3 document states; a document that cannot be read is a finding."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
        ev.licenses.extend(sources(doc, path, data))
    except Exception as exc:  # noqa: BLE001 - hostile or broken input is a finding, never a crash
        msg = " ".join(str(exc).split())[:300]
        ev.findings.append(Finding.of("evidence.spdx-invalid", f"{path}: not a readable SPDX 3 JSON-LD document: {msg}", path, None))


def _graph(doc: Any) -> list[dict[str, Any]]:
    if not isinstance(doc, dict):
        raise ValueError("the top level is not a JSON object")
    graph = doc.get("@graph", [doc] if "type" in doc else None)
    if not isinstance(graph, list):
        raise ValueError("no @graph list of elements")
    if len(graph) > MAX_ELEMENTS:
        raise ValueError(f"more than {MAX_ELEMENTS} elements")
    return [e for e in graph if isinstance(e, dict)]


def _id(e: dict[str, Any]) -> str | None:
    v = e.get("spdxId", e.get("@id"))
    return v if isinstance(v, str) else None


def _targets(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [v for v in items if isinstance(v, str)]


def _license_text(target: str, by_id: dict[str, dict[str, Any]]) -> str | None:
    """The license a relationship target names (None: NoAssertion, None or unreadable)."""
    if target.endswith(NO_LICENSE):
        return None
    if target.startswith(LISTED):
        lid = target[len(LISTED) :].strip("/")
        return lid if re.fullmatch(r"[A-Za-z0-9.+\-]+", lid) else None
    e = by_id.get(target)
    if e is None:
        return None
    kind = e.get("type")
    if kind == "simplelicensing_LicenseExpression":
        text = e.get("simplelicensing_licenseExpression")
        return text.strip() if isinstance(text, str) and 0 < len(text.strip()) <= MAX_EXPRESSION else None
    if kind in ("expandedlicensing_CustomLicense", "expandedlicensing_ListedLicense"):
        frag = target.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if kind == "expandedlicensing_CustomLicense" and not frag.startswith("LicenseRef-"):
            name = e.get("name") if isinstance(e.get("name"), str) else frag
            frag = "LicenseRef-" + (re.sub(r"[^A-Za-z0-9.\-]+", "-", name).strip("-") or "custom")
        return frag[:MAX_EXPRESSION] or None
    return None


def _line(data: bytes, needle: str) -> int | None:
    i = data.find(needle.encode("utf-8"))
    return data.count(b"\n", 0, i) + 1 if i >= 0 else None


def sources(doc: Any, path: str, data: bytes = b"") -> list[LicenseSource]:
    """One LicenseSource per package that names (or is used as) a MOF component and states a license."""
    graph = _graph(doc)
    by_id = {i: e for e in graph if (i := _id(e))}
    rels = [e for e in graph if e.get("type") == "Relationship" and isinstance(e.get("from"), str)]
    licenses: dict[str, dict[str, str]] = {}  # package id -> {concluded|declared: text}
    used_as: dict[str, str] = {}  # dataset package id -> component, from trainedOn / testedOn
    for r in rels:
        kind = r.get("relationshipType")
        for rel, which in LICENSE_KINDS:
            if kind == rel:
                texts = [t for t in (_license_text(x, by_id) for x in _targets(r.get("to"))) if t]
                if texts:
                    licenses.setdefault(r["from"], {}).setdefault(
                        which, " AND ".join(f"({t})" if " " in t else t for t in texts) if len(texts) > 1 else texts[0]
                    )
        if kind in DATA_USES and by_id.get(r["from"], {}).get("type") == "ai_AIPackage":
            for x in _targets(r.get("to")):
                used_as.setdefault(x, role(DATA_USES[kind]))
    rules = component_rules()
    names = set(rules["components"])
    out = []
    for pid, lic in licenses.items():
        e = by_id.get(pid)
        if e is None or e.get("type") not in PACKAGES:
            continue
        name = e.get("name") if isinstance(e.get("name"), str) else ""
        if name in names:
            covers, spec = frozenset({name}), 3
        elif e.get("type") == "dataset_DatasetPackage" and pid in used_as:
            covers, spec = frozenset({used_as[pid]}), 3
        elif e.get("type") == "ai_AIPackage":
            covers, spec = rules["_package"], 1
        else:
            continue
        which = "concluded" if "concluded" in lic else "declared"
        text = lic[which]
        expr, _known = license_expression(text)
        out.append(
            LicenseSource(
                expr, text, "spdx-document", path, _line(data, pid) if data else None, covers, None, spec, f"SPDX 3 {e.get('type')} {name!r} ({which})", 0.9
            )
        )
    return out


__all__ = ["NAME", "REMOTE", "read", "add_document", "is_spdx3", "sources"]
