"""GitHub Actions workflow-command annotations (`::error file=F,line=L,title=T::message`).

GitHub shows at most 10 annotations of each kind per step and 50 per job and silently drops the rest,
so the findings are ranked (errors, warnings, notices; anchored on a line first; then report order),
capped, and one last `::notice::` says how many more there are. Every property and message goes through
`escape.workflow_property` / `escape.workflow_data`, so no text from the repository can end the command
line and start another.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..checks import check_info
from .escape import terminal, workflow_data, workflow_property
from .findings import Item, anchor, collect, line_of, repo_relative, severity_rank

_KIND = {"error": "error", "warning": "warning", "info": "notice"}


def render(report: dict[str, Any], *, max_per_kind: int = 10, max_total: int = 50, **_: Any) -> str:
    root = report.get("root")
    several = len(report.get("models") or []) > 1
    anchored = [(it, *anchor(it, root)) for it in collect(report)]
    anchored.sort(key=lambda a: (severity_rank(a[0].finding), a[2] is None, a[0].index))

    chosen: list[tuple[Item, str | None, int | None]] = []
    counts: Counter[str] = Counter()
    for a in anchored:
        kind = _kind(a[0].finding)
        if counts[kind] < max_per_kind and len(chosen) < max_total:
            chosen.append(a)
            counts[kind] += 1
    omitted = len(anchored) - len(chosen)
    # The closing notice is an annotation too: make room for it under both caps.
    while omitted and chosen and (counts["notice"] >= max_per_kind or len(chosen) >= max_total):
        victim = len(chosen) - 1
        if counts["notice"] >= max_per_kind:
            victim = max(i for i, a in enumerate(chosen) if _kind(a[0].finding) == "notice")
        counts[_kind(chosen.pop(victim)[0].finding)] -= 1
        omitted += 1

    out = [_command(it, path, line, several, root) for it, path, line in chosen]
    if omitted:
        out.append(
            "::notice::"
            + workflow_data(
                f"mofcheck: {omitted} more finding(s) not shown as annotations "
                f"(GitHub shows at most {max_per_kind} per kind per step and {max_total} per job); "
                "see the job summary or the JSON report."
            )
        )
    return "".join(line + "\n" for line in out)


def _kind(finding: dict[str, Any]) -> str:
    return _KIND.get(str(finding.get("severity")), "warning")


def _command(item: Item, path: str | None, line: int | None, several: bool, item_root: Any) -> str:
    f = item.finding
    code = str(f.get("code") or "")
    info = check_info(code) or {}
    title = f"{info['short']} ({code})" if info.get("short") else code or "mofcheck"
    props = []
    if path:
        props.append("file=" + workflow_property(terminal(path, 1000)))
        if line:
            props.append(f"line={line}")
            col = line_of(f.get("column"))
            if col and repo_relative(f.get("path"), item_root):
                props.append(f"col={col}")
    props.append("title=" + workflow_property(terminal(title, 200)))
    parts = [terminal(f.get("message") or code, 2000)]
    if several and item.model is not None:
        parts[0] = f"{terminal(item.model.get('name') or '(unnamed release)', 200)}: {parts[0]}"
    fix = f.get("hint") or info.get("remediation")
    if fix:
        parts.append("Fix: " + terminal(fix, 1000))
    return f"::{_kind(f)} {','.join(props)}::{workflow_data(chr(10).join(parts))}"
