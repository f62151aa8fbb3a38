"""The remote layer's plain parts: records, the budget, text selection, ids, licenses, scrubbing, the cache."""

from __future__ import annotations

import json
import os

import pytest

from mofcheck.remote import arxiv, safety, texts
from mofcheck.remote.budget import Budget, BudgetSpent
from mofcheck.remote.cache import Cache, auth_tag
from mofcheck.remote.types import RemoteFile, RemoteSource, RemoteText, failed, gap, now_iso


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def full_source() -> RemoteSource:
    return RemoteSource(
        kind="hf-model",
        id="o/n",
        url="https://huggingface.co/o/n",
        revision="a" * 40,
        fetched_at="2026-01-01T00:00:00Z",
        license=["apache-2.0", "mit"],
        license_name="x",
        license_link="LICENSE",
        gated="manual",
        private=True,
        files=[RemoteFile("w.safetensors", 10, "b" * 64, "c" * 40)],
        refs=[{"name": "step1000-tokens4B", "kind": "branch", "target": "d" * 40}],
        texts=[RemoteText("README.md", "hi", "e" * 64, True, 99), RemoteText("LICENSE", "", None, error="gated", error_kind="gated")],
        meta={"card_data": {"license": "apache-2.0"}},
        security={"repo_status": {"scansDone": True}},
        gaps=[gap("refs", "timeout", "slow")],
    )


def test_source_round_trips_through_json():
    src = full_source()
    again = RemoteSource.from_dict(json.loads(json.dumps(src.to_dict())))
    assert again == src
    assert again.text("LICENSE").error_kind == "gated" and again.text("nope") is None


def test_a_failed_source_carries_only_the_error():
    src = failed("github", "o/r", "https://github.com/o/r", "HTTP 500", "unreachable")
    d = src.to_dict()
    assert not src.ok and d["error_kind"] == "unreachable"
    assert d["files"] == d["texts"] == d["refs"] == d["gaps"] == [] and d["license"] is None and d["revision"] is None
    with pytest.raises(AssertionError):
        failed("github", "o/r", "u", "x", "exploded")


def test_budget_counts_and_cuts_requests():
    clock = Clock()
    b = Budget(total_seconds=10, request_timeout=4, clock=clock)
    assert b.timeout() == 4 and b.requests == 1
    clock.now += 8
    assert b.timeout() == pytest.approx(2)  # cut to what is left
    clock.now += 2
    assert b.spent
    with pytest.raises(BudgetSpent):
        b.timeout()
    assert b.requests == 2


def test_budget_wait_refuses_what_does_not_fit():
    clock = Clock()
    b = Budget(total_seconds=10, max_retry_wait=3, clock=clock)
    slept = []
    assert b.wait(1, slept.append) and slept == [1]
    assert not b.wait(4, slept.append)  # longer than any single wait may be
    clock.now += 9
    assert not b.wait(2, slept.append)  # longer than what is left
    assert slept == [1]


def test_text_candidates_follow_the_data_file():
    paths = [
        "README.md",
        "LICENSE",
        "docs/README.md",
        "LICENSE.py",
        "original/LICENSE",
        "a/b/c/LICENSE",
        "MODEL_LICENSE",
        "USE_POLICY.md",
        "NOTICE",
        "docs/MODEL_CARD.md",
        "data/DATASHEET.md",
        "CITATION.cff",
        "config.json",
        "model.safetensors",
        "license_check.py",
        "LICENSES.txt",
        "COPYING.LESSER",
    ]
    got = texts.candidates(paths)
    assert got[0] == "README.md" and set(got[1:4]) == {"COPYING.LESSER", "LICENSE", "LICENSES.txt"}
    assert "original/LICENSE" in got and "a/b/c/LICENSE" not in got  # depth bounded
    assert "docs/README.md" not in got  # a README counts only at the root
    for never in ("LICENSE.py", "config.json", "model.safetensors", "license_check.py"):
        assert never not in got
    for p in ("MODEL_LICENSE", "USE_POLICY.md", "NOTICE", "docs/MODEL_CARD.md", "data/DATASHEET.md", "CITATION.cff", "COPYING.LESSER"):
        assert p in got


def test_a_name_longer_than_name_max_is_never_read_as_a_text():
    long_name = "MODEL_" + "x" * (texts.NAME_MAX - len("MODEL_LICENSE")) + "_LICENSE"
    assert len(long_name) == texts.NAME_MAX + 1
    assert texts.rule_for(long_name[1:]).id == "license-prefixed" and texts.rule_for(long_name) is None


def test_text_from_bytes_marks_the_cut():
    t = texts.from_bytes("README.md", b"x" * 11, 10, 5000)
    assert t.truncated and t.text == "x" * 10 and t.size == 5000
    assert t.sha256 == safety.sha256(b"x" * 10)
    whole = texts.from_bytes("LICENSE", "\ufeffMIT é".encode(), 100, None)
    assert not whole.truncated and whole.text == "MIT é"
    assert texts.from_bytes("L", "hi".encode("utf-16"), 100, None).text == "hi"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2402.00838", ("2402.00838", None)),
        ("2402.00838v3", ("2402.00838", "v3")),
        ("arXiv:2402.00838v3", ("2402.00838", "v3")),
        ("https://arxiv.org/abs/2402.00838", ("2402.00838", None)),
        ("https://arxiv.org/pdf/2402.00838v2.pdf", ("2402.00838", "v2")),
        ("hep-th/9901001", ("hep-th/9901001", None)),
        ("math.GT/0309136v1", ("math.GT/0309136", "v1")),
        ("1412.0001", ("1412.0001", None)),
        ("2402.0083", None),
        ("1412.00001", None),
        ("../../etc/passwd", None),
        ("2402.00838v3&max_results=9", None),
        ("", None),
    ],
)
def test_arxiv_ids(text, expected):
    assert arxiv.parse_id(text) == expected


@pytest.mark.parametrize(
    "url, spdx",
    [
        ("http://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by/4.0", "CC-BY-4.0"),
        ("http://www.creativecommons.org/licenses/by-nc-nd/4.0/", "CC-BY-NC-ND-4.0"),
        ("http://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("http://arxiv.org/licenses/nonexclusive-distrib/1.0/", "LicenseRef-arXiv-nonexclusive-distrib-1.0"),
        ("http://creativecommons.org/licenses/by/4.0/legalcode", None),
        ("http://example.org/licenses/by/4.0/", None),
        (None, None),
    ],
)
def test_arxiv_license_table(url, spdx):
    got = arxiv.license_for_url(url)
    assert (got["spdx"] if got else None) == spdx


def test_arxiv_license_table_ids_are_known_to_the_license_table():
    from mofcheck.licenses import table

    for entry in arxiv.license_table().values():
        if not entry["spdx"].startswith("LicenseRef-"):
            assert table.lookup(entry["spdx"]) is not None, entry


@pytest.mark.parametrize(
    "repo_id, ok",
    [
        ("open-lab/OpenLM-7B", True),
        ("a/b", True),
        ("gpt2", False),
        ("a/b/c", False),
        ("../x", False),
        ("a/..", False),
        ("a/b.git", False),
        ("a/b?x=1", False),
        ("a/b#f", False),
        ("-a/b", False),
        ("a/" + "b" * 97, False),
    ],
)
def test_hf_ids(repo_id, ok):
    assert safety.valid_hf_id(repo_id) is ok


@pytest.mark.parametrize(
    "owner_repo, ok",
    [
        ("open-lab/openlm", True),
        ("o/r.js", True),
        ("o/r/s", False),
        ("o/..", False),
        ("o/r%2F", False),
        ("o", False),
    ],
)
def test_github_ids(owner_repo, ok):
    assert safety.valid_github_id(owner_repo) is ok


def test_scrub_replaces_every_form_of_a_token(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_abc/def+ghi")
    secrets = safety.env_secrets(["ghp_123456"])
    text = "auth hf_abc/def+ghi and hf_abc%2Fdef%2Bghi and ghp_123456\n\tand more"
    got = safety.message(text, secrets)
    assert "hf_abc" not in got and "ghp_123456" not in got and "\n" not in got
    assert got == "auth *** and *** and *** and more"
    assert len(safety.message("x" * 1000, [])) == safety.MESSAGE_LIMIT


def test_public_url_drops_credentials():
    assert safety.public_url("https://user:pw@mirror.example/hf") == "https://mirror.example/hf"
    assert safety.public_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080"


# the cache


def test_cache_keeps_complete_sources_and_serves_them(tmp_path):
    c = Cache(tmp_path / "c")
    src = full_source()
    src.fetched_at = now_iso()
    src.gaps = []
    src.texts = src.texts[:1]
    assert c.put(src, None) and c.get("hf-model", "o/n") == src
    assert c.get("hf-model", "o/n", "v1") is None  # another requested revision
    assert c.get("hf-model", "o/n", auth=auth_tag("hf_x")) is None  # read with another token
    assert c.hits == 1 and c.misses == 2
    files = list((tmp_path / "c").rglob("*.json"))
    assert len(files) == 1 and oct(files[0].stat().st_mode & 0o777) == oct(0o600)


def test_cache_skips_failures_and_passing_gaps(tmp_path):
    c = Cache(tmp_path)
    assert not c.put(failed("github", "o/r", "u", "x", "timeout"))
    src = full_source()  # has a refs gap of kind timeout
    src.fetched_at = now_iso()
    assert not c.put(src)
    src.gaps = [gap("files", "too-large", "cut")]  # a bound, not a passing failure: kept
    src.texts = [RemoteText("LICENSE", "", None, error="x", error_kind="gated")]
    assert c.put(src)
    src.texts = [RemoteText("LICENSE", "", None, error="x", error_kind="unreachable")]
    assert not c.put(src, "other")
    assert c.get("hf-model", "o/n") is not None


def test_cache_expires_and_ignores_foreign_or_broken_files(tmp_path):
    c = Cache(tmp_path, ttl_seconds=3600)
    src = full_source()
    src.gaps, src.texts = [], []
    src.fetched_at = "2020-01-01T00:00:00Z"
    c.put(src)
    assert c.get("hf-model", "o/n") is None  # too old
    src.fetched_at = "2999-01-01T00:00:00Z"
    c.put(src)
    assert c.get("hf-model", "o/n") is None  # from the future: not trusted
    path = next(tmp_path.rglob("*.json"))
    path.write_text("{broken")
    assert c.get("hf-model", "o/n") is None
    path.write_text(json.dumps({"key": ["other"], "source": src.to_dict()}))
    assert c.get("hf-model", "o/n") is None


def test_cache_default_dir_is_the_users_cache(monkeypatch, tmp_path):
    from mofcheck.remote.cache import default_dir

    monkeypatch.delenv("MOFCHECK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if os.name == "posix" and not os.uname().sysname == "Darwin":
        assert default_dir() == tmp_path / "mofcheck" / "remote"
    monkeypatch.setenv("MOFCHECK_CACHE_DIR", str(tmp_path / "x"))
    assert default_dir() == tmp_path / "x"
