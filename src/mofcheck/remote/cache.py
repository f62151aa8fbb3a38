"""An on-disk cache of RemoteSource JSON for `audit` (many releases, resumable), with a time to live.

Keyed by (kind, id, requested revision, whose token): a hit costs one small file read and no request.
Only complete answers are kept: a source that failed, or has a part that failed for a passing reason
(timeout, budget, unreachable, rate-limited), is fetched again next time, which is what makes an
interrupted audit resumable. Files are written atomically (temp file + rename), readable by the owner
only, and named by a hash, so nothing remote chooses a path. The directory is the caller's; the default is
the user's cache directory (never inside the checked repository).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from .types import RemoteSource

FORMAT = 1
DEFAULT_TTL = 7 * 24 * 3600.0
MAX_ENTRY_BYTES = 64 * 1024 * 1024
TRANSIENT = frozenset({"unreachable", "timeout", "budget", "rate-limited"})


def default_dir() -> Path:
    """MOFCHECK_CACHE_DIR, else the platform's user cache directory + mofcheck/remote."""
    explicit = os.environ.get("MOFCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    home = Path.home()
    if sys.platform == "win32":
        root = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        root = home / "Library" / "Caches"
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    return root / "mofcheck" / "remote"


def auth_tag(token: str | None) -> str:
    """Which credentials a source was read with, without the token: answers read with a token (a gated
    repository's files) are not served to a run without it."""
    return "anon" if not token else "t" + hashlib.sha256(token.encode()).hexdigest()[:16]


def complete(source: RemoteSource) -> bool:
    if not source.ok:
        return False
    if any(g.get("error_kind") in TRANSIENT for g in source.gaps):
        return False
    return not any(t.error_kind in TRANSIENT for t in source.texts)


def _age_seconds(fetched_at: str) -> float | None:
    try:
        when = dt.datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return (dt.datetime.now(dt.UTC) - when).total_seconds()


class Cache:
    def __init__(self, directory: str | Path | None = None, ttl_seconds: float = DEFAULT_TTL) -> None:
        self.dir = Path(directory) if directory is not None else default_dir()
        self.ttl = ttl_seconds
        self.hits = self.misses = 0

    def _key(self, kind: str, id: str, revision: str | None, auth: str) -> list[object]:
        return [FORMAT, kind, id, revision or "", auth]

    def _path(self, key: list[object]) -> Path:
        digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()
        return self.dir / digest[:2] / f"{digest}.json"

    def get(self, kind: str, id: str, revision: str | None = None, *, auth: str = "anon") -> RemoteSource | None:
        key = self._key(kind, id, revision, auth)
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_ENTRY_BYTES + 1)
            doc = json.loads(raw) if len(raw) <= MAX_ENTRY_BYTES else None
            if not isinstance(doc, dict) or doc.get("key") != key:
                raise ValueError("not this entry")
            source = RemoteSource.from_dict(doc["source"])
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        age = _age_seconds(source.fetched_at)
        if age is None or age > self.ttl or age < -300:
            self.misses += 1
            return None
        self.hits += 1
        return source

    def put(self, source: RemoteSource, revision: str | None = None, *, auth: str = "anon") -> bool:
        """Keep a complete source under the revision that was asked for (None: the default branch)."""
        if not complete(source):
            return False
        key = self._key(source.kind, source.id, revision, auth)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"key": key, "source": source.to_dict()}, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True
