"""The one line every front leads with, and the gap between what a release declares and what it verifies."""

from __future__ import annotations

from typing import Any

ROMAN = {1: "I", 2: "II", 3: "III"}


def short_class(cls: int) -> str:
    return f"Class {ROMAN[cls]}" if cls in ROMAN else "none"


def claim_gap(model: dict[str, Any]) -> str | None:
    """`declares Class III · verified: none` when the manifest claims more than the repository backs.

    Classes run 1 (best) to 3, 0 is none: a declared class is above the verified one when it is set and
    the verified one is none or a higher number.
    """
    declared = (model.get("declared") or {}).get("class") or 0
    verified_part = model.get("verified")
    if not declared or not verified_part:
        return None
    verified = verified_part.get("class") or 0
    if verified and verified <= declared:
        return None
    return f"declares {short_class(declared)} · verified: {short_class(verified)}"


def headline(model: dict[str, Any]) -> str:
    """The release's class label, with the claim gap when there is one."""
    label = model.get("class_label") or short_class(model.get("class") or 0)
    gap = claim_gap(model)
    return f"{label} · {gap}" if gap else label


__all__ = ["ROMAN", "claim_gap", "headline", "short_class"]
