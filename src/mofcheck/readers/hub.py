"""What the Hugging Face model and dataset readers share: the Hub's conventions (sources.yaml).

A Hub repository's README.md is its card; its front-matter `license` covers the repository's files and
the card unless a file there says otherwise; a gated repository is a finding, not a verdict (its license
still decides openness).
"""

from __future__ import annotations

from typing import Any

from ..evidence.items import EvidenceSet
from ..evidence.rules import license_expression, source_rules
from ..model import Evidence, Finding
from . import local
from .remotetree import RemoteTree, host_license, rebase, source_root

MIN_CARD_CHARS = 200  # a README shorter than this (front matter aside) is a stub, not a card


def read_hub_repo(source: Any, reader: str) -> EvidenceSet:
    """The evidence in one fetched Hub repository: its tree read like a local one, plus the conventions."""
    spec = source_rules()["readers"][reader]
    ev = rebase(local.read_tree(RemoteTree(source), code_urls=False), source, reader)
    base = source_root(source)
    card = next((t for t in source.texts if t.path == spec["card"]), None)
    if card is not None:
        body = _body(card.text)
        confidence = 0.9 if len(body.strip()) >= MIN_CARD_CHARS else 0.4  # a stub README is only "possible"
        ev.found_for(spec["card_component"]).add(
            Evidence(
                "card",
                f"hub.{reader}.card",
                f"{spec['card']} of the Hub repository is its card ({len(body)} characters)",
                f"{base}/{spec['card']}",
                1,
                confidence,
                reader,
                source.revision,
                source.fetched_at,
            ),
            remote=f"{base}/{spec['card']}",
            floor=0.5,
        )
    for s in ev.licenses:
        if s.kind == "card" and s.path == f"{base}/{spec['card']}":
            s.covers = spec["card_license_covers"]  # the Hub's rule: the card's license covers the repository
            s.scope = source.url.rstrip("/")  # every revision and branch of it (checkpoints live on branches)
    if source.license and not any(s.kind == "card" for s in ev.licenses):
        # The API's license (card data) without a readable card: still the host's statement.
        expr, _ = license_expression(_license_text(source))
        lic = host_license(source, expr, spec["card_license_covers"], "license in the Hub's repository metadata")
        lic.scope = source.url.rstrip("/")
        ev.licenses.append(lic)
    if source.gated:
        ev.findings.append(
            Finding.of(
                "remote.gated",
                f"{source.url}: a gated repository ({source.gated} approval): users must accept terms to download; its license still decides openness",
                source.url,
                None,
            )
        )
    if getattr(source, "disabled", False):
        ev.findings.append(Finding.of("remote.unreachable", f"{source.url}: the Hub has disabled this repository", source.url, None))
    return ev


def _license_text(source: Any) -> str:
    lic = source.license or ""
    if lic.lower() == "other" and source.license_name:
        return source.license_name
    return lic


def _body(text: str) -> str:
    from ..evidence.frontmatter import split_front_matter

    return split_front_matter(text).body


__all__ = ["read_hub_repo", "MIN_CARD_CHARS"]
