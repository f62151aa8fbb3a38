"""The one test of whether a value is a URL rather than a repository path (manifests, cards, reports and
the repository layer all ask it)."""

from __future__ import annotations

import re

_ANY_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|magnet:|doi:)", re.IGNORECASE)


def is_url(text: object) -> bool:
    """Whether a value names a place outside the repository (any `scheme://`, `magnet:`, `doi:`) rather
    than a repository path."""
    return isinstance(text, str) and bool(_ANY_URL.match(text.strip()))


__all__ = ["is_url"]
