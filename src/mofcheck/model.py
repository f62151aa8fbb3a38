"""The result types every stage shares: findings, evidence, license verdicts, component and model results.

Plain dataclasses with a `to_dict()` that produces exactly the JSON report shape
(`data/schemas/report.schema.json`). Report renderers and fronts consume that dict, so they never
depend on evaluator internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Component statuses, best first. "met" and "met_with_warning" count toward a class.
MET = "met"
MET_WITH_WARNING = "met_with_warning"
DECLARED_EXTERNAL = "declared_external"  # manifest gives only a URL: counts, not checked offline
RESTRICTIVE = "restrictive"  # a license that is not open (MOT: "invalid")
UNLICENSED = "unlicensed"
CONFLICT = "conflict"  # the manifest says one license, the repository's text another
DECLARED_ONLY = "declared_only"  # the manifest claims it; the repository shows nothing
MISSING = "missing"

STATUSES = (MET, MET_WITH_WARNING, DECLARED_EXTERNAL, RESTRICTIVE, UNLICENSED, CONFLICT, DECLARED_ONLY, MISSING)
COUNTING = frozenset({MET, MET_WITH_WARNING, DECLARED_EXTERNAL})

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass
class Location:
    path: str | None = None  # repository-relative POSIX path, or a URL
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line}


@dataclass
class Finding:
    code: str  # a check id from data/checks.yaml, e.g. "license.restrictive"
    severity: str
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    component: str | None = None
    hint: str | None = None  # what to do about it

    @property
    def key(self) -> str:
        """The same finding at another commit has the same key (--baseline reports only new ones)."""
        return f"{self.code}|{self.component or ''}|{self.path or ''}"

    @classmethod
    def of(
        cls,
        code: str,
        message: str,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        component: str | None = None,
        hint: str | None = None,
        when: str | None = None,
    ) -> Finding:
        """A finding with the severity data/checks.yaml gives its code (under condition `when`, e.g. a
        waiver that is `counted`): severity lives there only."""
        from .checks import severity

        return cls(code, severity(code, when), message, path, line, column, component, hint)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "path": self.path,
            "line": self.line,
        }
        if self.column is not None:
            d["column"] = self.column
        if self.component is not None:
            d["component"] = self.component
        if self.hint:
            d["hint"] = self.hint
        return d


@dataclass
class Evidence:
    """One fact that decided (part of) a verdict: where it is and which rule read it."""

    kind: str  # manifest | license-file | card | code | weights | paper | url | ...
    rule: str  # the rule that matched, e.g. "manifest.component-license"
    detail: str
    path: str | None = None  # repository-relative path, or the URL of a remote file or page
    line: int | None = None
    confidence: float = 1.0
    source: str | None = None  # the reader that found it when not the checked repository: hf-model, arxiv, ...
    revision: str | None = None  # the revision the source was read at (commit, arXiv version)
    fetched: str | None = None  # when it was read (ISO 8601), for remote evidence

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind,
            "rule": self.rule,
            "detail": self.detail,
            "path": self.path,
            "line": self.line,
            "confidence": round(self.confidence, 3),
        }
        if self.source is not None:
            d["source"] = self.source
            d["revision"] = self.revision
            d["fetched"] = self.fetched
        return d


@dataclass
class LicenseVerdict:
    """A license as declared, normalised, and judged for one category (code, data or document)."""

    declared: str | None  # the text as written (None: nothing resolved)
    expression: str | None  # normalised SPDX expression or LicenseRef, None when unlicensed
    source: str  # component | global.<category> | global.distribution | repository | none
    open: bool = False
    type_appropriate: bool = False
    reason: str = ""
    chosen: str | None = None  # for `A OR B`: the branch that made it open
    known: bool = True  # False: not in the license data (unknown, not open)
    path: str | None = None  # where it was declared
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "declared": self.declared,
            "source": self.source,
            "open": self.open,
            "type_appropriate": self.type_appropriate,
            "reason": self.reason,
            "chosen": self.chosen,
        }


@dataclass
class ComponentResult:
    id: int
    name: str
    category: str
    cls: int
    required: bool
    status: str
    listed: bool
    license: LicenseVerdict | None = None
    evidence: list[Evidence] = field(default_factory=list)
    reason: str = ""  # one line: why this status
    waiver: dict[str, Any] | None = None
    possible: list[Evidence] = field(default_factory=list)  # low-confidence items: shown, never counted
    remote: dict[str, Any] | None = None  # shown only by remote evidence: source, url, revision, fetched, age_days

    @property
    def counts(self) -> bool:
        """Counts toward a class: met, or waived by a waiver that has not expired."""
        return self.status in COUNTING or bool(self.waiver and not self.waiver.get("expired"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "class": self.cls,
            "required": self.required,
            "listed": self.listed,
            "status": self.status,
            "reason": self.reason,
            "license": self.license.to_dict() if self.license else None,
            "evidence": [e.to_dict() for e in self.evidence],
            "waiver": self.waiver,
            **({"possible": [e.to_dict() for e in self.possible]} if self.possible else {}),
            **({"remote": self.remote} if self.remote else {}),
        }


@dataclass
class Standing:
    """A class, its label and per-class progress (percent), as MOT computes them (evaluate.standing)."""

    cls: int
    progress: dict[int, float]
    label: str = ""

    @property
    def total(self) -> float:
        """MOT's total progress: the mean of the per-class progress."""
        return sum(self.progress.values()) / len(self.progress) if self.progress else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"class": self.cls, "progress": {str(k): round(v, 6) for k, v in sorted(self.progress.items())}}


@dataclass
class PlanStep:
    target_class: int
    component: str
    problem: str
    fix: str
    effort: str = "medium"  # low | medium | high

    def to_dict(self) -> dict[str, Any]:
        return {
            "target_class": self.target_class,
            "component": self.component,
            "problem": self.problem,
            "fix": self.fix,
            "effort": self.effort,
        }


@dataclass
class ModelResult:
    name: str
    manifest: str | None  # path of the manifest, None when inferred from the repository
    mode: str
    standing: Standing  # the one the gate uses; with `plan`, set by evaluate.settle only
    components: list[ComponentResult]
    declared: Standing | None = None
    verified: Standing | None = None
    findings: list[Finding] = field(default_factory=list)
    plan: list[PlanStep] = field(default_factory=list)
    verdicts: dict[str, Any] = field(default_factory=dict)  # other yardsticks (mofcheck.verdicts): {key: verdict}

    @property
    def cls(self) -> int:
        return self.standing.cls

    @property
    def class_label(self) -> str:
        return self.standing.label

    @property
    def total_progress(self) -> float:
        return self.standing.total

    def component(self, name: str) -> ComponentResult | None:
        return next((c for c in self.components if c.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name,
            "manifest": self.manifest,
            "mode": self.mode,
            "class": self.standing.cls,
            "class_label": self.class_label,
            "progress": self.standing.to_dict()["progress"],
            "total_progress": round(self.total_progress, 6),
        }
        if self.declared is not None:
            d["declared"] = self.declared.to_dict()
        if self.verified is not None:
            d["verified"] = self.verified.to_dict()
        if self.verdicts:
            d["verdicts"] = self.verdicts
        d["components"] = [c.to_dict() for c in self.components]
        d["plan"] = [p.to_dict() for p in self.plan]
        d["findings"] = [f.to_dict() for f in self.findings]
        return d


@dataclass
class Report:
    root: str
    mode: str
    models: list[ModelResult]
    findings: list[Finding] = field(default_factory=list)  # not tied to one model (config, listing)
    gate: dict[str, Any] = field(default_factory=dict)
    framework: dict[str, str] = field(default_factory=dict)
    baseline: dict[str, Any] | None = None  # --baseline: the base commit's classes and the delta
    safety: dict[str, Any] | None = None  # release safety (mofcheck.safety.SafetyResult.to_dict()), when the repository was read
    settings: dict[str, Any] | None = None  # each setting in force and where it came from (settings.py)

    def all_findings(self) -> list[Finding]:
        out = list(self.findings)
        for m in self.models:
            out.extend(m.findings)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON report, the contract with every format; names that are not UTF-8 escaped once, here."""
        from . import SCHEMA_VERSION, __version__
        from .report.escape import data

        return data(
            {
                "schema_version": SCHEMA_VERSION,
                "tool": {"name": "mofcheck", "version": __version__},
                "framework": self.framework,
                "root": self.root,
                "mode": self.mode,
                "gate": self.gate,
                **({"settings": self.settings} if self.settings is not None else {}),
                "models": [m.to_dict() for m in self.models],
                "findings": [f.to_dict() for f in self.findings],
                **({"safety": self.safety} if self.safety is not None else {}),
                **({"baseline": {k: v for k, v in self.baseline.items() if k != "finding_keys"}} if self.baseline is not None else {}),
            }
        )
