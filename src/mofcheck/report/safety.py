"""The "release safety" section's content, shared by the text and Markdown reports: plain strings (each
renderer escapes them) computed once from the report dict's `safety` object."""

from __future__ import annotations

from typing import Any

MAX_ROWS = 20  # pickle files listed; the rest are counted
MAX_IMPORTS = 6


def rows(safety: dict[str, Any]) -> tuple[list[tuple[str, str, str, str]], int]:
    """(mark, path, format, what) for the pickle files worth a line: unsafe, unknown imports, unverified,
    not scanned, pickle weights without a safetensors copy. Clean files with a copy are only counted."""
    out = []
    for f in safety.get("pickle_files") or []:
        dangerous = [f"{i['module']}.{i['name']}" for i in f.get("imports") or [] if i.get("verdict") == "dangerous"]
        unknown = [f"{i['module']}.{i['name']}" for i in f.get("imports") or [] if i.get("verdict") == "unknown"]
        status = f.get("status")
        if dangerous or f.get("hub_verdict") == "unsafe":
            what = "UNSAFE: imports " + _join(dangerous) if dangerous else "UNSAFE (the Hub's scan)"
            mark = "error"
        elif status in ("partial", "unverified"):
            what, mark = "not fully scanned: " + str(f.get("note") or ""), "warning"
        elif status == "not-scanned":
            what, mark = str(f.get("note") or "not scanned"), "info"
        elif unknown:
            what, mark = "imports " + _join(unknown) + " (weights_only=True refuses them)", "warning"
        elif f.get("weights") and not f.get("safetensors_copy"):
            what, mark = "pickle weights, no safetensors copy", "warning"
        else:
            continue
        if unknown and mark == "error":
            what += "; also " + _join(unknown)
        out.append((mark, str(f.get("path")), str(f.get("format")), what))
    return out[:MAX_ROWS], max(0, len(out) - MAX_ROWS)


def headline(safety: dict[str, Any]) -> str:
    s = safety.get("summary") or {}
    n = s.get("pickle_files", 0)
    parts = [f"{n} pickle file{'' if n == 1 else 's'}"]
    if n:
        bits = [f"{s[k]} {label}" for k, label in (("unsafe", "unsafe"), ("unverified", "not fully scanned"), ("not_scanned", "not scanned (LFS)")) if s.get(k)]
        parts[0] += ": " + (", ".join(bits) if bits else "nothing dangerous imported")
    rc = s.get("remote_code", 0)
    parts.append("remote code: " + ((f"{rc} place needs" if rc == 1 else f"{rc} places need") + " trust_remote_code" if rc else "none"))
    parts.append(
        "privacy: " + {"documented": "documented", "undocumented": "not documented", "not-checked": "no data documentation"}.get(str(s.get("privacy")), "-")
    )
    return "; ".join(parts)


def remote_lines(safety: dict[str, Any]) -> list[str]:
    out = []
    for r in safety.get("remote_code") or []:
        where = str(r.get("path")) + (f":{r['line']}" if r.get("line") else "")
        what = []
        if r.get("files"):
            what.append("runs " + _join(r["files"]))
        if r.get("missing"):
            what.append("imports " + _join([m + ".py" for m in r["missing"]]) + " (not in the repository)")
        if r.get("repos"):
            what.append("runs code from " + _join(r["repos"]))
        out.append(f"{where} ({r.get('via')}): " + ("; ".join(what) or "custom code"))
    return out


def privacy_line(safety: dict[str, Any]) -> str | None:
    p = safety.get("privacy")
    if not p:
        return None
    docs = p.get("documents") or []
    if p.get("status") == "documented":
        said = [d for d in docs if d.get("terms")]
        return "documented in " + "; ".join(f"{d['path']} ({', '.join(d['terms'][:4])})" for d in said[:3])
    if p.get("status") == "undocumented":
        return (
            "not documented: "
            + ", ".join(str(d.get("path")) for d in docs[:4])
            + (" says" if len(docs) == 1 else " say")
            + " nothing about personal data, consent or opt-out"
        )
    return "not checked: no data card and no training-data section"


def scanner(safety: dict[str, Any]) -> str:
    sc = safety.get("scanner")
    return f"{sc.get('name')} {sc.get('version')}" if sc else "-"


def _join(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_IMPORTS])
    return shown + (f" and {len(items) - MAX_IMPORTS} more" if len(items) > MAX_IMPORTS else "")
