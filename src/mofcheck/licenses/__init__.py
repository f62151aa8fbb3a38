"""License classification: one entry point for both modes.

`mot` reproduces MOT exactly (licenses/mot.py); `mof` parses SPDX expressions, Hugging Face ids and common
spellings, and judges them against the curated table (licenses/classify.py).

(The entry point is not called `classify`: that name is the submodule's, and importing it would shadow it.)
"""

from __future__ import annotations

from ..model import LicenseVerdict

MODES = ("mof", "mot")


def classify_license(text: str | None, category: str, mode: str = "mof") -> LicenseVerdict:
    """Judge a declared license for a component category (code, data or document)."""
    if mode == "mot":
        from .mot import classify_mot

        return classify_mot(text, category)
    from .classify import classify_mof

    return classify_mof(text, category)
