"""Whether two license statements say the same thing (a declared `A OR B` agrees with a found `A`)."""

from __future__ import annotations

from .spdx import leaves, parse


def license_keys(expression: str | None) -> frozenset[str]:
    """The lower-cased license ids an expression names."""
    if not expression:
        return frozenset()
    try:
        return frozenset(leaf.id.lower() for leaf in leaves(parse(expression).tree))
    except Exception:  # noqa: BLE001 - an unparsable expression compares as itself
        return frozenset({expression.lower()})


def agrees(declared: str | None, found: str | None) -> bool:
    """Whether a license found in the evidence is consistent with the declared one.

    Equal expressions agree; so does one branch of a declared `A OR B`, and a declared `A AND B` that the
    evidence states part of.
    """
    if not declared or not found:
        return True
    if declared.lower() == found.lower():
        return True
    d, f = license_keys(declared), license_keys(found)
    return bool(f) and (f <= d or d <= f)


__all__ = ["agrees", "license_keys"]
