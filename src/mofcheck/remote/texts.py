"""Which listed files are read as text (data/remote/texts.yaml), and reading a bounded prefix of one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from .. import data
from .safety import decode, sha256
from .types import RemoteText


class Rule(NamedTuple):
    id: str
    name: re.Pattern[str]
    depth: int


@lru_cache(maxsize=1)
def rules() -> tuple[tuple[Rule, ...], re.Pattern[str]]:
    from ruamel.yaml import YAML

    doc = YAML(typ="safe").load(data.text("remote/texts.yaml"))
    out = tuple(Rule(r["id"], re.compile(r["name"], re.I), int(r.get("depth", 0))) for r in doc["texts"])
    return out, re.compile(doc["exclude"], re.I)


# A file name longer than this (Linux NAME_MAX) cannot be checked out: it is never read as a text, and the
# name patterns (fullmatched) never meet a longer one.
NAME_MAX = 255


def rule_for(path: str) -> Rule | None:
    parts = path.split("/")
    name, depth = parts[-1], len(parts) - 1
    table, exclude = rules()
    if len(name) > NAME_MAX or exclude.fullmatch(name):
        return None
    return next((r for r in table if depth <= r.depth and r.name.fullmatch(name)), None)


def candidates(paths: Iterable[str]) -> list[str]:
    """The paths worth reading as text, best first (rule order, then depth, then path)."""
    table, _ = rules()
    order = {r.id: i for i, r in enumerate(table)}
    keyed = []
    for p in set(paths):
        r = rule_for(p)
        if r is not None:
            keyed.append((order[r.id], p.count("/"), p))
    return [p for *_, p in sorted(keyed)]


def from_bytes(path: str, raw: bytes, limit: int, size: int | None) -> RemoteText:
    """A text from the bytes read: `raw` may hold one byte beyond `limit`, which tells it was cut."""
    truncated = len(raw) > limit or (size is not None and size > limit)
    raw = raw[:limit]
    return RemoteText(path=path, text=decode(raw), sha256=sha256(raw), truncated=truncated, size=size)


def unread(path: str, error: str, error_kind: str, size: int | None = None) -> RemoteText:
    return RemoteText(path=path, text="", sha256=None, truncated=False, size=size, error=error, error_kind=error_kind)
