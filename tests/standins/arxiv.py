"""A stand-in for the arXiv export API: GET /api/query?id_list=...&start=&max_results= -> an Atom feed.

Entries come from tests/standins/data/arxiv/{id}v{N}.xml (old-style ids with "/" as "_"). A versioned id
returns that version, a bare one the latest. A malformed id gets arXiv's error entry (HTTP 400); a
well-formed id of no paper gets no entry. `pause_violations` counts requests that began less than
`min_pause` seconds after the previous one ended, and `max_active` how many overlapped (arXiv's rules).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from xml.sax.saxutils import escape

from .base import Reply, Request, StandinServer
from .hub import DATA

NEW_ID = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?")
OLD_ID = re.compile(r"([a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?")
FEED_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?{query}" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: {title}</title>
  <id>http://arxiv.org/api/standin</id>
  <updated>2024-12-01T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{total}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{total}</opensearch:itemsPerPage>
"""
ERROR_ENTRY = """  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_{id}</id>
    <title>Error</title>
    <summary>incorrect id format for {id}</summary>
    <updated>2024-12-01T00:00:00-05:00</updated>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_{id}" rel="alternate" type="text/html"/>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>
"""


class ArxivServer(StandinServer):
    def __init__(self, host: str = "127.0.0.1", data: Path = DATA / "arxiv", min_pause: float = 0.0) -> None:
        super().__init__(host)
        self.entries: dict[str, str] = {p.stem.replace("_", "/"): p.read_text("utf-8") for p in sorted(data.glob("*.xml"))}
        self.min_pause = min_pause
        self.pause_violations = 0
        self._last_done = 0.0

    @property
    def api_url(self) -> str:
        """MOFCHECK_ARXIV_URL."""
        return self.url + "/api/query"

    def add(self, versioned_id: str, entry_xml: str) -> None:
        self.entries[versioned_id] = entry_xml

    def _versions(self, base: str) -> list[str]:
        found = [k for k in self.entries if re.fullmatch(re.escape(base) + r"v\d+", k)]
        return sorted(found, key=lambda k: int(k.rsplit("v", 1)[1]))

    def route(self, req: Request) -> Reply:
        with self.lock:
            if self._last_done and req.at - self._last_done < self.min_pause:
                self.pause_violations += 1
        try:
            return self._query(req)
        finally:
            with self.lock:
                self._last_done = time.monotonic()

    def _query(self, req: Request) -> Reply:
        if req.path != "/api/query":
            return Reply(404, b"not found", {}, "text/plain")
        ids = [i for i in (req.query.get("id_list") or [""])[0].split(",") if i]
        body, errors, total = [], [], 0
        for raw in ids:
            m = NEW_ID.fullmatch(raw) or OLD_ID.fullmatch(raw)
            if m is None:
                errors.append(ERROR_ENTRY.format(id=escape(raw)))
                continue
            base, version = m.group(1), m.group(2)
            key = base + version if version else (self._versions(base) or [None])[-1]
            if key in self.entries:
                body.append(self.entries[key])
                total += 1
        query = escape("search_query=&id_list=" + ",".join(ids))
        head = FEED_HEAD.format(query=query, title=query, total=total if not errors else 1)
        xml = head + "".join(errors or body) + "</feed>\n"
        return Reply(400 if errors else 200, xml.encode(), {}, "application/atom+xml; charset=utf-8")
