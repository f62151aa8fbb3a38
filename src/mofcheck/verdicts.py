"""Verdicts beside the MOF class: the G7 openness label, OSAID 1.0, EU AI Act Art. 53(2), ...

Each yardstick is a data file (data/yardsticks/*.yaml: its source, its levels and their criteria) and this
module is the one generic evaluator: it judges every yardstick over the same verified component results
the MOF class comes from. The criteria language (docs/verdicts.md):

* `{component: NAME, license: KIND}`: the component is released, under a license of KIND:
  `present` (no license needed), `any` (some license stated, use restrictions allowed), `open` (open and
  counted, as for the MOF class), `osi-approved` (open, and every license that applies is OSI-approved);
  `optional: true` when it must meet KIND only if it is released;
* `{all: [...]}` and `{any: [...]}` of criteria;
* `as:` names a criterion in reasons, `caveat:` is said whenever that criterion decides a level.

Waivers never count here: a waiver is the repository's exception for the MOF gate, not a license.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import MofcheckError
from .model import CONFLICT, COUNTING, DECLARED_ONLY, MISSING, RESTRICTIVE, ComponentResult, ModelResult

KINDS = ("present", "any", "open", "osi-approved")


@dataclass(frozen=True)
class Criterion:
    component: str | None = None
    license: str | None = None
    all: tuple[Criterion, ...] = ()
    any: tuple[Criterion, ...] = ()
    name: str | None = None  # `as`
    caveat: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class Level:
    id: str
    title: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Yardstick:
    key: str  # models[].verdicts.<key>
    gate: str  # --require <gate>[:<level>]
    name: str
    short: str  # what reports call it: "G7 label"
    version: str
    source: dict[str, Any]
    output: dict[str, str]
    levels: tuple[Level, ...]  # least open first; cumulative
    notice: str | None
    still_due: tuple[str, ...]
    cannot_check: tuple[str, ...]

    @property
    def ladder(self) -> bool:
        """A label out of several levels (G7), rather than pass or fail (OSAID, EU)."""
        return "level" in self.output

    def level_index(self, verdict: dict[str, Any]) -> int:
        """The index of the highest level a verdict reached (-1: none)."""
        if self.ladder:
            ids = [lv.id for lv in self.levels]
            label = verdict.get(self.output["level"])
            return ids.index(label) if label in ids else -1
        return len(self.levels) - 1 if verdict.get(self.output["passed"]) else -1


# ------------------------------------------------------------------------------------------ loading


def _criterion(raw: dict[str, Any], where: str, names: set[str]) -> Criterion:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: a criterion is a mapping")
    unknown = set(raw) - {"component", "license", "all", "any", "as", "caveat", "optional"}
    if unknown:
        raise ValueError(f"{where}: unknown criterion keys {sorted(unknown)}")
    kids = {k: tuple(_criterion(c, f"{where}.{k}", names) for c in raw.get(k) or ()) for k in ("all", "any")}
    shapes = [bool(raw.get("component")), bool(kids["all"]), bool(kids["any"])]
    if sum(shapes) != 1:
        raise ValueError(f"{where}: give exactly one of component, all, any")
    if raw.get("component"):
        if raw["component"] not in names:
            raise ValueError(f"{where}: unknown MOF component {raw['component']!r}")
        if raw.get("license") not in KINDS:
            raise ValueError(f"{where}: license must be one of {', '.join(KINDS)}")
    return Criterion(raw.get("component"), raw.get("license"), kids["all"], kids["any"], raw.get("as"), raw.get("caveat"), bool(raw.get("optional")))


def _parse(data: dict[str, Any], rel: str, names: set[str]) -> Yardstick:
    y = data["yardstick"]
    output = dict(data["output"])
    if ("level" in output) == ("passed" in output):
        raise ValueError(f"{rel}: output needs exactly one of `level` (a label) or `passed` (a boolean)")
    levels = tuple(
        Level(str(lv["id"]), str(lv["title"]), tuple(_criterion(c, f"{rel}:{lv['id']}[{i}]", names) for i, c in enumerate(lv["criteria"])))
        for lv in data["levels"]
    )
    if not levels:
        raise ValueError(f"{rel}: no levels")
    return Yardstick(
        key=str(y["key"]),
        gate=str(y["gate"]),
        name=str(y["name"]),
        short=str(y.get("short") or y["name"]),
        version=str(y["version"]),
        source=dict(y["source"]),
        output=output,
        levels=levels,
        notice=data.get("notice"),
        still_due=tuple(data.get("still_due") or ()),
        cannot_check=tuple(data.get("cannot_check") or ()),
    )


@lru_cache(maxsize=1)
def yardsticks() -> tuple[Yardstick, ...]:
    """Every yardstick, in the order of data/yardsticks/index.yaml."""
    from .datacache import load_yaml
    from .framework import load as load_framework

    names = set(load_framework().names())
    index = load_yaml("yardsticks/index.yaml")
    return tuple(_parse(load_yaml(f"yardsticks/{rel}"), rel, names) for rel in index["yardsticks"])


# --------------------------------------------------------------------------------------- judging


def present(c: ComponentResult, verified: bool) -> bool:
    """Released: shown by the repository or a link (or, judging the manifest alone, listed)."""
    if c.status in (MISSING, DECLARED_ONLY):
        return False
    return not verified or c.status in COUNTING or any(e.kind != "manifest" for e in c.evidence)


def osi_approved(expression: str | None) -> bool:
    """Every license the expression requires is OSI-approved (for OR: one branch is)."""
    if not expression:
        return False
    from .licenses import table
    from .licenses.spdx import Leaf, LicenseParseError, parse

    try:
        tree = parse(expression).tree
    except LicenseParseError:
        return False

    def ok(node) -> bool:
        if isinstance(node, Leaf):
            lic = table.get(node.id) if node.known else None
            return bool(lic and lic.osi and lic.open)
        parts = [ok(a) for a in node.args]
        return any(parts) if node.op == "OR" else all(parts)

    return ok(tree)


def meets(c: ComponentResult, kind: str, verified: bool) -> bool:
    if kind == "present":
        return present(c, verified)
    if kind == "any":  # a license with use restrictions will do; a conflict is not sure enough
        return present(c, verified) and (c.status in COUNTING or c.status == RESTRICTIVE)
    if c.status not in COUNTING:  # waivers never make a component open here
        return False
    return kind == "open" or osi_approved(c.license.expression if c.license else None)


def _license(c: ComponentResult) -> str:
    lic = c.license
    if lic is None or not (lic.expression or lic.declared):
        return "no license"
    where = f" ({lic.path}:{lic.line})" if lic.path and lic.line else f" ({lic.path})" if lic.path else ""
    return f"{lic.expression or lic.declared}{where}"


def describe(c: ComponentResult, kind: str, ok: bool) -> str:
    """The component with its license and where it is; when it fails, why."""
    at = next((e.path for e in c.evidence if e.path and not e.rule.startswith(("manifest.license", "manifest.component-listed", "license."))), None)
    if ok:
        return f"{c.name} under {_license(c)}" + (f", at {at}" if at else "") if kind != "present" else f"{c.name}" + (f" at {at}" if at else "")
    if c.status in (MISSING, DECLARED_ONLY) or (kind == "present" and c.status != CONFLICT):
        return f"{c.name}: {c.status.replace('_', ' ')} ({c.reason or 'not released'})"
    if c.status == CONFLICT:
        return f"{c.name}: license conflict ({c.reason})"
    if c.status in COUNTING and kind == "osi-approved":
        return f"{c.name}: {_license(c)} is open but not OSI-approved"
    if c.waiver and kind != "any":
        return f"{c.name}: waived for the MOF class, but {c.reason or c.status} (waivers do not count here)"
    return f"{c.name}: {c.reason or c.status.replace('_', ' ')}"


@dataclass
class Outcome:
    ok: bool
    text: str
    caveats: list[str]


def judge(cr: Criterion, comps: dict[str, ComponentResult], verified: bool) -> Outcome | None:
    """The criterion over the components (None: an optional component that is not released)."""
    label = f"{cr.name}: " if cr.name else ""
    if cr.component is not None:
        c = comps.get(cr.component)
        if c is None or (cr.optional and not present(c, verified)):
            return None if cr.optional else Outcome(False, f"{label}{cr.component}: not evaluated", [])
        ok = meets(c, cr.license or "open", verified)
        return Outcome(ok, label + describe(c, cr.license or "open", ok), [cr.caveat] if ok and cr.caveat else [])
    kids = [o for o in (judge(k, comps, verified) for k in (cr.all or cr.any)) if o is not None]
    if cr.any:
        hit = next((o for o in kids if o.ok), None)
        if hit is not None:
            return Outcome(True, label + hit.text, hit.caveats + ([cr.caveat] if cr.caveat else []))
        return Outcome(False, label + "none of: " + "; ".join(o.text for o in kids), [])
    bad = [o for o in kids if not o.ok]
    if bad:
        return Outcome(False, label + "; ".join(o.text for o in bad), [])
    return Outcome(True, label + "; ".join(o.text for o in kids), [c for o in kids for c in o.caveats] + ([cr.caveat] if cr.caveat else []))


def evaluate(y: Yardstick, model: ModelResult) -> dict[str, Any]:
    """One yardstick's verdict on a release, in the shape its `output` names."""
    comps = {c.name: c for c in model.components}
    verified = model.verified is not None
    reached = -1
    met: list[tuple[Level, list[Outcome]]] = []
    caveats: list[str] = []
    blocked: tuple[Level, list[Outcome]] | None = None
    for i, level in enumerate(y.levels):
        outcomes = [o for o in (judge(c, comps, verified) for c in level.criteria) if o is not None]
        failed = [o for o in outcomes if not o.ok]
        if failed:
            blocked = (level, failed)
            break
        reached = i
        met.append((level, outcomes))
        caveats.extend(c for o in outcomes for c in o.caveats if c not in caveats)
    reasons = _level_reasons(met)
    if not verified:
        caveats.append("judged from the manifest alone: the repository was not read")
    out: dict[str, Any] = {}
    if y.ladder:
        out[y.output["level"]] = y.levels[reached].id if reached >= 0 else y.output.get("none", "none")
    else:
        out[y.output["passed"]] = reached == len(y.levels) - 1
    if "reasons" in y.output:
        why = reasons + [f"note: {c}" for c in caveats]
        if blocked is not None:
            level, failed = blocked
            why.append(f"blocks {level.id}: " + "; ".join(o.text for o in failed))
        out[y.output["reasons"]] = why
    if "missing" in y.output:
        out[y.output["missing"]] = [o.text for o in blocked[1]] if blocked else []
        if caveats and not blocked:
            out.setdefault("notes", []).extend(caveats)
    if "still_due" in y.output:
        out[y.output["still_due"]] = list(y.still_due)
    if "notice" in y.output and y.notice:
        out[y.output["notice"]] = y.notice
    return out


def _level_reasons(met: list[tuple[Level, list[Outcome]]]) -> list[str]:
    """One line per level reached, each saying only what the levels above it do not say again."""
    seen: set[str] = set()
    lines = []
    for level, outcomes in reversed(met):
        new = [o.text for o in outcomes if o.text not in seen]
        seen.update(new)
        if new:
            lines.append(f"{level.id}: " + "; ".join(new))
    return lines[::-1]


def evaluate_all(model: ModelResult) -> dict[str, dict[str, Any]]:
    """Every yardstick's verdict on a release: {key: verdict}."""
    return {y.key: evaluate(y, model) for y in yardsticks()}


# ------------------------------------------------------------------------------------------ gating


def parse_requirement(text: str) -> tuple[Yardstick, int]:
    """`g7:open-weights`, `osaid`, `eu-ai-act` -> (yardstick, index of the level required). Raises MofcheckError."""
    gate, _, level = text.strip().partition(":")
    found = {y.gate: y for y in yardsticks()}
    y = found.get(gate.strip().lower())
    if y is None:
        raise MofcheckError(f"require: unknown yardstick {gate!r}; use one of: {', '.join(choices())}")
    ids = [lv.id for lv in y.levels]
    level = level.strip().lower()
    if not level and not y.ladder:
        return y, len(ids) - 1
    if level not in ids:
        raise MofcheckError(f"require: {y.gate} has no level {level!r}; use one of: {', '.join(f'{y.gate}:{i}' for i in ids)}")
    return y, ids.index(level)


def display(key: str, verdict: dict[str, Any]) -> tuple[str, str, bool, list[str]]:
    """(yardstick's short name, the verdict in words, whether it is reached, what blocks or is still due)."""
    y = next((y for y in yardsticks() if y.key == key), None)
    if y is None:
        return key, "unknown yardstick", False, []
    i = y.level_index(verdict)
    if y.ladder:
        words = y.levels[i].title if i >= 0 else "no label"
    else:
        words = ("" if i >= 0 else "not ") + y.levels[-1].title
    detail = [verdict[y.output["notice"]]] if y.output.get("notice") and verdict.get(y.output["notice"]) else []
    detail += [r for r in verdict.get(y.output.get("reasons", ""), []) if r.startswith(("blocks ", "note: "))]
    detail += [f"missing: {m}" for m in verdict.get(y.output.get("missing", ""), [])]
    detail += [f"note: {m}" for m in verdict.get("notes", [])]
    detail += [f"still due: {d}" for d in verdict.get(y.output.get("still_due", ""), [])]
    return y.short, words, i >= 0, detail


def choices() -> list[str]:
    """Every value --require accepts."""
    out = []
    for y in yardsticks():
        out.extend(f"{y.gate}:{lv.id}" for lv in y.levels)
        if not y.ladder:
            out.append(y.gate)
    return out


def unmet(model: ModelResult, requirement: str) -> str | None:
    """Why `model` fails `requirement` (None: it meets it)."""
    y, need = parse_requirement(requirement)
    verdict = (model.verdicts or {}).get(y.key)
    if verdict is None:
        return f"{model.name}: no {y.name} verdict"
    have = y.level_index(verdict)
    if have >= need:
        return None
    if not y.ladder:
        return f"{model.name}: not {y.levels[need].title} (--require {requirement})"
    got = y.levels[have].title if have >= 0 else "no label"
    return f"{model.name}: {y.short}: {got}, below the required {y.levels[need].title} (--require {requirement})"


__all__ = ["Yardstick", "yardsticks", "evaluate", "evaluate_all", "parse_requirement", "choices", "display", "unmet", "osi_approved"]
