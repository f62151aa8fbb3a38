"""The finding registry (data/checks.yaml): severity, title, description and remediation per finding code."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from .datacache import load_yaml

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@lru_cache(maxsize=1)
def _doc() -> dict[str, Any]:
    # through the data cache: parsing checks.yaml with ruamel costs ~150 ms, more than a small check
    return load_yaml("checks.yaml") or {}


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple((str(code), dict(entry or {})) for code, entry in (_doc().get("checks") or {}).items())


@lru_cache(maxsize=1)
def default_fail_on() -> tuple[str, ...]:
    """The --fail-on selectors in force when nobody names any (checks.yaml `default_fail_on`)."""
    return tuple(str(s) for s in _doc().get("default_fail_on") or ())


def load_checks() -> dict[str, dict[str, Any]]:
    """Every check by code, in file order. A fresh copy each call: callers may change it freely."""
    return {code: dict(entry) for code, entry in _load()}


@cache
def severity(code: str, when: str | None = None) -> str:
    """The severity of `code` (checks.yaml `severity`; under condition `when`, its `severity_when`). The one
    place a finding's severity comes from; an unknown code is a bug of ours."""
    for known, entry in _load():
        if known == code:
            if when is not None:
                return str(entry["severity_when"][when])
            return str(entry["severity"])
    raise KeyError(f"finding code {code!r} is not in data/checks.yaml")


def check_info(code: str) -> dict[str, Any] | None:
    """One check's entry, or None for a code the registry does not know (callers fall back to the message)."""
    for known, entry in _load():
        if known == code:
            return dict(entry)
    return None
