"""A GitHub repository, read through PyGithub (imported lazily), honouring GITHUB_API_URL and GITHUB_TOKEN.

Calls, per source:
  get_repo            GET /repos/{o}/{r}                     metadata, the license GitHub detects
  get_branch          GET /repos/{o}/{r}/branches/{default}  the head commit: the revision
  get_git_tree        GET /repos/{o}/{r}/git/trees/{sha}?recursive=1   the files (GitHub may cut it: a gap)
  get_license         GET /repos/{o}/{r}/license             the detected license file, with its text
  get_readme          GET /repos/{o}/{r}/readme?ref={sha}
  get_contents        GET /repos/{o}/{r}/contents/{path}?ref={sha}     other texts (data/remote/texts.yaml)
  get_tags, get_branches  GET /repos/{o}/{r}/tags, /branches  (first page)

Bounds: PyGithub's connection classes are subclassed so that, inside `fetch_github`, each request gets
its timeout from the Budget, stays on the API's host, and has its body read in a stream that stops at
Budget.max_response_bytes and at the request's deadline (PyGithub itself reads bodies whole). Retries:
urllib3's Retry, bounded, on connection errors, 5xx and 429 only (Retry-After capped); rate-limit 403s
come back as "rate-limited" at once, since waiting for GitHub's reset (up to an hour) never fits a budget.
"""

from __future__ import annotations

import base64
import itertools
import math
import os
import threading
import time
from typing import Any

from .budget import Budget
from .httpguard import Guard, current, guarded, origin, origins_for
from .safety import Deadline, OffHost, RemoteFault, TooLarge, env_secrets, message, public_url, valid_github_id
from .texts import candidates, from_bytes, unread
from .types import RemoteFile, RemoteSource, RemoteText, failed, gap, now_iso

DEFAULT_API_URL = "https://api.github.com"
TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")
CONTENTS_LIMIT = 1024 * 1024  # the contents API returns no content above 1 MB
_CONNECT_LOCK = threading.Lock()
_classes: tuple[Any, Any] | None = None


def _bounded_classes() -> tuple[Any, Any]:
    """PyGithub's two connection classes, with bounded requests while a guard is active."""
    global _classes
    if _classes is not None:
        return _classes
    from github.Requester import HTTPRequestsConnectionClass, HTTPSRequestsConnectionClass

    class BoundedResponse:
        def __init__(self, status: int, headers: Any, body: bytes, encoding: str | None) -> None:
            self.status, self.headers, self._body, self._encoding = status, headers, body, encoding

        def getheaders(self) -> Any:
            return self.headers.items()

        def read(self) -> str:
            return self._body.decode(self._encoding or "utf-8", "replace")

        def iter_content(self, chunk_size: int | None = 1) -> Any:
            size = chunk_size or len(self._body) or 1
            return (self._body[i : i + size] for i in range(0, len(self._body), size))

    class Bounded:
        def getresponse(self) -> Any:
            guard = current()
            if guard is None:
                return super().getresponse()  # type: ignore[misc]
            url = f"{self.protocol}://{self.host}:{self.port}{self.url}"  # type: ignore[attr-defined]
            if origin(url) not in guard.origins:
                raise OffHost(f"refused to follow the server to another host ({self.host})")  # type: ignore[attr-defined]
            seconds = guard.budget.timeout()
            deadline = time.monotonic() + seconds
            verb = getattr(self.session, self.verb.lower())  # type: ignore[attr-defined]
            r = verb(
                url,
                headers=self.headers,
                data=self.input,
                timeout=seconds,
                verify=self.verify,  # type: ignore[attr-defined]
                allow_redirects=False,
                stream=True,
            )
            if r.status_code in (302, 303, 307, 308):  # PyGithub follows 301s on its host, and no others
                r.close()
                raise OffHost(f"the GitHub API answered with a redirect (HTTP {r.status_code})")
            try:
                body = bytearray()
                for chunk in _chunks(r):
                    body += chunk
                    if len(body) > guard.max_bytes:
                        raise TooLarge(f"the response is larger than the bound of {guard.max_bytes} bytes")
                    if time.monotonic() > deadline:
                        raise Deadline("the response did not finish within the request timeout")
            finally:
                r.close()
            return BoundedResponse(r.status_code, r.headers, bytes(body), r.encoding)

    class BoundedHTTP(Bounded, HTTPRequestsConnectionClass):
        pass

    class BoundedHTTPS(Bounded, HTTPSRequestsConnectionClass):
        pass

    _classes = (BoundedHTTP, BoundedHTTPS)
    return _classes


def _chunks(r: Any) -> Any:
    """The body as it arrives (decoded): one network read per chunk, so a deadline between chunks holds
    against a server sending a byte at a time (iter_content waits for a full chunk)."""
    read1 = getattr(r.raw, "read1", None)
    if read1 is None:  # urllib3 1.x
        yield from r.iter_content(1024)
        return
    while chunk := read1(64 * 1024, decode_content=True):
        yield chunk


def _retry(budget: Budget) -> Any:
    from urllib3.util.retry import Retry

    kwargs: dict[str, Any] = dict(
        total=budget.retries,
        connect=budget.retries,
        read=0,
        status=budget.retries,
        other=0,
        redirect=0,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        backoff_factor=0.2,
        backoff_max=budget.max_retry_wait,
        raise_on_status=False,
        raise_on_redirect=False,
        respect_retry_after_header=True,
    )
    try:
        return Retry(**kwargs, retry_after_max=max(1, int(budget.max_retry_wait)))
    except TypeError:  # urllib3 before retry_after_max: do not let a server's Retry-After set the wait
        return Retry(**{**kwargs, "respect_retry_after_header": False})


def connect(api_url: str, token: str | None, budget: Budget) -> Any:
    """A PyGithub client whose requests are bounded while a guard is active (see the module doc)."""
    from github import Auth, Github
    from github.Requester import Requester

    http, https = _bounded_classes()
    with _CONNECT_LOCK:  # the classes are read when the Requester is made, then restored
        Requester.injectConnectionClasses(http, https)
        try:
            return Github(
                auth=Auth.Token(token) if token else None,
                base_url=api_url,
                timeout=max(1, math.ceil(budget.request_timeout)),
                retry=_retry(budget),
                per_page=100,
                seconds_between_requests=None,
                seconds_between_writes=None,
                user_agent="mofcheck",
            )
        finally:
            Requester.resetConnectionClasses()


def _read_timeout(exc: BaseException) -> bool:
    """requests reports a read timeout after urllib3's bounded retries as a ConnectionError."""
    from urllib3.exceptions import MaxRetryError, ReadTimeoutError

    inner = exc.args[0] if exc.args else None
    return isinstance(inner, MaxRetryError) and isinstance(inner.reason, ReadTimeoutError)


def classify(exc: BaseException) -> tuple[str, str]:
    import requests
    from github.GithubException import BadAttributeException, GithubException, RateLimitExceededException

    if isinstance(exc, RemoteFault):
        return exc.kind, str(exc)
    if isinstance(exc, requests.exceptions.Timeout) or _read_timeout(exc):
        return "timeout", "no answer within the request timeout"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "unreachable", "could not connect to the GitHub API"
    if isinstance(exc, RateLimitExceededException):
        return "rate-limited", f"HTTP {exc.status}: rate limited by GitHub"
    if isinstance(exc, BadAttributeException):
        return "malformed", "the GitHub API sent a response of an unexpected shape"
    if isinstance(exc, GithubException):
        status = exc.status
        if status == 429:
            return "rate-limited", "HTTP 429: rate limited by GitHub"
        if status == 404:
            return "not-found", "HTTP 404: no such repository (or private, and the token may not read it)"
        if 300 <= status < 400:
            return "redirect", f"HTTP {status}: the GitHub API redirected"
        data = exc.data if isinstance(exc.data, dict) else {}
        msg = data.get("message") if isinstance(data.get("message"), str) else ""
        if status == 403 and "rate limit" in msg.lower():
            return "rate-limited", "HTTP 403: rate limited by GitHub"
        return "unreachable", f"HTTP {status}" + (f": {msg}" if msg else "")
    if isinstance(exc, RuntimeError) and "redirected" in str(exc):  # PyGithub refuses a 301 to another host
        return "redirect", "the GitHub API redirected to another host"
    if isinstance(exc, (ValueError, KeyError, TypeError, AttributeError, AssertionError)):
        return "malformed", f"the GitHub API sent a response of an unexpected shape ({type(exc).__name__})"
    raise exc


def _str(d: dict[str, Any], key: str) -> str | None:
    v = d.get(key)
    return v if isinstance(v, str) else None


def _content_text(cf: Any, limit: int) -> RemoteText:
    path = cf.path if isinstance(cf.path, str) else "?"
    size = cf.size if isinstance(cf.size, int) else None
    if cf.encoding != "base64" or not isinstance(cf.content, str):
        return unread(path, "GitHub did not send the file's content (over 1 MB)", "too-large", size)
    try:
        raw = base64.b64decode(cf.content, validate=False)
    except ValueError:
        return unread(path, "the file's content is not valid base64", "malformed", size)
    return from_bytes(path, raw, limit, size)


def _files(tree: Any, budget: Budget, gaps: list[dict[str, Any]]) -> list[RemoteFile]:
    raw = tree.raw_data
    entries = raw.get("tree")
    if not isinstance(entries, list):
        gaps.append(gap("files", "malformed", "GitHub sent no file tree"))
        return []
    if raw.get("truncated") is True:
        gaps.append(gap("files", "too-large", "GitHub cut the file tree (too many files)"))
    out = []
    for e in entries:
        if not isinstance(e, dict) or e.get("type") != "blob" or not isinstance(e.get("path"), str):
            continue
        if len(out) >= budget.max_files:
            gaps.append(gap("files", "too-large", f"listed the first {budget.max_files} files"))
            break
        size = e.get("size")
        out.append(RemoteFile(path=e["path"], size=size if isinstance(size, int) else None, blob_id=_str(e, "sha")))
    return out


def _refs(repo: Any, budget: Budget) -> list[dict[str, Any]]:
    out = []
    for kind, listing in (("tag", repo.get_tags()), ("branch", repo.get_branches())):
        for r in itertools.islice(listing, budget.max_refs):
            sha = (r.raw_data.get("commit") or {}).get("sha")
            if isinstance(r.name, str) and isinstance(sha, str):
                out.append({"name": r.name, "kind": kind, "target": sha})
    return out


def _attempt(what: str, fn: Any, gaps: list[dict[str, Any]], secrets: list[str], missing_ok: bool = True) -> Any:
    """Run one part of the fetch; a failure becomes a gap (a 404 where `missing_ok` is just "none")."""
    from github.GithubException import GithubException

    try:
        return fn()
    except Exception as exc:
        if missing_ok and isinstance(exc, GithubException) and exc.status == 404:
            return None
        kind, why = classify(exc)
        gaps.append(gap(what, kind, message(why, secrets)))
        return None


def fetch_github(owner_repo: str, *, budget: Budget) -> RemoteSource:
    """What GitHub says about one repository at its default branch's head, as plain data. Never raises for
    a remote failure: the source comes back with error and error_kind."""
    url = f"https://github.com/{owner_repo}" if valid_github_id(owner_repo) else "https://github.com/"
    if not valid_github_id(owner_repo):
        return failed("github", owner_repo, url, "not a GitHub repository (owner/name)", "not-found")
    if budget.spent:
        return failed("github", owner_repo, url, "the run's time budget is spent", "budget")
    api_url = (os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
    token = next((os.environ[v] for v in TOKEN_VARIABLES if os.environ.get(v)), None)
    secrets = env_secrets([token])
    fetched_at = now_iso()
    gh = connect(api_url, token, budget)
    with guarded(Guard(origins_for(api_url), budget, budget.max_response_bytes)):
        try:
            repo = gh.get_repo(owner_repo)
            raw = repo.raw_data
            branch = raw.get("default_branch")
            if not isinstance(branch, str) or not branch:
                raise ValueError("no default branch")
            sha = repo.get_branch(branch).commit.sha
            if not isinstance(sha, str) or not sha:
                raise ValueError("no head commit")
        except Exception as exc:
            kind, why = classify(exc)
            return failed("github", owner_repo, url, message(why, secrets), kind)
        try:
            return _source(repo, raw, sha, owner_repo, url, fetched_at, api_url, budget, secrets)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return failed("github", owner_repo, url, f"the GitHub API sent a response of an unexpected shape ({type(exc).__name__})", "malformed")


def _source(
    repo: Any, raw: dict[str, Any], sha: str, owner_repo: str, url: str, fetched_at: str, api_url: str, budget: Budget, secrets: list[str]
) -> RemoteSource:
    gaps: list[dict[str, Any]] = []
    lic = raw.get("license") if isinstance(raw.get("license"), dict) else {}
    meta: dict[str, Any] = {
        "description": _str(raw, "description"),
        "default_branch": _str(raw, "default_branch"),
        "homepage": _str(raw, "homepage"),
        "archived": raw.get("archived") is True,
        "fork": raw.get("fork") is True,
        "full_name": _str(raw, "full_name"),
        "pushed_at": _str(raw, "pushed_at"),
    }
    if api_url != DEFAULT_API_URL:
        meta["api_url"] = public_url(api_url)
    src = RemoteSource(
        kind="github",
        id=owner_repo,
        url=url,
        revision=sha,
        fetched_at=fetched_at,
        license=_str(lic, "spdx_id"),
        license_name=_str(lic, "name"),
        gated=False,
        private=raw.get("private") is True,
        disabled=raw.get("disabled") is True,
        meta=meta,
        gaps=gaps,
    )
    tree = _attempt("files", lambda: repo.get_git_tree(sha, recursive=True), gaps, secrets, missing_ok=False)
    src.files = _files(tree, budget, gaps) if tree is not None else []
    license_file = _attempt("license", repo.get_license, gaps, secrets)
    readme = _attempt("readme", lambda: repo.get_readme(ref=sha), gaps, secrets)
    for cf in (license_file, readme):
        if cf is not None and len(src.texts) < budget.max_texts:
            src.texts.append(_content_text(cf, budget.max_text_bytes))
    if license_file is not None:
        detected = license_file.raw_data.get("license") if isinstance(license_file.raw_data.get("license"), dict) else {}
        meta["license_file"] = {"path": license_file.path, "spdx_id": _str(detected, "spdx_id"), "name": _str(detected, "name")}
    done = {t.path for t in src.texts}
    sizes = {f.path: f.size for f in src.files}
    wanted = [p for p in candidates(sizes) if p not in done]
    room = budget.max_texts - len(src.texts)
    if len(wanted) > room:
        gaps.append(gap("texts", "too-large", f"read {max(0, room)} of {len(wanted)} further candidate texts"))
    for path in wanted[: max(0, room)]:
        size = sizes.get(path)
        if size is not None and size > CONTENTS_LIMIT:
            src.texts.append(unread(path, "over the contents API's 1 MB: not read", "too-large", size))
            continue
        try:
            cf = repo.get_contents(path, ref=sha)
        except Exception as exc:
            kind, why = classify(exc)
            if kind == "not-found":
                why = "HTTP 404: listed in the tree, but GitHub has no such file"
            src.texts.append(unread(path, message(why, secrets), kind, size))
            continue
        if isinstance(cf, list):
            continue
        src.texts.append(_content_text(cf, budget.max_text_bytes))
    refs = _attempt("refs", lambda: _refs(repo, budget), gaps, secrets, missing_ok=False)
    src.refs = refs or []
    return src
