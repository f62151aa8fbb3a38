"""A GitHub repository: code components under the repository's license (the LICENSE text when it can be
identified; the license GitHub's API detects otherwise), and whatever cards or papers its tree holds."""

from __future__ import annotations

from typing import Any

from ..evidence.items import EvidenceSet
from ..evidence.rules import component_rules, license_expression, source_rules
from . import local
from .remotetree import RemoteTree, host_license, rebase

NAME = "github"
REMOTE = True


def backs() -> frozenset[str]:
    return source_rules()["readers"][NAME]["backs"]


def read(source: Any) -> EvidenceSet:
    ev = rebase(local.read_tree(RemoteTree(source), code_urls=False), source, NAME)
    if source.license and source.license.upper() not in ("NOASSERTION", "OTHER"):
        expr, _ = license_expression(source.license)
        # Below the LICENSE text itself (specificity 1, lower confidence): GitHub's detection is a guess.
        ev.licenses.append(host_license(source, expr, component_rules()["_expand"](["code"]), "the license GitHub's API detects", 1, 0.6))
    return ev


__all__ = ["NAME", "REMOTE", "backs", "read"]
