"""arXiv papers through the arXiv export API (Atom): one batched request for many ids.

  GET {MOFCHECK_ARXIV_URL or https://export.arxiv.org/api/query}?id_list=ID,ID,...&start=0&max_results=N

The feed is parsed with defusedxml (no DTDs, no entities). arXiv asks API clients to send one request
at a time with a pause between requests: a process-wide lock and a pause (default 3 s, `pause=` or
MOFCHECK_ARXIV_PAUSE) hold that. Each entry's arxiv:license URL is kept as the license, and mapped to an
SPDX id through data/licenses/arxiv.yaml (meta.license_spdx; null when the URL is not listed).
"""

from __future__ import annotations

import os
import re
import threading
import time
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element

from .. import data
from .budget import Budget
from .httpguard import Guard, guarded, new_client, origins_for, status_of, transport_kind, with_retries
from .safety import env_secrets, message, public_url
from .types import RemoteSource, failed, now_iso

DEFAULT_URL = "https://export.arxiv.org/api/query"
DEFAULT_PAUSE = 3.0  # seconds between two requests (arXiv's API terms)
BATCH = 50  # ids per request
MAX_AUTHORS = 1000
ATOM, ARXIV = "{http://www.w3.org/2005/Atom}", "{http://arxiv.org/schemas/atom}"
NEW_ID = re.compile(r"(\d{4}\.\d{4,5})(v\d{1,4})?")
# The archive name starts after no letter or "-" (fullmatch: at the start): one try per run of letters
OLD_ID = re.compile(r"((?<![a-z-])[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(v\d{1,4})?")
_PREFIX = re.compile(r"^(?:arxiv:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.I)

_LOCK = threading.Lock()  # one request at a time, process-wide
_last_request = 0.0
_client: Any = None


def parse_id(text: str) -> tuple[str, str | None] | None:
    """(base id, version or None) of an arXiv id in any usual spelling, or None when it is not one."""
    s = _PREFIX.sub("", text.strip())
    s = re.sub(r"\.pdf$", "", s, flags=re.I)
    m = NEW_ID.fullmatch(s)
    if m is not None:
        yymm, number = m.group(1).split(".")
        if len(number) != (5 if yymm >= "1501" else 4):  # 4-digit numbers until 2014, 5 since
            return None
        return m.group(1), m.group(2)
    m = OLD_ID.fullmatch(s)
    return (m.group(1), m.group(2)) if m else None


@lru_cache(maxsize=1)
def license_table() -> dict[str, dict[str, str]]:
    from ruamel.yaml import YAML

    return {k.lower(): v for k, v in YAML(typ="safe").load(data.text("licenses/arxiv.yaml"))["licenses"].items()}


def license_for_url(url: str | None) -> dict[str, str] | None:
    """{spdx, name} for a license URL as arXiv states it, or None when it is not in the table."""
    if not url:
        return None
    key = re.sub(r"^[a-z]+://(www\.)?", "", url.strip().lower()).rstrip("/")
    return license_table().get(key)


def base_url() -> str:
    return os.environ.get("MOFCHECK_ARXIV_URL") or DEFAULT_URL


def _pause() -> float:
    try:
        return max(0.0, float(os.environ.get("MOFCHECK_ARXIV_PAUSE", DEFAULT_PAUSE)))
    except ValueError:
        return DEFAULT_PAUSE


def _text(el: Element | None, limit: int = 2000) -> str | None:
    if el is None or el.text is None:
        return None
    s = " ".join(el.text.split())
    return s[:limit] if s else None


def _entry(e: Element, limit: int) -> tuple[str, str | None, dict[str, Any]] | None:
    """(base id, version, fields) of one Atom entry; None for an entry that names no paper."""
    raw_id = _text(e.find(ATOM + "id")) or ""
    if "/abs/" not in raw_id:
        return None
    parsed = parse_id(raw_id.split("/abs/", 1)[1])
    if parsed is None:
        return None
    lic = e.find(ARXIV + "license")
    license_url = (lic.get("href") or _text(lic)) if lic is not None else None
    if license_url is None:
        link = next((x for x in e.findall(ATOM + "link") if x.get("rel") == "license"), None)
        license_url = link.get("href") if link is not None else None
    primary = e.find(ARXIV + "primary_category")
    fields = {
        "title": _text(e.find(ATOM + "title")),
        "authors": [n for a in e.findall(ATOM + "author")[:MAX_AUTHORS] if (n := _text(a.find(ATOM + "name"), 300))],
        "abstract": _text(e.find(ATOM + "summary"), limit),
        "published": _text(e.find(ATOM + "published")),
        "updated": _text(e.find(ATOM + "updated")),
        "doi": _text(e.find(ARXIV + "doi")),
        "journal_ref": _text(e.find(ARXIV + "journal_ref")),
        "comment": _text(e.find(ARXIV + "comment")),
        "primary_category": primary.get("term") if primary is not None else None,
        "categories": [c.get("term") for c in e.findall(ATOM + "category") if c.get("term")][:50],
        "license_url": license_url.strip()[:500] if isinstance(license_url, str) else None,
    }
    if not fields["title"] and not fields["published"]:
        return None  # arXiv's "no such paper" placeholder
    return parsed[0], parsed[1], fields


def parse_feed(body: bytes, limit: int) -> tuple[list[tuple[str, str | None, dict[str, Any]]], list[str]]:
    """The papers in an Atom feed, and the feed's error messages (arXiv reports bad ids as entries)."""
    import defusedxml.ElementTree as DET

    root = DET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    if root.tag != ATOM + "feed":
        raise ValueError("not an Atom feed")
    papers, errors = [], []
    for e in root.findall(ATOM + "entry"):
        raw_id = _text(e.find(ATOM + "id")) or ""
        if "/api/errors" in raw_id:
            errors.append(_text(e.find(ATOM + "summary"), 300) or "arXiv reported an error")
            continue
        got = _entry(e, limit)
        if got is not None:
            papers.append(got)
    return papers, errors


def _source(base: str, version: str | None, f: dict[str, Any], fetched_at: str, endpoint: str) -> RemoteSource:
    lic = license_for_url(f["license_url"])
    meta = {k: f[k] for k in ("title", "authors", "abstract", "published", "updated", "doi", "journal_ref", "comment", "primary_category", "categories")}
    meta.update({"version": version, "license_spdx": lic["spdx"] if lic else None})
    if endpoint != DEFAULT_URL:
        meta["endpoint"] = public_url(endpoint)
    return RemoteSource(
        kind="arxiv",
        id=base,
        url=f"https://arxiv.org/abs/{base}{version or ''}",
        revision=version,
        fetched_at=fetched_at,
        license=f["license_url"],
        license_name=lic["name"] if lic else None,
        meta=meta,
    )


def _get(client: Any, url: str, ids: list[str], budget: Budget, pause: float) -> bytes:
    global _last_request
    with _LOCK:
        wait = _last_request + pause - time.monotonic()
        if wait > 0:
            if wait + 0.05 >= budget.remaining:
                from .budget import BudgetSpent

                raise BudgetSpent("the pause arXiv asks for between requests does not fit the time budget")
            time.sleep(wait)
        try:
            r = client.get(url, params={"id_list": ",".join(ids), "start": 0, "max_results": len(ids)})
            r.raise_for_status()
            return r.content
        finally:
            _last_request = time.monotonic()


def _classify(exc: BaseException) -> tuple[str, str]:
    found = transport_kind(exc)
    if found is not None:
        return found
    status = status_of(exc)
    if status is not None:
        if status == 429:
            return "rate-limited", "HTTP 429: rate limited by arXiv"
        return "unreachable", f"HTTP {status}"
    if isinstance(exc, (ValueError, SyntaxError)) or type(exc).__module__.startswith(("defusedxml", "xml.")):
        return "malformed", f"arXiv sent a feed that could not be read ({type(exc).__name__})"
    raise exc


def fetch_arxiv(ids: list[str], *, budget: Budget, pause: float | None = None) -> list[RemoteSource]:
    """One RemoteSource per id, in order (revision: the version arXiv returned). A versioned id asks for
    that version; a bare one gets the latest. Never raises for a remote failure."""
    global _client
    pause = _pause() if pause is None else max(0.0, pause)
    endpoint = base_url()
    secrets = env_secrets()
    wanted: list[tuple[str, str | None] | None] = [parse_id(i) if isinstance(i, str) else None for i in ids]
    results: dict[tuple[str, str | None], RemoteSource] = {}
    keys = list(dict.fromkeys(k for k in wanted if k is not None))
    fetched_at = now_iso()
    with _LOCK:
        if _client is None:
            _client = new_client(headers={"User-Agent": "mofcheck (model openness checker)"})
    guard = Guard(origins_for(endpoint), budget, budget.max_response_bytes)
    for start in range(0, len(keys), BATCH):
        batch = keys[start : start + BATCH]
        asked = [b + (v or "") for b, v in batch]
        try:
            with guarded(guard):
                body = with_retries(lambda asked=asked: _get(_client, endpoint, asked, budget, pause), budget)
            papers, errors = parse_feed(body, budget.max_text_bytes)
        except Exception as exc:
            kind, why = _classify(exc)
            for b, v in batch:
                results[(b, v)] = failed("arxiv", b, f"https://arxiv.org/abs/{b}{v or ''}", message(why, secrets), kind)
            continue
        for b, v in batch:
            match = [p for p in papers if p[0] == b and (v is None or p[1] == v)]
            if match:
                _, version, f = max(match, key=lambda p: int((p[1] or "v0")[1:]))
                results[(b, v)] = _source(b, version, f, fetched_at, endpoint)
            else:
                why = next((m for m in errors if b in m), None) or "arXiv has no such paper"
                results[(b, v)] = failed("arxiv", b, f"https://arxiv.org/abs/{b}{v or ''}", message(why, secrets), "not-found")
    out = []
    for raw, key in zip(ids, wanted):
        if key is None:
            out.append(failed("arxiv", str(raw)[:100], "https://arxiv.org/", "not an arXiv id", "not-found"))
        else:
            out.append(results[key])
    return out
