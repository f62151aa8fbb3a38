"""The criteria as data: framework, licenses, evidence heuristics, schemas, finding codes.

Read with `text("schemas/report.schema.json")`: a plain path next to this file (cheaper to import than
importlib.resources, which costs milliseconds on every run; mofcheck is not installed zipped).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def text(rel: str) -> str:
    """The packaged data file at `rel` (POSIX path under mofcheck/data), as UTF-8 text."""
    return (ROOT / rel).read_text("utf-8")


def raw(rel: str) -> bytes:
    """The packaged data file at `rel`, as bytes."""
    return (ROOT / rel).read_bytes()
