"""Publishing a verdict to GitHub with PyGithub: a commit status, a check run, one sticky PR comment.

Publishing is best effort: every failure becomes one scrubbed line for the log, never an exception, so
the verdict's exit code stands. Retries are ours (bounded tries and total wait), PyGithub's own retry and
request throttling are off; every request has a timeout.
"""

from __future__ import annotations

import math
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .env import Context

STATUS_CONTEXT = "mofcheck/mof-class"
CHECK_NAME = "mofcheck"
ANNOTATIONS_PER_REQUEST = 50  # the check-runs API limit
MAX_COMMENTS_SCANNED = 5000  # bound the sticky-comment search on very long PRs
_KEY_CHARS = re.compile(r"[^A-Za-z0-9._/+-]+")
_READ_ONLY_MESSAGES = ("resource not accessible by integration", "resource not accessible by personal access token")


@dataclass
class Settings:
    status: bool = True
    check_run: bool = False
    comment: bool = True
    context: str = STATUS_CONTEXT
    check_name: str = CHECK_NAME
    timeout: float = 10.0  # seconds, per request
    tries: int = 3
    backoff: float = 2.0  # first delay; doubles each try
    max_wait: float = 60.0  # total seconds of sleeping across all retries of one operation


@dataclass
class Content:
    """What to publish, already rendered from the report."""

    state: str  # commit status: success | failure | error
    description: str  # <= 140 characters
    conclusion: str  # check run: success | failure | neutral
    title: str
    summary: str  # check-run summary (markdown)
    comment: str  # the sticky comment body, marker included
    marker: str
    annotations: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Outcome:
    published: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    read_only: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.read_only


class ReadOnly(Exception):
    """The token may read but not write here (fork pull request, or missing permissions)."""


def marker_text(key: str) -> str:
    """The marker's words; survives `report.escape.html_comment` unchanged (no `--`, plain characters)."""
    key = re.sub(r"-{2,}", "-", _KEY_CHARS.sub("-", key.strip())).strip("-") or "root"
    return f"mofcheck:sticky-comment:{key[:100]}"


def marker_for(key: str) -> str:
    """The hidden HTML comment that finds our comment again: `<!-- mofcheck:sticky-comment:KEY -->`."""
    return f"<!-- {marker_text(key)} -->"


def scrub(text: str, secrets: list[str]) -> str:
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    return text


def _header(exc: Any, name: str) -> str | None:
    headers = getattr(exc, "headers", None) or {}
    for k, v in headers.items():
        if k.lower() == name:
            return str(v)
    return None


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status", None)
    return status if isinstance(status, int) else None


def _message(exc: BaseException) -> str:
    data = getattr(exc, "data", None)
    if isinstance(data, dict):
        msg = data.get("message") or data.get("data")
        if isinstance(msg, str):
            return msg
    return ""


def is_read_only(exc: BaseException, *, write: bool = True) -> bool:
    status = _status(exc)
    if status == 403 and any(m in _message(exc).lower() for m in _READ_ONLY_MESSAGES):
        return True
    # GitHub answers 404 rather than 403 when a token may not write to a repository it can see.
    return write and status == 404


def retry_delay(exc: BaseException, attempt: int, settings: Settings, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait before trying again, or None when this error is not worth retrying."""
    import requests

    status = _status(exc)
    backoff = settings.backoff * (2**attempt)
    if isinstance(exc, (requests.exceptions.Timeout, requests.exceptions.ConnectionError)):
        return backoff
    if status is None:
        return None
    if status >= 500:
        return backoff
    if status in (403, 429):
        retry_after = _header(exc, "retry-after")
        if retry_after is not None:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                return backoff
        if _header(exc, "x-ratelimit-remaining") == "0":
            reset = _header(exc, "x-ratelimit-reset")
            try:
                return max(0.0, float(reset) - now()) if reset else backoff
            except ValueError:
                return backoff
    return None


def describe(exc: BaseException, settings: Settings) -> str:
    """One line about what went wrong, without the response body beyond GitHub's short message."""
    import requests

    from ..report.escape import terminal

    if isinstance(exc, requests.exceptions.Timeout):
        return f"no answer within {settings.timeout:g}s"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "could not connect to the GitHub API"
    status = _status(exc)
    if status is not None:
        msg = _message(exc)
        return terminal(f"HTTP {status}" + (f": {msg}" if msg else ""), 200)
    if isinstance(exc, ValueError):
        return "the GitHub API sent a malformed response"
    return terminal(f"{type(exc).__name__}: {exc}", 200)


def with_retry(fn: Callable[[], Any], what: str, settings: Settings, sleep: Callable[[float], None], say: Callable[[str], None]) -> Any:
    waited = 0.0
    for attempt in range(max(1, settings.tries)):
        try:
            return fn()
        except ReadOnly:
            raise
        except Exception as exc:
            if is_read_only(exc):
                raise ReadOnly(describe(exc, settings)) from None
            delay = retry_delay(exc, attempt, settings)
            last = attempt + 1 >= settings.tries
            if delay is None or last or waited + delay > settings.max_wait:
                raise
            say(f"{what}: {describe(exc, settings)}; retrying in {delay:g}s (try {attempt + 2} of {settings.tries})")
            sleep(delay)
            waited += delay
    raise AssertionError("unreachable")


def connect(ctx: Context, settings: Settings) -> Any:
    from github import Auth, Github

    return Github(
        auth=Auth.Token(ctx.token or ""),
        base_url=ctx.api_url,
        timeout=max(1, math.ceil(settings.timeout)),  # PyGithub insists on whole seconds
        retry=None,  # ours is bounded and knows GitHub's rate-limit headers
        seconds_between_requests=None,
        seconds_between_writes=None,
        per_page=100,
        lazy=True,  # no GET for repository, commit or issue objects we only write to
        user_agent="mofcheck",
    )


def set_status(gh: Any, ctx: Context, content: Content, settings: Settings) -> str:
    repo = gh.get_repo(ctx.repository)
    kwargs = {"state": content.state, "description": content.description[:140], "context": settings.context}
    if ctx.run_url:
        kwargs["target_url"] = ctx.run_url
    repo.get_commit(ctx.sha).create_status(**kwargs)
    return f"commit status {settings.context}: {content.state}"


def create_check_run(gh: Any, ctx: Context, content: Content, settings: Settings, retry: Callable[[Callable[[], Any], str], Any]) -> str:
    repo = gh.get_repo(ctx.repository)
    batches = [content.annotations[i : i + ANNOTATIONS_PER_REQUEST] for i in range(0, len(content.annotations), ANNOTATIONS_PER_REQUEST)] or [[]]

    def output(batch: list[dict[str, Any]]) -> dict[str, Any]:
        return {"title": content.title[:255], "summary": content.summary[:65000], "annotations": batch}

    kwargs: dict[str, Any] = {
        "name": settings.check_name,
        "head_sha": ctx.sha,
        "status": "completed",
        "conclusion": content.conclusion,
        "output": output(batches[0]),
    }
    if ctx.run_url:
        kwargs["details_url"] = ctx.run_url
    run = retry(lambda: repo.create_check_run(**kwargs), "check run")
    for batch in batches[1:]:  # annotations beyond 50 are appended by updating the run
        retry(lambda b=batch: run.edit(output=output(b)), "check run annotations")
    return f"check run {settings.check_name}: {content.conclusion} ({len(content.annotations)} annotations)"


def token_login(gh: Any) -> str | None:
    """The token's own login, when the API tells (an Actions token may not read /user)."""
    try:
        login = gh.get_user().login
    except Exception:
        return None
    return login if isinstance(login, str) and login else None


def find_sticky(comments: Any, marker: str, login: str | None) -> Any:
    fallback = None
    for i, c in enumerate(comments):
        if i >= MAX_COMMENTS_SCANNED:
            break
        if marker not in (c.body or ""):
            continue
        user = c.user
        if login is not None:
            if user is not None and user.login == login:
                return c
            continue
        if user is not None and user.type == "Bot":
            return c  # the job token posts as a bot: prefer its comment over a human's quoting the marker
        fallback = fallback or c
    return fallback


def upsert_comment(gh: Any, ctx: Context, content: Content, login: str | None) -> str:
    issue = gh.get_repo(ctx.repository).get_issue(ctx.pr_number)
    existing = find_sticky(issue.get_comments(), content.marker, login)
    if existing is not None:
        existing.edit(content.comment)
        return f"pull request comment updated (#{ctx.pr_number})"
    issue.create_comment(content.comment)
    return f"pull request comment created (#{ctx.pr_number})"


def publish(
    ctx: Context,
    content: Content,
    settings: Settings,
    *,
    sleep: Callable[[float], None] = time.sleep,
    say: Callable[[str], None] | None = None,
) -> Outcome:
    """Publish what the settings ask for; report each result or failure as one line through `say`."""
    secrets = [ctx.token] if ctx.token else []

    def _say(line: str) -> None:
        line = "mofcheck: " + scrub(line, secrets)
        if say is not None:
            say(line)
        else:
            print(line, file=sys.stderr, flush=True)

    out = Outcome()
    wanted = [name for name, on in (("status", settings.status), ("check run", settings.check_run), ("comment", settings.comment)) if on]
    if ctx.pr_number is None and "comment" in wanted:
        wanted.remove("comment")  # nothing to comment on outside a pull request
    if not wanted:
        return out
    fallback = "results are in the job summary and annotations only"
    missing = [what for what, ok in (("GITHUB_REPOSITORY", ctx.owner_repo), ("a token (GITHUB_TOKEN or the github-token input)", ctx.token)) if not ok]
    if "status" in wanted or "check run" in wanted:
        if not ctx.sha:
            missing.append("GITHUB_SHA")
    if missing:
        out.failed.append("setup")
        _say(f"note: cannot publish to GitHub without {' and '.join(missing)}; {fallback}")
        return out
    if ctx.fork and ctx.event_name != "pull_request_target":  # only pull_request_target gets a write token
        out.read_only = True
        _say(f"note: pull request from a fork: the token is read-only, so no status or comment; {fallback}")
        return out

    try:
        gh = connect(ctx, settings)
    except Exception as exc:
        out.failed.append("setup")
        _say(f"warning: could not set up the GitHub client: {describe(exc, settings)}; {fallback}")
        return out
    retry = lambda fn, what: with_retry(fn, what, settings, sleep, _say)  # noqa: E731
    steps: list[tuple[str, Callable[[], str]]] = []
    if "status" in wanted:
        steps.append(("commit status", lambda: retry(lambda: set_status(gh, ctx, content, settings), "commit status")))
    if "check run" in wanted:
        steps.append(("check run", lambda: create_check_run(gh, ctx, content, settings, retry)))
    if "comment" in wanted:
        # The whole find-then-write is retried: a retry after a lost answer finds the comment it made.
        def comment() -> str:
            login = token_login(gh)
            return retry(lambda: upsert_comment(gh, ctx, content, login), "pull request comment")

        steps.append(("pull request comment", comment))
    for what, step in steps:
        try:
            _say(step())
            out.published.append(what)
        except ReadOnly as exc:
            out.read_only = True
            _say(f"note: the token cannot write to {ctx.repository} ({exc}; a fork pull request or missing permissions); {fallback}")
            break  # said once: the other writes would fail the same way
        except Exception as exc:
            out.failed.append(what)
            _say(f"warning: could not publish the {what}: {describe(exc, settings)}")
    return out
