"""--baseline REF: the same check on a base commit (read from git, no checkout), and what changed."""

from __future__ import annotations

from typing import Any

from .framework import Framework
from .model import ModelResult

_ROMAN = {0: "no class", 1: "Class I", 2: "Class II", 3: "Class III"}


def worse(before: int, after: int) -> bool:
    """Whether `after` is a lower class than `before` (1 is the highest; 0 is none)."""
    if before == 0:
        return False
    return after == 0 or after > before


def _license(c) -> str:
    return (c.license.expression or c.license.declared or "none") if c.license else "none"


def component_changes(before: ModelResult, after: ModelResult) -> list[str]:
    out = []
    old = {c.name: c for c in before.components}
    for c in after.components:
        b = old.get(c.name)
        if b is None:
            continue
        if b.counts and not c.counts:
            if _license(b) != _license(c):
                out.append(f"{c.name} license {_license(b)} -> {_license(c)}")
            else:
                out.append(f"{c.name} {b.status} -> {c.status}" + (f" ({c.reason})" if c.reason else ""))
        elif not b.counts and c.counts:
            out.append(f"{c.name} now met ({_license(c)})")
        elif _license(b) != _license(c) and c.listed:
            out.append(f"{c.name} license {_license(b)} -> {_license(c)}")
    return out


def requires_met(model: ModelResult) -> list[str]:
    """Every --require value the release met (so the gate fails a verdict only where it regressed)."""
    from .verdicts import choices, unmet

    return [req for req in choices() if unmet(model, req) is None]


def compare(base: list[ModelResult], head: list[ModelResult], ref: str, framework: Framework) -> dict[str, Any]:
    """The delta per release, matched by name; a release that disappeared counts as a regression."""
    by_name = {m.name: m for m in base}
    models = []
    for m in head:
        b = by_name.pop(m.name, None)
        before = b.cls if b else 0
        changes = component_changes(b, m) if b else ["new release"]
        regressed = worse(before, m.cls)
        head_line = f"{_ROMAN[before]} -> {_ROMAN[m.cls]}"
        models.append(
            {
                "name": m.name,
                "class_before": before,
                "class_after": m.cls,
                "regressed": regressed,
                "summary": head_line,
                "changes": changes,
                "requires_met": requires_met(b) if b else [],
            }
        )
    for name, b in by_name.items():
        models.append(
            {
                "name": name,
                "class_before": b.cls,
                "class_after": 0,
                "regressed": b.cls != 0,
                "summary": f"{_ROMAN[b.cls]} -> removed",
                "changes": ["release removed"],
            }
        )
    keys = sorted({f.key for m in base for f in m.findings})
    return {"ref": ref, "models": models, "finding_keys": keys}
