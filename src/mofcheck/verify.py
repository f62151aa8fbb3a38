"""Declared versus verified: hold what a manifest claims against what the repository shows.

For each component: is it in the repository (files) or at least given by URL? Which license does the
repository itself state for it? Does that contradict the manifest? The result is a second set of component
statuses ("verified") beside the manifest's ("declared"), and, without a manifest, the release inferred
from the evidence alone.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, replace

from .evaluate import (
    _status_reason,
    component_findings,
    result_for,
    settled,
    status_for,
)
from .evidence.items import EvidenceSet, LicenseSource
from .evidence.links import is_url
from .framework import ComponentDef, Framework
from .licenses import classify_license
from .licenses.agree import agrees, license_keys
from .licenses.table import MODIFIED_PREFIX
from .manifest import Manifest
from .model import (
    CONFLICT,
    DECLARED_EXTERNAL,
    DECLARED_ONLY,
    MISSING,
    RESTRICTIVE,
    UNLICENSED,
    ComponentResult,
    Evidence,
    Finding,
    LicenseVerdict,
    ModelResult,
)


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


def _rank(part: Part, category: str) -> int:
    """0: not open or unlicensed, 1: open but not the right kind, 2: met: the worst part decides."""
    if part.source is None:
        return 0
    v = classify_license(part.source.expression or part.source.declared, category, "mof")
    return 0 if not v.open else 2 if v.type_appropriate else 1


def _disagreement(component: str, sources: list[LicenseSource]) -> Finding | None:
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


def _edited_text(expression: str | None, applicable: list[LicenseSource]) -> LicenseSource | None:
    """A license file of the repository that applies here and holds an edited text of a license in
    `expression` (identified as LicenseRef-mofcheck-modified-X): the release's copy of X is not X."""
    keys = license_keys(expression)
    for s in applicable:
        expr = s.expression or ""
        if s.kind == "license-file" and expr.startswith(MODIFIED_PREFIX) and expr[len(MODIFIED_PREFIX):].lower() in keys:
            return s
    return None


def _not_as_declared(result: ComponentResult, expression: str | None, applicable: list[LicenseSource]) -> ComponentResult:
    """A component that counts under X while the repository's text of X is edited does not count."""
    edited = _edited_text(expression, applicable)
    if edited is not None and result.counts and not result.waiver:
        result.status = RESTRICTIVE
        result.reason = (f"{expression}, but {edited.path} holds an edited text of it ({edited.expression}, "
                         "license.modified): not open")
    return result


def _verdict_from_source(src: LicenseSource, cdef: ComponentDef, ev: EvidenceSet) -> LicenseVerdict:
    v = classify_license(src.expression or src.declared, cdef.category, "mof")
    v = replace(v, source="repository", path=src.path, line=src.line)
    if src.expression and v.expression is None:
        v.expression = src.expression
    if cdef.use_policy and ev.use_policies and v.open:
        v = replace(v, open=False, type_appropriate=False, reason=f"{v.expression} with an acceptable-use policy attached ({ev.use_policies[0]})")
    return v


def _path_missing(cdef: ComponentDef, field: str, value: str, what: str, why: str | None, manifest: Manifest | None, mcomp) -> Finding:
    """A manifest path (component_path, license_path) that is not in the repository, or would leave it."""
    return Finding.of(
        "evidence.path-missing",
        f"{cdef.name}: {field} {value!r} is not {what} in the repository ({why or 'not found'})",
        manifest.path if manifest else None,
        mcomp.line if mcomp else None,
        component=cdef.name,
    )


def verify_component(cdef: ComponentDef, declared: ComponentResult | None, mcomp, manifest: Manifest | None, ev: EvidenceSet) -> tuple[ComponentResult, list[Finding]]:
    """The verified view of one component: declared status held against the repository."""
    found = ev.found.get(cdef.name)
    paths = list(found.paths) if found else []
    found_evidence = list(found.evidence) if found else []
    urls = list(found.urls) if found else []
    remote = list(found.remote) if found else []  # fetched by `resolve` (the evidence lock) or --online
    evidence: list[Evidence] = list(declared.evidence) if declared else []
    findings: list[Finding] = []

    # The manifest's component_path: a repository path must exist in the listing; a URL is external.
    cpath = getattr(mcomp, "component_path", None) if mcomp else None
    if cpath and not is_url(cpath):
        target, why = ev.repo.resolve_reason(cpath.strip()) if ev.repo is not None else (None, "no repository to look in")
        if target is not None:
            # The manifest says where this release's component is: evidence elsewhere (another model's
            # weights in the same repository) is not this release's.
            paths = [target] + [p for p in paths if p.startswith(target.rstrip("/") + "/")]
            if found:
                found_evidence = [e for e in found.evidence if e.path in paths]
            evidence.append(Evidence("file", "manifest.component-path", f"component_path {cpath!r} is in the repository", target, None, 1.0))
        else:
            findings.append(_path_missing(cdef, "component_path", cpath, "a file or folder", why, manifest, mcomp))
    elif cpath and cpath.strip() in remote:  # fetched: the remote evidence shows it
        evidence.append(Evidence("url", "manifest.component-url", f"component_path {cpath} (fetched)", cpath.strip(), None, 1.0))
    elif cpath:
        urls.insert(0, cpath.strip())
        evidence.append(Evidence("url", "manifest.component-url", f"component_path {cpath} (not checked offline)", cpath.strip(), None, 0.5))
    lpath = getattr(mcomp, "license_path", None) if mcomp else None
    if lpath and lpath.strip() and not is_url(lpath):
        target, why = ev.repo.resolve_reason(lpath.strip()) if ev.repo is not None else (None, "no repository to look in")
        if target is None:
            findings.append(_path_missing(cdef, "license_path", lpath, "a file", why, manifest, mcomp))
    evidence.extend(e for e in found_evidence if e not in evidence)

    parts = license_parts(cdef.name, paths + remote, ev)
    for part in parts:
        dis = _disagreement(cdef.name, [s for s in part.applicable if part.source is not None and s.specificity == part.source.specificity])
        if dis:
            findings.append(dis)
    held = min(parts, key=lambda p: _rank(p, cdef.category))
    several = len(parts) > 1 and any(p.source is not None for p in parts)
    src = held.source
    if several:  # parts under different licenses: the most restrictive decides, and is named
        evidence.extend(p.source.evidence() for p in parts if p.source is not None and p is not held)
    if src and (paths or remote or urls or (declared is not None and declared.listed)):
        evidence.append(src.evidence())
    possible = [e for e in (found.possible if found else []) if e not in evidence]

    if declared is not None and declared.listed:
        result = replace(declared, evidence=evidence, possible=possible, remote=_provenance(paths, remote, evidence))
        if not paths and not remote and not urls:
            if declared.counts:
                result.status = DECLARED_ONLY
                result.reason = "the manifest lists it, but the repository shows nothing and gives no URL"
                findings.append(
                    Finding.of(
                        "evidence.declared-only",
                        f"{cdef.name}: listed in the manifest, but the repository has no {cdef.name.lower()} and the manifest gives no URL",
                        manifest.path if manifest else None,
                        mcomp.line if mcomp else None,
                        component=cdef.name,
                        hint=f"add the {cdef.name.lower()} to the repository, or set component_path to where it is published",
                    )
                )
            return result, findings
        declared_expr = declared.license.expression if declared.license else None
        against = next((p.source for p in parts if p.source is not None and declared_expr and not agrees(declared_expr, p.source.expression or p.source.declared)), None)
        if against is not None:
            src = against
            result.status = CONFLICT
            result.reason = f"the manifest says {declared_expr}, but {src.path} says {src.expression or src.declared}"
            findings.append(
                Finding.of(
                    "license.conflict",
                    f"{cdef.name}: the manifest says {declared_expr}"
                    + (f" ({declared.license.path}:{declared.license.line})" if declared.license and declared.license.line else "")
                    + f" but {src.path}" + (f":{src.line}" if src.line else "") + f" says {src.expression or src.declared}",
                    src.path,
                    src.line,
                    component=cdef.name,
                    hint="make the manifest and the repository's license agree",
                )
            )
            return result, findings
        if cdef.use_policy and ev.use_policies and result.counts and declared.license:
            result.status = RESTRICTIVE
            result.reason = f"{declared_expr} with an acceptable-use policy attached ({ev.use_policies[0]})"
            return result, findings
        if not paths and not remote and urls and result.counts:
            result.status = DECLARED_EXTERNAL
            result.reason = f"given by URL only ({urls[0]}); not checked offline"
        return _not_as_declared(result, declared_expr, [s for p in parts for s in p.applicable]), findings

    # Not listed in a manifest (or no manifest): inferred from the evidence alone.
    if not paths and not remote and not urls:
        missing = result_for(cdef, MISSING, False, None, evidence, "no evidence in the repository")
        missing.possible = possible
        return (
            missing,
            findings,
        )
    if manifest is not None:
        findings.append(
            Finding.of(
                "evidence.unlisted",
                f"{cdef.name}: {'the repository has it' if paths else 'the release links it'} ({(paths or remote or urls)[0]}) but the manifest does not list it",
                manifest.path,
                None,
                component=cdef.name,
                hint="add it to the manifest's components (mofcheck init updates the manifest)",
            )
        )
        return (
            result_for(cdef, MISSING, False, None, evidence, "in the repository, but not listed in the manifest"),
            findings,
        )
    if src is None:
        verdict = LicenseVerdict(declared=None, expression=None, source="none", reason="no license stated for it in the repository")
        if cdef.category != "code" and any(s.kind == "license-file" and s.scope is None for s in ev.licenses):
            verdict.reason = "not stated: the root license file is not assumed to cover weights, data or documents"
    else:
        verdict = _verdict_from_source(src, cdef, ev)
    status = status_for(verdict)
    if not paths and not remote and urls and status in ("met", "met_with_warning"):
        status = DECLARED_EXTERNAL
    result = result_for(cdef, status, True, verdict, evidence)
    result.possible, result.remote = possible, _provenance(paths, remote, evidence)
    result.reason = _status_reason(status, verdict, cdef) if status != DECLARED_EXTERNAL else f"linked ({urls[0]}); not checked offline"
    if status == UNLICENSED:
        result.reason = verdict.reason
    if several:
        result.reason = f"{_parts_note(parts, held, cdef.category)}; {result.reason}"
    return _not_as_declared(result, verdict.expression, [s for p in parts for s in p.applicable]), findings


def _parts_note(parts: list[Part], held: Part, category: str) -> str:
    """"2 parts under different licenses: data/books (CC-BY-NC-4.0) holds it back; data/web (CC-BY-4.0)"."""
    def name(p: Part) -> str:
        lic = (p.source.expression or p.source.declared) if p.source is not None else "no license"
        return f"{p.where} ({lic})"

    others = [name(p) for p in sorted(parts, key=lambda p: (_rank(p, category), p.where)) if p is not held]
    return f"{len(parts)} parts under different licenses: {name(held)} holds it back" + (f"; {', '.join(others[:4])}" if others else "")


def _bind(comp: ComponentResult, ev: EvidenceSet) -> None:
    """A license that binds the component besides its own (the base model's terms bind a derivative's weights)."""
    if not comp.counts or comp.waiver:
        return
    for s in ev.binding:
        if comp.name in s.covers:
            comp.status = RESTRICTIVE
            comp.reason = f"derived from a model under {s.expression or s.declared} (not open), {s.path}"
            comp.evidence.append(s.evidence())
            return


def _provenance(paths: list[str], remote: list[str], evidence: list[Evidence]) -> dict | None:
    """Where a component shown only by remote evidence was found: the source, its URL, revision and age."""
    if paths or not remote:
        return None
    e = next((e for e in evidence if e.source and e.path in remote), None) or next((e for e in evidence if e.source), None)
    if e is None:
        return {"source": None, "url": remote[0], "revision": None, "fetched": None, "age_days": None}
    return {"source": e.source, "url": e.path, "revision": e.revision, "fetched": e.fetched, "age_days": age_days(e.fetched)}


def age_days(stamp: str | None) -> int | None:
    """Whole days since an ISO 8601 time (None when unknown or unreadable)."""
    if not stamp:
        return None
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0, (dt.datetime.now(dt.timezone.utc) - when).days)


def verify_model(model: ModelResult | None, manifest: Manifest | None, ev: EvidenceSet, framework: Framework, name: str | None = None) -> ModelResult:
    """A ModelResult whose components are the verified view; `declared` and `verified` standings both set."""
    mcomps = {c.name: c for c in manifest.components} if manifest else {}
    components: list[ComponentResult] = []
    findings: list[Finding] = list(model.findings) if model else []
    for cdef in framework.components:
        declared = model.component(cdef.name) if model else None
        comp, fs = verify_component(cdef, declared, mcomps.get(cdef.name), manifest, ev)
        _bind(comp, ev)
        components.append(comp)
        findings.extend(fs)
    result = settled(
        framework,
        components,
        name=(model.name if model else name) or "(inferred release)",
        manifest=model.manifest if model else None,
        mode=model.mode if model else "mof",
        declared=model.declared if model else None,
        findings=findings,
    )
    result.verified = result.standing
    if model is None:
        findings.extend(component_findings(components, None))
    return result


def has_release(ev: EvidenceSet, framework: Framework) -> bool:
    """Whether the repository releases a model at all (frameworks such as nanoGPT release none)."""
    weights = ev.found.get(framework.role("final-weights"))
    card = ev.found.get(framework.role("model-card"))
    return bool((weights and weights.present) or (card and card.present))


__all__ = ["verify_model", "verify_component", "repository_license", "has_release"]
