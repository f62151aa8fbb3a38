"""Evidence gathering: one module per kind of evidence (paths, licenses, cards, data docs, code, weights,
papers). `paths` classifies a repository listing into candidate files that the other modules read."""

from __future__ import annotations

from .paths import PathIndex, PathMatch, classify_paths, load_patterns

__all__ = ["PathIndex", "PathMatch", "classify_paths", "load_patterns"]
