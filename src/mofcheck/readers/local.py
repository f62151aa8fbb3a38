"""The local tree: the checked repository's files, license files, cards, READMEs and SPDX documents.

Reads only candidate files (license files, cards, READMEs, package manifests, the first lines of code
files), each bounded, through `Repo`. The rules that map path kinds to components and license sources to
components are data (`data/evidence/components.yaml`). The same code reads a remote tree (a Hugging
Face or GitHub repository fetched by `resolve`); `read_tree` is what both share.
"""

from __future__ import annotations

from ..evidence import cardtext, licensefiles, pathevidence
from ..evidence.items import EvidenceSet
from ..evidence.paths import PathIndex, classify_paths
from . import spdx

NAME = "local"
REMOTE = False


def read(repo, index: PathIndex | None = None) -> EvidenceSet:
    """Everything the repository shows, with the findings its listing and reads produced."""
    listed = len(repo.skipped)
    ev = read_tree(repo, index)
    ev.findings[:0] = repo.skipped[:listed]
    # What the reads refused or cut short (too large, unreadable), unless a reader already said so.
    cut = {f.path for f in ev.findings if f.code == "evidence.truncated"}
    ev.findings.extend(f for f in repo.skipped[listed:] if not (f.code == "repo.too-large" and f.path in cut))
    return ev


def read_tree(tree, index: PathIndex | None = None, *, code_urls: bool = True) -> EvidenceSet:
    """The evidence in a listed tree (anything with `files`, `read_text`, `read_bytes`, `get`, `resolve`)."""
    ev = EvidenceSet(repo=tree, index=index or classify_paths(tree.files))
    pathevidence.components_from_paths(ev)
    licensefiles.license_files(ev)
    licensefiles.use_policies(ev)
    licensefiles.package_licenses(ev)
    if code_urls:
        pathevidence.code_weight_urls(ev)
    pathevidence.vendored(ev)
    cardtext.collect_text_evidence(ev)
    spdx.add_documents(ev)
    licensefiles.spdx_headers(ev)  # after the cards: a header in a README that is the model card licenses the card
    licensefiles.reuse_toml(ev)
    return ev


__all__ = ["read", "read_tree"]
