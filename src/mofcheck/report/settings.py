"""The report's `settings` as short lines for people (text and Markdown escape them their own way)."""

from __future__ import annotations

import json
from typing import Any

_NAMES = (  # report key, label; shown when set or when it decides the gate
    ("mode", "mode"),
    ("min_class", "min-class"),
    ("fail_on", "fail-on"),
    ("trust_manifest", "trust-manifest"),
    ("read_repository", "read the repository"),
    ("baseline", "baseline"),
    ("new_waivers", "new waivers"),
    ("online", "online"),
    ("manifests", "manifests"),
    ("ignore", "ignore"),
)
_ALWAYS = {"mode", "min_class", "fail_on", "trust_manifest"}


def _value(key: str, value: Any) -> str:
    if value is None or value == []:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key == "min_class":
        return {1: "Class I", 2: "Class II", 3: "Class III"}.get(value, str(value))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def summary(report: dict[str, Any]) -> list[str]:
    """`label value (from)` for each setting worth showing, then where the configuration came from."""
    settings = report.get("settings") or {}
    out = []
    for key, label in _NAMES:
        s = settings.get(key)
        if not isinstance(s, dict):
            continue
        if key not in _ALWAYS and s.get("from") == "default":
            continue
        out.append(f"{label} {_value(key, s.get('value'))} ({s.get('from')})")
    conf = settings.get("configuration") or {}
    if conf.get("used") is False:
        out.append("configuration not read (--no-config)")
    elif conf.get("path"):
        out.append(f"configuration {conf['path']}" + (f" at {conf['ref']}" if conf.get("ref") else ""))
    return out


def ignored(report: dict[str, Any]) -> list[str]:
    """One line per repository setting that was not applied, with its reason."""
    return [
        f"{i.get('setting')} = {json.dumps(i.get('value'), ensure_ascii=False)} ({i.get('from')}): {i.get('reason')}"
        for i in (report.get("settings") or {}).get("ignored") or []
    ]
