"""An arXiv paper: the release's research paper or technical report, under the license arXiv states for
it (the Atom API's `arxiv:license`; arXiv's default non-exclusive license is not an open license)."""

from __future__ import annotations

from typing import Any

from ..evidence.items import EvidenceSet, LicenseSource
from ..evidence.rules import license_expression, source_rules
from ..framework import role
from ..model import Evidence

NAME = "arxiv"
REMOTE = True


def backs() -> frozenset[str]:
    return source_rules()["readers"][NAME]["backs"]


def read(source: Any) -> EvidenceSet:
    ev = EvidenceSet()
    meta = source.meta or {}
    title = str(meta.get("title") or source.id)[:200]
    url = source.url
    papers = (role("research-paper"), role("technical-report"))
    for component in papers:  # the link decides which one it is
        ev.found_for(component).add(
            Evidence("paper", "arxiv.entry", f"arXiv {source.id}{source.revision or ''}: {title}", url, None, 0.95, NAME, source.revision, source.fetched_at),
            remote=url,
        )
    if source.license:
        # The SPDX id arXiv's license URL maps to (data/licenses/arxiv.yaml); an unmapped URL is an unknown license.
        spdx = meta.get("license_spdx")
        expr = license_expression(spdx)[0] if spdx else f"LicenseRef-arxiv-{_slug(source.license)}"
        ev.licenses.append(
            LicenseSource(
                expr,
                source.license,
                "host",
                url,
                None,
                frozenset(papers),
                url,
                3,
                "the license arXiv states for the paper",
                0.95,
                source=NAME,
                revision=source.revision,
            )
        )
    return ev


def _slug(url: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9.]+", "-", url.split("://", 1)[-1]).strip("-")[:80] or "unknown"


__all__ = ["NAME", "REMOTE", "backs", "read"]
