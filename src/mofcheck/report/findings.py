"""Findings across a report dict: collecting them with their release, ranking, and anchoring them on
repository files (for annotations and SARIF, which must point at real files in the checked repository)."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..checks import SEVERITY_RANK
from ..urls import is_url


@dataclass(frozen=True)
class Item:
    finding: dict[str, Any]
    model: dict[str, Any] | None  # the release it belongs to; None for report-level findings
    index: int  # position in the report, for a stable order


def collect(report: dict[str, Any]) -> list[Item]:
    """Report-level findings first, then each release's, in report order."""
    items = [Item(f, None, 0) for f in report.get("findings") or []]
    for model in report.get("models") or []:
        items.extend(Item(f, model, 0) for f in model.get("findings") or [])
    return [Item(it.finding, it.model, i) for i, it in enumerate(items)]


def severity_rank(finding: dict[str, Any]) -> int:
    return SEVERITY_RANK.get(str(finding.get("severity")), len(SEVERITY_RANK))


def line_of(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


def repo_relative(path: Any, root: Any = None) -> str | None:
    """A repository-relative POSIX path, or None for URLs, paths outside the repository and junk."""
    if not isinstance(path, str) or not path.strip() or is_url(path) or "\x00" in path:
        return None
    p = path  # POSIX: a backslash is part of a name (`escape.name` writes `\\xff` for a byte)
    if p.startswith("/") or re.match(r"^[A-Za-z]:[/\\]", p):
        base = root.replace("\\", "/").rstrip("/") if isinstance(root, str) else ""
        if not base.startswith("/") or not p.startswith(base + "/"):
            return None
        p = p[len(base) + 1 :]
    p = posixpath.normpath(p)
    if p in (".", "") or p == ".." or p.startswith("../"):
        return None
    return p


def root_prefix(root: Any, cwd: str | None = None) -> str:
    """What to put before a root-relative path to make it relative to the working directory (the
    repository checkout in a GitHub workflow), e.g. "models/tiny/" for `mofcheck check models/tiny`.
    Empty when the checked folder is the working directory or lies outside it (then it is taken to be
    the repository itself)."""
    if not isinstance(root, str) or not root.strip():
        return ""
    r = root.replace("\\", "/")
    if os.path.isabs(r):
        try:
            r = Path(r).resolve().relative_to(Path(cwd or os.getcwd()).resolve()).as_posix()
        except (ValueError, OSError):
            return ""
    r = posixpath.normpath(r)
    if r in (".", "") or r == ".." or r.startswith("../"):
        return ""
    return r + "/"


def manifest_line(model: dict[str, Any] | None, component: Any) -> int | None:
    """Where the manifest lists `component` (its manifest evidence), if known."""
    if not model or not component:
        return None
    for comp in model.get("components") or []:
        if comp.get("name") != component:
            continue
        for ev in comp.get("evidence") or []:
            if ev.get("kind") == "manifest" and ev.get("path") == model.get("manifest") and line_of(ev.get("line")):
                return ev["line"]
    return None


def readme(model: dict[str, Any] | None, root: Any) -> str | None:
    """A README the report's evidence points at, if any."""
    for comp in (model or {}).get("components") or []:
        for ev in comp.get("evidence") or []:
            p = repo_relative(ev.get("path"), root)
            if p and posixpath.basename(p).lower().startswith("readme"):
                return p
    return None


def anchor(item: Item, root: Any, *, any_finding: bool = False, use_readme: bool = False) -> tuple[str | None, int | None]:
    """The file (relative to the working directory, see `root_prefix`) and line to show a finding on: its
    own path; else, for a finding about a component (or any finding with `any_finding`), the release's
    manifest at the component's line when known; else (optionally) a README; (None, None) if none."""
    f = item.finding
    prefix = root_prefix(root)
    path = repo_relative(f.get("path"), root)
    if path:
        return prefix + path, line_of(f.get("line"))
    if item.model is not None and (any_finding or f.get("component")):
        manifest = repo_relative(item.model.get("manifest"), root)
        if manifest:
            return prefix + manifest, manifest_line(item.model, f.get("component"))
        if use_readme:
            found = readme(item.model, root)
            if found:
                return prefix + found, None
    return None, None
