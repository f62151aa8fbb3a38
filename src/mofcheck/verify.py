"""Declared versus verified: hold what a manifest claims against what the repository shows.

For each component: is it in the repository (files) or at least given by URL? Which license does the
repository itself state for it? Does that contradict the manifest? The result is a second set of component
statuses ("verified") beside the manifest's ("declared"), and, without a manifest, the release inferred
from the evidence alone. `gather` collects what is shown for a component once; small rules
(DECLARED_RULES, INFERRED_RULES), applied in order, each rule on it or pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from .evaluate import (
    component_findings,
    result_for,
    settled,
    status_for,
    status_reason,
)
from .evidence.items import EvidenceSet, LicenseSource
from .framework import ComponentDef, Framework
from .licenses import classify_license
from .licenses.agree import agrees, license_keys
from .licenses.table import MODIFIED_PREFIX
from .manifest import Manifest
from .model import (
    CONFLICT,
    COUNTING,
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
from .parts import Part, disagreement, license_parts, part_rank, parts_note
from .urls import is_url


def _edited_text(expression: str | None, applicable: list[LicenseSource]) -> LicenseSource | None:
    """A license file of the repository that applies here and holds an edited text of a license in
    `expression` (identified as LicenseRef-mofcheck-modified-X): the release's copy of X is not X."""
    keys = license_keys(expression)
    for s in applicable:
        expr = s.expression or ""
        if s.kind == "license-file" and expr.startswith(MODIFIED_PREFIX) and expr[len(MODIFIED_PREFIX) :].lower() in keys:
            return s
    return None


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


# --------------------------------------------------------------------------------------------------
# What the repository shows for one component


@dataclass
class Shown:
    """Everything the repository (and the manifest's paths) show for one component, gathered once."""

    cdef: ComponentDef
    declared: ComponentResult | None
    mcomp: Any
    manifest: Manifest | None
    ev: EvidenceSet
    paths: list[str]  # repository files
    remote: list[str]  # fetched by `resolve` (the evidence lock) or --online
    urls: list[str]  # given by URL only
    evidence: list[Evidence]
    possible: list[Evidence]
    findings: list[Finding]
    parts: list[Part]
    held: Part  # the part whose license decides (the worst)
    src: LicenseSource | None  # the license source that decides

    @property
    def nothing(self) -> bool:
        return not self.paths and not self.remote and not self.urls

    @property
    def several(self) -> bool:
        return len(self.parts) > 1 and any(p.source is not None for p in self.parts)

    @property
    def applicable(self) -> list[LicenseSource]:
        return [s for p in self.parts for s in p.applicable]

    def where(self) -> tuple[str | None, int | None]:
        """The manifest line a finding about this component points at."""
        return (self.manifest.path if self.manifest else None), (self.mcomp.line if self.mcomp else None)


def _manifest_paths(
    cdef: ComponentDef,
    mcomp,
    manifest: Manifest | None,
    ev: EvidenceSet,
    found,
    paths: list[str],
    remote: list[str],
    urls: list[str],
    evidence: list[Evidence],
    findings: list[Finding],
) -> tuple[list[str], list[Evidence]]:
    """The manifest's component_path (a repository path must be listed; a URL is external) and license_path."""
    found_evidence = list(found.evidence) if found else []
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
    return paths, found_evidence


def gather(cdef: ComponentDef, declared: ComponentResult | None, mcomp, manifest: Manifest | None, ev: EvidenceSet) -> Shown:
    found = ev.found.get(cdef.name)
    paths = list(found.paths) if found else []
    urls = list(found.urls) if found else []
    remote = list(found.remote) if found else []
    evidence: list[Evidence] = list(declared.evidence) if declared else []
    findings: list[Finding] = []
    paths, found_evidence = _manifest_paths(cdef, mcomp, manifest, ev, found, paths, remote, urls, evidence, findings)
    evidence.extend(e for e in found_evidence if e not in evidence)

    parts = license_parts(cdef.name, paths + remote, ev)
    for part in parts:
        dis = disagreement(cdef.name, [s for s in part.applicable if part.source is not None and s.specificity == part.source.specificity])
        if dis:
            findings.append(dis)
    held = min(parts, key=lambda p: part_rank(p, cdef.category))
    shown = Shown(cdef, declared, mcomp, manifest, ev, paths, remote, urls, evidence, [], findings, parts, held, held.source)
    if shown.several:  # parts under different licenses: the most restrictive decides, and is named
        evidence.extend(p.source.evidence() for p in parts if p.source is not None and p is not held)
    if shown.src and (paths or remote or urls or (declared is not None and declared.listed)):
        evidence.append(shown.src.evidence())
    shown.possible = [e for e in (found.possible if found else []) if e not in evidence]
    return shown


# --------------------------------------------------------------------------------------------------
# The rules: each looks at what is shown and the result so far, and rules on it or passes (None).


@dataclass
class Ruling:
    status: str | None  # None: the status stays
    reason: str = ""
    finding: Finding | None = None
    final: bool = True  # no later rule applies
    listed: bool = True  # False: not the release's component as listed (no license, not counted)
    keep_possible: bool = True


def nothing_declared_shown(s: Shown, result: ComponentResult) -> Ruling | None:
    """Listed, but the repository shows nothing and no URL is given: the claim alone does not count."""
    if not s.nothing:
        return None
    if not result.counts:
        return Ruling(None)
    name = s.cdef.name
    return Ruling(
        DECLARED_ONLY,
        "the manifest lists it, but the repository shows nothing and gives no URL",
        Finding.of(
            "evidence.declared-only",
            f"{name}: listed in the manifest, but the repository has no {name.lower()} and the manifest gives no URL",
            *s.where(),
            component=name,
            hint=f"add the {name.lower()} to the repository, or set component_path to where it is published",
        ),
    )


def license_contradicted(s: Shown, result: ComponentResult) -> Ruling | None:
    """A part of the component is under another license than the manifest says."""
    lic = s.declared.license if s.declared else None
    declared_expr = lic.expression if lic else None
    src = next(
        (p.source for p in s.parts if p.source is not None and declared_expr and not agrees(declared_expr, p.source.expression or p.source.declared)), None
    )
    if src is None:
        return None
    said = src.expression or src.declared
    return Ruling(
        CONFLICT,
        f"the manifest says {declared_expr}, but {src.path} says {said}",
        Finding.of(
            "license.conflict",
            f"{s.cdef.name}: the manifest says {declared_expr}"
            + (f" ({lic.path}:{lic.line})" if lic and lic.line else "")
            + f" but {src.path}"
            + (f":{src.line}" if src.line else "")
            + f" says {said}",
            src.path,
            src.line,
            component=s.cdef.name,
            hint="make the manifest and the repository's license agree",
        ),
    )


def use_policy_attached(s: Shown, result: ComponentResult) -> Ruling | None:
    """An acceptable-use policy restricts the weights whatever license they name (framework `use_policy`)."""
    if not (s.cdef.use_policy and s.ev.use_policies and result.counts and s.declared and s.declared.license):
        return None
    return Ruling(RESTRICTIVE, f"{s.declared.license.expression} with an acceptable-use policy attached ({s.ev.use_policies[0]})")


def declared_by_url_only(s: Shown, result: ComponentResult) -> Ruling | None:
    if s.paths or s.remote or not s.urls or not result.counts:
        return None
    return Ruling(DECLARED_EXTERNAL, f"given by URL only ({s.urls[0]}); not checked offline", final=False)


def license_text_edited(s: Shown, result: ComponentResult) -> Ruling | None:
    """Counting under X while the repository's text of X is edited: it does not count."""
    expression = result.license.expression if result.license else None
    edited = _edited_text(expression, s.applicable)
    if edited is None or not result.counts or result.waiver:
        return None
    return Ruling(RESTRICTIVE, f"{expression}, but {edited.path} holds an edited text of it ({edited.expression}, license.modified): not open")


def nothing_shown(s: Shown, result: ComponentResult) -> Ruling | None:
    if not s.nothing:
        return None
    return Ruling(MISSING, "no evidence in the repository", listed=False)


def not_in_manifest(s: Shown, result: ComponentResult) -> Ruling | None:
    """The repository has it, the manifest does not list it: the manifest's word decides what is released."""
    if s.manifest is None:
        return None
    return Ruling(
        MISSING,
        "in the repository, but not listed in the manifest",
        Finding.of(
            "evidence.unlisted",
            f"{s.cdef.name}: {'the repository has it' if s.paths else 'the release links it'} ({(s.paths or s.remote or s.urls)[0]}) but the manifest does not list it",
            s.manifest.path,
            None,
            component=s.cdef.name,
            hint="add it to the manifest's components (mofcheck init updates the manifest)",
        ),
        listed=False,
        keep_possible=False,
    )


# In order: the first final ruling decides. A manifest's claim, held against the repository:
DECLARED_RULES = (nothing_declared_shown, license_contradicted, use_policy_attached, declared_by_url_only, license_text_edited)
# No manifest claim: what the repository shows, judged alone.
INFERRED_RULES = (nothing_shown, not_in_manifest, license_text_edited)


def _declared_result(s: Shown) -> ComponentResult:
    return replace(s.declared, evidence=s.evidence, possible=s.possible, remote=_provenance(s.paths, s.remote, s.evidence))


def _inferred_result(s: Shown) -> ComponentResult:
    """The component as the repository's license for it (the worst part's) judges it."""
    cdef, ev = s.cdef, s.ev
    if s.src is None:
        verdict = LicenseVerdict(declared=None, expression=None, source="none", reason="no license stated for it in the repository")
        if cdef.category != "code" and any(x.kind == "license-file" and x.scope is None for x in ev.licenses):
            verdict.reason = "not stated: the root license file is not assumed to cover weights, data or documents"
    else:
        verdict = _verdict_from_source(s.src, cdef, ev)
    status = status_for(verdict)
    if not s.paths and not s.remote and s.urls and status in COUNTING:
        status = DECLARED_EXTERNAL
    result = result_for(cdef, status, True, verdict, s.evidence)
    result.possible, result.remote = s.possible, _provenance(s.paths, s.remote, s.evidence)
    result.reason = status_reason(status, verdict, cdef) if status != DECLARED_EXTERNAL else f"linked ({s.urls[0]}); not checked offline"
    if status == UNLICENSED:
        result.reason = verdict.reason
    if s.several:
        result.reason = f"{parts_note(s.parts, s.held, cdef.category)}; {result.reason}"
    return result


def _apply(rules, s: Shown, result: ComponentResult) -> ComponentResult:
    for rule in rules:
        ruling = rule(s, result)
        if ruling is None:
            continue
        if ruling.finding is not None:
            s.findings.append(ruling.finding)
        if not ruling.listed:
            result = result_for(s.cdef, ruling.status, False, None, s.evidence, ruling.reason)
            result.possible = s.possible if ruling.keep_possible else []
        elif ruling.status is not None:
            result.status, result.reason = ruling.status, ruling.reason
        if ruling.final:
            break
    return result


def verify_component(
    cdef: ComponentDef, declared: ComponentResult | None, mcomp, manifest: Manifest | None, ev: EvidenceSet
) -> tuple[ComponentResult, list[Finding]]:
    """The verified view of one component: the declared status held against the repository (DECLARED_RULES),
    or, not listed, the repository's evidence judged alone (INFERRED_RULES)."""
    s = gather(cdef, declared, mcomp, manifest, ev)
    if declared is not None and declared.listed:
        return _apply(DECLARED_RULES, s, _declared_result(s)), s.findings
    if s.nothing or manifest is not None:  # no license to judge: the rules say why it is missing
        return _apply(INFERRED_RULES, s, result_for(cdef, MISSING, False, None, s.evidence)), s.findings
    return _apply(INFERRED_RULES, s, _inferred_result(s)), s.findings


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
        when = when.replace(tzinfo=dt.UTC)
    return max(0, (dt.datetime.now(dt.UTC) - when).days)


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


__all__ = ["verify_model", "verify_component", "has_release"]
