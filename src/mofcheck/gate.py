"""The gate: whether a report passes, and why not (--min-class, --require, --fail-on, expired waivers,
input errors); the one --fail-on parser that `check` and `github` share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import MofcheckError
from .model import Finding, Report

if TYPE_CHECKING:  # annotations only: check.py imports this module
    from .check import CheckOptions

EXIT_OK, EXIT_GATE, EXIT_INPUT = 0, 1, 2
INPUT_ERRORS = frozenset({"manifest.invalid", "config.invalid", "internal.error"})


def gate(report: Report, opts: CheckOptions) -> dict:
    reasons: list[str] = []
    exit_code = EXIT_OK
    input_errors = [f for f in report.all_findings() if f.code in INPUT_ERRORS]
    if input_errors:
        exit_code = EXIT_INPUT
        kinds = ", ".join(sorted({f.code for f in input_errors}))
        reasons.append(f"{len(input_errors)} input error(s) ({kinds}): see the findings")
    regressed = {m["name"] for m in (report.baseline or {}).get("models", []) if m["regressed"]}
    if report.baseline is not None:
        for m in report.baseline["models"]:
            if m["regressed"]:
                reasons.append(f"{m['name']}: regression since {report.baseline['ref']}: " + "; ".join(m["changes"][:3]))
                if exit_code == EXIT_OK:
                    exit_code = EXIT_GATE
    if opts.min_class is not None:
        if not report.models and exit_code == EXIT_OK and report.baseline is None:
            reasons.append("no release found to hold to --min-class")
            exit_code = EXIT_GATE
        for m in report.models:
            if report.baseline is not None and m.name not in regressed:
                continue  # with --baseline, only a regression fails
            if m.cls == 0 or m.cls > opts.min_class:
                why = f"{m.name}: {m.class_label} is below Class {roman(opts.min_class)}"
                reasons.append(why)
                if not any(f.code == "gate.min-class" for f in m.findings):
                    next_steps = "; ".join(s.component for s in m.plan[:5])
                    m.findings.append(
                        Finding.of("gate.min-class", why + (f"; next: {next_steps}" if next_steps else ""), m.manifest, 1 if m.manifest else None)
                    )
                if exit_code == EXIT_OK:
                    exit_code = EXIT_GATE
    exit_code = _gate_require(report, opts, reasons, exit_code)
    expired = [f for f in report.all_findings() if f.code == "waiver.expired"]
    if expired:
        reasons.append(f"{len(expired)} waiver(s) expired")
        if exit_code == EXIT_OK:
            exit_code = EXIT_GATE
    if opts.fail_on:
        # the gate's own findings (gate.min-class, gate.require) restate reasons already counted
        hits = [f for f in report.all_findings() if not f.code.startswith("gate.") and matches_fail_on(f, opts.fail_on)]
        if report.baseline is not None:  # with --baseline, only findings the base did not have
            before = set(report.baseline.get("finding_keys", []))
            hits = [f for f in hits if f.key not in before]
        if hits:
            reasons.append(f"{len(hits)} finding(s) match --fail-on {','.join(opts.fail_on)}")
            if exit_code == EXIT_OK:
                exit_code = EXIT_GATE
    return {
        "passed": exit_code == EXIT_OK,
        "exit_code": exit_code,
        "min_class": opts.min_class,
        "fail_on": list(opts.fail_on or []),
        "require": list(opts.require or []),
        "reasons": reasons,
        "waivers": sum(1 for m in report.models for c in m.components if c.waiver),
    }


def _gate_require(report: Report, opts: CheckOptions, reasons: list[str], exit_code: int) -> int:
    """--require: each release must reach these verdicts (with --baseline: fail only where the base did)."""
    from .verdicts import unmet

    before = {m["name"]: m for m in (report.baseline or {}).get("models", [])}
    for req in opts.require or []:
        if not report.models and report.baseline is None:
            reasons.append(f"no release found to hold to --require {req}")
            exit_code = exit_code or EXIT_GATE
        for m in report.models:
            why = unmet(m, req)
            if why is None:
                continue
            base = before.get(m.name)
            if report.baseline is not None and base is not None and req not in base.get("requires_met", []):
                continue  # with --baseline, only a regression fails
            reasons.append(why)
            m.findings.append(Finding.of("gate.require", why, m.manifest, 1 if m.manifest else None))
            exit_code = exit_code or EXIT_GATE
    return exit_code


def parse_fail_on(text: str | None) -> list[str] | None:
    """--fail-on as given: None when not given (the default applies), [] for `none`, else the selectors."""
    if text is None:
        return None
    selectors = [s.strip() for s in text.split(",") if s.strip()]
    return [] if [s.lower() for s in selectors] == ["none"] else selectors


def unknown_fail_on(selectors: list[str]) -> list[str]:
    """Selectors that name no severity, finding code, code group or code suffix (a typo would turn the gate off)."""
    from .checks import load_checks

    codes = set(load_checks())
    known = {"error", "warning", "info"} | codes | {c.split(".", 1)[0] for c in codes} | {c.split(".")[-1] for c in codes}
    return [s for s in selectors if s.strip() and s.strip() not in known]


def unknown_require(requirements: list[str]) -> list[tuple[str, str]]:
    """(requirement, why) for each --require value that names no yardstick level."""
    from .verdicts import parse_requirement

    out = []
    for req in requirements:
        try:
            parse_requirement(req)
        except MofcheckError as exc:
            out.append((req, exc.message))
    return out


def matches_fail_on(f: Finding, selectors: list[str]) -> bool:
    for sel in selectors:
        sel = sel.strip()
        if not sel:
            continue
        if sel in ("error", "warning", "info"):
            if SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[sel]:
                return True
        elif f.code == sel or f.code.startswith(sel + ".") or f.code.split(".")[-1] == sel:
            return True
    return False


SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


def roman(n: int) -> str:
    return {1: "I", 2: "II", 3: "III"}.get(n, str(n))
