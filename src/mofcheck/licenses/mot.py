"""MOT's license test, reproduced exactly: exact, case-sensitive ids against MOT's effective table."""

from __future__ import annotations

from functools import lru_cache

from .. import data
from ..model import LicenseVerdict


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[bool, frozenset[str]]]:
    """license id -> (open, categories it is type-appropriate for)."""
    out: dict[str, tuple[bool, frozenset[str]]] = {}
    text = data.text("licenses/mot-effective.tsv")
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("license_id\t"):
            continue
        lid, is_open, kinds = (line.split("\t") + ["", ""])[:3]
        out[lid] = (is_open == "yes", frozenset(k for k in kinds.split(",") if k))
    return out


def classify_mot(text: str | None, category: str) -> LicenseVerdict:
    if not text:
        return LicenseVerdict(declared=text, expression=None, source="none", open=False, reason="no license")
    is_open, kinds = table().get(text, (False, frozenset()))
    appropriate = category in kinds
    if is_open and appropriate:
        reason = f"open and type-appropriate for {category} in MOT"
    elif is_open:
        reason = f"open, but not a type-appropriate {category} license in MOT (counts, with a warning)"
    elif appropriate:
        reason = "MOT lists it as type-appropriate but not as open, so MOT treats it as invalid"
    else:
        reason = "not in MOT's open license list (exact, case-sensitive match)"
    return LicenseVerdict(
        declared=text,
        expression=text,
        source="none",
        open=is_open,
        type_appropriate=is_open and appropriate,
        reason=reason,
        known=text in table(),
    )
