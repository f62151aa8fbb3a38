"""fetch_arxiv against the arXiv API stand-in: batching, versions, licenses, arXiv's rules, hostile feeds."""

from __future__ import annotations

import json
import threading
import time

import pytest

from mofcheck.remote.arxiv import fetch_arxiv, parse_feed
from mofcheck.remote.budget import Budget


def budget(**kw) -> Budget:
    return Budget(**{"request_timeout": 2.0, "max_retry_wait": 0.5, **kw})


def test_one_request_for_many_papers(standins):
    got = fetch_arxiv(["2401.99901", "arXiv:2407.99902", "https://arxiv.org/abs/2409.99903v1", "hep-th/9912999"], budget=budget())
    assert [s.error for s in got] == [None] * 4
    assert len(standins.arxiv.requests) == 1
    q = standins.arxiv.requests[0].query
    assert q["id_list"] == ["2401.99901,2407.99902,2409.99903v1,hep-th/9912999"] and q["max_results"] == ["4"]
    paper = got[0]
    assert paper.kind == "arxiv" and paper.id == "2401.99901" and paper.revision == "v2"
    assert paper.url == "https://arxiv.org/abs/2401.99901v2"
    assert paper.license == "http://creativecommons.org/licenses/by/4.0/" and paper.license_name == "CC BY 4.0"
    m = paper.meta
    assert m["license_spdx"] == "CC-BY-4.0" and m["version"] == "v2" and m["title"].startswith("OpenLM")
    assert m["authors"] == ["Ada Example", "Lin Sample", "Kim Third"] and m["doi"] == "10.0000/jom.2024.1"
    assert m["primary_category"] == "cs.CL" and m["categories"] == ["cs.CL", "cs.LG"] and m["published"].startswith("2024-01-25")
    assert m["journal_ref"].startswith("Journal of Open Models") and m["comment"] == "v2: evaluation added"
    assert got[1].meta["license_spdx"] == "LicenseRef-arXiv-nonexclusive-distrib-1.0"
    assert got[2].license == "https://creativecommons.org/licenses/by/4.0" and got[2].meta["license_spdx"] == "CC-BY-4.0"  # href form
    old = got[3]
    assert old.id == "hep-th/9912999" and old.url == "https://arxiv.org/abs/hep-th/9912999v1" and old.license is None
    assert old.meta["license_spdx"] is None
    json.dumps([s.to_dict() for s in got])


def test_versions(standins):
    v1, latest, again = fetch_arxiv(["2401.99901v1", "2401.99901", "2401.99901v1"], budget=budget())
    assert (v1.revision, latest.revision) == ("v1", "v2") and again == v1
    assert v1.meta["authors"] == ["Ada Example", "Lin Sample"]
    assert fetch_arxiv(["2401.99901v7"], budget=budget())[0].error_kind == "not-found"


def test_papers_that_do_not_exist_and_ids_that_are_not_ids(standins):
    got = fetch_arxiv(["2401.99999", "not-an-id", "2401.99901"], budget=budget())
    assert [s.error_kind for s in got] == ["not-found", "not-found", None]
    assert standins.arxiv.requests[0].query["id_list"] == ["2401.99999,2401.99901"]  # the bad id never left


def test_arxiv_error_entries(standins):
    # arXiv answers a malformed id list with HTTP 400 and an error entry
    standins.arxiv.fail(
        "/api/query",
        "status",
        status=200,
        content_type="application/atom+xml",
        body=b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_2401.99901</id>'
        b"<title>Error</title><summary>incorrect id format for 2401.99901</summary></entry></feed>",
    )
    src = fetch_arxiv(["2401.99901"], budget=budget())[0]
    assert src.error_kind == "not-found" and "incorrect id format" in src.error
    standins.arxiv.fail("/api/query", "status", status=400, body=b"<feed/>")
    assert fetch_arxiv(["2401.99901"], budget=budget())[0].error_kind == "unreachable"


def test_an_entry_for_another_paper_is_not_taken(standins):
    entry = standins.arxiv.entries["2407.99902v1"]
    standins.arxiv.add("2401.88888v1", entry)  # a lying API: asked for one paper, answers with another
    assert fetch_arxiv(["2401.88888"], budget=budget())[0].error_kind == "not-found"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.99901v1</id><title>&lol3;</title></entry></feed>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.99901v1</id><title>&x;</title></entry></feed>"""


@pytest.mark.parametrize("body", [BOMB, EXTERNAL, b"<feed><entry>", b"not xml at all", b'{"json": true}', b'<rss xmlns="http://www.w3.org/2005/Atom"/>'])
def test_hostile_or_broken_feeds_are_malformed(standins, body):
    standins.arxiv.fail("/api/query", "malformed", body=body, content_type="application/atom+xml")
    src = fetch_arxiv(["2401.99901"], budget=budget())[0]
    assert src.error_kind == "malformed" and "passwd" not in json.dumps(src.to_dict())


def test_parse_feed_refuses_dtds():
    with pytest.raises(Exception) as info:
        parse_feed(BOMB, 1000)
    assert "defusedxml" in type(info.value).__module__


@pytest.mark.parametrize("kind, expected", [("huge", "too-large"), ("bomb", "too-large"), ("drop", "unreachable"), ("500", "unreachable")])
def test_faults(standins, kind, expected):
    standins.arxiv.fail("/api/query", kind, times=-1, size=4 * 1024 * 1024)
    src = fetch_arxiv(["2401.99901"], budget=budget(max_response_bytes=1024 * 1024, retries=1))[0]
    assert src.error_kind == expected


def test_dead_slow_and_redirecting(standins, monkeypatch):
    standins.arxiv.fail("/api/query", "slow", delay=1.0)
    assert fetch_arxiv(["2401.99901"], budget=budget(request_timeout=0.3))[0].error_kind == "timeout"
    standins.arxiv.fail("/api/query", "redirect", to=standins.elsewhere.url + "/api/query")
    assert fetch_arxiv(["2401.99901"], budget=budget())[0].error_kind == "redirect"
    monkeypatch.setenv("MOFCHECK_ARXIV_URL", standins.dead_url + "/api/query")
    assert fetch_arxiv(["2401.99901"], budget=budget(retries=0))[0].error_kind == "unreachable"


def test_rate_limited(standins):
    standins.arxiv.fail("/api/query", "429", times=-1, retry_after=0)
    assert fetch_arxiv(["2401.99901"], budget=budget(retries=1))[0].error_kind == "rate-limited"
    assert len(standins.arxiv.requests) == 2


def test_one_request_at_a_time_with_a_pause(standins):
    standins.arxiv.min_pause = 0.25
    results = []

    def run(ids: list[str]) -> None:
        results.extend(fetch_arxiv(ids, budget=budget(), pause=0.3))

    threads = [threading.Thread(target=run, args=([i],)) for i in ("2401.99901", "2407.99902", "2409.99903")]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3 and all(r.ok for r in results)
    assert standins.arxiv.max_active == 1 and standins.arxiv.pause_violations == 0
    assert time.monotonic() - start >= 0.5


def test_batches_of_fifty(standins):
    ids = [f"2401.{n:05d}" for n in range(10000, 10120)]
    got = fetch_arxiv(ids, budget=budget())
    assert len(got) == 120 and all(s.error_kind == "not-found" for s in got)
    assert [len(r.query["id_list"][0].split(",")) for r in standins.arxiv.requests] == [50, 50, 20]


def test_a_pause_that_does_not_fit_the_budget(standins):
    fetch_arxiv(["2401.99901"], budget=budget(), pause=0)
    src = fetch_arxiv(["2407.99902"], budget=budget(total_seconds=0.5), pause=5)[0]
    assert src.error_kind == "budget" and len(standins.arxiv.requests) == 1


def test_budget_spent(standins):
    b = budget(total_seconds=0.01)
    time.sleep(0.02)
    assert [s.error_kind for s in fetch_arxiv(["2401.99901", "2407.99902"], budget=b)] == ["budget", "budget"]
    assert not standins.arxiv.requests
