"""MOF-mode license judgement: is a declared license open, and the right kind for a component category?

Rules (MOF paper guidance and MOT's behaviour, with MOT's list bugs fixed, see docs/licenses.md):
* open = OSI-approved, FSF-libre, an open data / content license, or OpenMDW;
* type-appropriate: code -> OSI-approved; data (datasets and model parameters) -> open data licenses;
  document -> open content licenses. Open but not type-appropriate counts, with a warning (as MOT);
* `A OR B` is open when one branch is (an open and type-appropriate branch is preferred and named in
  `chosen`); `A AND B` only when every part is; `X WITH exception` is judged by X.
"""

from __future__ import annotations

from typing import NamedTuple

from ..model import LicenseVerdict
from . import table
from .spdx import Expression, Leaf, LicenseParseError, Node, Op, parse

KINDS = table.KINDS
WHAT_FITS = {
    "code": "an OSI-approved license",
    "data": "an open data license such as CDLA-Permissive-2.0, CC-BY-4.0 or CC0-1.0",
    "document": "an open content license such as CC-BY-4.0",
}
_DECLARED_MAX = 200
_REASON_MAX = 600  # keep reports readable when someone pastes a whole license text


class _Judged(NamedTuple):
    open: bool
    appropriate: bool
    known: bool
    reason: str
    chosen: str | None  # for OR somewhere inside: the branch(es) that decide


def classify_mof(text: str | None, category: str) -> LicenseVerdict:
    """Judge a declared license (an SPDX expression, HF id or free text) for `category`.

    `source` is left as "none": the caller fills source, path and line. Raises ValueError only for a
    category that is not code, data or document.
    """
    if category not in KINDS:
        raise ValueError(f"category must be one of {', '.join(KINDS)}, not {category!r}")
    declared = text if text is None or len(text) <= _DECLARED_MAX else text[: _DECLARED_MAX - 3] + "..."
    if text is None or not str(text).strip():
        return LicenseVerdict(declared=declared, expression=None, source="none", reason="no license declared")
    try:
        expr = parse(text)
    except LicenseParseError as e:
        return LicenseVerdict(
            declared=declared,
            expression=None,
            source="none",
            known=False,
            reason=f"unreadable license ({e}), not open",
        )
    if isinstance(expr.tree, Leaf) and expr.tree.id in (table.NOASSERTION, table.NONE):
        what = "no license asserted (NOASSERTION)" if expr.tree.id == table.NOASSERTION else "declared as no license (NONE)"
        return LicenseVerdict(declared=declared, expression=None, source="none", reason=f"{what}: unlicensed")
    j = _judge(expr.tree, category)
    reason = j.reason
    if expr.notes:
        reason += " [" + "; ".join(expr.notes) + "]"
    if len(reason) > _REASON_MAX:  # nested expressions repeat their parts; keep one readable line
        reason = reason[: _REASON_MAX - 3] + "..."
    return LicenseVerdict(
        declared=declared,
        expression=expr.text,
        source="none",
        open=j.open,
        type_appropriate=j.open and j.appropriate,
        reason=reason,
        chosen=j.chosen,
        known=j.known,
    )


def classify_all(text: str | None) -> dict[str, LicenseVerdict]:
    """The verdict for each category (for `mofcheck explain`)."""
    return {k: classify_mof(text, k) for k in KINDS}


def normalise(text: str) -> Expression:
    """The parsed, normalised expression (raises LicenseParseError)."""
    return parse(text)


def _judge(node: Node, category: str) -> _Judged:
    if isinstance(node, Leaf):
        return _judge_leaf(node, category)
    parts = [_judge(a, category) for a in node.args]
    expr = node.render()
    any_choice = any(p.chosen for p in parts)
    if node.op == "OR":
        rank = [(p.open and p.appropriate, p.open) for p in parts]
        best_i = max(range(len(parts)), key=lambda i: rank[i])  # first best branch on ties
        best, branch = parts[best_i], node.args[best_i]
        if not best.open:
            why = "; ".join(p.reason for p in parts)
            return _Judged(False, False, all(p.known for p in parts), f"no branch of `{expr}` is open: {why}", None)
        chosen = best.chosen or branch.render()
        return _Judged(True, best.appropriate, best.known, f"`{chosen}` chosen from `{expr}`: {best.reason}", chosen)
    # AND: every part must hold
    known = all(p.known for p in parts)
    chosen = " AND ".join(p.chosen or _paren(a) for p, a in zip(parts, node.args)) if any_choice else None
    closed = [p.reason for p in parts if not p.open]
    if closed:
        return _Judged(False, False, known, f"`{expr}` is not open: every part must be; " + "; ".join(closed), chosen)
    unfit = [p.reason for p in parts if not p.appropriate]
    if unfit:
        return _Judged(True, False, known, f"`{expr}` is open, but not every part fits {category}: " + "; ".join(unfit), chosen)
    return _Judged(True, True, known, f"`{expr}`: every part is open and type-appropriate for {category}", chosen)


def _paren(node: Node) -> str:
    return f"({node.render()})" if isinstance(node, Op) else node.render()


def _judge_leaf(leaf: Leaf, category: str) -> _Judged:
    with_note = f" (WITH {leaf.exception}: judged by its base license)" if leaf.exception else ""
    if leaf.id in (table.NOASSERTION, table.NONE):
        return _Judged(False, False, True, f"{leaf.id}: no license asserted, not open", None)
    lic = table.get(leaf.id) if leaf.known else None
    if lic is None and leaf.id.startswith(table.MODIFIED_PREFIX):
        base = leaf.id[len(table.MODIFIED_PREFIX) :]
        return _Judged(False, False, True, f"{base} with its text edited (license.modified): not {base}, not open", None)
    if lic is None:
        return _Judged(False, False, False, f"{leaf.id}: unknown license, not open", None)
    if not lic.open:
        return _Judged(False, False, True, f"{lic.id}: {lic.reason or 'not an open license'}{with_note}", None)
    if category in lic.kinds:
        return _Judged(True, True, True, f"{lic.id}: open and type-appropriate for {category}{with_note}", None)
    return _Judged(
        True,
        False,
        True,
        f"{lic.id}: open, but not a type-appropriate {category} license (MOF asks for {WHAT_FITS[category]}){with_note}",
        None,
    )
