"""SARIF 2.1.0 for GitHub code scanning: one run, every rule from data/checks.yaml (so an alert whose
finding went away is closed, not orphaned), results anchored on real repository files only.

`partialFingerprints["mofcheck/v1"]` hashes what identifies a problem (code, component, path, release
name), never line numbers or message text, so alerts survive edits elsewhere in the file.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from ..checks import load_checks
from .escape import terminal
from .findings import Item, anchor, collect, line_of, repo_relative

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mofcheck/mofcheck"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(report: dict[str, Any], *, category: str = "mofcheck/", **_: Any) -> str:
    return json.dumps(build(report, category=category), indent=2, ensure_ascii=False) + "\n"


def build(report: dict[str, Any], *, category: str = "mofcheck/") -> dict[str, Any]:
    checks = load_checks()
    items = collect(report)
    codes = list(checks) + sorted({str(it.finding.get("code")) for it in items} - set(checks))
    rules = [_rule(code, checks.get(code)) for code in codes]
    index = {code: i for i, code in enumerate(codes)}
    seen: Counter[str] = Counter()
    results = [_result(it, index, report.get("root"), seen) for it in items]
    tool = report.get("tool") or {}
    # GitHub takes the category from the part of automationDetails.id before its last "/".
    category = str(category or "mofcheck/")
    if not category.endswith("/"):
        category += "/"
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mofcheck",
                        "version": str(tool.get("version") or "0"),
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": category},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _rule(code: str, info: dict[str, Any] | None) -> dict[str, Any]:
    info = info or {}
    short = str(info.get("short") or code)
    description = " ".join(str(info.get("description") or short).split())
    remediation = " ".join(str(info.get("remediation") or "").split())
    help_text = description + (f"\n\nRemediation: {remediation}" if remediation else "")
    help_md = description + (f"\n\n**Remediation:** {remediation}" if remediation else "")
    tags = ["mof", "openness", code.split(".")[0]]
    if info.get("lifecycle"):
        tags.append(str(info["lifecycle"]))
    return {
        "id": code,
        "name": "".join(part.capitalize() for part in code.replace("-", ".").split(".")),
        "shortDescription": {"text": short},
        "fullDescription": {"text": description},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": _LEVEL.get(str(info.get("severity")), "warning")},
        "properties": {"tags": tags},
    }


def fingerprint(item: Item, occurrence: int = 1) -> str:
    f = item.finding
    model = "" if item.model is None else str(item.model.get("name") or "")
    key = "\x00".join([str(f.get("code") or ""), str(f.get("component") or ""), str(f.get("path") or ""), model])
    if occurrence > 1:  # the same problem twice in one release: keep both alerts apart, stably
        key += f"\x00{occurrence}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(item: Item, index: dict[str, int], root: Any, seen: Counter[str]) -> dict[str, Any]:
    f = item.finding
    code = str(f.get("code"))
    fp = fingerprint(item)
    seen[fp] += 1
    if seen[fp] > 1:
        fp = fingerprint(item, seen[fp])
    text = terminal(f.get("message") or code, 4000)
    if f.get("hint"):
        text += " Fix: " + terminal(f["hint"], 1000)
    result: dict[str, Any] = {
        "ruleId": code,
        "ruleIndex": index[code],
        "level": _LEVEL.get(str(f.get("severity")), "warning"),
        "message": {"text": text},
        "locations": [],
        "partialFingerprints": {"mofcheck/v1": fp},
    }
    path, line = anchor(item, root, any_finding=True, use_readme=True)
    if path:
        # A file-level anchor (manifest or README without a known line) points at line 1.
        region: dict[str, Any] = {"startLine": line or 1}
        col = line_of(f.get("column"))
        if line and col and repo_relative(f.get("path"), root):
            region["startColumn"] = col
        result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"}, "region": region}}]
    props: dict[str, Any] = {}
    if f.get("component"):
        props["component"] = str(f["component"])
    if item.model is not None:
        props["release"] = str(item.model.get("name") or "")
    if props:
        result["properties"] = props
    return result


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/-._~")
