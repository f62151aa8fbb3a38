"""The evidence lock (`.mof/evidence.lock.json`): what `mofcheck resolve` found where the release is
published, pinned at the revision it saw.

Each remote source records its URL, the revision it saw and when, the license as stated there, the files
seen, hashes of the texts read, and the evidence items a reader derived from them. `mofcheck check`
stays offline and uses the lock; `--online` resolves afresh and reports where the lock is stale.

The lock is the repository's claim about other hosts, so it is read as untrusted input: bounded,
validated against its schema, and every locked item must point into the source it is filed under (a
forged lock can add remote claims, never local ones). In CI, `--online` (the Action's default) judges
from the hosts themselves.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import __version__, data
from .evidence.items import EvidenceSet, within
from .model import Finding

LOCK_PATH = ".mof/evidence.lock.json"
LOCK_VERSION = 1
MAX_LOCK_BYTES = 8 * 1024 * 1024
MAX_LOCKED_FILES = 500  # files listed per source (the count is kept whole)


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class LockedSource:
    """One remote source as a reader saw it, and the evidence it gave."""

    reader: str
    id: str
    url: str
    revision: str | None
    fetched: str
    requested: str | None = None  # the revision the link asked for (None: the default branch)
    license: str | None = None  # as the host states it
    license_name: str | None = None
    license_link: str | None = None
    gated: Any = False
    files: list[dict[str, Any]] = field(default_factory=list)
    files_total: int = 0
    texts: list[dict[str, Any]] = field(default_factory=list)  # path, sha256, size, truncated
    error: str | None = None
    error_kind: str | None = None
    evidence: EvidenceSet = field(default_factory=EvidenceSet)

    @property
    def key(self) -> str:
        return f"{self.reader}:{self.id}"

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def from_remote(cls, reader: str, source: Any, evidence: EvidenceSet, requested: str | None = None) -> LockedSource:
        files = list(getattr(source, "files", None) or [])
        return cls(
            reader=reader,
            id=source.id,
            url=source.url,
            revision=source.revision,
            fetched=source.fetched_at or now(),
            requested=requested,
            license=source.license,
            license_name=getattr(source, "license_name", None),
            license_link=getattr(source, "license_link", None),
            gated=getattr(source, "gated", False) or False,
            files=[{"path": f.path, "size": f.size, "lfs_sha256": f.lfs_sha256} for f in files[:MAX_LOCKED_FILES]],
            files_total=len(files),
            texts=[{"path": t.path, "sha256": t.sha256, "size": t.size, "truncated": bool(t.truncated)} for t in getattr(source, "texts", None) or []],
            error=source.error,
            error_kind=getattr(source, "error_kind", None),
            evidence=evidence,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "reader": self.reader,
            "id": self.id,
            "url": self.url,
            "revision": self.revision,
            "requested": self.requested,
            "fetched": self.fetched,
            "license": self.license,
            "license_name": self.license_name,
            "license_link": self.license_link,
            "gated": self.gated,
            "files_total": self.files_total,
            "files": self.files,
            "texts": self.texts,
            "error": self.error,
            "error_kind": self.error_kind,
            "evidence": self.evidence.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LockedSource:
        return cls(
            reader=d["reader"],
            id=d["id"],
            url=d["url"],
            revision=d.get("revision"),
            fetched=d.get("fetched") or "",
            requested=d.get("requested"),
            license=d.get("license"),
            license_name=d.get("license_name"),
            license_link=d.get("license_link"),
            gated=d.get("gated") or False,
            files=list(d.get("files") or []),
            files_total=int(d.get("files_total") or 0),
            texts=list(d.get("texts") or []),
            error=d.get("error"),
            error_kind=d.get("error_kind"),
            evidence=EvidenceSet.from_dict(d.get("evidence") or {}),
        )


@dataclass
class Lock:
    sources: dict[str, LockedSource] = field(default_factory=dict)
    created: str = ""
    tool: str = __version__
    path: str = LOCK_PATH

    def to_json(self) -> str:
        doc = {
            "lock_version": LOCK_VERSION,
            "tool": {"name": "mofcheck", "version": self.tool},
            "created": self.created or now(),
            "sources": {k: self.sources[k].to_dict() for k in sorted(self.sources)},
        }
        return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(data.text("schemas/lock.schema.json"))


def parse(text: str, path: str = LOCK_PATH) -> tuple[Lock | None, list[Finding]]:
    """The lock in `text`, or None with a finding saying why it cannot be used. Never raises."""
    import jsonschema

    try:
        doc = json.loads(text)
    except ValueError as exc:
        return None, [Finding.of("lock.invalid", f"{path}: not valid JSON ({exc}); run `mofcheck resolve` to rewrite it", path, None)]
    errors = sorted(jsonschema.Draft202012Validator(schema()).iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        e = errors[0]
        where = "/".join(map(str, e.absolute_path)) or "lock"
        return None, [Finding.of("lock.invalid", f"{path}: {where}: {e.message[:300]}; run `mofcheck resolve` to rewrite it", path, None)]
    lock = Lock(created=doc.get("created") or "", tool=(doc.get("tool") or {}).get("version", ""), path=path)
    findings: list[Finding] = []
    for key, entry in doc["sources"].items():
        try:
            src = LockedSource.from_dict(entry)
            if src.key != key:
                findings.append(Finding.of("lock.invalid", f"{path}: source {key!r} is filed under the wrong key; ignored", path, None))
                continue
            confined = _confine(src, path)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # what the schema cannot say (a pattern RE2 refuses)
            findings.append(Finding.of("lock.invalid", f"{path}: source {key!r} cannot be read ({str(exc)[:200]}); ignored", path, None))
            continue
        findings.extend(confined)
        lock.sources[key] = src
    return lock, findings


def _confine(src: LockedSource, path: str) -> list[Finding]:
    """Drop every locked item that does not point into its own source: a lock can only speak for hosts."""
    roots = _roots(src)
    dropped = 0
    for name, f in list(src.evidence.found.items()):
        kept = EvidenceSet().found_for(name)
        for e in f.evidence:
            key = e.path or ""
            if _inside(key, roots):
                kept.add(e, remote=key, floor=0.0)
            else:
                dropped += 1
        kept.possible = [e for e in f.possible if _inside(e.path or "", roots)]
        src.evidence.found[name] = kept
    licenses = [s for s in src.evidence.licenses if _inside(s.scope or "", roots) and s.pattern is None]
    dropped += len(src.evidence.licenses) - len(licenses)
    src.evidence.licenses = licenses
    if not dropped:
        return []
    return [Finding.of("lock.invalid", f"{path}: {dropped} item(s) of {src.key} point outside {src.url}; ignored", path, None)]


def _roots(src: LockedSource) -> list[str]:
    from .readers.remotetree import root_url

    return [root_url(src.reader, src.id, src.url, src.revision), src.url.rstrip("/")]


def _inside(url: str, roots: list[str]) -> bool:
    return bool(url) and "://" in url and any(within(url.split("#", 1)[0], r) for r in roots)


def load(repo) -> tuple[Lock | None, list[Finding]]:
    """The repository's lock through its bounded, symlink-safe reader (None when there is none)."""
    if repo is None or repo.get(LOCK_PATH) is None:
        return None, []
    res = repo.read_text(LOCK_PATH, limit=MAX_LOCK_BYTES + 1)
    if not res.ok or res.text is None:
        return None, [Finding.of("lock.invalid", f"{LOCK_PATH}: cannot read it ({res.error or 'binary'})", LOCK_PATH, None)]
    if res.truncated:
        return None, [Finding.of("lock.invalid", f"{LOCK_PATH}: larger than {MAX_LOCK_BYTES // (1024 * 1024)} MiB; not read", LOCK_PATH, None)]
    return parse(res.text, LOCK_PATH)


__all__ = ["Lock", "LockedSource", "LOCK_PATH", "load", "parse", "schema", "now"]
