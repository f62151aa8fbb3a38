"""A local stand-in for the GitHub REST API: just enough for PyGithub's statuses, check runs and comments.

A real HTTP server on 127.0.0.1 (port 0). It records every request and can be scripted to fail:
`server.fail("POST", r"/statuses/", "500", times=2)`. Kinds: the keys of FAULTS, plus "timeout" (answer
after `delay` seconds), "malformed" (200 with broken JSON), "echo-token" (an error quoting the
Authorization header) and "lost" (do the write, then answer 502).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FAULTS = {
    # kind: (status, extra headers, body)
    "500": (500, {}, {"message": "Server Error"}),
    "502": (502, {}, {"message": "Bad Gateway"}),
    "secondary": (403, {"Retry-After": "1"}, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}),
    "429": (429, {"Retry-After": "2"}, {"message": "Too Many Requests"}),
    "primary": (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999999999"}, {"message": "API rate limit exceeded for installation."}),
    "404": (404, {}, {"message": "Not Found"}),
    "readonly": (403, {}, {"message": "Resource not accessible by integration"}),
    "unauthorized": (401, {}, {"message": "Bad credentials"}),
}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    full_path: str = ""


@dataclass
class Fault:
    method: str
    pattern: str
    kind: str
    times: int
    delay: float = 0.0


@dataclass
class State:
    login: str | None = None  # None: GET /user answers 403 as it does for the Actions token
    page_size: int = 30  # the server caps per_page to this, to force pagination
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    check_runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_id: int = 1000


class Handler(BaseHTTPRequestHandler):
    server: FakeGitHub  # type: ignore[assignment]

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (timeout tests)
            pass

    def _handle(self, method: str) -> None:
        srv = self.server
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        req = Request(method, parts.path, parse_qs(parts.query), dict(self.headers.items()), body)
        if not parts.path.startswith(srv.prefix + "/"):
            with srv.lock:
                srv.requests.append(req)
            return self._send(404, {"message": "Not Found"})
        req.path = parts.path[len(srv.prefix) :]  # routes see API paths; `full_path` keeps what was asked
        req.full_path = parts.path
        with srv.lock:
            srv.requests.append(req)
            fault = srv.take_fault(method, parts.path)
        if fault is not None and fault.kind != "lost":
            return self._fault(fault)
        with srv.lock:
            status, payload, headers = srv.route(req)
        if fault is not None:  # "lost": the write happened, the answer is a gateway error
            return self._send(502, {"message": "Bad Gateway"})
        self._send(status, payload, headers)

    def _fault(self, fault: Fault) -> None:
        if fault.kind == "timeout":
            time.sleep(fault.delay)
            return self._send(200, {"message": "too late"})
        if fault.kind == "malformed":
            return self._send(200, None, raw=b'{"id": 1, "body": ')
        if fault.kind == "echo-token":
            auth = self.headers.get("Authorization", "")
            return self._send(422, {"message": f"Validation Failed for header {auth}", "errors": [{"token": auth.split()[-1] if auth else ""}]})
        status, headers, body = FAULTS[fault.kind]
        self._send(status, body, headers)


class FakeGitHub(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, owner: str = "acme", repo: str = "tiny-model", prefix: str = "") -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.prefix = prefix.rstrip("/")  # "/api/v3" stands in for GitHub Enterprise Server
        self.owner, self.repo = owner, repo
        self.lock = threading.Lock()
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.state = State()
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def url(self) -> str:
        """The API base URL (GITHUB_API_URL)."""
        return self.host + self.prefix

    def start(self) -> FakeGitHub:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    # scripting
    def fail(self, method: str, pattern: str, kind: str, times: int = 1, delay: float = 0.0) -> None:
        self.faults.append(Fault(method, pattern, kind, times, delay))

    def take_fault(self, method: str, path: str) -> Fault | None:
        for f in self.faults:
            if f.times > 0 and f.method == method and re.search(f.pattern, path):
                f.times -= 1
                return f
        return None

    def add_comment(self, number: int, body: str, login: str = "someone", type_: str = "User") -> dict[str, Any]:
        with self.lock:
            return self._new_comment(number, body, login, type_)

    def calls(self, method: str | None = None, pattern: str = "") -> list[Request]:
        return [r for r in self.requests if (method is None or r.method == method) and re.search(pattern, r.path)]

    # the API
    def _repo_path(self) -> str:
        return f"/repos/{self.owner}/{self.repo}"

    def _new_comment(self, number: int, body: str, login: str, type_: str) -> dict[str, Any]:
        self.state.next_id += 1
        cid = self.state.next_id
        c = {
            "id": cid,
            "body": body,
            "user": {"login": login, "id": 1, "type": type_},
            "url": f"{self.url}{self._repo_path()}/issues/comments/{cid}",
            "html_url": f"https://github.example/{self.owner}/{self.repo}/pull/{number}#issuecomment-{cid}",
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
        }
        self.state.comments.setdefault(number, []).append(c)
        return c

    def route(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        base = self._repo_path()
        p, m = req.path, req.method
        if m == "GET" and p == "/user":
            if self.state.login is None:
                return 403, FAULTS["readonly"][2], {}
            return 200, {"login": self.state.login, "id": 7, "type": "User"}, {}
        if not p.startswith(base):
            return 404, {"message": "Not Found"}, {}
        rest = p[len(base) :]
        if m == "GET" and rest == "":
            return 200, {"id": 1, "name": self.repo, "full_name": f"{self.owner}/{self.repo}", "url": f"{self.url}{base}"}, {}
        if m == "POST" and (mt := re.fullmatch(r"/statuses/([0-9a-f]+)", rest)):
            s = dict(req.body or {}, sha=mt.group(1), id=len(self.state.statuses) + 1)
            self.state.statuses.append(s)
            return 201, s, {}
        if m == "POST" and rest == "/check-runs":
            self.state.next_id += 1
            run = dict(req.body or {}, id=self.state.next_id, url=f"{self.url}{base}/check-runs/{self.state.next_id}")
            run["annotations_sent"] = list((req.body or {}).get("output", {}).get("annotations", []))
            self.state.check_runs[run["id"]] = run
            return 201, run, {}
        if m == "PATCH" and (mt := re.fullmatch(r"/check-runs/(\d+)", rest)):
            run = self.state.check_runs.get(int(mt.group(1)))
            if run is None:
                return 404, {"message": "Not Found"}, {}
            run["annotations_sent"].extend((req.body or {}).get("output", {}).get("annotations", []))
            return 200, run, {}
        if mt := re.fullmatch(r"/issues/(\d+)/comments", rest):
            number = int(mt.group(1))
            if m == "POST":
                login = self.state.login or "github-actions[bot]"
                return 201, self._new_comment(number, (req.body or {}).get("body", ""), login, "Bot" if login.endswith("[bot]") else "User"), {}
            if m == "GET":
                return self._page(req, number)
        if m == "PATCH" and (mt := re.fullmatch(r"/issues/comments/(\d+)", rest)):
            cid = int(mt.group(1))
            for c in (c for cs in self.state.comments.values() for c in cs):
                if c["id"] == cid:
                    c["body"] = (req.body or {}).get("body", "")
                    c["updated_at"] = "2026-01-02T00:00:00Z"
                    return 200, c, {}
            return 404, {"message": "Not Found"}, {}
        return 404, {"message": "Not Found"}, {}

    def _page(self, req: Request, number: int) -> tuple[int, Any, dict[str, str]]:
        comments = self.state.comments.get(number, [])
        per_page = min(int((req.query.get("per_page") or ["30"])[0]), self.state.page_size)
        page = int((req.query.get("page") or ["1"])[0])
        last = max(1, -(-len(comments) // per_page))
        items = comments[(page - 1) * per_page : page * per_page]
        headers = {}
        link = f"{self.host}{req.full_path}?per_page={per_page}&page="
        rels = []
        if page < last:
            rels.append(f'<{link}{page + 1}>; rel="next"')
            rels.append(f'<{link}{last}>; rel="last"')
        if page > 1:
            rels.append(f'<{link}1>; rel="first"')
            rels.append(f'<{link}{page - 1}>; rel="prev"')
        if rels:
            headers["Link"] = ", ".join(rels)
        return 200, items, headers
