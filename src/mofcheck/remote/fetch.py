"""Fetching many sources at once: bounded concurrency, one arXiv batch, the cache, one shared Budget."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .budget import Budget
from .cache import Cache, auth_tag
from .types import KINDS, RemoteSource


@dataclass(frozen=True)
class Target:
    kind: str  # hf-model | hf-dataset | arxiv | github
    id: str
    revision: str | None = None  # HF: a branch, tag or commit; arXiv: a version ("v3"); GitHub: unused

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown source kind {self.kind!r}")


def _token(kind: str) -> str | None:
    if kind.startswith("hf-"):
        from .hf import hf_token

        return hf_token()
    if kind == "github":
        return os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN")
    return None


def fetch_one(t: Target, budget: Budget) -> RemoteSource:
    if t.kind == "github":
        from .github import fetch_github

        return fetch_github(t.id, budget=budget)
    if t.kind == "arxiv":
        return fetch_arxiv_targets([t], budget)[0]
    from .hf import fetch_hf

    return fetch_hf(t.id, "model" if t.kind == "hf-model" else "dataset", t.revision, budget=budget)


def fetch_arxiv_targets(targets: list[Target], budget: Budget) -> list[RemoteSource]:
    from .arxiv import fetch_arxiv

    return fetch_arxiv([t.id + (t.revision or "") for t in targets], budget=budget)


def fetch_many(targets: list[Target], *, budget: Budget, cache: Cache | None = None, workers: int = 4) -> list[RemoteSource]:
    """One RemoteSource per target, in order. Cached complete answers are reused; the arXiv ids go in one
    batched request; the other sources run `workers` at a time. Never raises for a remote failure."""
    out: list[RemoteSource | None] = [None] * len(targets)
    auth = {k: auth_tag(_token(k)) for k in {t.kind for t in targets}} if cache is not None else {}
    todo = []
    for i, t in enumerate(targets):
        hit = cache.get(t.kind, t.id, t.revision, auth=auth[t.kind]) if cache is not None else None
        if hit is not None:
            out[i] = hit
        else:
            todo.append(i)
    papers = [i for i in todo if targets[i].kind == "arxiv"]
    others = [i for i in todo if targets[i].kind != "arxiv"]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        batch = pool.submit(fetch_arxiv_targets, [targets[i] for i in papers], budget) if papers else None
        futures = {i: pool.submit(fetch_one, targets[i], budget) for i in others}
        for i, f in futures.items():
            out[i] = f.result()
        if batch is not None:
            for i, src in zip(papers, batch.result()):
                out[i] = src
    if cache is not None:
        for i in todo:
            t = targets[i]
            cache.put(out[i], t.revision, auth=auth[t.kind])  # type: ignore[arg-type]
    return out  # type: ignore[return-value]
