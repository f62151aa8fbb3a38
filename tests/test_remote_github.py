"""fetch_github through PyGithub against the GitHub stand-in: scenarios, bounds, faults, tokens."""

from __future__ import annotations

import json
import time

import pytest

from mofcheck.remote.budget import Budget
from mofcheck.remote.github import fetch_github

from .standins import Standins


def budget(**kw) -> Budget:
    return Budget(**{"request_timeout": 2.0, "max_retry_wait": 0.5, **kw})


def test_open_repository(standins):
    src = fetch_github("open-lab/openlm", budget=budget())
    repo = standins.github.repo("open-lab/openlm")
    assert src.ok and src.kind == "github" and src.url == "https://github.com/open-lab/openlm"
    assert src.revision == repo.sha and src.license == "Apache-2.0" and src.license_name == "Apache License 2.0"
    assert not src.gaps and src.gated is False and not src.private
    assert {f.path for f in src.files} >= {"README.md", "LICENSE", "openlm/train.py", "docs/MODEL_CARD.md"}
    assert "openlm" not in {f.path for f in src.files}  # trees are not files
    assert all(len(f.blob_id) == 40 and f.size is not None for f in src.files)
    assert [t.path for t in src.texts] == ["LICENSE", "README.md", "docs/MODEL_CARD.md", "docs/DATA_CARD.md", "CITATION.cff"]
    assert "Apache License" in src.text("LICENSE").text and "huggingface.co/open-lab/OpenLM-7B" in src.text("README.md").text
    assert src.meta["license_file"] == {"path": "LICENSE", "spdx_id": "Apache-2.0", "name": "Apache License 2.0"}
    assert src.meta["default_branch"] == "main" and src.meta["description"].startswith("Code for OpenLM")
    assert src.meta["api_url"] == standins.github.api_url and src.meta["archived"] is False and src.meta["fork"] is False
    assert {(r["name"], r["kind"]) for r in src.refs} == {("v1.0.0", "tag"), ("main", "branch"), ("dev", "branch")}
    tree = standins.github.calls(r"/git/trees/")[0]
    assert tree.path == f"/repos/open-lab/openlm/git/trees/{src.revision}" and tree.query["recursive"] == ["1"]
    assert all(r.query.get("ref") == [src.revision] for r in standins.github.calls(r"/contents/"))
    assert standins.github.calls(r"/readme$")[0].query == {"ref": [src.revision]}
    json.dumps(src.to_dict())


def test_community_license_repository(standins):
    src = fetch_github("llamalike/llamalike-models", budget=budget())
    assert src.ok and src.license == "NOASSERTION" and src.license_name == "Other"
    assert src.text("LICENSE").text.startswith("LLAMA 3.1 COMMUNITY LICENSE") and src.text("USE_POLICY.md") is not None
    assert src.meta["license_file"]["spdx_id"] == "NOASSERTION"


def test_lying_repository_is_returned_faithfully(standins):
    src = fetch_github("liarco/liar", budget=budget())
    assert src.ok and src.license == "MIT" and src.text("LICENSE").text.startswith("LLAMA 3.1 COMMUNITY")
    card = src.text("MODEL_CARD.md")
    assert card.error_kind == "not-found" and "no such file" in card.error


def test_moving_head(standins):
    first = fetch_github("movingco/moving", budget=budget())
    standins.move("moving")
    second = fetch_github("movingco/moving", budget=budget())
    assert first.revision != second.revision and (first.license, second.license) == ("Apache-2.0", "MIT")


def test_bounds_truncated_tree_and_big_files(standins):
    src = fetch_github("faultco/big-tree", budget=budget(max_files=1000, max_text_bytes=4096))
    assert src.ok and src.license is None and src.meta["default_branch"] == "trunk" and src.meta["archived"] is True
    parts = {(g["part"], g["error_kind"]) for g in src.gaps}
    assert parts == {("files", "too-large")} and len(src.gaps) == 2  # GitHub cut it, and so did max_files
    assert len(src.files) == 1000
    readme = src.text("README.md")
    assert readme.truncated and len(readme.text) == 4096 and readme.size == 900000
    card = src.text("docs/model_card.md")
    assert card.error_kind == "too-large" and not standins.github.calls(r"/contents/docs/model_card.md")


def test_enterprise_server_prefix(monkeypatch, no_network, tmp_path):
    with Standins(github_prefix="/api/v3") as s:
        monkeypatch.setenv("GITHUB_API_URL", s.github.api_url)
        src = fetch_github("open-lab/openlm", budget=budget())
    assert src.ok and src.meta["api_url"].endswith("/api/v3")
    assert all(r.path.startswith("/api/v3/repos/") for r in s.github.requests)


def test_missing_and_invalid(standins):
    assert fetch_github("nobody/nothing", budget=budget()).error_kind == "not-found"
    for bad in ("a/b/c", "../x", "a", "a/b?x"):
        assert fetch_github(bad, budget=budget()).error_kind == "not-found"
    assert len(standins.github.requests) == 1


def test_dead_server(standins, monkeypatch):
    monkeypatch.setenv("GITHUB_API_URL", standins.dead_url)
    src = fetch_github("open-lab/openlm", budget=budget(retries=1))
    assert src.error_kind == "unreachable"


def test_slow_and_dribbling(standins):
    standins.github.fail(r"^/repos/open-lab/openlm$", "slow", delay=1.5)
    start = time.monotonic()
    assert fetch_github("open-lab/openlm", budget=budget(request_timeout=0.3)).error_kind == "timeout"
    standins.github.fail(r"^/repos/open-lab/openlm$", "dribble", delay=0.05)
    assert fetch_github("open-lab/openlm", budget=budget(request_timeout=0.4)).error_kind == "timeout"
    assert time.monotonic() - start < 3


@pytest.mark.parametrize("kind", ["huge", "bomb"])
def test_huge_responses(standins, kind):
    standins.github.fail(r"^/repos/open-lab/openlm$", kind, size=8 * 1024 * 1024)
    assert fetch_github("open-lab/openlm", budget=budget(max_response_bytes=1024 * 1024)).error_kind == "too-large"


@pytest.mark.parametrize("body", [b'{"id": 1, "name": ', b"[]", b'{"default_branch": 7}', b"\x00\xff"])
def test_malformed(standins, body):
    standins.github.fail(r"^/repos/open-lab/openlm$", "malformed", body=body)
    assert fetch_github("open-lab/openlm", budget=budget()).error_kind == "malformed"


@pytest.mark.parametrize("status", [301, 302, 307])
def test_redirects_to_another_host(standins, status):
    standins.github.fail(r"^/repos/open-lab/openlm$", "redirect", status=status, to=f"{standins.elsewhere.url}/repos/open-lab/openlm")
    assert fetch_github("open-lab/openlm", budget=budget()).error_kind == "redirect"


def test_retries_and_rate_limits(standins):
    standins.github.fail(r"^/repos/open-lab/openlm$", "502", times=1)
    assert fetch_github("open-lab/openlm", budget=budget()).ok
    assert len(standins.github.calls(r"^/repos/open-lab/openlm$")) == 2
    standins.github.reset()
    standins.github.fail(r"^/repos/open-lab/openlm$", "429", times=-1, retry_after=3600)
    start = time.monotonic()
    assert fetch_github("open-lab/openlm", budget=budget(retries=1)).error_kind == "rate-limited"
    assert time.monotonic() - start < 2.5  # Retry-After is capped at max_retry_wait
    standins.github.reset()
    standins.github.fail(
        r"^/repos/open-lab/openlm$",
        "status",
        times=-1,
        status=403,
        body=b'{"message": "API rate limit exceeded for 1.2.3.4."}',
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999999999"},
    )
    start = time.monotonic()
    assert fetch_github("open-lab/openlm", budget=budget()).error_kind == "rate-limited"
    assert time.monotonic() - start < 1  # never waits for the reset


def test_a_failing_part_is_a_gap(standins):
    standins.github.fail(r"/git/trees/", "500", times=-1)
    standins.github.fail(r"/tags$", "slow", delay=1.0)
    src = fetch_github("open-lab/openlm", budget=budget(request_timeout=0.3, retries=0))
    assert src.ok and src.files == []
    assert {(g["part"], g["error_kind"]) for g in src.gaps} == {("files", "unreachable"), ("refs", "timeout")}
    assert src.text("LICENSE").error is None  # what could be read was read


def test_tokens_are_sent_and_never_shown(standins, monkeypatch, capsys):
    secret = "ghp_supersecretTOKEN0123456789"
    monkeypatch.setenv("GITHUB_TOKEN", secret)
    standins.github.fail(r"^/repos/open-lab/openlm$", "echo-token", status=422)
    src = fetch_github("open-lab/openlm", budget=budget())
    assert standins.github.requests[0].headers["authorization"].endswith(secret)
    assert src.error_kind == "unreachable" and "HTTP 422" in src.error
    standins.github.fail(r"/readme$", "echo-token", status=500, times=-1)
    part = fetch_github("open-lab/openlm", budget=budget(retries=0))
    out = capsys.readouterr()
    for text in (json.dumps(src.to_dict()), json.dumps(part.to_dict()), out.out, out.err):
        assert secret not in text
    assert any(g["part"] == "readme" for g in part.gaps)


def test_budget(standins):
    b = budget(total_seconds=0.01)
    time.sleep(0.02)
    assert fetch_github("open-lab/openlm", budget=b).error_kind == "budget" and not standins.github.requests
    b = budget()
    fetch_github("open-lab/openlm", budget=b)
    assert b.requests == len(standins.github.requests)


def test_publishing_still_uses_plain_pygithub(standins):
    """Reading repositories must not change the connection classes other PyGithub users get."""
    from github.Requester import HTTPRequestsConnectionClass, Requester

    fetch_github("open-lab/openlm", budget=budget())
    from github import Github

    gh = Github(base_url=standins.github.api_url)
    assert type(gh.requester)._Requester__httpConnectionClass is HTTPRequestsConnectionClass  # noqa: SLF001
    assert Requester._Requester__persist is True  # noqa: SLF001
