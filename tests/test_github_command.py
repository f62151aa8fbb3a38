"""`mofcheck github` end to end: real PyGithub against a real local HTTP stand-in for the GitHub API."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from github_api_server import FakeGitHub  # noqa: E402

from mofcheck.cli import main  # noqa: E402

pytest.importorskip("github", reason="PyGithub (the 'github' extra) is not installed")

TOKEN = "ghs_TEST0nly4mofcheckXYZ0123456789"
HEAD = "a" * 40
MERGE = "c" * 40
MARKER = "<!-- mofcheck:sticky-comment:root -->"

MANIFEST = """\
framework:
  name: 'Model Openness Framework'
  version: '1.0'
  date: '2024-12-15'
release:
  name: 'tiny-model'
  version: '1.0'
  date: '2024-06-13'
  license:
    distribution:
      name: Apache-2.0
      path: LICENSE
    code:
      name: Apache-2.0
      path: LICENSE
    data:
      name: CC-BY-4.0
      path:
    document:
      name: CC-BY-4.0
      path:
  type: 'language'
  architecture: 'transformer'
  origin: ''
  producer: 'Example'
  contact: ''
  components:
    - name: 'Model architecture'
      description: 'code'
    - name: 'Model parameters (Final)'
      description: 'weights'
    - name: 'Model card'
      description: 'card'
    - name: 'Technical report'
      description: 'report'
    - name: 'Evaluation results'
      description: 'results'
"""


def make_repo(root: Path) -> Path:
    repo = root / "repo"
    repo.mkdir()
    (repo / "mof.yml").write_text(MANIFEST)
    (repo / "LICENSE").write_text("Apache License\nVersion 2.0, January 2004\n")
    (repo / "README.md").write_text("# tiny-model\n")
    return repo


def pr_event(path: Path, *, number: int = 7, fork: bool = False) -> Path:
    head_repo = "someone/tiny-model" if fork else "acme/tiny-model"
    event = {
        "action": "synchronize",
        "number": number,
        "pull_request": {
            "number": number,
            "head": {"sha": HEAD, "ref": "feature", "repo": {"full_name": head_repo}},
            "base": {"sha": "b" * 40, "ref": "main", "repo": {"full_name": "acme/tiny-model"}},
        },
        "repository": {"full_name": "acme/tiny-model"},
    }
    path.write_text(json.dumps(event))
    return path


@pytest.fixture
def server():
    srv = FakeGitHub().start()
    yield srv
    srv.stop()


@pytest.fixture
def actions(tmp_path, monkeypatch, server, no_network):
    """A simulated Actions step: GITHUB_* variables, runner files, the event payload; cwd = the workspace."""
    import os

    for name in list(os.environ):
        if name.startswith(("GITHUB_", "INPUT_", "MOFCHECK_", "RUNNER_")):
            monkeypatch.delenv(name)
    repo = make_repo(tmp_path)
    files = {"output": tmp_path / "output.txt", "summary": tmp_path / "summary.md"}
    for f in files.values():
        f.write_text("")
    (tmp_path / "temp").mkdir()
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "acme/tiny-model",
        "GITHUB_SHA": MERGE,
        "GITHUB_REF": "refs/pull/7/merge",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(pr_event(tmp_path / "event.json")),
        "GITHUB_API_URL": server.url,
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_WORKSPACE": str(repo),
        "GITHUB_OUTPUT": str(files["output"]),
        "GITHUB_STEP_SUMMARY": str(files["summary"]),
        "RUNNER_TEMP": str(tmp_path / "temp"),
        "GITHUB_TOKEN": TOKEN,
        "MOFCHECK_RETRY_SCALE": "0",  # retries happen, their waiting does not
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.chdir(repo)
    return {"repo": repo, "tmp": tmp_path, **files}


def parse_outputs(text: str) -> dict[str, str]:
    out, lines, i = {}, text.splitlines(), 0
    while i < len(lines):
        m = re.fullmatch(r"([\w-]+)<<(ghadelimiter_[0-9a-f-]+)", lines[i])
        assert m, f"not a multiline output block: {lines[i]!r}"
        end = lines.index(m.group(2), i + 1)
        out[m.group(1)] = "\n".join(lines[i + 1 : end])
        i = end + 1
    return out


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["github", *args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def verdict(repo: Path, *args: str) -> int:
    return main(["check", str(repo), "--format", "json", "--output", str(repo.parent / "verdict.json"), *args])


def assert_no_token(actions, out: str, err: str) -> None:
    # The only place the token may appear is the runner's own mask command, which the runner consumes.
    assert TOKEN not in out.replace(f"::add-mask::{TOKEN}\n", "")
    assert TOKEN not in err
    for f in (actions["output"], actions["summary"], *(actions["tmp"] / "temp").iterdir()):
        assert TOKEN not in f.read_text(encoding="utf-8"), f


def test_pull_request_run_publishes_status_and_one_sticky_comment(actions, server, capsys):
    server.state.page_size = 2  # three comments by others: the listing takes two pages
    for i in range(3):
        server.add_comment(7, f"looks good {i}")

    code, out, err = run(capsys)
    assert code == verdict(actions["repo"]) == 0
    assert out.startswith(f"::add-mask::{TOKEN}\n")

    base = "/repos/acme/tiny-model"
    assert [(r.method, r.path, r.query.get("page", [""])[0]) for r in server.requests] == [
        ("POST", f"{base}/statuses/{HEAD}", ""),  # the PR head, not the merge commit
        ("GET", "/user", ""),  # who the token is (the Actions token may not say: 403)
        ("GET", f"{base}/issues/7/comments", ""),
        ("GET", f"{base}/issues/7/comments", "2"),
        ("POST", f"{base}/issues/7/comments", ""),
    ]
    (status,) = server.calls("POST", r"/statuses/")
    assert status.body["context"] == "mofcheck/mof-class"
    assert status.body["state"] == "success"
    assert 0 < len(status.body["description"]) <= 140 and "tiny-model" in status.body["description"]
    assert status.body["target_url"] == "https://github.example/acme/tiny-model/actions/runs/4242"
    assert status.headers["Authorization"].endswith(TOKEN)

    pages = [r.query.get("page", ["1"])[0] for r in server.calls("GET", r"/issues/7/comments$")]
    assert pages == ["1", "2"]  # pagination followed
    (created,) = server.calls("POST", r"/issues/7/comments$")
    assert created.body["body"].startswith(MARKER)
    assert not server.calls("PATCH")
    assert "pull request comment created" in err

    # outputs, summary and report
    outputs = parse_outputs(actions["output"].read_text())
    report = json.loads(Path(outputs["report"]).read_text())
    model = report["models"][0]
    assert outputs["class"] == str(model["class"])
    assert outputs["class-label"] == model["class_label"]
    assert json.loads(outputs["progress"]) == model["progress"]
    assert outputs["badge-url"].startswith("https://img.shields.io/badge/")
    assert Path(outputs["report"]).parent == actions["tmp"] / "temp"
    assert model["class_label"] in actions["summary"].read_text()

    # second run: the same comment is edited, never a second one
    code2, out2, err2 = run(capsys)
    assert code2 == 0
    assert len(server.calls("POST", r"/issues/7/comments$")) == 1
    (patch,) = server.calls("PATCH", r"/issues/comments/")
    mine = [c for c in server.state.comments[7] if MARKER in c["body"]]
    assert len(mine) == 1 and patch.path.endswith(f"/{mine[0]['id']}")
    assert len(server.state.comments[7]) == 4
    assert "pull request comment updated" in err2
    assert_no_token(actions, out + out2, err + err2)


def test_comment_by_someone_else_with_the_marker_is_left_alone(actions, server, capsys):
    server.state.login = "mofcheck-bot"  # a token whose user the API tells
    server.add_comment(7, f"{MARKER}\nquoted by a human", login="alice")
    code, _, _ = run(capsys)
    assert code == 0
    assert not server.calls("PATCH")
    (created,) = server.calls("POST", r"/issues/7/comments$")
    assert server.state.comments[7][-1]["user"]["login"] == "mofcheck-bot"
    run(capsys)
    (patch,) = server.calls("PATCH")
    assert patch.path.endswith(f"/{server.state.comments[7][-1]['id']}")


def test_comment_key_gives_one_comment_per_key(actions, server, capsys):
    run(capsys, "--comment-key", "models/a")
    run(capsys, "--comment-key", "models/b")
    run(capsys, "--comment-key", "models/a")
    bodies = [c["body"] for c in server.state.comments[7]]
    assert len(bodies) == 2
    assert bodies[0].startswith("<!-- mofcheck:sticky-comment:models/a -->")
    assert bodies[1].startswith("<!-- mofcheck:sticky-comment:models/b -->")


def test_gate_failure_sets_failure_status_and_exit_code(actions, server, capsys):
    code, _, _ = run(capsys, "--min-class", "1")
    assert code == verdict(actions["repo"], "--min-class", "1") == 1
    (status,) = server.calls("POST", r"/statuses/")
    assert status.body["state"] == "failure" and "gate failed" in status.body["description"]


# kind, times, what the log says, how many status POSTs, whether the comment still goes out
FAULTS = [
    ("500", 1, "retrying", 2, True),
    ("502", 1, "retrying", 2, True),
    ("secondary", 1, "retrying in 1s", 2, True),
    ("429", 1, "retrying in 2s", 2, True),
    ("500", 9, "could not publish the commit status: HTTP 500", 3, True),
    ("primary", 9, "could not publish the commit status: HTTP 403", 1, True),
    ("malformed", 9, "could not publish the commit status: the GitHub API sent a malformed response", 1, True),
    ("echo-token", 9, "could not publish the commit status: HTTP 422", 1, True),
    ("readonly", 9, "the token cannot write to acme/tiny-model", 1, False),
    ("404", 9, "the token cannot write to acme/tiny-model", 1, False),
]


@pytest.mark.parametrize("gate", [[], ["--min-class", "1"]], ids=["pass", "gate-fails"])
@pytest.mark.parametrize("kind,times,says,posts,commented", FAULTS, ids=[f"{f[0]}x{f[1]}" for f in FAULTS])
def test_publishing_faults_never_change_the_exit_code(actions, server, capsys, gate, kind, times, says, posts, commented):
    expected = verdict(actions["repo"], *gate)
    capsys.readouterr()
    server.fail("POST", r"/statuses/", kind, times=times)
    code, out, err = run(capsys, *gate)
    assert code == expected
    assert says in err
    assert len(server.calls("POST", r"/statuses/")) == posts
    assert bool(server.calls("POST", r"/issues/7/comments$")) == commented
    notices = [line for line in err.splitlines() if "cannot write" in line or "could not publish" in line]
    assert len(notices) == (0 if says.startswith("retrying") else 1)  # a failure is said once, in one line
    assert_no_token(actions, out, err)
    assert parse_outputs(actions["output"].read_text())["class"]  # outputs written whatever happened


def test_token_echoed_in_an_error_body_is_scrubbed(actions, server, capsys):
    server.fail("POST", r"/issues/7/comments$", "echo-token", times=9)
    code, out, err = run(capsys)
    assert code == 0
    assert "could not publish the pull request comment: HTTP 422" in err and "***" in err
    assert_no_token(actions, out, err)


def test_timeout_is_retried(actions, server, capsys, monkeypatch):
    monkeypatch.setenv("MOFCHECK_GITHUB_TIMEOUT", "1")
    server.fail("POST", r"/statuses/", "timeout", times=1, delay=2.5)
    code, _, err = run(capsys)
    assert code == 0
    assert "no answer within 1s; retrying" in err
    assert len(server.calls("POST", r"/statuses/")) == 2
    assert "commit status mofcheck/mof-class: success" in err


def test_lost_answer_to_comment_creation_does_not_duplicate(actions, server, capsys):
    # The first POST creates the comment but is answered 502; the retry lists again and edits it.
    server.fail("POST", r"/issues/7/comments$", "lost", times=1)
    code, _, err = run(capsys)
    assert code == 0
    assert len(server.state.comments[7]) == 1
    assert len(server.calls("POST", r"/issues/7/comments$")) == 1
    assert len(server.calls("PATCH", r"/issues/comments/")) == 1
    assert "pull request comment updated" in err


def test_fork_pull_request_falls_back_without_requests(actions, server, capsys):
    pr_event(actions["tmp"] / "event.json", fork=True)
    code, out, err = run(capsys, "--min-class", "1")
    assert code == 1
    assert server.requests == []
    assert len([line for line in err.splitlines() if "fork" in line]) == 1
    assert actions["summary"].read_text().strip()
    assert_no_token(actions, out, err)


def test_fork_under_pull_request_target_has_a_write_token(actions, server, capsys, monkeypatch):
    pr_event(actions["tmp"] / "event.json", fork=True)
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request_target")
    assert run(capsys)[0] == 0
    assert server.calls("POST", r"/statuses/") and server.calls("POST", r"/issues/7/comments$")


def test_strict_publish_turns_a_publishing_failure_into_exit_1(actions, server, capsys):
    server.fail("POST", r"/statuses/", "500", times=9)
    assert run(capsys)[0] == 0
    assert run(capsys, "--strict-publish")[0] == 1


def test_no_token_says_so_once_and_keeps_the_verdict(actions, server, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    code, _, err = run(capsys)
    assert code == 0 and server.requests == []
    assert len([line for line in err.splitlines() if "without" in line]) == 1


def test_token_from_the_action_input_variable(actions, server, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    monkeypatch.setenv("INPUT_GITHUB-TOKEN", TOKEN)
    assert run(capsys)[0] == 0
    assert server.calls("POST", r"/statuses/")[0].headers["Authorization"].endswith(TOKEN)


def test_check_run_and_no_status_no_comment(actions, server, capsys):
    code, _, err = run(capsys, "--check-run", "--no-status", "--no-comment")
    assert code == 0
    assert not server.calls("POST", r"/statuses/") and not server.calls("POST", r"/comments")
    (created,) = server.calls("POST", r"/check-runs$")
    assert created.body["name"] == "mofcheck" and created.body["head_sha"] == HEAD
    assert created.body["status"] == "completed" and created.body["conclusion"] == "success"
    assert created.body["output"]["summary"]


def test_github_enterprise_api_url(tmp_path, actions, capsys, monkeypatch):
    ghe = FakeGitHub(prefix="/api/v3").start()
    try:
        monkeypatch.setenv("GITHUB_API_URL", ghe.url)
        assert run(capsys)[0] == 0
        assert ghe.requests and all(r.full_path.startswith("/api/v3/") for r in ghe.requests)
        assert ghe.calls("POST", r"/statuses/") and ghe.calls("POST", r"/issues/7/comments$")
    finally:
        ghe.stop()


def test_push_event_sets_status_on_github_sha_and_skips_the_comment(actions, server, capsys, monkeypatch):
    (actions["tmp"] / "event.json").write_text(json.dumps({"ref": "refs/heads/main", "after": MERGE}))
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")
    assert run(capsys)[0] == 0
    (status,) = server.calls("POST", r"/statuses/")
    assert status.path.endswith(MERGE)
    assert not server.calls(None, r"/comments")


def test_real_subprocess(actions, server):
    """The installed console script, as the Action runs it."""
    import os
    import shutil

    exe = shutil.which("mofcheck", path=str(Path(sys.executable).parent)) or shutil.which("mofcheck")
    if exe is None:
        pytest.skip("the mofcheck console script is not installed")
    p = subprocess.run([exe, "github", "--min-class", "1"], env=dict(os.environ), capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    assert server.calls("POST", r"/statuses/") and server.calls("POST", r"/issues/7/comments$")
    assert TOKEN not in p.stderr and TOKEN not in p.stdout.replace(f"::add-mask::{TOKEN}\n", "")
