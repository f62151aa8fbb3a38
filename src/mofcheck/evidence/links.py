"""Links from the release to where it is published: Hugging Face models and datasets, arXiv papers,
GitHub repositories. Each link says which components it can back (data/evidence/sources.yaml).

Links come from the manifest (`release.huggingface`, `release.repository`, `component_path` and
`license_path` URLs) and from the cards and READMEs (`evidence/cardtext.py` adds those it finds: Hub
links and `from_pretrained` ids, dataset references, the release's own paper, `base_model`).
"""

from __future__ import annotations

import re
from typing import Any

from .items import Link
from .rules import source_rules

_HF = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/(?P<ds>datasets/)?(?P<id>[\w.-]+/[\w.-]+)"
    r"(?:/(?:tree|blob|resolve)/(?P<rev>[\w.-]+)(?:/(?P<sub>[^?#\s]*))?)?/?(?:[?#]\S*)?$",
    re.IGNORECASE,
)
_HF_RESERVED = frozenset({"spaces", "docs", "blog", "papers", "models", "collections", "organizations", "api", "learn", "posts", "tasks"})
_GITHUB = re.compile(
    r"^(?:https?://)?(?:www\.)?github\.com/(?P<id>[\w.-]+/[\w.-]+?)(?:\.git)?(?:/(?:tree|blob)/(?P<rev>[\w.-]+)(?:/(?P<sub>[^?#\s]*))?)?/?(?:[?#]\S*)?$",
    re.IGNORECASE,
)
_GITHUB_RESERVED = frozenset({"orgs", "topics", "features", "about", "marketplace", "sponsors", "settings", "apps", "search"})
_ARXIV_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?P<v>v\d+)?(?:\.pdf)?/?(?:[?#]\S*)?$",
    re.IGNORECASE,
)
_ARXIV_ID = re.compile(r"^(?:arxiv:\s*)?(?P<id>\d{4}\.\d{4,5})(?P<v>v\d+)?$", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)10\.48550/arxiv\.(?P<id>\d{4}\.\d{4,5})(?P<v>v\d+)?$", re.IGNORECASE)
_HF_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def parse(url: str, *, bare_hf: str | None = None) -> tuple[str, str, str | None, str | None] | None:
    """(reader, id, revision, subpath) for a URL (or bare id) a reader can follow, else None.

    `bare_hf`: read a bare `org/name` as a Hub id of this kind (hf-model or hf-dataset), as the
    manifest's `huggingface:` and `from_pretrained("org/name")` mean it."""
    text = (url or "").strip()
    if not text or len(text) > 2000:
        return None
    m = _HF.match(text)
    if m and m.group("id").split("/")[0].lower() not in _HF_RESERVED:
        return ("hf-dataset" if m.group("ds") else "hf-model", _trim(m.group("id")), m.group("rev"), m.group("sub") or None)
    m = _GITHUB.match(text)
    if m and m.group("id").split("/")[0].lower() not in _GITHUB_RESERVED:
        return ("github", _trim(m.group("id")), m.group("rev"), m.group("sub") or None)
    for rx in (_ARXIV_URL, _ARXIV_ID, _ARXIV_DOI):
        m = rx.match(text)
        if m:
            return ("arxiv", m.group("id"), m.group("v"), None)
    if bare_hf and _HF_ID.match(text):
        return (bare_hf, _trim(text), None, None)
    return None


def _trim(repo_id: str) -> str:
    return repo_id[:-4] if repo_id.lower().endswith(".git") else repo_id.rstrip(".")


def canonical_url(reader: str, id_: str, revision: str | None = None) -> str:
    if reader == "hf-model":
        return f"https://huggingface.co/{id_}" + (f"/tree/{revision}" if revision else "")
    if reader == "hf-dataset":
        return f"https://huggingface.co/datasets/{id_}" + (f"/tree/{revision}" if revision else "")
    if reader == "github":
        return f"https://github.com/{id_}"
    if reader == "arxiv":
        return f"https://arxiv.org/abs/{id_}{revision or ''}"
    raise KeyError(reader)


def make(url: str, backs: frozenset[str], origin: str, line: int | None, rule: str, confidence: float = 1.0, bare_hf: str | None = None) -> Link | None:
    """A link to `url` backing `backs` (within what its reader can back), or None when no reader follows it."""
    hit = parse(url, bare_hf=bare_hf)
    if hit is None:
        return None
    reader, id_, rev, sub = hit
    can = source_rules()["readers"][reader]["backs"]
    return Link(reader, id_, canonical_url(reader, id_, rev if reader != "github" else None), frozenset(backs) & can, origin, line, rule, rev, sub, confidence)


def from_manifest(manifest: Any) -> list[Link]:
    """The links a MOT-format manifest gives: the release's Hub repository and code repository, and every
    component_path / license_path URL (each backs its own component, with the card that documents it)."""
    rules = source_rules()["links"]
    out: list[Link] = []
    where = manifest.path or "manifest"
    if getattr(manifest, "huggingface", None):
        link = make(manifest.huggingface, rules["manifest_huggingface"], where, manifest.huggingface_line, "manifest.release.huggingface", bare_hf="hf-model")
        if link:
            out.append(link)
    if getattr(manifest, "repository", None):
        link = make(manifest.repository, rules["manifest_repository"], where, manifest.repository_line, "manifest.release.repository")
        if link:
            out.append(link)
    companions = rules["component_companions"]
    for c in manifest.components:
        for field in ("component_path", "license_path"):
            value = getattr(c, field, None)
            if not value:
                continue
            backs = frozenset({c.name}) | companions.get(c.name, frozenset())
            link = make(value, backs, where, c.line, f"manifest.component.{field}")
            if link:
                out.append(link)
    return dedupe(out)


def dedupe(links: list[Link]) -> list[Link]:
    """One link per source and subpath; what several links back is joined."""
    by: dict[tuple[str, str | None], Link] = {}
    for l in links:
        k = (l.key, l.subpath)
        if k in by:
            first = by[k]
            by[k] = Link(
                first.reader,
                first.id,
                first.url,
                first.backs | l.backs,
                first.origin,
                first.line,
                first.rule,
                first.revision or l.revision,
                first.subpath,
                max(first.confidence, l.confidence),
            )
        else:
            by[k] = l
    return list(by.values())


__all__ = ["parse", "make", "from_manifest", "dedupe", "canonical_url"]
