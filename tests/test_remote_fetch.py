"""fetch_many across the three stand-ins: each scenario end to end, the cache, the shared budget."""

from __future__ import annotations

import json
import time

import pytest

from mofcheck.remote.budget import Budget
from mofcheck.remote.cache import Cache
from mofcheck.remote.fetch import Target, fetch_many

from .standins import HF_TOKEN_GRANTED, SCENARIOS


def budget(**kw) -> Budget:
    return Budget(**{"request_timeout": 2.0, "max_retry_wait": 0.5, **kw})


def stated(sources) -> dict[str, object]:
    return {f"{s.kind}:{s.id}": s.license for s in sources}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_scenario_states_what_its_hosts_say(standins, name):
    sc = standins.scenario(name)
    sources = fetch_many(sc.targets(), budget=budget())
    assert [(s.kind, s.id) for s in sources] == [(t.kind, t.id) for t in sc.targets()]
    assert all(s.ok for s in sources), [s.error for s in sources]
    assert stated(sources) == sc.stated
    assert len(standins.arxiv.requests) == (1 if sc.arxiv else 0)  # every paper in one request
    json.dumps([s.to_dict() for s in sources])


def test_open_release_has_what_class_one_needs(standins):
    src = {s.kind: s for s in fetch_many(standins.scenario("open").targets(), budget=budget())}
    model, data, code, paper = src["hf-model"], src["hf-dataset"], src["github"], src["arxiv"]
    assert any(r["name"].startswith("step") for r in model.refs) and model.meta["model-index"]
    assert data.text("README.md").text.count("##") >= 4  # a data card with sections
    assert code.license == "Apache-2.0" and code.text("docs/MODEL_CARD.md") and code.text("docs/DATA_CARD.md")
    assert paper.meta["license_spdx"] == "CC-BY-4.0"


def test_llama_style_and_openwashing_differ_from_the_open_release(standins):
    llama = {s.kind: s for s in fetch_many(standins.scenario("llama-style").targets(), budget=budget())}
    assert llama["hf-model"].gated == "manual" and llama["hf-model"].text("LICENSE").error_kind == "gated"
    assert llama["arxiv"].meta["license_spdx"] == "LicenseRef-arXiv-nonexclusive-distrib-1.0"
    wash = {s.kind: s for s in fetch_many(standins.scenario("openwashing").targets(), budget=budget())}
    assert wash["hf-model"].license == "llama3.1" != SCENARIOS["openwashing"].manifest["weights"]
    assert wash["hf-model"].text("LICENSE").text.startswith("LLAMA 3.1 COMMUNITY LICENSE")


def test_the_cache_answers_a_second_run_without_requests(standins, tmp_path):
    cache = Cache(tmp_path / "cache")
    targets = standins.scenario("open").targets()
    first = fetch_many(targets, budget=budget(), cache=cache)
    sent = standins.requests()
    second = fetch_many(targets, budget=budget(), cache=cache)
    assert standins.requests() == sent and cache.hits == len(targets)
    assert [s.to_dict() for s in second] == [s.to_dict() for s in first]


def test_the_cache_retries_what_failed_and_keys_by_revision_and_token(standins, tmp_path, monkeypatch):
    cache = Cache(tmp_path)
    standins.hub.fail(r"^/api/models/open-lab/OpenLM-7B$", "500", times=3)
    t = [Target("hf-model", "open-lab/OpenLM-7B")]
    assert fetch_many(t, budget=budget(retries=2), cache=cache)[0].error_kind == "unreachable"
    assert fetch_many(t, budget=budget(), cache=cache)[0].ok  # not cached: asked again, and now it answers
    pinned = [Target("hf-model", "open-lab/OpenLM-7B", "step1000-tokens4B")]
    assert fetch_many(pinned, budget=budget(), cache=cache)[0].revision != fetch_many(t, budget=budget(), cache=cache)[0].revision
    gated = [Target("hf-model", "gatedco/Gated-2B")]
    assert fetch_many(gated, budget=budget(), cache=cache)[0].text("LICENSE").error_kind == "gated"
    monkeypatch.setenv("HF_TOKEN", HF_TOKEN_GRANTED)
    opened = fetch_many(gated, budget=budget(), cache=cache)[0]
    assert opened.text("LICENSE").error is None  # the anonymous answer is not served to a token
    monkeypatch.delenv("HF_TOKEN")
    assert fetch_many(gated, budget=budget(), cache=cache)[0].text("LICENSE").error_kind == "gated"
    assert HF_TOKEN_GRANTED not in "".join(p.read_text() for p in tmp_path.rglob("*.json"))


def test_a_stale_cache_entry_sees_the_move(standins, tmp_path):
    cache = Cache(tmp_path, ttl_seconds=0)
    t = [Target("hf-model", "movingco/Moving-1B")]
    first = fetch_many(t, budget=budget(), cache=cache)[0]
    standins.move("moving")
    assert fetch_many(t, budget=budget(), cache=cache)[0].revision != first.revision


def test_a_spent_budget_answers_the_rest_with_budget(standins):
    standins.hub.fail(r"^/api/models/", "slow", times=-1, delay=0.6)
    b = budget(total_seconds=0.5, request_timeout=5)
    targets = [
        Target("hf-model", "open-lab/OpenLM-7B"),
        Target("hf-model", "washco/OpenWash-7B"),
        Target("github", "open-lab/openlm"),
        Target("arxiv", "2401.99901"),
    ]
    start = time.monotonic()
    got = fetch_many(targets, budget=b, workers=1)
    assert time.monotonic() - start < 1.5
    kinds = [s.error_kind for s in got]
    assert kinds[0] == "timeout" and "budget" in kinds[1:]


def test_a_dead_host_does_not_lose_the_others(standins, monkeypatch):
    monkeypatch.setenv("GITHUB_API_URL", standins.dead_url)
    got = fetch_many(standins.scenario("open").targets(), budget=budget(retries=0))
    assert [s.error_kind for s in got] == ["unreachable", None, None, None]


def test_unknown_kind_is_a_bug():
    with pytest.raises(ValueError):
        Target("gitlab", "o/r")


def test_the_network_guard_refuses_other_hosts(no_network):
    import socket

    with pytest.raises(OSError):
        socket.getaddrinfo("example.org", 443)
    with socket.socket() as sock, pytest.raises(OSError):
        sock.connect(("192.0.2.1", 443))
    assert no_network == ["lookup example.org", "connect 192.0.2.1"]
    no_network.clear()  # seen and refused: the guard works; let the teardown pass
