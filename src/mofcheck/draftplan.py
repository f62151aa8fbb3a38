"""What the repository (or, with `init --from`, the release's hosts) shows, as manifest entries: each
component at its best path with the license that applies there, the global licenses, the release's name
and links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import MofcheckError
from .framework import ComponentDef, Framework, role
from .manifest import ManifestComponent
from .model import ComponentResult
from .urls import is_url

NAME_MAX = 200
_HF = re.compile(r"https?://huggingface\.co/(?!datasets/|spaces/|papers/|docs/|blog/|models/|collections/)([\w.-]+/[\w.-]+)", re.I)
_GH = re.compile(r"https?://github\.com/([\w.-]+/[\w.-]+)", re.I)
_H1 = re.compile(r"^#[ \t]+(\S{1,80})[ \t]*$", re.M)


@dataclass
class Planned:
    """One component as the repository shows it: what a manifest entry for it would say, and why."""

    cdef: ComponentDef
    result: ComponentResult
    component_path: str | None
    license: str | None  # SPDX expression as the repository states it; None: nothing states one
    license_path: str | None

    @property
    def name(self) -> str:
        return self.cdef.name


def gather(root: Path, fw: Framework, exclude: list[str]) -> Any:
    """The repository's evidence (config `ignore` globs and the manifests themselves left out)."""
    from . import config as config_mod
    from .errors import ConfigError
    from .readers import local
    from .repo import Repo

    try:
        ignore = list(config_mod.load(root).ignore)
    except ConfigError:
        ignore = []  # a broken configuration is `mofcheck check`'s to report
    repo = Repo.open(root, ignore=ignore + exclude)
    return local.read(repo)


def _best_path(found: Any, taken: set[str]) -> str | None:
    """The repository file that shows the component best (highest confidence, preferring one no other
    component was given), else a URL, else None."""
    if found is None:
        return None
    for located in (found.paths, found.remote):  # a file here, else one fetched from where the release is published
        if located:
            conf = {p: max((e.confidence for e in found.evidence if e.path == p), default=0.0) for p in located}
            return max(located, key=lambda p: (conf[p], p not in taken, -located.index(p)))
    return next((u for u in found.urls if is_url(u)), None)


def as_mcomp(name: str, component_path: str | None) -> ManifestComponent:
    return ManifestComponent(name, 0, None, False, None, component_path, None, None, None)


def plan_components(ev: Any, fw: Framework) -> dict[str, Planned]:
    """Every component the repository shows, with the license that applies at its chosen path."""
    from .verify import verify_component

    out: dict[str, Planned] = {}
    taken: set[str] = set()
    for cdef in fw.components:
        found = ev.found.get(cdef.name)
        if not found or not found.present:
            continue
        cpath = _best_path(found, taken)
        if cpath:
            taken.add(cpath)
        # Verify as `check` will, with this component_path: the license then agrees by construction.
        result, _ = verify_component(cdef, None, as_mcomp(cdef.name, cpath), None, ev)
        v = result.license
        lic = v.expression if v is not None and v.source == "repository" else None
        out[cdef.name] = Planned(cdef, result, cpath, lic, v.path if lic else None)
    return out


def plan_globals(ev: Any, fw: Framework) -> dict[str, tuple[str, str]]:
    """category -> (expression, path) from root license files that clearly cover that category."""
    out: dict[str, tuple[str, str]] = {}
    for cat in ("code", "data", "document"):
        names = {c.name for c in fw.components if c.category == cat}
        exprs = {
            s.expression: s.path
            for s in ev.licenses
            if s.kind == "license-file" and s.scope is None and s.expression and "/" not in s.path and s.covers & names
        }
        if len(exprs) == 1:
            out[cat] = next(iter(exprs.items()))
    return out


def release_facts(ev: Any, root: Path) -> dict[str, str]:
    """name, repository and huggingface as the cards and README show them ('' when unclear)."""
    from .evidence.frontmatter import split_front_matter

    card = ev.found.get(role("model-card"))
    paths = list(card.paths) if card else []
    paths += [f.path for f in ev.repo.files if f.path.lower() in ("readme.md", "model_card.md") and f.path not in paths]
    name, texts = "", []
    for p in paths[:5]:
        res = ev.repo.read_text(p, limit=256 * 1024)
        if not res.ok or not res.text:
            continue
        texts.append(res.text)
        fm = split_front_matter(res.text, p)
        meta = fm.data or {}
        cand = meta.get("model_name")
        index = meta.get("model-index")
        if not cand and isinstance(index, list) and index and isinstance(index[0], dict):
            cand = index[0].get("name")
        if not name and isinstance(cand, (str, int, float)) and str(cand).strip():
            name = str(cand).strip()
    if not name:
        for t in texts:
            m = _H1.search(split_front_matter(t).body)
            if m and not m.group(1).startswith(("[", "<", "!")):
                name = m.group(1)
                break
    folder = root.resolve().name
    name = clean(name or folder or "my-model")[:NAME_MAX]
    blob = "\n".join(texts)

    def pick(rx: re.Pattern[str], base: str) -> str:
        hits = [m.group(1).removesuffix(".git").rstrip(".") for m in rx.finditer(blob)]
        wanted = {name.lower(), folder.lower()}
        own = [h for h in hits if h.split("/")[1].lower() in wanted]
        return f"{base}/{own[0]}" if own else ""

    return {"name": name, "repository": pick(_GH, "https://github.com"), "huggingface": pick(_HF, "https://huggingface.co")}


@dataclass
class RemoteDraft:
    """`init --from`: the evidence a release's hosts gave, and what they say of the release."""

    evidence: Any
    facts: dict[str, str]
    sources: dict[str, Any]


def from_remote(spec: str, budget: Any) -> RemoteDraft:
    """Fetch the release `spec` names (hf:ORG/NAME, hf-dataset:ORG/NAME, gh:OWNER/REPO, or a Hub, GitHub or
    arXiv URL) and the papers and datasets its card links, through the remote clients."""
    from .evidence import links as links_mod
    from .evidence.rules import source_rules
    from .resolve import fetch_sources, remote_evidence

    text = spec.strip()
    for prefix, host in (("hf:", "https://huggingface.co/"), ("hf-dataset:", "https://huggingface.co/datasets/"), ("gh:", "https://github.com/")):
        if text.startswith(prefix):
            text = host + text[len(prefix) :]
    hit = links_mod.parse(text)
    if hit is None:
        raise MofcheckError(f"--from {spec!r}: not a Hugging Face, GitHub or arXiv release (hf:ORG/NAME, gh:OWNER/REPO or a URL)")
    reader, id_, rev, _sub = hit
    backs = source_rules()["readers"][reader]["backs"]
    link = links_mod.make(text, backs, "--from", None, "init.from")
    sources = fetch_sources([link], budget)
    src = sources.get(link.key)
    if src is None or not src.ok:
        why = f"{src.error} ({src.error_kind})" if src is not None else "not fetched"
        raise MofcheckError(f"--from {spec!r}: cannot read {link.url}: {why}")
    ev = remote_evidence([link], sources)
    facts = {"name": clean(id_.rpartition("/")[2])[:NAME_MAX]}
    if reader == "hf-model":
        facts["huggingface"] = links_mod.canonical_url(reader, id_)
    elif reader == "github":
        facts["repository"] = links_mod.canonical_url(reader, id_)
    return RemoteDraft(ev, facts, sources)


def clean(text: str) -> str:
    """One printable line (comments and names come from repository text)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())
