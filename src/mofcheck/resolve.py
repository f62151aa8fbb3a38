"""Remote evidence: follow the release's links to where it is published, and read what is there.

* `release_links`: the links of one release (its manifest, its cards).
* `fetch_sources`: the network part (`mofcheck resolve`, `--online`, `audit`, the GitHub front): each link
  fetched once through its reader's real client, within one budget; links found in fetched cards are
  followed to `max_depth` (the Hub card that names the paper). A dead source is a finding, never a crash.
* `remote_evidence`: offline and pure: the evidence a release's links lead to, from fetched or locked
  sources, each link giving only what it can back.
* `staleness`: where a lock no longer says what the hosts say.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from . import readers
from .evidence import links as links_mod
from .evidence.items import EvidenceSet, Link, within
from .evidence.rules import component_rules, source_rules
from .framework import role
from .lock import Lock, LockedSource
from .model import Finding

DEFAULT_JOBS = 4


def release_links(manifest: Any, local: EvidenceSet | None, names: Iterable[str] = ()) -> list[Link]:
    """The links one release follows: its manifest's, then those its cards give.

    Hub model links in cards are often other models (sizes, variants, baselines). When the manifest names
    the release's Hub repository they are not followed; otherwise only those whose name shares a word with
    the release's name (`names`: the manifest's name, the folder's). `base_model` always is: its license
    binds."""
    out = links_mod.from_manifest(manifest) if manifest is not None else []
    card = list(local.links) if local is not None else []
    own = any(l.rule == "manifest.release.huggingface" for l in out)
    words = _name_words([*names, *([manifest.name] if manifest is not None else [])])
    card = [l for l in card if l.reader != "hf-model" or l.rule == "card.ref.base_model" or (not own and _names_release(l.id, words))]
    return links_mod.dedupe(out + card)


_GENERIC = frozenset({"model", "models", "base", "instruct", "chat", "release", "main", "the", "and", "for", "open", "llm", "repo"})


def _name_words(names: Iterable[str]) -> set[str]:
    import re

    return {
        w
        for n in names
        for w in re.split(r"[^a-z0-9]+", (n or "").lower())
        if len(w) >= 3 and w.isalnum() and not w.isdigit() and not re.fullmatch(r"v?\d+(?:\.\d+)*[bmk]?", w) and w not in _GENERIC
    }


def _names_release(repo_id: str, words: set[str]) -> bool:
    name = repo_id.rpartition("/")[2].lower()
    return any(w in name for w in words)


def followed(link: Link) -> bool:
    """Whether resolve fetches a link: confident enough, and it backs something (or binds a license)."""
    return link.confidence >= source_rules()["follow_min_confidence"] and (bool(link.backs) or link.rule == "card.ref.base_model")


def _children(src: LockedSource) -> list[Link]:
    """Links found in a fetched source that resolve follows: papers and datasets its card names."""
    allowed = set(source_rules()["follow_from_remote"])
    return [l for l in src.evidence.links if l.reader in allowed or l.rule == "card.ref.base_model"]


# --------------------------------------------------------------------------------------------------
# the network part


def fetch_sources(
    links: Iterable[Link], budget: Any, jobs: int = DEFAULT_JOBS, known: dict[str, LockedSource] | None = None, cache: Any = None
) -> dict[str, LockedSource]:
    """Every source the links lead to, fetched once each (breadth first, `max_depth` deep), through
    mofcheck.remote (bounded concurrency, one arXiv batch, `cache` for audit). `known` holds sources
    fetched before (by key): they are not fetched again."""
    from .remote.fetch import Target, fetch_many

    sources: dict[str, LockedSource] = dict(known or {})
    level = [l for l in links if followed(l)]
    depth = 1
    while level and depth <= source_rules()["max_depth"]:
        todo: dict[str, Link] = {}
        for l in level:
            if l.key not in sources and l.key not in todo:
                todo[l.key] = l
        got = fetch_many([Target(l.reader, l.id, l.revision) for l in todo.values()], budget=budget, cache=cache, workers=jobs)
        for link, source in zip(todo.values(), got):
            sources[link.key] = _locked(link, source)
        depth += 1
        level = [c for key in todo for c in _children(sources[key]) if followed(c)]
    return sources


def _locked(link: Link, source: Any) -> LockedSource:
    if source.error:
        ev = EvidenceSet()
    else:
        try:
            ev = readers.get(link.reader).read(source)
        except Exception as exc:  # noqa: BLE001 - a reader bug must not lose the verdict
            ev = EvidenceSet(
                findings=[
                    Finding.of(
                        "internal.error",
                        f"mofcheck failed reading {link.url}: {type(exc).__name__}: {str(exc)[:200]}; this is a bug, please report it",
                        link.url,
                        None,
                    )
                ]
            )
    return LockedSource.from_remote(link.reader, source, ev, requested=link.revision)


# --------------------------------------------------------------------------------------------------
# offline


def remote_evidence(links: Iterable[Link], sources: dict[str, LockedSource], *, lock_path: str | None = None) -> EvidenceSet:
    """The evidence a release's links lead to in `sources` (fetched now, or locked), each link giving
    only the components it can back, and findings for links that could not be followed."""
    out = EvidenceSet()
    seen: set[tuple[str, str | None, frozenset[str]]] = set()
    stack = [(l, 1) for l in links if followed(l)]
    unresolved: list[Link] = []
    while stack:
        link, depth = stack.pop(0)
        mark = (link.key, link.subpath, link.backs)
        if mark in seen:
            continue
        seen.add(mark)
        src = sources.get(link.key)
        if src is None:
            unresolved.append(link)
            continue
        if not src.ok:
            out.findings.append(_unreachable(link, src))
            continue
        if link.rule == "card.ref.base_model":
            out.merge(_base_model(link, src))
            continue
        out.merge(_backed(src.evidence, link, src))
        out.sources.append(_summary(src, link))
        if depth < source_rules()["max_depth"]:
            stack.extend((c, depth + 1) for c in _children(src) if followed(c))
    if unresolved:
        names = ", ".join(l.url for l in unresolved[:5]) + (f" and {len(unresolved) - 5} more" if len(unresolved) > 5 else "")
        hint = "run `mofcheck resolve` and commit the lock, or check with --online"
        out.findings.append(Finding.of("remote.unresolved", f"{len(unresolved)} link(s) not looked at ({names}): {hint}", lock_path, None, hint=hint))
    return out


def _backed(ev: EvidenceSet, link: Link, src: LockedSource) -> EvidenceSet:
    """What one link to `src` can back: its components, under its subpath if it names one."""
    from .readers.remotetree import root_url

    prefix = root_url(src.reader, src.id, src.url, src.revision) + "/" + link.subpath.strip("/") if link.subpath else None
    out = EvidenceSet(licenses=list(ev.licenses), findings=list(ev.findings), use_policies=list(ev.use_policies))
    for name, f in ev.found.items():
        if name not in link.backs:
            continue
        if prefix is None:
            out.found_for(name).merge(f)
        else:  # a component_path into a folder of the source: only what lies under it
            kept = out.found_for(name)
            for e in f.evidence:
                if e.path and within(e.path, prefix):
                    kept.add(e, remote=e.path, floor=0.0)
    return out


def _base_model(link: Link, src: LockedSource) -> EvidenceSet:
    """The model this release was trained from: its license binds the release's weights."""
    out = EvidenceSet()
    weights = role("final-weights")
    card = [s for s in src.evidence.licenses if s.kind in ("card", "host", "license-file") and weights in s.covers]
    if not card:
        return out
    from .licenses import classify_license

    s = max(card, key=lambda s: s.specificity)
    v = classify_license(s.expression or s.declared, "data", "mof")
    if not v.open:
        out.findings.append(
            Finding.of(
                "license.base-model",
                f"trained from {src.url} ({link.origin}), whose weights are under {v.expression or s.declared} (not open): "
                "a derivative's weights are bound by the base model's terms",
                link.origin,
                link.line,
                component=weights,
                hint="release weights trained from an openly licensed base model, or state the base model's terms",
            )
        )
        weights = component_rules()["_expand"](["weights"])
        out.binding.append(replace(s, covers=weights, detail=f"base model {link.id}: {s.detail}"))
    return out


def _summary(src: LockedSource, link: Link) -> dict[str, Any]:
    return {
        "key": src.key,
        "url": src.url,
        "revision": src.revision,
        "fetched": src.fetched,
        "license": src.license,
        "backs": sorted(link.backs),
        "origin": link.origin,
    }


def _unreachable(link: Link, src: LockedSource) -> Finding:
    return Finding.of(
        "remote.unreachable", f"{link.url}: {src.error} ({src.error_kind or 'error'}); its components are judged without it", link.origin, link.line
    )


def staleness(lock: Lock, fresh: dict[str, LockedSource]) -> list[Finding]:
    """Where the lock no longer says what the hosts say: a moved revision, a changed license."""
    out: list[Finding] = []
    for key, old in sorted(lock.sources.items()):
        new = fresh.get(key)
        if new is None or not new.ok or not old.ok:
            continue
        if (old.license or "").lower() != (new.license or "").lower():
            out.append(
                Finding.of(
                    "lock.license-changed",
                    f"{old.url}: the lock says license {old.license!r} (at {_short(old.revision)}), the host now says {new.license!r}; run `mofcheck resolve`",
                    lock.path,
                    None,
                )
            )
        elif old.revision and new.revision and old.revision != new.revision and not old.requested:
            out.append(
                Finding.of(
                    "lock.stale",
                    f"{old.url}: the lock was taken at {_short(old.revision)} ({old.fetched}); the host is now at {_short(new.revision)}; run `mofcheck resolve`",
                    lock.path,
                    None,
                )
            )
    return out


def _short(rev: str | None) -> str:
    return (rev or "?")[:12]


__all__ = ["release_links", "fetch_sources", "remote_evidence", "staleness", "followed", "DEFAULT_JOBS"]


# --------------------------------------------------------------------------------------------------
# `mofcheck resolve`: fetch and lock


def resolve_repository(opts: Any, budget: Any, jobs: int = DEFAULT_JOBS, previous: Lock | None = None) -> tuple[Lock, list[Finding]]:
    """The lock for the repository at `opts.path`: every link of every release, fetched now.

    A source that cannot be fetched now keeps its previous locked entry (with a finding), as lockfiles
    keep their pins through a transient failure."""
    from . import config as config_mod
    from . import framework as framework_mod
    from .check import load_manifests
    from .errors import ConfigError
    from .lock import now
    from .readers import local
    from .repo import Repo

    fw = framework_mod.load(opts.framework_version)
    root = opts.path
    try:
        cfg = config_mod.load(root, opts.config) if opts.use_config else config_mod.Config()
    except ConfigError:
        cfg = config_mod.Config()
    repo = Repo.open(root, ignore=list(opts.ignore) + list(cfg.ignore))
    ev = local.read(repo)
    manifests, findings = load_manifests(opts, root, fw, {f.path for f in repo.files}, repo)
    links: list[Link] = []
    for m in manifests or [None]:
        links.extend(release_links(m, ev, (root.resolve().name,)))
    sources = fetch_sources(links_mod.dedupe(links), budget, jobs)
    if previous is not None:
        for key, src in list(sources.items()):
            old = previous.sources.get(key)
            if not src.ok and old is not None and old.ok:
                findings.append(Finding.of("remote.unreachable", f"{src.url}: {src.error}; kept the entry locked on {old.fetched}", src.url, None))
                sources[key] = old
    findings.extend(Finding.of("remote.unreachable", f"{s.url}: {s.error} ({s.error_kind})", s.url, None) for s in sources.values() if not s.ok)
    return Lock(sources=sources, created=now()), findings
