"""One line per finding, `path:line: severity: [code] message`, for editors (errorformat) and grep."""

from __future__ import annotations

import posixpath
from typing import Any

from .escape import terminal
from .findings import collect, line_of, severity_rank


def render(report: dict[str, Any], **_: Any) -> str:
    root = report.get("root")
    rows = []
    for item in collect(report):
        f = item.finding
        path = terminal(_from_cwd(f.get("path"), root) or "-", 1000)
        line = line_of(f.get("line"))
        code = terminal(f.get("code") or "-", 100)
        sev = terminal(f.get("severity") or "-", 20)
        where = f"{path}:{line}" if line else path
        key = (path, line or 0, severity_rank(f), code, item.index)
        rows.append((key, f"{where}: {sev}: [{code}] {terminal(f.get('message') or '', 2000)}"))
    rows.sort(key=lambda r: r[0])
    return "".join(text + "\n" for _, text in rows)


def _from_cwd(path: Any, root: Any) -> Any:
    """Finding paths are relative to the checked folder; editors open them from where mofcheck ran."""
    if not isinstance(path, str) or not isinstance(root, str) or "://" in path or posixpath.isabs(path):
        return path
    return posixpath.normpath(posixpath.join(root.replace("\\", "/"), path)) if root not in ("", ".") else path
