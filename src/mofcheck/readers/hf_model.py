"""A Hugging Face model repository: the release's weights, model card, evaluation results and, as
branches named by training step, its intermediate checkpoints."""

from __future__ import annotations

from typing import Any

from ..evidence.items import EvidenceSet
from ..evidence.rules import source_rules
from ..framework import role
from ..model import Evidence
from .hub import read_hub_repo
from .remotetree import source_root

NAME = "hf-model"
REMOTE = True


def backs() -> frozenset[str]:
    return source_rules()["readers"][NAME]["backs"]


def read(source: Any) -> EvidenceSet:
    ev = read_hub_repo(source, NAME)
    steps = source_rules()["_intermediate_ref"]
    refs = [r for r in source.refs if steps.fullmatch(r.get("name", ""))]
    if refs:
        names = ", ".join(r["name"] for r in refs[:3]) + (f" and {len(refs) - 3} more" if len(refs) > 3 else "")
        url = f"{source.url.rstrip('/')}/tree/{refs[0]['name']}"
        ev.found_for(role("intermediate-weights")).add(
            Evidence(
                "weights",
                "hub.refs.training-steps",
                f"{len(refs)} branches or tags named by training step ({names})",
                url,
                None,
                0.9,
                NAME,
                source.revision,
                source.fetched_at,
            ),
            remote=url,
        )
    results = (source.meta or {}).get("model-index") if isinstance(source.meta, dict) else None
    if results and not ev.found_for(role("evaluation-results")).verified:
        ev.found_for(role("evaluation-results")).add(
            Evidence(
                "card",
                "hub.model-index",
                "model-index in the repository metadata",
                f"{source_root(source)}/README.md",
                None,
                0.85,
                NAME,
                source.revision,
                source.fetched_at,
            ),
            remote=f"{source_root(source)}/README.md#model-index",
        )
    return ev


__all__ = ["NAME", "REMOTE", "backs", "read"]
