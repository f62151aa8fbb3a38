"""The GitHub front's plain parts: the Actions environment, the runner file protocol, status text, retries."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from github import GithubException

from mofcheck.github import content, runner
from mofcheck.github.env import EVENT_LIMIT, read_context, read_event
from mofcheck.github.publish import (
    Content,
    Settings,
    connect,
    create_check_run,
    describe,
    marker_for,
    retry_delay,
    scrub,
    with_retry,
)

sys.path.insert(0, str(Path(__file__).parent))
from github_api_server import FakeGitHub  # noqa: E402


def test_pull_request_context(tmp_path):
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps(
            {
                "number": 3,
                "pull_request": {
                    "number": 3,
                    "head": {"sha": "h" * 40, "ref": "topic", "repo": {"full_name": "fork/x"}},
                    "base": {"sha": "b" * 40, "ref": "main", "repo": {"full_name": "acme/x"}},
                },
            }
        )
    )
    ctx = read_context(
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_REPOSITORY": "acme/x",
            "GITHUB_SHA": "m" * 40,
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_API_URL": "https://ghe.example/api/v3/",
            "GITHUB_TOKEN": "t1",
            "GITHUB_RUN_ID": "9",
        }
    )
    assert ctx.actions and ctx.pr_number == 3
    assert ctx.sha == "h" * 40 and ctx.base_sha == "b" * 40 and ctx.base_ref == "main" and ctx.head_ref == "topic"
    assert ctx.fork is True
    assert ctx.api_url == "https://ghe.example/api/v3"
    assert ctx.run_url == "https://github.com/acme/x/actions/runs/9"
    assert "t1" not in repr(ctx)


def test_same_repository_pr_is_not_a_fork_and_deleted_fork_is(tmp_path):
    event = tmp_path / "e.json"
    pr = {"number": 1, "head": {"sha": "h", "repo": {"full_name": "acme/x"}}, "base": {"repo": {"full_name": "acme/x"}}}
    event.write_text(json.dumps({"pull_request": pr}))
    assert read_context({"GITHUB_EVENT_PATH": str(event)}).fork is False
    pr["head"]["repo"] = None
    event.write_text(json.dumps({"pull_request": pr}))
    assert read_context({"GITHUB_EVENT_PATH": str(event)}).fork is True


def test_push_context_and_defaults():
    ctx = read_context({"GITHUB_SHA": "s" * 40, "GITHUB_REPOSITORY": "acme/x"})
    assert ctx.sha == "s" * 40 and ctx.pr_number is None and not ctx.fork and not ctx.actions
    assert ctx.api_url == "https://api.github.com" and ctx.token is None and ctx.run_url is None


@pytest.mark.parametrize("data", [b"", b"not json", b"[1, 2]", b"\xff\xfe", b"x" * (EVENT_LIMIT + 1)])
def test_bad_event_payloads_read_as_empty(tmp_path, data):
    p = tmp_path / "event.json"
    p.write_bytes(data)
    assert read_event(p) == {}
    assert read_event(tmp_path / "missing.json") == {}


def test_token_precedence():
    env = {"GITHUB_TOKEN": "job", "INPUT_GITHUB-TOKEN": "input", "MOFCHECK_GITHUB_TOKEN": "explicit"}
    assert read_context(env).token == "explicit"
    del env["MOFCHECK_GITHUB_TOKEN"]
    assert read_context(env).token == "input"
    env["INPUT_GITHUB-TOKEN"] = "  "
    assert read_context(env).token == "job"


def test_outputs_are_multiline_safe_with_random_delimiters(tmp_path):
    out = tmp_path / "out"
    value = "line one\nx<<EOF\nEOF\nghadelimiter_fake"
    runner.append_outputs(out, {"a": value, "b": "1"})
    runner.append_outputs(out, {"b": "2"})
    text = out.read_text()
    delims = [line.split("<<", 1)[1] for line in text.splitlines() if "<<ghadelimiter_" in line]
    assert len(set(delims)) == 3
    first = text.splitlines()
    assert first[1:5] == value.splitlines() and first[5] == delims[0]


def test_summary_is_capped_at_one_mebibyte(tmp_path):
    s = tmp_path / "summary.md"
    s.write_text("x" * 1000)
    runner.append_summary(s, "é" * (runner.SUMMARY_LIMIT))
    size = s.stat().st_size
    assert size <= runner.SUMMARY_LIMIT
    assert s.read_text(encoding="utf-8").endswith("limit._\n")
    assert runner.cap_bytes("short") == "short"


def test_marker_and_scrub():
    assert marker_for("models/my model") == "<!-- mofcheck:sticky-comment:models/my-model -->"
    assert marker_for("-->x<!--") == "<!-- mofcheck:sticky-comment:x -->"
    assert marker_for("") == "<!-- mofcheck:sticky-comment:root -->"
    assert scrub("a SECRET b SECRET", ["SECRET", ""]) == "a *** b ***"


def _report(classes: list[int], exit_code: int = 0) -> dict:
    labels = {0: "Not met", 1: "Class I - Open Science Model", 2: "Class II - Open Tooling Model", 3: "Class III - Open Model"}
    return {
        "gate": {"passed": exit_code == 0, "exit_code": exit_code},
        "models": [
            {
                "name": f"m{i}" + "x" * 150,
                "class": c,
                "class_label": labels[c],
                "progress": {"1": 0.0, "2": 50.0, "3": 100.0},
                "manifest": "mof.yml",
                "findings": [{"severity": "warning", "code": "c.w", "message": "w", "path": None, "line": None}],
                "components": [],
            }
            for i, c in enumerate(classes)
        ],
        "findings": [
            {"severity": "error", "code": "c.e", "message": "e", "path": "x/mof.yml", "line": 4},
            {"severity": "info", "code": "c.i", "message": "no file", "path": None, "line": None},
        ],
    }


def test_headline_is_the_least_open_release_and_description_fits():
    r = _report([1, 3, 2], exit_code=1)
    assert content.class_and_label(r) == (3, "Class III - Open Model")
    assert content.class_and_label(_report([2, 0])) == (0, "Not met")
    assert content.class_and_label(_report([])) == (0, content.NO_MODEL_LABEL)
    d = content.description(r)
    assert len(d) <= 140 and d.startswith("3 releases") and d.endswith("gate failed")
    assert len(content.description(_report([1]))) <= 140
    evil = _report([2])
    evil["models"][0]["name"] = "a\nb\x1b[31m\u202e"
    assert "\n" not in content.description(evil) and "\x1b" not in content.description(evil)
    c = content.build(r, marker="<!-- m -->", comment="body", summary="s")
    assert c.state == "failure" and c.conclusion == "failure" and c.comment == "<!-- m -->\nbody"
    assert content.build(_report([1], exit_code=2), marker="m", comment="m", summary="").state == "error"


def test_check_annotations_need_a_path_and_paths_are_rebased():
    r = content.rebase_paths(_report([3]), "models/a")
    ann = content.check_annotations(r)
    assert {a["path"] for a in ann} == {"models/a/x/mof.yml", "models/a/mof.yml"}  # the pathless info is left out
    levels = {a["title"]: a["annotation_level"] for a in ann}
    assert levels == {"c.e": "failure", "c.w": "warning"}
    assert content.rebase_paths(_report([3]), "")["findings"][0]["path"] == "x/mof.yml"


def test_static_badge_url_without_a_release():
    assert content.badge_url(_report([])) == "https://img.shields.io/badge/MOF-not%20classified-lightgrey"


def _github_exception(status: int, message: str, headers: dict | None = None):
    from github import GithubException

    return GithubException(status, {"message": message}, headers or {})


def test_retry_delay_rules():
    import requests

    s = Settings(backoff=2.0)
    assert retry_delay(_github_exception(500, "x"), 0, s) == 2.0
    assert retry_delay(_github_exception(502, "x"), 1, s) == 4.0
    assert retry_delay(_github_exception(403, "secondary", {"retry-after": "7"}), 0, s) == 7.0
    assert retry_delay(_github_exception(429, "slow", {"Retry-After": "3"}), 0, s) == 3.0
    assert retry_delay(_github_exception(403, "limit", {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "130"}), 0, s, now=lambda: 100) == 30
    assert retry_delay(_github_exception(403, "Resource not accessible by integration"), 0, s) is None
    assert retry_delay(_github_exception(422, "Validation Failed"), 0, s) is None
    assert retry_delay(requests.exceptions.ReadTimeout(), 0, s) == 2.0
    assert retry_delay(ValueError("bad json"), 0, s) is None


def test_with_retry_is_bounded_by_tries_and_total_wait():
    slept: list[float] = []
    said: list[str] = []
    calls = []

    def always_500():
        calls.append(1)
        raise _github_exception(500, "boom")

    with pytest.raises(GithubException):
        with_retry(always_500, "x", Settings(tries=3, backoff=1.0), slept.append, said.append)
    assert len(calls) == 3 and slept == [1.0, 2.0] and len(said) == 2

    calls.clear(), slept.clear()

    def long_retry_after():
        calls.append(1)
        raise _github_exception(403, "secondary", {"retry-after": "600"})

    with pytest.raises(GithubException):
        with_retry(long_retry_after, "x", Settings(tries=3, max_wait=60), slept.append, said.append)
    assert len(calls) == 1 and slept == []  # a wait beyond the cap is not taken


def test_describe_is_one_bounded_line():
    s = Settings(timeout=5)
    assert describe(_github_exception(500, "a\nb" * 300), s).count("\n") == 0
    assert len(describe(_github_exception(500, "x" * 1000), s)) <= 200


def test_check_run_annotations_go_fifty_per_request():
    pytest.importorskip("github")
    from mofcheck.github.env import Context

    srv = FakeGitHub().start()
    try:
        ctx = Context(repository="acme/tiny-model", sha="a" * 40, api_url=srv.url, token="t", run_id="1")
        ann = [{"path": "mof.yml", "start_line": i, "end_line": i, "annotation_level": "warning", "message": str(i)} for i in range(1, 121)]
        c = Content("success", "d", "success", "MOF: Class III", "summary", "", "", ann)
        settings = Settings(check_run=True)
        gh = connect(ctx, settings)
        line = create_check_run(gh, ctx, c, settings, lambda fn, what: fn())
        assert "120 annotations" in line
        sizes = [len(r.body["output"]["annotations"]) for r in srv.requests]
        assert [r.method for r in srv.requests] == ["POST", "PATCH", "PATCH"] and sizes == [50, 50, 20]
        (run,) = srv.state.check_runs.values()
        assert [a["message"] for a in run["annotations_sent"]] == [str(i) for i in range(1, 121)]
        assert run["details_url"].endswith("/acme/tiny-model/actions/runs/1")
    finally:
        srv.stop()
