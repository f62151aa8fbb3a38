"""`mofcheck explain` and `mofcheck licenses`: what MOF requires, how a license is judged, and why."""

from __future__ import annotations

import json
from pathlib import Path

from . import framework as framework_mod
from .report.escape import terminal

_ROMAN = {1: "I", 2: "II", 3: "III"}


def find_component(subject: str, fw: framework_mod.Framework) -> framework_mod.ComponentDef | None:
    s = subject.strip()
    by_id = next((c for c in fw.components if str(c.id) == s), None)
    if by_id is not None:
        return by_id
    c = fw.suggest(s)
    if c is not None and (s.lower() == c.name.lower() or s.lower() in c.aliases):
        return c
    return None


def explain_component(c: framework_mod.ComponentDef, fw: framework_mod.Framework, path: Path | None) -> str:
    cat = fw.categories.get(c.category, {})
    lines = [
        f"{c.name}  (MOT id {c.id})",
        f"  {c.description}.",
        f"  category: {c.category} ({cat.get('label', '')})",
        f"  class: {'required for' if c.required else 'optional in'} Class {_ROMAN[c.cls]} ({fw.label(c.cls)})"
        + (" and every higher class" if c.required and c.cls > 1 else ""),
        f"  accepted: {cat.get('expects', 'an open license')}.",
        "  An open license of another kind still counts, with a warning (as in MOT);",
        "  a restrictive license (Llama, Gemma, OpenRAIL, CC-BY-NC, ...) counts as not released.",
    ]
    for s in fw.substitutions:
        if s.component == c.name:
            lines.append(f"  An openly licensed {s.substitute.lower()} stands in for it (Class {', '.join(_ROMAN[x] for x in s.stand_in_classes)}).")
        if s.substitute == c.name:
            lines.append(f"  It can stand in for the {s.component.lower()} when that is not released.")
    lines.append(f"  how to fix: {c.fix}")
    lines.append("  in a manifest:")
    lines.append(f"    - name: {c.name}")
    lines.append("      license: <SPDX id>   # leave out to inherit release.license")
    if path is not None:
        lines.append("")
        lines.extend(evidence_chain(c, path))
    return "\n".join(lines) + "\n"


def evidence_chain(c: framework_mod.ComponentDef, path: Path) -> list[str]:
    from .check import CheckOptions, run

    report = run(CheckOptions(path=path))
    out = [f"evidence in {terminal(str(path))}:"]
    if not report.models:
        out.append("  no release found (no manifest, no evidence)")
    for m in report.models:
        comp = m.component(c.name)
        if comp is None:
            continue
        out.append(f"  {terminal(m.name)}: {comp.status}: {terminal(comp.reason, 300)}")
        if comp.license:
            lic = comp.license
            out.append(f"    license: {terminal(lic.expression or lic.declared or '-')} from {lic.source}: {terminal(lic.reason, 300)}")
        for e in comp.evidence:
            where = terminal(e.path or "-") + (f":{e.line}" if e.line else "")
            out.append(f"    {where}  [{e.rule}] {terminal(e.detail, 300)} (confidence {e.confidence:.2f})")
        if not comp.evidence:
            out.append("    no evidence")
    return out


def explain_license(subject: str) -> str:
    from .licenses import classify_license as classify

    lines = [f"license {terminal(subject)!s}:"]
    first = classify(subject, "code", "mof")
    lines.append(f"  normalised: {terminal(first.expression or '-')}" + ("" if first.known else "  (not in mofcheck's license data)"))
    for cat in ("code", "data", "document"):
        v = classify(subject, cat, "mof")
        verdict = "open, right kind" if v.open and v.type_appropriate else "open, wrong kind (counts with a warning)" if v.open else "not open"
        lines.append(f"  for {cat:<8}: {verdict}: {terminal(v.reason, 300)}")
    mot = classify(subject, "code", "mot")
    lines.append(f"  MOT (--mode mot): {'open' if mot.open else 'invalid'}: {mot.reason}")
    return "\n".join(lines) + "\n"


def explain_subject(subject: str, path: Path | None = None) -> str:
    fw = framework_mod.load()
    c = find_component(subject, fw)
    if c is not None:
        return explain_component(c, fw, path)
    text = explain_license(subject)
    guess = fw.suggest(subject)
    if guess is not None and "(not in mofcheck's license data)" in text:
        text = f"{subject!r} is not a MOF component name; did you mean {guess.name!r}? (mofcheck explain {guess.name!r})\n\n" + text
    return text


def licenses_listing(kind: str | None, fmt: str, include_all: bool) -> str:
    from .licenses import table

    rows = []
    for entry in table.all_licenses():
        if kind and kind not in entry.kinds:
            continue
        if not include_all and not kind and not entry.open:
            continue
        rows.append(entry)
    if fmt == "json":
        return json.dumps([e.to_dict() for e in rows], indent=2) + "\n"
    out = []
    for e in rows:
        kinds = ",".join(e.kinds) or "-"
        state = "open" if e.open else "restrictive" if e.restrictive else "not open"
        out.append(f"{e.id:<40} {state:<11} {kinds:<20} {e.name}" + (f"  ({e.reason})" if e.reason and not e.open else ""))
    out.append(f"{len(rows)} licenses" + (f" of kind {kind}" if kind else "" if include_all else " (open; --all for every known license)"))
    return "\n".join(out) + "\n"
