"""A component's paths grouped by the license source that governs each: the most specific source that
applies, the worst part deciding, and sources of one specificity that disagree."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from .evidence.items import EvidenceSet, LicenseSource
from .licenses import classify_license
from .licenses.agree import agrees
from .model import Finding


def repository_license(component: str, paths: list[str], ev: EvidenceSet) -> tuple[LicenseSource | None, list[LicenseSource]]:
    """The most specific license source that applies to `component`, and every applicable source."""
    applicable = [s for s in ev.licenses if s.applies_to(component, paths)]
    if not applicable:
        return None, []
    top = max(s.specificity for s in applicable)
    best = [s for s in applicable if s.specificity == top]

    # Several equally specific sources: prefer the one that is not open (never overrate a release).
    def rank(s: LicenseSource) -> tuple[int, float]:
        v = classify_license(s.declared if s.expression is None else s.expression, "data", "mof")
        return (1 if v.open else 0, -s.confidence)

    best.sort(key=rank)
    return best[0], applicable


MAX_PART_PATHS = 5000  # paths judged one by one for a component's parts (beyond: judged as one part)


@dataclass
class Part:
    """Paths of a component governed by one license source (None: no source applies to them)."""

    source: LicenseSource | None
    paths: list[str]
    applicable: list[LicenseSource]

    @property
    def where(self) -> str:
        """The folder its license governs (data/books), else what its paths share."""
        scope = self.source.scope if self.source is not None else None
        if scope and all(p != scope and p.startswith(scope.rstrip("/") + "/") for p in self.paths):
            return scope
        common = posixpath.commonpath(self.paths) if len(self.paths) > 1 and not any("://" in p for p in self.paths) else self.paths[0]
        return common or self.paths[0]


def license_parts(component: str, paths: list[str], ev: EvidenceSet) -> list[Part]:
    """The component's paths grouped by the source that governs each (most specific first, as for the whole)."""
    if len(paths) <= 1 or len(paths) > MAX_PART_PATHS:
        src, applicable = repository_license(component, paths, ev)
        return [Part(src, list(paths), applicable)]
    groups: dict[str | None, Part] = {}
    for p in paths:
        src, applicable = repository_license(component, [p], ev)
        key = (src.expression or src.declared).lower() if src is not None else None
        part = groups.setdefault(key, Part(src, [], []))
        part.paths.append(p)
        part.applicable.extend(s for s in applicable if s not in part.applicable)
    return list(groups.values())


def part_rank(part: Part, category: str) -> int:
    """0: not open or unlicensed, 1: open but not the right kind, 2: met: the worst part decides."""
    if part.source is None:
        return 0
    v = classify_license(part.source.expression or part.source.declared, category, "mof")
    return 0 if not v.open else 2 if v.type_appropriate else 1


def disagreement(component: str, sources: list[LicenseSource]) -> Finding | None:
    exprs: dict[str, LicenseSource] = {}
    for s in sources:
        key = (s.expression or s.declared).lower()
        exprs.setdefault(key, s)
    if len(exprs) < 2:
        return None
    vals = list(exprs.values())
    for i, a in enumerate(vals):
        for b in vals[i + 1 :]:
            if not agrees(a.expression or a.declared, b.expression or b.declared):
                where = lambda s: f"{s.path}" + (f":{s.line}" if s.line else "")  # noqa: E731
                return Finding.of(
                    "license.sources-disagree",
                    f"{component}: the repository's license sources disagree: {where(a)} says {a.expression or a.declared} "
                    f"but {where(b)} says {b.expression or b.declared}",
                    a.path,
                    a.line,
                    component=component,
                )
    return None


def parts_note(parts: list[Part], held: Part, category: str) -> str:
    """ "2 parts under different licenses: data/books (CC-BY-NC-4.0) holds it back; data/web (CC-BY-4.0)"."""

    def name(p: Part) -> str:
        lic = (p.source.expression or p.source.declared) if p.source is not None else "no license"
        return f"{p.where} ({lic})"

    others = [name(p) for p in sorted(parts, key=lambda p: (part_rank(p, category), p.where)) if p is not held]
    return f"{len(parts)} parts under different licenses: {name(held)} holds it back" + (f"; {', '.join(others[:4])}" if others else "")


__all__ = ["Part", "repository_license", "license_parts", "part_rank", "disagreement", "parts_note"]
