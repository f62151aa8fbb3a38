"""An arXiv paper: the release's research paper or technical report, under the license arXiv states for
it (the Atom API's `arxiv:license`; arXiv's default non-exclusive license is not an open license)."""

from __future__ import annotations

from typing import Any

from ..evidence.items import EvidenceSet, LicenseSource
from ..evidence.rules import license_expression, source_rules
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
    for component in ("Research paper", "Technical report"):  # the link decides which one it is
        ev.found_for(component).add(
            Evidence("paper", "arxiv.entry", f"arXiv {source.id}{source.revision or ''}: {title}", url, None, 0.95, NAME, source.revision, source.fetched_at),
            remote=url,
        )
    spdx = meta.get("license_spdx") or source.license
    if source.license:
        expr, _ = license_expression(spdx) if spdx else (None, False)
        ev.licenses.append(
            LicenseSource(expr, source.license, "host", url, None, frozenset({"Research paper", "Technical report"}), url, 3,
                          "the license arXiv states for the paper", 0.95, source=NAME, revision=source.revision)
        )
    return ev


__all__ = ["NAME", "REMOTE", "backs", "read"]
