"""Where the evidence of each component came from, as short lines for people: the host, URL, revision and
age of remote evidence, and the "possible" items that were seen but not counted."""

from __future__ import annotations

from typing import Any

MAX_POSSIBLE = 3  # per component; the JSON report has them all


def remote_lines(model: dict[str, Any]) -> list[str]:
    """`Model card: hf-model https://… @ 3dcf3c3d04 (fetched 2 days ago)` for each component shown by a host."""
    out = []
    for comp in model.get("components") or []:
        r = comp.get("remote")
        if not r:
            continue
        rev = f" @ {str(r['revision'])[:10]}" if r.get("revision") and str(r["revision"]) not in str(r.get("url")) else ""
        age = r.get("age_days")
        when = "" if age is None else " (fetched today)" if age == 0 else f" (fetched {age} day{'s' if age != 1 else ''} ago)"
        out.append(f"{comp['name']}: {r.get('source') or 'link'} {r.get('url')}{rev}{when}")
    return out


def possible_lines(model: dict[str, Any]) -> list[str]:
    """`Research paper: possible README.md:12 (papers.arxiv-link, confidence 0.4); not counted`."""
    out = []
    for comp in model.get("components") or []:
        items = comp.get("possible") or []
        for e in items[:MAX_POSSIBLE]:
            at = f"{e.get('path')}:{e['line']}" if e.get("line") else str(e.get("path"))
            out.append(f"{comp['name']}: possible {at} ({e.get('rule')}, confidence {e.get('confidence')}); not counted")
        if len(items) > MAX_POSSIBLE:
            out.append(f"{comp['name']}: {len(items) - MAX_POSSIBLE} more possible item(s) in the JSON report")
    return out


__all__ = ["possible_lines", "remote_lines"]
