"""What an identification says: the license, how it matched, and for an edited text each edit no variable
part explains (licenses/identify.py makes them; the CLI, the evidence readers and the report read them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from . import table


@dataclass
class Difference:
    """One edit that no known variable part of the license explains, at lines `line`..`end_line` of the file."""

    line: int | None
    end_line: int | None
    kind: Literal["added", "changed", "removed", "title"]
    text: str  # the file's words there (normalised)
    expected: str  # the license's words there (normalised)

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "end_line": self.end_line, "kind": self.kind, "text": self.text, "expected": self.expected}


@dataclass
class Identification:
    license: str | None
    match: Literal["exact", "similar", "modified", "none"]
    similarity: float
    title: str | None = None
    closest: list[tuple[str, float]] = field(default_factory=list)
    appended: list[str] = field(default_factory=list)
    line: int | None = None
    path: str | None = None
    base: str | None = None  # for a modified text: the license it was edited from
    differences: list[Difference] = field(default_factory=list)

    @property
    def modified(self) -> bool:
        return self.match == "modified"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "license": self.license,
            "match": self.match,
            "similarity": self.similarity,
            "closest": [{"license": lid, "similarity": sim} for lid, sim in self.closest],
            "appended": list(self.appended),
            "modified": self.modified,
            "base": self.base,
            "differences": [d.to_dict() for d in self.differences],
        }


def modified_id(lid: str) -> str:
    """`LicenseRef-mofcheck-modified-MIT` for MIT (a valid SPDX LicenseRef idstring)."""
    bare = lid[len("LicenseRef-") :] if lid.startswith("LicenseRef-") else lid
    return table.MODIFIED_PREFIX + re.sub(r"[^A-Za-z0-9.\-]+", "-", bare).strip("-")


__all__ = ["Difference", "Identification", "modified_id"]
