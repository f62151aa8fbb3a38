"""A fetched remote repository (Hugging Face, GitHub) seen as a tree, so the local tree's readers apply.

`RemoteTree` offers what the evidence code uses of `Repo` (files, bounded reads, path resolution) over
a `RemoteSource`: the file listing the host gave and the few texts that were downloaded. `rebase` then
turns the tree's relative paths into URLs at the source's revision, tags every item with its provenance
and scopes every license to the source, so that nothing found remotely can license a local file.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from ..evidence.items import EvidenceSet, LicenseSource
from ..model import Evidence, Finding
from ..repo import LfsPointer, ReadResult, RepoFile
from ..repo.globs import under
from ..urls import is_url


class RemoteTree:
    """The listing and downloaded texts of one remote source. Reads never touch the network."""

    def __init__(self, source: Any):
        self.source = source
        self.root = PurePosixPath(source.id)
        self.name = source.id.rpartition("/")[2] or source.id  # cards name their model after the repository
        self.ref = source.revision
        self.skipped: list[Finding] = []
        self._texts = {t.path: t for t in source.texts}
        self._lfs = {f.path: f.lfs_sha256 for f in source.files if f.lfs_sha256}
        self.files = [RepoFile(f.path, size=f.size if f.size is not None else 0, repo=self) for f in source.files]
        self._by_path = {f.path: f for f in self.files}
        self._dirs = {d for f in self.files for d in _parents(f.path)}

    # What RepoFile asks its repository for.
    def stat_size(self, path: str) -> int:
        f = self._by_path.get(path)
        return f.size if f is not None else 0

    def detect_lfs(self, f: RepoFile) -> LfsPointer | None:
        oid = self._lfs.get(f.path)
        return LfsPointer(f"sha256:{oid}", f.size) if oid else None

    def get(self, path: str) -> RepoFile | None:
        return self._by_path.get(path)

    def is_dir(self, path: str) -> bool:
        return path in self._dirs

    def exists(self, path: str) -> bool:
        return path in self._by_path or path in self._dirs

    def resolve(self, path: str, base: str = "") -> str | None:
        return self.resolve_reason(path, base)[0]

    def resolve_reason(self, path: str, base: str = "") -> tuple[str | None, str | None]:
        if not isinstance(path, str) or is_url(path):
            return None, "a URL, not a repository path"
        joined = posixpath.normpath(posixpath.join(base, path.strip().lstrip("/")))
        if joined.startswith("..") or joined.startswith("/"):
            return None, "path leaves the repository"
        joined = "" if joined == "." else joined
        return (joined, None) if joined == "" or self.exists(joined) else (None, "not in the repository listing")

    def read_text(self, path: str, limit: int = 1 << 20, *, head: bool = False) -> ReadResult:
        t = self._texts.get(path)
        if t is None:
            return ReadResult(error="not downloaded (only cards, READMEs and license files are fetched)")
        if t.error:
            return ReadResult(error=f"{t.error_kind or 'error'}: {t.error}")
        text = t.text[:limit]
        return ReadResult(text=text, truncated=bool(t.truncated) or len(t.text) > limit, encoding="utf-8", size=t.size)

    def read_bytes(self, path: str, limit: int = 1 << 20) -> ReadResult:
        res = self.read_text(path, limit)
        if res.ok and res.text is not None:
            res.data, res.text, res.encoding = res.text.encode("utf-8"), None, "bytes"
        return res


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def root_url(kind: str, id_: str, url: str, revision: str | None) -> str:
    """Where a source's files live at its revision: every path found there is under this URL."""
    rev = revision or "main"
    host = re.match(r"^(https?://[^/]+)", url or "")
    hf = host.group(1) if host else "https://huggingface.co"
    if kind == "hf-model":
        return f"{hf}/{id_}/blob/{rev}"
    if kind == "hf-dataset":
        return f"{hf}/datasets/{id_}/blob/{rev}"
    if kind == "github":
        return f"{url.rstrip('/')}/blob/{rev}"
    return url


def source_root(source: Any) -> str:
    """`root_url` of a fetched RemoteSource."""
    return root_url(source.kind, source.id, source.url, source.revision)


def rebase(ev: EvidenceSet, source: Any, reader: str) -> EvidenceSet:
    """`ev` (read from a RemoteTree) with paths as URLs, provenance on every item and licenses scoped to the source."""
    base = source_root(source)

    def url(path: str | None) -> str | None:
        if path is None or "://" in path:
            return path
        return f"{base}/{path}" if path else base

    def tag(e: Evidence) -> Evidence:
        return replace(e, path=url(e.path), source=reader, revision=source.revision, fetched=source.fetched_at)

    out = EvidenceSet(repo=None, index=None)
    out.found = {name: f.relocated(url, tag) for name, f in ev.found.items()}
    for s in ev.licenses:
        scope = url(s.scope) if s.scope else base
        pattern = under(base, s.pattern) if s.pattern is not None else None
        out.licenses.append(replace(s, path=url(s.path), scope=scope, pattern=pattern, source=reader, revision=source.revision))
    out.findings = [replace(f, path=url(f.path)) for f in ev.findings]
    out.use_policies = [url(p) for p in ev.use_policies]
    out.links = [replace(l, origin=url(l.origin)) for l in ev.links]
    return out


def only(ev: EvidenceSet, components: frozenset[str]) -> EvidenceSet:
    """The evidence of `ev` for `components` alone (what one link to the source can back)."""
    out = EvidenceSet(
        repo=ev.repo,
        index=ev.index,
        licenses=list(ev.licenses),
        findings=list(ev.findings),
        use_policies=list(ev.use_policies),
        links=list(ev.links),
        sources=list(ev.sources),
    )
    for name, f in ev.found.items():
        if name in components:
            out.found_for(name).merge(f)
    return out


def host_license(source: Any, expression: str | None, covers: frozenset[str], detail: str, specificity: int = 1, confidence: float = 0.8) -> LicenseSource:
    """The license the host states for the whole source (API metadata), scoped to the source."""
    base = source_root(source)
    return LicenseSource(
        expression, source.license or "", "host", base, None, covers, base, specificity, detail, confidence, source=source.kind, revision=source.revision
    )


__all__ = ["RemoteTree", "rebase", "root_url", "source_root", "only", "host_license"]
