"""What a remote host says about a release, as plain data: the lock stores it (`to_dict` / `from_dict`).

A RemoteSource is the host's claim at a revision: the license as the host states it, the files it lists,
the bounded texts read, and its metadata. Nothing here judges; the evidence readers do. On failure a
source carries `error` and `error_kind` and nothing else. A part that failed while the rest was read
(refs timed out, a gated LICENSE, files beyond the bound) is a `gap`, so "none" and "not known" differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

KINDS = ("hf-model", "hf-dataset", "arxiv", "github")
ERROR_KINDS = (
    "unreachable",
    "not-found",
    "gated",
    "timeout",
    "too-large",
    "malformed",
    "redirect",
    "budget",
    "rate-limited",
)
GATED = (False, "auto", "manual")
REF_KINDS = ("branch", "tag")


def now_iso() -> str:
    """The current time, ISO 8601 UTC to the second (`2026-01-02T03:04:05Z`)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class RemoteFile:
    path: str
    size: int | None = None
    lfs_sha256: str | None = None  # the LFS object's SHA-256 (weights), when the host reports it
    blob_id: str | None = None  # the git blob id

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "lfs_sha256": self.lfs_sha256, "blob_id": self.blob_id}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RemoteFile:
        return cls(d["path"], d.get("size"), d.get("lfs_sha256"), d.get("blob_id"))


@dataclass
class RemoteText:
    """A small file read as text: at most Budget.max_text_bytes of it (`truncated` when there was more).
    `error` / `error_kind` when it could not be read (a gated LICENSE: "gated"); then `text` is ""."""

    path: str
    text: str
    sha256: str | None  # of the bytes read (None when nothing was read)
    truncated: bool = False
    size: int | None = None  # the file's full size, when known
    error: str | None = None
    error_kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "text": self.text,
            "sha256": self.sha256,
            "truncated": self.truncated,
            "size": self.size,
            "error": self.error,
            "error_kind": self.error_kind,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RemoteText:
        return cls(
            d["path"],
            d.get("text", ""),
            d.get("sha256"),
            bool(d.get("truncated")),
            d.get("size"),
            d.get("error"),
            d.get("error_kind"),
        )


@dataclass
class RemoteSource:
    kind: str  # one of KINDS
    id: str  # org/name (HF), owner/repo (GitHub), 2402.00838 or hep-th/9901001 (arXiv, no version)
    url: str  # canonical https URL of the thing itself
    revision: str | None = None  # the commit sha seen; arXiv: the version ("v3")
    fetched_at: str = ""
    license: str | list[str] | None = None  # as the host states it (HF card id(s), GitHub spdx_id, arXiv URL)
    license_name: str | None = None
    license_link: str | None = None
    gated: bool | str = False  # False, "auto" or "manual"
    private: bool = False
    disabled: bool = False
    files: list[RemoteFile] = field(default_factory=list)
    refs: list[dict[str, Any]] = field(default_factory=list)  # {name, kind: branch|tag, target}
    texts: list[RemoteText] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    security: dict[str, Any] | None = None
    gaps: list[dict[str, Any]] = field(default_factory=list)  # {part, error_kind, error}
    error: str | None = None
    error_kind: str | None = None

    @property
    def ok(self) -> bool:
        return self.error_kind is None

    def text(self, path: str) -> RemoteText | None:
        return next((t for t in self.texts if t.path == path), None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in ("files", "texts"):
                v = [x.to_dict() for x in v]
            elif f.name in ("refs", "gaps"):
                v = [dict(x) for x in v]
            out[f.name] = v
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RemoteSource:
        return cls(
            kind=d["kind"],
            id=d["id"],
            url=d["url"],
            revision=d.get("revision"),
            fetched_at=d.get("fetched_at", ""),
            license=d.get("license"),
            license_name=d.get("license_name"),
            license_link=d.get("license_link"),
            gated=d.get("gated", False),
            private=bool(d.get("private")),
            disabled=bool(d.get("disabled")),
            files=[RemoteFile.from_dict(x) for x in d.get("files") or []],
            refs=[dict(x) for x in d.get("refs") or []],
            texts=[RemoteText.from_dict(x) for x in d.get("texts") or []],
            meta=dict(d.get("meta") or {}),
            security=d.get("security"),
            gaps=[dict(x) for x in d.get("gaps") or []],
            error=d.get("error"),
            error_kind=d.get("error_kind"),
        )


def failed(kind: str, id: str, url: str, error: str, error_kind: str, **extra: Any) -> RemoteSource:
    """A source that could not be read: error and error_kind, and nothing else (`extra`: disabled=True)."""
    assert error_kind in ERROR_KINDS, error_kind
    return RemoteSource(kind=kind, id=id, url=url, fetched_at=now_iso(), error=error, error_kind=error_kind, **extra)


def gap(part: str, error_kind: str, error: str) -> dict[str, Any]:
    assert error_kind in ERROR_KINDS, error_kind
    return {"part": part, "error_kind": error_kind, "error": error}
