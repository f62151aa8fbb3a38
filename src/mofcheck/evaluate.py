"""The generic evaluator: license resolution, component statuses, MOT's class and progress arithmetic.

Everything framework-specific (components, classes, the technical report / research paper rule) comes
from `Framework`; everything license-specific from `licenses.classify`. Both modes share this code: `mot`
differs only in how a license string is judged and in what counts as "unlicensed".
"""

from __future__ import annotations

from dataclasses import replace

from . import licenses
from .framework import ComponentDef, Framework
from .manifest import Manifest, ManifestComponent
from .model import (
    CONFLICT,
    DECLARED_EXTERNAL,
    DECLARED_ONLY,
    MET,
    MET_WITH_WARNING,
    MISSING,
    RESTRICTIVE,
    UNLICENSED,
    ComponentResult,
    Evidence,
    Finding,
    LicenseVerdict,
    ModelResult,
    PlanStep,
    Standing,
)

# Values that mean "no license" (MOT: exactly `unlicensed` or empty; mof mode also SPDX's NONE).
_UNLICENSED_MOT = ("", "unlicensed")
_UNLICENSED_MOF = ("", "unlicensed", "none", "noassertion")


def is_unlicensed(text: str, mode: str) -> bool:
    if mode == "mot":
        return text in _UNLICENSED_MOT
    return text.strip().lower() in _UNLICENSED_MOF


def resolve_license(manifest: Manifest, comp: ManifestComponent, category: str, mode: str) -> tuple[str | None, str, int | None]:
    """(license text or None, source, line) in MOT's order: component, global category, distribution."""
    if comp.license_set:
        text = comp.license or ""
        if is_unlicensed(text, mode):
            return None, "component", comp.license_line
        return text, "component", comp.license_line
    for key in (category, "distribution"):
        g = manifest.global_licenses.get(key)
        name = g.name if g else None
        if name:  # MOT: non-empty
            if mode != "mot" and is_unlicensed(name, mode):
                continue
            return name, f"global.{key}", g.line if g else None
    return None, "none", None


def status_for(verdict: LicenseVerdict | None) -> str:
    if verdict is None or verdict.expression is None:
        return UNLICENSED
    if not verdict.open:
        return RESTRICTIVE
    return MET if verdict.type_appropriate else MET_WITH_WARNING


def result_for(
    cdef: ComponentDef, status: str, listed: bool, license: LicenseVerdict | None = None, evidence: list[Evidence] | None = None, reason: str = ""
) -> ComponentResult:
    """A component's result, with its identity (id, name, category, class, required) from the framework."""
    return ComponentResult(cdef.id, cdef.name, cdef.category, cdef.cls, cdef.required, status, listed, license, list(evidence or []), reason)


def judge_component(cdef: ComponentDef, manifest: Manifest, comp: ManifestComponent | None, mode: str) -> ComponentResult:
    """One component as the manifest declares it."""
    if comp is None:
        return result_for(cdef, MISSING, False, reason="not listed in the manifest")
    text, source, line = resolve_license(manifest, comp, cdef.category, mode)
    if text is None:
        verdict = LicenseVerdict(declared=comp.license if comp.license_set else None, expression=None, source=source, reason="no license stated")
        if source == "component":
            verdict.reason = "the manifest says `unlicensed`"
        else:
            verdict.reason = "no component license and no global license to inherit"
    else:
        verdict = replace(licenses.classify_license(text, cdef.category, mode), source=source)
    verdict.path, verdict.line = manifest.path, line or comp.line
    status = status_for(verdict)
    evidence = [
        Evidence(
            kind="manifest",
            rule="manifest.component-listed",
            detail=f"listed as {cdef.name!r}",
            path=manifest.path,
            line=comp.line,
        )
    ]
    if text is not None:
        evidence.append(
            Evidence(
                kind="manifest",
                rule=f"manifest.license.{source}",
                detail=f"license {text!r} ({_source_words(source)})",
                path=manifest.path,
                line=line or comp.line,
            )
        )
    return result_for(cdef, status, True, verdict, evidence, status_reason(status, verdict, cdef))


def _source_words(source: str) -> str:
    if source == "component":
        return "set on the component"
    if source.startswith("global."):
        return f"inherited from release.license.{source.split('.', 1)[1]}"
    return source


def status_reason(status: str, verdict: LicenseVerdict, cdef: ComponentDef) -> str:
    lic = verdict.expression or verdict.declared or ""
    if status == MET:
        return f"{lic}: open, and the right kind for {cdef.category}" + (f" (via {verdict.chosen})" if verdict.chosen and verdict.chosen != lic else "")
    if status == MET_WITH_WARNING:
        return f"{lic}: open, but not the kind MOF expects for {cdef.category}; counts with a warning"
    if status == RESTRICTIVE:
        return f"{lic}: not open ({verdict.reason})"
    if status == UNLICENSED:
        return verdict.reason or "no license"
    return verdict.reason


# --------------------------------------------------------------------------------------------------
# class and progress (ModelEvaluator.php:44-83, 220-345)


def standing(framework: Framework, components: list[ComponentResult]) -> Standing:
    """MOT's arithmetic over component statuses: cumulative classes, substitutions, gated progress."""
    by_name = {c.name: c for c in components}

    def included(name: str) -> bool:
        c = by_name.get(name)
        return bool(c and c.counts)

    def listed(name: str) -> bool:
        c = by_name.get(name)
        return bool(c and c.listed)

    progress: dict[int, float] = {}
    higher_full = True
    for cls in framework.class_numbers():  # 3, 2, 1: each needs the ones before it
        req = [c.name for c in framework.required_for(cls)]
        count = sum(1 for n in req if included(n))
        denom = len(req)
        for s in framework.substitutions:
            if s.component not in req or included(s.component):
                continue
            if cls in s.stand_in_classes and listed(s.substitute) and s.substitute not in req:
                count += 1 if included(s.substitute) else 0
            if cls in s.waive_in_classes and included(s.substitute):
                denom -= 1
        progress[cls] = min(100.0, count / denom * 100.0) if (higher_full and denom) else 0.0
        higher_full = higher_full and count >= denom
    reached = 0
    for cls in sorted(progress):  # best class first
        if progress[cls] == 100.0:
            reached = cls
            break
    return Standing(reached, progress, framework.label(reached))


def substituted(framework: Framework, components: list[ComponentResult]) -> dict[str, str]:
    """component name -> substitute name, for substitutions in effect."""
    by_name = {c.name: c for c in components}
    out = {}
    for s in framework.substitutions:
        c, sub = by_name.get(s.component), by_name.get(s.substitute)
        if (c is None or not c.counts) and sub is not None and sub.counts:
            out[s.component] = s.substitute
    return out


def note_substitutions(framework: Framework, components: list[ComponentResult]) -> None:
    """Say in the component's reason when another component stands in for it."""
    subs = substituted(framework, components)
    for c in components:
        if c.name in subs:
            c.reason = f"{c.reason}; the {subs[c.name].lower()} stands in for it"


# --------------------------------------------------------------------------------------------------
# the next-class plan


_EFFORT = {
    CONFLICT: "low",
    DECLARED_ONLY: "medium",
    MISSING: "medium",
    UNLICENSED: "low",
    RESTRICTIVE: "high",
}


def next_class(framework: Framework, cls: int) -> int | None:
    order = framework.class_numbers()  # [3, 2, 1]
    if cls == 0:
        return order[0]
    i = order.index(cls)
    return order[i + 1] if i + 1 < len(order) else None


def settle(model: ModelResult, framework: Framework, basis: list[ComponentResult] | None = None) -> ModelResult:
    """The one place a release's standing (class, label, progress, total) and next-class plan are set:
    from its components, or from `basis` (the declared ones, when the manifest is trusted)."""
    components = model.components if basis is None else basis
    model.standing = standing(framework, components)
    model.plan = plan(framework, components, model.standing.cls)
    return model


def settled(framework: Framework, components: list[ComponentResult], **fields) -> ModelResult:
    """A new ModelResult over `components` (name, manifest, mode, ... in `fields`), settled."""
    return settle(ModelResult(standing=Standing(0, {}), components=components, **fields), framework)


def plan(framework: Framework, components: list[ComponentResult], current: int) -> list[PlanStep]:
    """Exactly what stands between the release and the next class, each with its fix."""
    target = next_class(framework, current)
    if target is None:
        return []
    by_name = {c.name: c for c in components}
    subs = substituted(framework, components)
    steps: list[PlanStep] = []
    for cdef in framework.required_for(target):
        c = by_name.get(cdef.name)
        if c is not None and c.counts:
            continue
        if cdef.name in subs:
            continue  # e.g. the research paper stands in for the technical report
        status = c.status if c else MISSING
        problem, fix = _problem_and_fix(cdef, c, framework)
        effort = cdef.effort or _EFFORT.get(status, "medium")
        steps.append(PlanStep(target, cdef.name, problem, fix, effort))
    return steps


def _problem_and_fix(cdef: ComponentDef, c: ComponentResult | None, framework: Framework) -> tuple[str, str]:
    expects = framework.categories.get(cdef.category, {}).get("expects", "an open license")
    if c is None or c.status == MISSING:
        return f"not released ({c.reason if c and c.reason else 'not listed'})", cdef.fix
    lic = c.license.expression if c.license else None
    if c.status == UNLICENSED:
        return "released without a license", f"State its license: {expects}."
    if c.status == RESTRICTIVE:
        return f"license {lic} is not open ({c.license.reason if c.license else ''})", f"Relicense it under {expects}."
    if c.status == DECLARED_EXTERNAL:
        return "declared by URL only", "Nothing to do offline."
    if c.status == CONFLICT:
        return c.reason, "Make the manifest and the repository's license for it agree (fix whichever is wrong)."
    if c.status == DECLARED_ONLY:
        return "listed in the manifest, but not in the repository", f"Add it to the repository, or set component_path to where it is published. {cdef.fix}"
    return c.reason or c.status, cdef.fix


# --------------------------------------------------------------------------------------------------
# findings


def component_findings(components: list[ComponentResult], manifest_path: str | None) -> list[Finding]:
    out: list[Finding] = []
    for c in components:
        lic = c.license
        path = (lic.path if lic and lic.path else None) or manifest_path
        line = lic.line if lic else None
        if c.status == RESTRICTIVE and lic is not None:
            code = "license.unknown" if not lic.known else "license.restrictive"
            out.append(Finding.of(code, f"{c.name}: license {lic.expression or lic.declared!r} is not open: {lic.reason}", path, line, component=c.name))
        elif c.status == UNLICENSED and c.listed:
            out.append(Finding.of("component.unlicensed", f"{c.name}: listed without a license ({c.reason})", path, line, component=c.name))
        elif c.status == MET_WITH_WARNING and lic is not None:
            out.append(
                Finding.of(
                    "license.not-type-appropriate",
                    f"{c.name}: {lic.expression} is open but not a {c.category} license; counts, with a warning (as in MOT)",
                    path,
                    line,
                    component=c.name,
                )
            )
    return out


def mot_difference_findings(manifest: Manifest, components: list[ComponentResult]) -> list[Finding]:
    """Where MOT would judge a declared license differently from mof mode (documented differences)."""
    from .licenses.mot import classify_mot

    out = []
    for c in components:
        lic = c.license
        if not c.listed or lic is None or lic.declared is None or lic.expression is None:
            continue
        mot = classify_mot(lic.declared, c.category)
        if mot.open != lic.open:
            mine = "open" if lic.open else "not open"
            theirs = "open" if mot.open else "invalid"
            out.append(
                Finding.of(
                    "mot.difference",
                    f"{c.name}: {lic.declared!r} is {mine} here ({lic.expression}) but {theirs} in MOT ({mot.reason}); run with --mode mot for MOT's verdict",
                    lic.path or manifest.path,
                    lic.line,
                    component=c.name,
                )
            )
    return out


# --------------------------------------------------------------------------------------------------


def evaluate_manifest(manifest: Manifest, framework: Framework, mode: str = "mof") -> ModelResult:
    """The release as its manifest declares it (what MOT computes in `mot` mode)."""
    declared = {c.name: c for c in manifest.components}
    components = [judge_component(cdef, manifest, declared.get(cdef.name), mode) for cdef in framework.components]
    note_substitutions(framework, components)  # reasons only: the standing does not change
    findings = component_findings(components, manifest.path)
    if mode == "mof":
        findings += mot_difference_findings(manifest, components)
    result = settled(framework, components, name=manifest.name, manifest=manifest.path, mode=mode, findings=findings)
    result.declared = result.standing
    return result


__all__ = ["evaluate_manifest", "standing", "plan", "settle", "settled", "resolve_license", "result_for"]
