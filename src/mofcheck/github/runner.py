"""The runner's file protocol: step outputs, the job summary, masking. No network."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from pathlib import Path

SUMMARY_LIMIT = 1024 * 1024  # bytes per step; GitHub aborts the upload of a bigger summary


def mask_command(secret: str) -> str:
    """`::add-mask::` makes the runner hide the value in every later log line (it consumes the command)."""
    return f"::add-mask::{secret}\n"


def _delimiter(value: str) -> str:
    while True:
        delim = f"ghadelimiter_{uuid.uuid4()}"
        if delim not in value:
            return delim


def format_outputs(outputs: Mapping[str, str]) -> str:
    """`name<<DELIM` blocks: safe for any value, newlines included, with a random delimiter."""
    parts = []
    for name, value in outputs.items():
        delim = _delimiter(value)
        parts.append(f"{name}<<{delim}{os.linesep}{value}{os.linesep}{delim}{os.linesep}")
    return "".join(parts)


def append_outputs(path: Path, outputs: Mapping[str, str]) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(format_outputs(outputs))


def cap_bytes(text: str, limit: int = SUMMARY_LIMIT, note: str = "\n\n_Summary truncated at GitHub's 1 MiB limit._\n") -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    keep = limit - len(note.encode("utf-8"))
    if keep <= 0:
        return ""
    return data[:keep].decode("utf-8", errors="ignore") + note


def append_summary(path: Path, markdown: str) -> None:
    try:
        used = path.stat().st_size
    except OSError:
        used = 0
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(cap_bytes(markdown, max(0, SUMMARY_LIMIT - used)))
