"""Markdown for a GitHub job summary or a sticky pull-request comment.

Per release: the class, MOT-style progress per class (and declared vs verified when both are known), a
component table, the next-class plan, waivers and findings (most severe first). GitHub caps a comment at
65,536 characters and a job summary at 1 MiB, so the output is fitted to `limit` bytes by leaving out whole
rows and findings, never cutting one in half, and says how many were left out. Every string from the
repository goes through `escape.markdown` / `escape.markdown_cell`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from ..checks import check_info
from .escape import html_comment
from .escape import markdown as md
from .escape import markdown_cell as cell
from .findings import collect, line_of, severity_rank
from .headline import ROMAN, claim_gap, headline
from .settings import ignored, summary
from .where import possible_lines, remote_lines

_STATUS = {
    "met": "✅ met",
    "met_with_warning": "⚠️ met (warning)",
    "declared_external": "🔗 declared (URL)",
    "restrictive": "❌ not open",
    "unlicensed": "❌ unlicensed",
    "conflict": "❌ conflict",
    "declared_only": "❓ declared only",
    "missing": "➖ missing",
}
_SEVERITY = {"error": ("❌", "Errors"), "warning": ("⚠️", "Warnings"), "info": ("ℹ️", "Notes")}
_CODE = re.compile(r"^[a-z0-9]+(\.[a-z0-9-]+)+$")
_FOOTER_RESERVE = 400  # bytes kept free for the closing "… N more" line


@dataclass
class _Entry:
    text: str
    priority: int = 2  # 0: always; 1: each release's headline; 2: detail, left out first
    group: str | None = None  # once one entry of a group is left out, the rest of the group is too
    kind: str | None = None  # what the closing line counts when it is left out
    release: int | None = None  # left out with its release's headline


def render(
    report: dict[str, Any],
    *,
    limit: int | None = 65_000,
    marker: str | None = None,
    more_where: str = "the job summary or the JSON report",
    **_: Any,
) -> str:
    entries = _document(report, marker)
    full = "".join(e.text + "\n" for e in entries)
    if limit is None or len(full.encode("utf-8")) <= limit:  # None: no limit
        return full
    return _fit(entries, limit, more_where)


# --- fitting -------------------------------------------------------------------------------------------


def _size(text: str) -> int:
    return len(text.encode("utf-8")) + 1


def _fit(entries: list[_Entry], limit: int, more_where: str) -> str:
    budget = max(0, limit - _FOOTER_RESERVE)
    keep = [False] * len(entries)
    used = 0
    for priority in (0, 1, 2):
        cut: set[str] = set()
        shown = {e.release for e, k in zip(entries, keep) if k and e.priority == 1}
        for i, e in enumerate(entries):
            if e.priority != priority or (e.group and e.group in cut):
                continue
            if priority == 2 and e.release is not None and e.release not in shown:
                continue
            if priority == 0 or used + _size(e.text) <= budget:
                keep[i] = True
                used += _size(e.text)
            elif e.group:
                cut.add(e.group)
    left: dict[str, int] = {}
    for e, k in zip(entries, keep):
        if not k and e.kind:
            left[e.kind] = left.get(e.kind, 0) + 1
    footer = ""
    if left:
        order = ("release", "component row", "plan step", "waiver", "safety row", "finding")
        ranked = sorted(left.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        counts = ", ".join(f"{n} more {kind}{'' if n == 1 else 's'}" for kind, n in ranked)
        footer = f"\n… {counts} not shown (see {md(more_where, 120)}).\n"
    body = "".join(e.text + "\n" for e, k in zip(entries, keep) if k)
    room = limit - len(footer.encode("utf-8"))
    if len(body.encode("utf-8")) > room:  # only when the headlines alone are too long
        raw = body.encode("utf-8")[: max(0, room - 60)]
        body = raw.decode("utf-8", "ignore").rsplit("\n", 1)[0] + "\n"
        footer = "\n… the rest of this report is not shown (see " + md(more_where, 120) + ").\n"
    return body + footer


# --- the document --------------------------------------------------------------------------------------


def _document(report: dict[str, Any], marker: str | None) -> list[_Entry]:
    out: list[_Entry] = []
    if marker:
        out.append(_Entry(html_comment(marker), 0))
    tool = report.get("tool") or {}
    fw = report.get("framework") or {}
    out.append(_Entry("## mofcheck: Model Openness Framework report", 0))
    out.append(
        _Entry(
            f"\n<sub>mofcheck {md(tool.get('version', ''), 40)} · mode {md(report.get('mode', ''), 20)} · "
            f"{md(fw.get('name', 'MOF'), 80)} {md(fw.get('version', ''), 20)}</sub>",
            0,
        )
    )
    gate = report.get("gate") or {}
    if gate:
        if gate.get("passed"):
            out.append(_Entry("\n**Gate: ✅ passed**", 0))
        else:
            reasons = "; ".join(md(r, 300) for r in (gate.get("reasons") or [])[:10])
            out.append(_Entry("\n**Gate: ❌ failed**" + (f": {reasons}" if reasons else ""), 0))
    settings = summary(report)
    if settings:
        out.append(_Entry("\n<sub>settings: " + md(" · ".join(settings), 1000) + "</sub>", 0))
    skipped = ignored(report)
    if skipped:
        lines = ["\n**Ignored from the configuration** (it may only tighten the gate the workflow sets):\n"]
        lines += [f"- {md(line, 500)}" for line in skipped[:10]]
        out.append(_Entry("\n".join(lines), 0))
    base = report.get("baseline")
    if base:
        lines = [f"\n**Since {md(base.get('ref', ''), 80)}:**\n"]
        for m in base.get("models") or []:
            mark = "🔻 " if m.get("regressed") else ""
            changes = "; ".join(md(c, 200) for c in (m.get("changes") or [])[:8])
            lines.append(f"- {mark}{md(m.get('name', ''), 120)}: {md(m.get('summary', ''), 80)}" + (f" ({changes})" if changes else ""))
        out.append(_Entry("\n".join(lines), 0))
    models = report.get("models") or []
    if not models:
        out.append(_Entry("\nNo release was checked.", 0))
    for i, model in enumerate(models):
        out.extend(_model(model, i))
    if report.get("safety"):
        out.extend(_safety(report["safety"]))
    items = [it for it in collect(report) if it.model is None]
    if items:
        out.extend(_findings([it.finding for it in items], "findings:report", heading="\n### Findings not tied to one release\n"))
    return out


def _model(model: dict[str, Any], i: int) -> list[_Entry]:
    out = []
    cls = model.get("class") or 0
    name = md(model.get("name") or "(unnamed release)", 200)
    label = md(headline(model), 160)
    mark = "❌" if not cls else "⚠️" if claim_gap(model) else "✅"
    head = f"\n### {mark} {name}: {label}"
    if model.get("manifest"):
        head += f"\n\nManifest: {md(model['manifest'], 300)}"
    out.append(_Entry(head, 1, group=f"release:{i}", kind="release", release=i))
    out.append(_Entry(_progress(model), 1, group=f"release:{i}", release=i))
    if model.get("verdicts"):
        out.append(_Entry(_verdicts(model["verdicts"]), 1, group=f"release:{i}", release=i))
    comps = model.get("components") or []
    for j, comp in enumerate(comps):
        row = _component_row(comp)
        if j == 0:
            row = "\n| Component | Class | Status | License | Why |\n| --- | --- | --- | --- | --- |\n" + row
        out.append(_Entry(row, group=f"components:{i}", kind="component row", release=i))
    for title, lines, kind in (
        ("From the release's hosts", remote_lines(model), "remote source"),
        ("Seen, not counted", possible_lines(model), "possible item"),
    ):
        for j, line in enumerate(lines):
            out.append(_Entry(("\n" + f"**{title}:**\n\n" if j == 0 else "") + f"- {md(line, 500)}", group=f"{kind}:{i}", kind=kind, release=i))
    plan = model.get("plan") or []
    for target, steps in groupby(plan, key=lambda s: s.get("target_class")):
        for j, step in enumerate(steps):
            text = (
                f"- **{md(step.get('component', ''), 100)}**: {md(step.get('problem', ''), 300)}. "
                f"{md(step.get('fix', ''), 400)} _(effort: {md(step.get('effort', ''), 10)})_"
            )
            if j == 0:
                text = f"\n#### To reach Class {ROMAN.get(target, md(target, 5))}\n\n" + text
            out.append(_Entry(text, group=f"plan:{i}", kind="plan step", release=i))
    if not plan and cls == 1:
        out.append(_Entry("\nClass I is the highest class: nothing left to do.", group=f"plan:{i}", release=i))
    waived = [c for c in comps if c.get("waiver")]
    for j, comp in enumerate(waived):
        w = comp["waiver"]
        text = f"- **{md(comp.get('name', ''), 100)}**: {md(w.get('reason', ''), 300)}"
        if w.get("expires"):
            text += f" (expires {md(w['expires'], 40)}{', **expired**' if w.get('expired') else ''})"
        if j == 0:
            text = "\n#### Waivers\n\n" + text
        out.append(_Entry(text, group=f"waivers:{i}", kind="waiver", release=i))
    out.extend(_findings(model.get("findings") or [], f"findings:{i}", heading="\n#### Findings\n", release=i))
    return out


def _progress(model: dict[str, Any]) -> str:
    rows = [("**result**", model.get("class") or 0, model.get("progress") or {})]
    if model.get("declared") and model.get("verified"):
        for key, label in (("declared", "declared (manifest)"), ("verified", "verified (evidence)")):
            st = model[key]
            rows.append((label, st.get("class") or 0, st.get("progress") or {}))
    lines = ["\n| | Class | Class III | Class II | Class I |", "| --- | --- | --- | --- | --- |"]
    for label, cls, prog in rows:
        cells = []
        for c in ("3", "2", "1"):
            p = prog.get(c)
            cells.append("-" if not isinstance(p, (int, float)) else f"{p:.0f}%" + (" ✅" if p >= 100 else ""))
        lines.append(f"| {label} | {'Class ' + ROMAN.get(cls, '?') if cls else 'none'} | {' | '.join(cells)} |")
    return "\n".join(lines)


def _verdicts(verdicts: dict[str, Any]) -> str:
    """Beside the MOF class: one row per yardstick (mofcheck.verdicts), with what blocks it or is still due."""
    from ..verdicts import display

    lines = ["\n| Beside MOF | Verdict | Why |", "| --- | --- | --- |"]
    for key, verdict in verdicts.items():
        name, words, reached, detail = display(key, verdict)
        why = "<br>".join(cell(d, 400) for d in detail[:6]) or "-"
        lines.append(f"| {cell(name, 80)} | {'✅' if reached else '❌'} {cell(words, 120)} | {why} |")
    return "\n".join(lines)


def _component_row(comp: dict[str, Any]) -> str:
    status = _STATUS.get(comp.get("status"), cell(comp.get("status", ""), 40))
    if not comp.get("required", True) and comp.get("status") == "missing":
        status = "➖ not listed (optional)"
    if comp.get("waiver"):
        status += " (waived)"
    lic = comp.get("license") or {}
    name = cell(comp.get("name", ""), 100) + ("" if comp.get("required", True) else " (optional)")
    return (
        f"| {name} | {ROMAN.get(comp.get('class'), '?')} | {status} | "
        f"{cell(lic.get('expression') or lic.get('declared'), 120) if lic.get('expression') or lic.get('declared') else '-'} | {cell(comp.get('reason') or '', 300)} |"
    )


def _findings(findings: list[dict[str, Any]], group: str, heading: str = "", release: int | None = None) -> list[_Entry]:
    ranked = sorted(enumerate(findings), key=lambda p: (severity_rank(p[1]), str(p[1].get("code")), p[0]))
    out = []
    first = True
    for (_rank, code), members in groupby(ranked, key=lambda p: (severity_rank(p[1]), str(p[1].get("code")))):
        members = [f for _, f in members]
        sev = str(members[0].get("severity"))
        emoji, _ = _SEVERITY.get(sev, ("•", sev))
        info = check_info(code) or {}
        shown_code = f"`{code}`" if _CODE.match(code) else md(code, 100)
        if info.get("short"):
            header = f"\n{emoji} **{md(sev, 20)}: {md(info['short'], 200)}** ({shown_code}, {len(members)})"
        else:  # a code the registry does not know: the findings' own messages say it all
            header = f"\n{emoji} **{md(sev, 20)}: {shown_code}** ({len(members)})"
        if info.get("remediation"):
            header += f"<br>Fix: {md(info['remediation'], 400)}"
        header += "\n"
        for j, f in enumerate(members):
            line = line_of(f.get("line"))
            where = md(f.get("path") or "", 300) + (f":{line}" if line and f.get("path") else "")
            text = f"- {where + ': ' if where else ''}{md(f.get('message') or code, 600)}"
            if f.get("hint"):
                text += f" Fix: {md(f['hint'], 300)}"
            if j == 0:
                text = header + text
                if first:
                    text = heading + text
                    first = False
            out.append(_Entry(text, group=group, kind="finding", release=release))
    return out


_MARK = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}


def _safety(safety: dict[str, Any]) -> list[_Entry]:
    from . import safety as sf

    out = [_Entry(f"\n### Release safety\n\n{md(sf.headline(safety), 400)}", 1)]
    rows, more = sf.rows(safety)
    for j, (mark, path, fmt, what) in enumerate(rows):
        row = f"| {_MARK.get(mark, '')} | {cell(path, 200)} | {cell(fmt, 40)} | {cell(what, 400)} |"
        if j == 0:
            row = "\n| | Pickle file | Format | Result |\n| --- | --- | --- | --- |\n" + row
        out.append(_Entry(row, group="safety:files", kind="safety row"))
    if more:
        out.append(_Entry(f"\n… {more} more pickle files (see the JSON report).", group="safety:files"))
    lines = [f"- **Remote code:** {md(r, 500)}" for r in sf.remote_lines(safety)]
    p = sf.privacy_line(safety)
    if p:
        lines.append(f"- **Privacy:** {md(p, 500)}")
    if safety.get("scanner"):
        lines.append(f"- Pickle scanner: {md(sf.scanner(safety), 80)}")
    if lines:
        out.append(_Entry("\n" + "\n".join(lines), group="safety:notes"))
    return out
