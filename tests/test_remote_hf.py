"""fetch_hf through the real huggingface_hub client against the Hub stand-in: scenarios, faults, bounds."""

from __future__ import annotations

import json
import logging
import time

import pytest

from mofcheck.remote.budget import Budget
from mofcheck.remote.hf import fetch_hf

from .standins import HF_TOKEN_GRANTED

FAST = dict(request_timeout=2.0, max_retry_wait=0.5)


def budget(**kw) -> Budget:
    return Budget(**{**FAST, **kw})


def test_open_model(standins):
    src = fetch_hf("open-lab/OpenLM-7B", budget=budget())
    assert src.ok and src.kind == "hf-model" and src.url == "https://huggingface.co/open-lab/OpenLM-7B"
    repo = standins.hub.repo("open-lab/OpenLM-7B")
    assert src.revision == repo.sha and len(src.revision) == 40
    assert src.license == "apache-2.0" and src.gated is False and not src.private and not src.gaps
    files = {f.path: f for f in src.files}
    w = files["model-00001-of-00002.safetensors"]
    assert w.size == 4976698672 and len(w.lfs_sha256) == 64 and len(w.blob_id) == 40
    assert files["README.md"].lfs_sha256 is None
    branches = {r["name"]: r["target"] for r in src.refs if r["kind"] == "branch"}
    assert {"main", "step1000-tokens4B", "step2000-tokens8B", "step3000-tokens12B"} <= set(branches)
    assert {r["name"] for r in src.refs if r["kind"] == "tag"} == {"v1.0"}
    assert [t.path for t in src.texts] == ["README.md", "LICENSE"]
    readme = src.text("README.md")
    assert readme.text.startswith("---\nlicense: apache-2.0") and not readme.truncated and readme.size == len(readme.text.encode())
    assert "Apache License" in src.text("LICENSE").text
    meta = src.meta
    assert meta["card_data"]["license"] == "apache-2.0" and meta["datasets"] == ["open-lab/open-corpus"]
    assert meta["model-index"][0]["results"][0]["metrics"][0]["value"] == 48.5
    assert meta["pipeline_tag"] == "text-generation" and meta["library_name"] == "transformers"
    assert meta["sha"] == src.revision and meta["endpoint"] == standins.hub.url
    assert src.security["repo_status"]["scansDone"] is True and src.security["safetensors"]["total"] == 6888095744
    json.dumps(src.to_dict())  # plain data
    # what the client asked for: the info with blobs and the security scan, the refs, each text at the sha
    paths = [(r.method, r.path) for r in standins.hub.requests]
    info = standins.hub.calls(r"^/api/models/open-lab/OpenLM-7B$")[0]
    assert info.query == {"securityStatus": ["true"], "blobs": ["true"]}
    assert ("GET", "/api/models/open-lab/OpenLM-7B/refs") in paths
    assert ("GET", f"/open-lab/OpenLM-7B/resolve/{src.revision}/README.md") in paths
    assert not standins.hub.calls(r"safetensors$")  # weights are never fetched
    assert "authorization" not in info.headers  # no token anywhere in the environment


def test_open_dataset(standins):
    src = fetch_hf("open-lab/open-corpus", "dataset", budget=budget())
    assert src.ok and src.kind == "hf-dataset" and src.url == "https://huggingface.co/datasets/open-lab/open-corpus"
    assert src.license == "cc-by-4.0" and src.security is None
    assert len([f for f in src.files if f.path.endswith(".parquet") and f.lfs_sha256]) == 4
    assert src.text("README.md").text.startswith("---\nlicense: cc-by-4.0")
    assert "Attribution 4.0 International" in src.text("LICENSE").text
    assert "2401.99901" in src.meta["citation"]
    assert standins.hub.calls(r"^/api/datasets/open-lab/open-corpus$")[0].query == {"blobs": ["true"]}
    assert standins.hub.calls(rf"^/datasets/open-lab/open-corpus/resolve/{src.revision}/README.md$")


def test_a_revision_by_branch_name(standins):
    src = fetch_hf("open-lab/OpenLM-7B", revision="step1000-tokens4B", budget=budget())
    repo = standins.hub.repo("open-lab/OpenLM-7B")
    assert src.ok and src.revision == repo.spec["branches"]["step1000-tokens4B"]
    assert standins.hub.calls(r"/api/models/open-lab/OpenLM-7B/revision/step1000-tokens4B$")
    assert standins.hub.calls(rf"/resolve/{src.revision}/README.md$")
    missing = fetch_hf("open-lab/OpenLM-7B", revision="step9-nope", budget=budget())
    assert missing.error_kind == "not-found" and "revision" in missing.error


def test_llama_style_gated_license_file(standins):
    src = fetch_hf("llamalike/Llamalike-3.1-8B", budget=budget())
    assert src.ok and src.license == "llama3.1" and src.gated == "manual"
    assert src.text("README.md").error is None  # the card is readable without access
    for path in ("LICENSE", "USE_POLICY.md"):
        t = src.text(path)
        assert t.error_kind == "gated" and t.text == "" and t.sha256 is None and t.size > 0
    assert src.meta["base_model"] == "llamalike/Llamalike-3.1-8B-base"
    assert src.meta["card_data"]["extra_gated_prompt"].startswith("You agree")
    assert not [f for f in src.files if f.path.endswith(".pth") and not f.lfs_sha256]


def test_gated_with_a_granted_token(standins, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", HF_TOKEN_GRANTED)
    src = fetch_hf("gatedco/Gated-2B", budget=budget())
    assert src.ok and src.gated == "auto" and "Apache License" in src.text("LICENSE").text
    assert standins.hub.calls(r"/resolve/.*/LICENSE$")[0].headers["authorization"] == f"Bearer {HF_TOKEN_GRANTED}"
    assert HF_TOKEN_GRANTED not in json.dumps(src.to_dict())


def test_gated_with_a_token_without_access(standins, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_someone_else_000000")
    src = fetch_hf("gatedco/Gated-2B", budget=budget())
    assert src.ok and src.text("LICENSE").error_kind == "gated"


def test_fully_gated_dataset_is_still_a_source(standins):
    src = fetch_hf("gatedco/gated-data", "dataset", budget=budget())
    assert src.ok and src.gated == "manual" and src.license == "cc-by-nc-4.0"  # the API still states the card data
    assert src.text("README.md").error_kind == "gated"


def test_private_disabled_and_missing_repositories(standins, monkeypatch):
    assert fetch_hf("faultco/Private", budget=budget()).error_kind == "not-found"
    assert fetch_hf("nobody/nothing", budget=budget()).error_kind == "not-found"
    assert fetch_hf("nobody/nothing", "dataset", budget=budget()).error_kind == "not-found"
    disabled = fetch_hf("faultco/Disabled", budget=budget())
    assert disabled.error_kind == "not-found" and disabled.disabled and "disabled" in disabled.error
    monkeypatch.setenv("HF_TOKEN", HF_TOKEN_GRANTED)
    assert fetch_hf("faultco/Private", budget=budget()).private is True


@pytest.mark.parametrize("bad", ["gpt2", "../etc/passwd", "a/b/c", "a/b?x=1", "a/b%2F..", ""])
def test_ids_that_are_no_repository_never_reach_a_url(standins, bad):
    src = fetch_hf(bad, budget=budget())
    assert src.error_kind == "not-found" and not standins.hub.requests


def test_lying_host_is_returned_faithfully(standins):
    src = fetch_hf("liarco/Liar-3B", budget=budget())
    assert src.ok and src.license == "apache-2.0"
    assert src.text("LICENSE").text.startswith("LLAMA 3.1 COMMUNITY LICENSE AGREEMENT")  # both, as said
    notice = src.text("NOTICE")
    assert notice.error_kind == "not-found" and "NOTICE" in [f.path for f in src.files]


def test_moving_revision(standins):
    first = fetch_hf("movingco/Moving-1B", budget=budget())
    standins.move("moving")
    second = fetch_hf("movingco/Moving-1B", budget=budget())
    assert first.revision != second.revision
    assert (first.license, second.license) == ("apache-2.0", "cc-by-nc-4.0")
    pinned = fetch_hf("movingco/Moving-1B", revision=first.revision, budget=budget())
    assert pinned.revision == first.revision and pinned.license == "apache-2.0"


def test_huge_card_is_cut_not_refused(standins):
    src = fetch_hf("faultco/Huge-Card", budget=budget(max_text_bytes=64 * 1024))
    t = src.text("README.md")
    assert src.ok and t.truncated and len(t.text.encode()) == 64 * 1024 and t.size == 3 * 1024 * 1024
    assert t.text.startswith("---\nlicense: mit")


def test_listings_are_bounded(standins):
    src = fetch_hf("faultco/Many-Files", budget=budget(max_files=500, max_refs=50))
    assert src.ok and len(src.files) == 500 and len(src.refs) == 50
    assert {g["part"] for g in src.gaps} == {"files", "refs"}
    assert all(g["error_kind"] == "too-large" for g in src.gaps)


def test_texts_are_bounded_in_number(standins):
    src = fetch_hf("llamalike/Llamalike-3.1-8B", budget=budget(max_texts=1))
    assert [t.path for t in src.texts] == ["README.md"]
    assert src.gaps == [{"part": "texts", "error_kind": "too-large", "error": "read the first 1 of 3 candidate texts"}]


# faults


def test_dead_server(standins, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", standins.dead_url)
    src = fetch_hf("open-lab/OpenLM-7B", budget=budget(retries=1))
    assert src.error_kind == "unreachable" and src.files == [] and src.revision is None


def test_slow_server_times_out(standins):
    standins.hub.fail(r"^/api/models/", "slow", delay=1.5)
    start = time.monotonic()
    src = fetch_hf("open-lab/OpenLM-7B", budget=budget(request_timeout=0.3))
    assert src.error_kind == "timeout" and time.monotonic() - start < 1.2


def test_dribbling_server_hits_the_deadline(standins):
    standins.hub.fail(r"^/api/models/", "dribble", delay=0.05)
    start = time.monotonic()
    src = fetch_hf("open-lab/OpenLM-7B", budget=budget(request_timeout=0.4))
    assert src.error_kind == "timeout" and time.monotonic() - start < 2.0


@pytest.mark.parametrize("kind", ["huge", "bomb"])
def test_huge_responses_are_refused(standins, kind):
    standins.hub.fail(r"^/api/models/", kind, size=8 * 1024 * 1024)
    src = fetch_hf("open-lab/OpenLM-7B", budget=budget(max_response_bytes=1024 * 1024))
    assert src.error_kind == "too-large"


@pytest.mark.parametrize("body", [b'{"id": "x", "siblings": [', b"[1, 2, 3]", b'{"id": "x", "siblings": [{"size": 1}]}', b"\xff\xfe"])
def test_malformed_responses(standins, body):
    standins.hub.fail(r"^/api/models/", "malformed", body=body)
    src = fetch_hf("open-lab/OpenLM-7B", budget=budget())
    assert src.error_kind == "malformed"


def test_redirect_to_another_host_is_refused(standins):
    standins.hub.fail(r"^/api/models/", "redirect", to=f"{standins.elsewhere.url}/api/models/open-lab/OpenLM-7B")
    src = fetch_hf("open-lab/OpenLM-7B", budget=budget())
    assert src.error_kind == "redirect"  # and the other host saw nothing (the fixture checks)


def test_redirect_on_the_same_host_is_followed(standins):
    standins.hub.fail(r"^/api/models/old-name/OpenLM-7B$", "redirect", status=307, to="/api/models/open-lab/OpenLM-7B")
    standins.hub.fail(r"^/api/models/old-name/OpenLM-7B/refs$", "redirect", status=307, to="/api/models/open-lab/OpenLM-7B/refs")
    src = fetch_hf("old-name/OpenLM-7B", budget=budget(max_texts=0))
    assert src.ok and src.meta["id"] == "open-lab/OpenLM-7B" and src.id == "old-name/OpenLM-7B"


def test_server_errors_are_retried_a_bounded_number_of_times(standins):
    standins.hub.fail(r"^/api/models/open-lab/OpenLM-7B$", "503", times=1)
    assert fetch_hf("open-lab/OpenLM-7B", budget=budget()).ok
    assert len(standins.hub.calls(r"^/api/models/open-lab/OpenLM-7B$")) == 2
    standins.hub.reset()
    standins.hub.fail(r"^/api/models/", "500", times=-1)
    src = fetch_hf("open-lab/OpenLM-7B", budget=budget(retries=2))
    assert src.error_kind == "unreachable" and len(standins.hub.calls(r"^/api/models/")) == 3


def test_rate_limit(standins):
    standins.hub.fail(r"^/api/models/", "429", times=-1, retry_after=0)
    src = fetch_hf("open-lab/OpenLM-7B", budget=budget(retries=1))
    assert src.error_kind == "rate-limited" and len(standins.hub.calls(r"^/api/models/")) == 2
    standins.hub.reset()
    standins.hub.fail(r"^/api/models/", "429", times=-1, retry_after=3600)
    start = time.monotonic()
    src = fetch_hf("open-lab/OpenLM-7B", budget=budget(retries=3))
    assert src.error_kind == "rate-limited" and time.monotonic() - start < 1  # a long Retry-After is not waited for


def test_a_failing_part_is_a_gap_not_a_dead_source(standins):
    standins.hub.fail(r"/refs$", "slow", delay=1.0)
    standins.hub.fail(r"/resolve/.*/LICENSE$", "500", times=-1)
    src = fetch_hf("open-lab/OpenLM-7B", budget=budget(request_timeout=0.3, retries=0))
    assert src.ok and src.refs == [] and src.gaps[0]["part"] == "refs" and src.gaps[0]["error_kind"] == "timeout"
    assert src.text("LICENSE").error_kind == "unreachable" and src.text("README.md").error is None


def test_lfs_text_is_listed_not_fetched(standins):
    standins.hub.add({"id": "x/lfs-readme", "revisions": [{"sha": "f" * 40, "files": {"README.md": {"lfs": {"sha256": "a" * 64, "size": 10_000_000}}}}]})
    src = fetch_hf("x/lfs-readme", budget=budget())
    assert src.text("README.md").error_kind == "too-large" and not standins.hub.calls("/resolve/")


def test_tokens_never_appear(standins, monkeypatch, caplog, capsys):
    secret = "hf_supersecret_token_ABCDEFGH"
    monkeypatch.setenv("HF_TOKEN", secret)
    standins.hub.fail(r"^/api/models/", "echo-token", status=500, times=-1)
    standins.hub.fail(r"^/api/datasets/", "echo-token", status=400, times=-1)
    with caplog.at_level(logging.INFO):  # what a user sees; DEBUG traces of httpcore print raw server headers
        a = fetch_hf("open-lab/OpenLM-7B", budget=budget(retries=0))
        b = fetch_hf("open-lab/open-corpus", "dataset", budget=budget(retries=0))
    standins.hub.reset()
    standins.hub.fail(r"/resolve/", "echo-token", status=403, times=-1)
    with caplog.at_level(logging.INFO):  # what a user sees; DEBUG traces of httpcore print raw server headers
        c = fetch_hf("open-lab/OpenLM-7B", budget=budget(retries=0))
    assert standins.hub.calls("/resolve/")[0].headers["authorization"] == f"Bearer {secret}"  # it was sent...
    out = capsys.readouterr()
    for text in (json.dumps([a.to_dict(), b.to_dict(), c.to_dict()]), caplog.text, out.out, out.err):
        assert secret not in text  # ...and never shown
    assert a.error_kind == "unreachable" and c.text("LICENSE").error_kind == "unreachable"


def test_budget_spent_means_no_request(standins):
    b = budget(total_seconds=0.01)
    time.sleep(0.02)
    src = fetch_hf("open-lab/OpenLM-7B", budget=b)
    assert src.error_kind == "budget" and not standins.hub.requests


def test_every_request_is_counted_by_the_budget(standins):
    b = budget()
    fetch_hf("open-lab/OpenLM-7B", budget=b)
    fetch_hf("llamalike/Llamalike-3.1-8B", budget=b)
    assert b.requests == len(standins.hub.requests) > 0


def test_the_standin_serves_what_huggingface_hub_calls_beyond_fetch_hf(standins):
    """For the lead's readers: file metadata (HEAD /resolve with X-Repo-Commit, ETag, X-Linked-Size) and the
    tree endpoint, through the real client."""
    from huggingface_hub import HfApi, get_hf_file_metadata, hf_hub_url

    repo = standins.hub.repo("open-lab/OpenLM-7B")
    url = hf_hub_url("open-lab/OpenLM-7B", "model-00001-of-00002.safetensors", endpoint=standins.hub.url)
    meta = get_hf_file_metadata(url, token=False)
    assert meta.commit_hash == repo.sha and meta.size == 4976698672 and len(meta.etag) == 64
    small = get_hf_file_metadata(hf_hub_url("open-lab/OpenLM-7B", "config.json", endpoint=standins.hub.url), token=False)
    assert small.size == len(repo.content(repo.rev()["files"]["config.json"]))
    api = HfApi(endpoint=standins.hub.url, token=False)
    tree = list(api.list_repo_tree("open-lab/open-corpus", repo_type="dataset", recursive=True))
    assert {t.path for t in tree} >= {"README.md", "data", "data/train-00000-of-00004.parquet"}
    many = list(api.list_repo_tree("faultco/Many-Files", recursive=True))
    assert len([t for t in many if t.path.startswith("shards/part-")]) == 12000  # paginated through Link headers
    assert not standins.hub.calls(r"/cdn-lfs/")
