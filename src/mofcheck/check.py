"""Orchestration: find the manifests, evaluate each release, apply the gate, build one Report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import framework as framework_mod
from .errors import ManifestError, MofcheckError
from .evaluate import evaluate_manifest
from .manifest import Manifest, find_manifests, load_file
from .model import ERROR, INFO, Finding, ModelResult, Report

EXIT_OK, EXIT_GATE, EXIT_INPUT = 0, 1, 2


@dataclass
class CheckOptions:
    path: Path = Path(".")
    manifests: list[Path] = field(default_factory=list)  # --manifest: any path, also outside a repository
    mode: str = "mof"
    min_class: int | None = None
    fail_on: list[str] = field(default_factory=list)  # finding codes, code prefixes or severities
    framework_version: str = framework_mod.DEFAULT_VERSION


def display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def load_manifests(opts: CheckOptions, root: Path, fw: framework_mod.Framework, listed: set[str] | None = None) -> tuple[list[Manifest], list[Finding]]:
    """Every manifest that applies, plus an error finding for each one that cannot be used."""
    paths: list[tuple[Path, str]]
    if opts.manifests:
        paths = [(p, display_path(p, root)) for p in opts.manifests]
    else:
        paths = [(root / rel, rel) for rel in find_manifests(root, listed)]
    manifests, errors = [], []
    for p, shown in paths:
        try:
            manifests.append(load_file(p, shown, fw))
        except ManifestError as exc:
            errors.append(
                Finding("manifest.invalid", ERROR, exc.message, exc.path or shown, exc.line, exc.column)
            )
    return manifests, errors


def gate(report: Report, opts: CheckOptions) -> dict:
    reasons: list[str] = []
    exit_code = EXIT_OK
    input_errors = [f for f in report.all_findings() if f.code == "manifest.invalid"]
    if input_errors:
        exit_code = EXIT_INPUT
        reasons.append(f"{len(input_errors)} manifest(s) could not be used")
    if opts.min_class is not None:
        for m in report.models:
            if m.cls == 0 or m.cls > opts.min_class:
                reasons.append(f"{m.name}: {m.class_label} is below Class {_roman(opts.min_class)}")
                if exit_code == EXIT_OK:
                    exit_code = EXIT_GATE
    if opts.fail_on:
        hits = [f for f in report.all_findings() if matches_fail_on(f, opts.fail_on)]
        if hits:
            reasons.append(f"{len(hits)} finding(s) match --fail-on {','.join(opts.fail_on)}")
            if exit_code == EXIT_OK:
                exit_code = EXIT_GATE
    return {
        "passed": exit_code == EXIT_OK,
        "exit_code": exit_code,
        "min_class": opts.min_class,
        "fail_on": list(opts.fail_on),
        "reasons": reasons,
    }


def matches_fail_on(f: Finding, selectors: list[str]) -> bool:
    for sel in selectors:
        sel = sel.strip()
        if not sel:
            continue
        if sel in ("error", "warning", "info"):
            if _SEV_RANK[f.severity] >= _SEV_RANK[sel]:
                return True
        elif f.code == sel or f.code.startswith(sel + ".") or f.code.split(".")[-1] == sel:
            return True
    return False


_SEV_RANK = {"info": 0, "warning": 1, "error": 2}


def _roman(n: int) -> str:
    return {1: "I", 2: "II", 3: "III"}.get(n, str(n))


def run(opts: CheckOptions) -> Report:
    fw = framework_mod.load(opts.framework_version)
    root = opts.path
    if not root.exists():
        raise MofcheckError(f"no such file or directory: {root}")
    if root.is_file() and not opts.manifests:  # `mofcheck check mof.yml`
        opts.manifests = [root]
        root = root.parent
    manifests, errors = load_manifests(opts, root, fw)
    models: list[ModelResult] = [evaluate_manifest(m, fw, opts.mode) for m in manifests]
    findings = list(errors)
    if not manifests and not errors:
        findings.append(
            Finding("manifest.not-found", INFO, "no MOT-format manifest (mof.yml, .mof/*.yml, ...) found", None, None)
        )
    report = Report(
        root=str(root),
        mode=opts.mode,
        models=models,
        findings=findings,
        framework={"name": fw.name, "version": fw.version},
    )
    report.gate = gate(report, opts)
    return report
