"""What the GitHub front says, derived from the report dict only: headline, status text, annotations, badge."""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import quote

from .publish import Content

STATE = {0: "success", 1: "failure", 2: "error"}  # commit status per exit code
CONCLUSION = {0: "success", 1: "failure", 2: "failure"}  # check run per exit code
LEVEL = {"error": "failure", "warning": "warning", "info": "notice"}
BADGE_COLOR = {1: "brightgreen", 2: "green", 3: "blue"}  # anything else: lightgrey
NO_MODEL_LABEL = "not classified"


def headline(report: dict[str, Any]) -> dict[str, Any] | None:
    """The release the outputs speak for: the least open one (unclassified first, then the highest class number)."""
    models = report.get("models") or []
    if not models:
        return None
    return max(models, key=lambda m: (m.get("class") == 0, m.get("class") or 0))


def class_and_label(report: dict[str, Any]) -> tuple[int, str]:
    m = headline(report)
    if m is None:
        return 0, NO_MODEL_LABEL
    return int(m.get("class") or 0), str(m.get("class_label") or NO_MODEL_LABEL)


def progress_json(report: dict[str, Any]) -> str:
    m = headline(report)
    return json.dumps(m.get("progress", {}) if m else {}, sort_keys=True, separators=(",", ":"))


def description(report: dict[str, Any]) -> str:
    """The commit-status line: at most 140 characters."""
    models = report.get("models") or []
    gate = report.get("gate") or {}
    _, label = class_and_label(report)
    if not models:
        text = "no MOF manifest found"
    elif len(models) == 1:
        text = f"{models[0].get('name')}: {label}"
    else:
        text = f"{len(models)} releases, least open: {label}"
    if gate.get("exit_code") == 2:
        text += " - input error"
    elif gate and not gate.get("passed", True):
        text += " - gate failed"
    from ..report.escape import terminal

    return terminal(text, 140)  # names come from manifests: one line, no control characters


def rebase_paths(report: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A copy whose finding paths are relative to the repository root rather than the checked folder."""
    prefix = prefix.strip("/")
    if not prefix or prefix == ".":
        return report
    out = copy.deepcopy(report)

    def fix(items: list[dict[str, Any]], key: str = "path") -> None:
        for d in items:
            p = d.get(key) if isinstance(d, dict) else None
            if isinstance(p, str) and p and "://" not in p and not p.startswith("/"):
                d[key] = f"{prefix}/{p}"

    out["root"] = "."  # the paths are now the repository's: the formats must not put the folder in front again
    fix(out.get("findings") or [])
    for m in out.get("models") or []:
        fix(m.get("findings") or [])
        fix([m], "manifest")
        for c in m.get("components") or []:
            fix(c.get("evidence") or [])
    return out


def check_annotations(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Check-run annotations for findings that have a file (the API requires a path)."""
    out = []
    for m in [None, *(report.get("models") or [])]:
        findings = (report.get("findings") or []) if m is None else (m.get("findings") or [])
        for f in findings:
            path = f.get("path") or (m.get("manifest") if m else None)
            if not isinstance(path, str) or not path or "://" in path:
                continue
            line = f.get("line") or 1
            out.append(
                {
                    "path": path,
                    "start_line": line,
                    "end_line": line,
                    "annotation_level": LEVEL.get(f.get("severity"), "notice"),
                    "title": str(f.get("code") or "mofcheck")[:255],
                    "message": str(f.get("message") or "")[:60000],
                }
            )
    return out


def _shields_escape(text: str) -> str:
    return quote(text.replace("-", "--").replace("_", "__"), safe="")


def badge_url(report: dict[str, Any]) -> str:
    """The static shields.io URL `mofcheck badge --format url` gives for the headline release; without a
    release (or a badge module), label MOF and the class label as message."""
    m = headline(report)
    if m is not None:
        try:
            from .. import badge
        except ImportError:
            badge = None  # type: ignore[assignment]
        if badge is not None:
            return badge.static_url(badge.badge_for(m, report))
    cls, label = class_and_label(report)
    color = BADGE_COLOR.get(cls, "lightgrey")
    return f"https://img.shields.io/badge/{_shields_escape('MOF')}-{_shields_escape(label)}-{color}"


def ensure_marker(body: str, marker: str) -> str:
    return body if marker in body else f"{marker}\n{body}"


def build(report: dict[str, Any], *, marker: str, comment: str, summary: str) -> Content:
    exit_code = int((report.get("gate") or {}).get("exit_code", 0))
    _, label = class_and_label(report)
    return Content(
        state=STATE.get(exit_code, "error"),
        description=description(report),
        conclusion=CONCLUSION.get(exit_code, "failure"),
        title=f"MOF: {label}",
        summary=summary,
        comment=ensure_marker(comment, marker),
        marker=marker,
        annotations=check_annotations(report),
    )
