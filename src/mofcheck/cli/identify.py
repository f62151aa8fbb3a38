"""The identify command: which license is this file, by its text (like licensee's `detect`)."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Annotated, Literal

from cyclopts import Parameter


def identify(
    files: list[Path],
    /,
    *,
    format: Annotated[Literal["text", "json"], Parameter(help="text: one block per file; json: a list of objects.")] = "text",
) -> int:
    """Identify license files by their text: the license, how it matched (exact, similar, modified or none),
    the similarity and the closest known licenses.

    A text with any edit that is not a known variable part of the license (names, years, URLs, the parts
    the license marks optional) is never reported as the plain license: it is "X, modified"
    (LicenseRef-mofcheck-modified-X, not open), with the lines that differ. Only the first 256 KB of each
    file are read. Exit codes: 0 it ran; 2 a file cannot be read.
    """
    from ..licenses.identify import MAX_BYTES, identify_text, read_bounded
    from ..report.escape import terminal

    texts: list[tuple[str, str]] = []
    errors: list[str] = []  # every readable file is still identified; the unreadable ones make exit 2
    for path in files:
        shown = terminal(path)
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                errors.append(f"cannot read {shown}: not a regular file")
                continue
            texts.append((str(path), read_bounded(path, MAX_BYTES)))
        except OSError as exc:
            errors.append(f"cannot read {shown}: {exc.strerror or exc}")
    results = [identify_text(text, path=name) for name, text in texts]
    for e in errors:
        print(f"mofcheck: error: {e}", file=sys.stderr)
    status = 2 if errors else 0
    if format == "json":
        from ..report.escape import data  # a file name that is not UTF-8 is shown as `\\xNN`

        sys.stdout.write(json.dumps(data([r.to_dict() for r in results]), indent=2) + "\n")
        return status
    lines: list[str] = []
    for r in results:
        lines.append(terminal(r.path))
        lines.append(f"  License:     {terminal(r.license or 'none')}")
        lines.append(f"  Matched by:  {r.match}")
        lines.append(f"  Similarity:  {r.similarity * 100:.2f}%")
        if r.appended:
            lines.append(f"  Appended:    {terminal(', '.join(r.appended))}")
        if r.modified:
            lines.append(f"  Modified:    from {terminal(r.base or '')}: not that license (not open)")
            for d in r.differences:
                where = f"line {d.line}" if d.line == d.end_line else f"lines {d.line}-{d.end_line}"
                words = d.text or d.expected
                what = {"added": "added", "removed": "removed", "changed": "changed", "title": "title"}[d.kind]
                lines.append(f"    {where}: {what} {terminal(words, 100)!s}")
        if r.match in ("none", "modified") and r.title:
            lines.append(f"  Title:       {terminal(r.title, 120)}")
        if r.closest:
            lines.append("  Closest:")
            for lid, sim in r.closest:
                lines.append(f"    {terminal(lid):<40} {sim * 100:6.2f}%")
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    return status
