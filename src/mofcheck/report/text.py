"""Text for people (rich): class, progress, one row per component, the next-class plan, findings.

Every string from the repository goes through `escape.terminal` and into `rich.text.Text` (never rich
markup), so a license title cannot style, move or hide output.
"""

from __future__ import annotations

import io
import os
from typing import Any

from .escape import wrapped as terminal  # cells wrap: no line may start a workflow command
from .headline import ROMAN, claim_gap, headline
from .settings import ignored, summary
from .where import possible_lines, remote_lines

_STATUS = {
    "met": ("met", "green"),
    "met_with_warning": ("met (warning)", "yellow"),
    "declared_external": ("declared (URL)", "cyan"),
    "restrictive": ("not open", "red"),
    "unlicensed": ("unlicensed", "red"),
    "conflict": ("conflict", "red"),
    "declared_only": ("declared only", "magenta"),
    "missing": ("missing", "bright_black"),
}
_SEV = {"error": "red", "warning": "yellow", "info": "blue"}


def render(report: dict[str, Any], *, color: bool | None = None, width: int | None = None, **_: Any) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    if color is None:
        color = False
    console = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        width=width or int(os.environ.get("COLUMNS", "0") or 0) or 110,
        highlight=False,
        emoji=False,
        markup=False,
    )
    T = Text
    fw = report.get("framework") or {}
    head = T(f"mofcheck {report['tool']['version']}", style="bold")
    head.append(f" · mode {report['mode']} · {fw.get('name', 'MOF')} {fw.get('version', '')}")
    console.print(head)
    for model in report["models"]:
        console.print()
        title = T(terminal(model["name"] or "(unnamed release)"), style="bold")
        if model.get("manifest"):
            title.append(f"  ({terminal(model['manifest'])})", style="dim")
        console.print(title)
        cls = model["class"]
        console.print(T("  " + terminal(headline(model), 300), style="bold red" if not cls else "bold yellow" if claim_gap(model) else "bold green"))
        prog = T("  progress: ")
        for c in (3, 2, 1):
            p = model["progress"][str(c)]
            prog.append(f"Class {ROMAN[c]} {p:.0f}%", style="green" if p >= 100 else "")
            prog.append("   ")
        console.print(prog)
        for key, label in (("declared", "declared (manifest)"), ("verified", "verified (evidence)")):
            st = model.get(key)
            if st and model.get("verified"):
                console.print(T(f"  {label}: " + (f"Class {ROMAN[st['class']]}" if st["class"] else "no class"), style="dim"))
        _verdicts(console, model.get("verdicts") or {}, T)
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, padding=(0, 1))
        table.add_column("component")
        table.add_column("class", justify="center")
        table.add_column("status")
        table.add_column("license")
        table.add_column("why", overflow="fold")
        for comp in model["components"]:
            label, style = _STATUS.get(comp["status"], (comp["status"], ""))
            if not comp["required"] and comp["status"] == "missing":
                label, style = "not listed (optional)", "bright_black"
            lic = comp.get("license") or {}
            name = T(comp["name"] + ("" if comp["required"] else " (optional)"))
            if comp.get("waiver"):
                label += " (waived)"
            table.add_row(
                name,
                ROMAN[comp["class"]],
                T(label, style=style),
                T(terminal(lic.get("expression") or lic.get("declared") or "-", 80)),
                T(terminal(comp.get("reason") or "", 300)),
            )
        console.print(table)
        for title, lines in (("evidence from the release's hosts", remote_lines(model)), ("seen, not counted", possible_lines(model))):
            if lines:
                console.print(T(f"\n  {title}:", style="bold"))
                for line in lines:
                    console.print(T("   • " + terminal(line, 400), style="dim"))
        if model["plan"]:
            target = model["plan"][0]["target_class"]
            console.print(T(f"\n  To reach Class {ROMAN[target]}:", style="bold"))
            for step in model["plan"]:
                line = T("   • ")
                line.append(step["component"], style="bold")
                line.append(f": {terminal(step['problem'], 300)}. ")
                line.append(terminal(step["fix"], 400))
                line.append(f" [effort: {step['effort']}]", style="dim")
                console.print(line)
        elif cls == 1:
            console.print(T("\n  Class I is the highest class: nothing left to do.", style="green"))
        _findings(console, model["findings"], T)
    if report.get("safety"):
        _safety(console, report["safety"], T)
    if report["findings"]:
        console.print()
        _findings(console, report["findings"], T)
    base = report.get("baseline")
    if base:
        console.print()
        console.print(T(f"since {terminal(base['ref'])}:", style="bold"))
        for m in base["models"]:
            line = T(f"  {terminal(m['name'])}: {m.get('summary', '')}", style="red" if m["regressed"] else "")
            if m["changes"]:
                line.append(": " + terminal("; ".join(m["changes"]), 600))
            console.print(line)
    gate = report.get("gate") or {}
    settings = summary(report)
    if settings:
        console.print()
        console.print(T("settings: " + terminal(" · ".join(settings), 1000), style="dim"))
        for line in ignored(report):
            console.print(T("  ignored from the configuration (it may only tighten the gate): " + terminal(line, 500)))
    if gate:
        console.print()
        if gate.get("passed"):
            console.print(T("gate: passed", style="bold green"))
        else:
            console.print(T("gate: failed", style="bold red"))
            for r in gate.get("reasons", []):
                console.print(T("  - " + terminal(r, 300)))
    return buf.getvalue()


def _verdicts(console: Any, verdicts: dict[str, Any], T: Any, most: int = 6) -> None:
    """Beside the MOF class: each yardstick's verdict (mofcheck.verdicts) and what blocks it or is still due."""
    if not verdicts:
        return
    from ..verdicts import display

    for key, verdict in verdicts.items():
        name, words, reached, detail = display(key, verdict)
        line = T(f"  {name}: ")
        line.append(terminal(words, 120), style="green" if reached else "red")
        console.print(line)
        for d in detail[:most]:
            console.print(T("     " + terminal(d, 400), style="dim"))
        if len(detail) > most:
            console.print(T(f"     ... {len(detail) - most} more in the JSON report", style="dim"))


def _findings(console: Any, findings: list[dict[str, Any]], T: Any) -> None:
    if not findings:
        return
    console.print(T("\n  findings:", style="bold"))
    for f in findings:
        where = terminal(f["path"] or "-") + (f":{f['line']}" if f.get("line") else "")
        line = T("   ")
        line.append(f"{f['severity']:<7}", style=_SEV.get(f["severity"], ""))
        line.append(f" {where} ")
        line.append(f"[{f['code']}] ", style="dim")
        line.append(terminal(f["message"], 500))
        console.print(line)


def _safety(console: Any, safety: dict[str, Any], T: Any) -> None:
    from . import safety as sf

    console.print()
    console.print(T("release safety: ", style="bold") + T(terminal(sf.headline(safety), 300)))
    rows, more = sf.rows(safety)
    for mark, path, fmt, what in rows:
        line = T("   ")
        line.append(f"{mark:<7}", style=_SEV.get(mark, ""))
        line.append(f" {terminal(path)} ")
        line.append(f"[{terminal(fmt, 40)}] ", style="dim")
        line.append(terminal(what, 400))
        console.print(line)
    if more:
        console.print(T(f"   ... {more} more pickle files (see the JSON report)", style="dim"))
    for r in sf.remote_lines(safety):
        console.print(T("   remote code: " + terminal(r, 400)))
    p = sf.privacy_line(safety)
    if p:
        console.print(T("   privacy: " + terminal(p, 400)))
    if safety.get("scanner"):
        console.print(T("   pickle scanner: " + terminal(sf.scanner(safety), 80), style="dim"))
