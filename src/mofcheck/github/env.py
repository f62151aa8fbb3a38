"""What a GitHub Actions run tells us: the `GITHUB_*` variables, the event payload and the token.

Plain reading, no network. Works outside Actions too (everything optional), so `mofcheck github` can be
run by hand against a local API stand-in.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_SERVER_URL = "https://github.com"
EVENT_LIMIT = 16 * 1024 * 1024  # event payloads of huge PRs stay well below this
# Most specific first: an explicit mofcheck token, the action input, then the job's default token.
TOKEN_VARIABLES = ("MOFCHECK_GITHUB_TOKEN", "INPUT_GITHUB-TOKEN", "INPUT_GITHUB_TOKEN", "GITHUB_TOKEN")
PR_EVENTS = ("pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment")


@dataclass
class Context:
    actions: bool = False
    repository: str | None = None  # owner/name
    sha: str | None = None  # the commit to report on: the PR head on pull requests, GITHUB_SHA otherwise
    ref: str | None = None
    event_name: str | None = None
    pr_number: int | None = None
    base_sha: str | None = None
    base_ref: str | None = None
    head_ref: str | None = None
    fork: bool = False  # the PR comes from another repository: the job's token is read-only
    api_url: str = DEFAULT_API_URL
    server_url: str = DEFAULT_SERVER_URL
    run_id: str | None = None
    workspace: Path | None = None
    step_summary: Path | None = None
    output: Path | None = None
    runner_temp: Path | None = None
    token: str | None = field(default=None, repr=False)  # never printed: repr=False keeps it out of reprs

    @property
    def run_url(self) -> str | None:
        if self.repository and self.run_id:
            return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"
        return None

    @property
    def owner_repo(self) -> tuple[str, str] | None:
        if self.repository and self.repository.count("/") == 1:
            owner, name = self.repository.split("/")
            if owner and name:
                return owner, name
        return None


def token_from_env(environ: Mapping[str, str]) -> str | None:
    for name in TOKEN_VARIABLES:
        value = (environ.get(name) or "").strip()
        if value:
            return value
    return None


def read_event(path: str | os.PathLike[str] | None) -> dict[str, Any]:
    """The event payload, or {} when it is absent, too big or not a JSON object."""
    if not path:
        return {}
    try:
        with open(path, "rb") as fh:
            data = fh.read(EVENT_LIMIT + 1)
    except OSError:
        return {}
    if len(data) > EVENT_LIMIT:
        return {}
    try:
        event = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return event if isinstance(event, dict) else {}


def _get(d: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def read_context(environ: Mapping[str, str] | None = None) -> Context:
    env = os.environ if environ is None else environ
    event = read_event(env.get("GITHUB_EVENT_PATH"))
    ctx = Context(
        actions=env.get("GITHUB_ACTIONS") == "true",
        repository=env.get("GITHUB_REPOSITORY") or _get(event, "repository", "full_name") or None,
        sha=env.get("GITHUB_SHA") or None,
        ref=env.get("GITHUB_REF") or None,
        event_name=env.get("GITHUB_EVENT_NAME") or None,
        api_url=(env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
        server_url=(env.get("GITHUB_SERVER_URL") or DEFAULT_SERVER_URL).rstrip("/"),
        run_id=env.get("GITHUB_RUN_ID") or None,
        workspace=_path(env.get("GITHUB_WORKSPACE")),
        step_summary=_path(env.get("GITHUB_STEP_SUMMARY")),
        output=_path(env.get("GITHUB_OUTPUT")),
        runner_temp=_path(env.get("RUNNER_TEMP")),
        token=token_from_env(env),
    )
    pr = event.get("pull_request")
    if isinstance(pr, dict):
        number = pr.get("number", event.get("number"))
        ctx.pr_number = number if isinstance(number, int) and number > 0 else None
        # Statuses and check runs go on the PR head, not on the merge commit GITHUB_SHA names.
        ctx.sha = _get(pr, "head", "sha") or ctx.sha
        ctx.base_sha = _get(pr, "base", "sha")
        ctx.base_ref = _get(pr, "base", "ref")
        ctx.head_ref = _get(pr, "head", "ref")
        head_repo = _get(pr, "head", "repo", "full_name")
        base_repo = _get(pr, "base", "repo", "full_name") or ctx.repository
        # A deleted fork has head.repo null: still not this repository.
        ctx.fork = head_repo != base_repo if base_repo else False
    return ctx
