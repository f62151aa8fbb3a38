"""A local HTTP server for the remote stand-ins: threads, a request log, and scripted faults.

Every stand-in binds 127.0.0.1 (or another loopback address), port 0. Subclasses answer `route(req)`
with a Reply. Faults are scripted per path pattern: `server.fail(r"/api/models/", "slow", delay=2)`.

Fault kinds (what a hostile or broken server does):
  500 502 503  a server error            429     too many requests (Retry-After: `retry_after`)
  slow         answer after `delay` s    dribble  send the body one byte every `delay` s
  huge         a 200 body of `size` bytes (default 64 MiB, streamed)
  bomb         a small gzip body that inflates to `size` bytes
  malformed    a 200 with `body` (default: broken JSON)
  redirect     302 to `to` (another host)
  drop         close the connection without answering
  echo-token   an error whose body and headers quote the Authorization header
  status       `status` with `body` and `headers`
"""

from __future__ import annotations

import gzip
import io
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MiB = 1024 * 1024


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float = 0.0
    done: float = 0.0


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(data).encode(), dict(headers or {}))


@dataclass
class Fault:
    pattern: str
    kind: str
    times: int
    method: str | None
    params: dict[str, Any]


class Handler(BaseHTTPRequestHandler):
    server: StandinServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"
    wbufsize = 64 * 1024  # headers and body leave in one segment (unbuffered, Nagle + delayed ACK cost 40 ms)

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def _handle(self, method: str) -> None:
        srv = self.server
        parts = urlsplit(self.path)
        req = Request(method, parts.path, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
        with srv.lock:
            srv.requests.append(req)
            srv.active += 1
            srv.max_active = max(srv.max_active, srv.active)
            fault = srv.take_fault(method, parts.path)
        try:
            if fault is not None:
                self._fault(fault, req)
            else:
                try:
                    reply = srv.route(req)
                except Exception as exc:  # a stand-in bug shows as a 599, not a hang
                    reply = Reply.json({"error": f"stand-in error: {exc!r}"}, 599)
                self._send(reply, method)
        finally:
            req.done = time.monotonic()
            with srv.lock:
                srv.active -= 1

    def _send(self, reply: Reply, method: str) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for k, v in reply.headers.items():
                self.send_header(k, v)
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(reply.body)
        except OSError:  # the client gave up
            self.close_connection = True

    def _fault(self, f: Fault, req: Request) -> None:
        p, method = f.params, req.method
        try:
            if f.kind in ("500", "502", "503"):
                return self._send(Reply.json({"error": "Server Error"}, int(f.kind)), method)
            if f.kind == "429":
                return self._send(Reply.json({"error": "Too Many Requests"}, 429, {"Retry-After": str(p.get("retry_after", 0))}), method)
            if f.kind == "slow":
                time.sleep(p.get("delay", 5.0))
                return self._send(self.server.route(req), method)
            if f.kind == "dribble":
                body = p.get("body", b'{"id": "x"}' + b" " * 200)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.flush()
                for i in range(len(body)):
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
                    time.sleep(p.get("delay", 0.2))
                return None
            if f.kind == "huge":
                size = p.get("size", 64 * MiB)
                self.send_response(200)
                self.send_header("Content-Type", p.get("content_type", "application/json"))
                self.send_header("Content-Length", str(size))
                self.end_headers()
                chunk = b"[" + b"0," * (MiB // 2 - 1)
                sent = 0
                while sent < size:
                    piece = chunk[: min(len(chunk), size - sent)]
                    self.wfile.write(piece)
                    sent += len(piece)
                return None
            if f.kind == "bomb":
                buf = io.BytesIO()
                with gzip.GzipFile(fileobj=buf, mode="wb") as gz:
                    block = b" " * MiB
                    for _ in range(p.get("size", 256 * MiB) // MiB):
                        gz.write(block)
                return self._send(Reply(200, buf.getvalue(), {"Content-Encoding": "gzip"}, p.get("content_type", "application/json")), method)
            if f.kind == "malformed":
                return self._send(Reply(200, p.get("body", b'{"id": "broken", "siblings": ['), {}, p.get("content_type", "application/json")), method)
            if f.kind == "redirect":
                return self._send(Reply(p.get("status", 302), b"", {"Location": p["to"]}), method)
            if f.kind == "drop":
                self.close_connection = True
                return None
            if f.kind == "echo-token":
                auth = self.headers.get("Authorization", "")
                return self._send(
                    Reply.json(
                        {"error": f"bad token {auth}", "message": f"bad token {auth}"},
                        p.get("status", 500),
                        {"X-Error-Message": f"token {auth}", "X-HF-Warning": f"echo; {auth}"},
                    ),
                    method,
                )
            if f.kind == "status":
                return self._send(Reply(p["status"], p.get("body", b""), p.get("headers", {}), p.get("content_type", "application/json")), method)
            raise ValueError(f"unknown fault {f.kind}")
        except OSError:
            self.close_connection = True
            return None


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), Handler)
        self.lock = threading.Lock()
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.active = self.max_active = 0
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StandinServer:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self) -> StandinServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up early (timeout tests) is expected, not news

    def fail(self, pattern: str, kind: str, times: int = 1, method: str | None = None, **params: Any) -> None:
        """Answer the next `times` requests whose path matches `pattern` with fault `kind` (times=-1: always)."""
        with self.lock:
            self.faults.append(Fault(pattern, kind, times, method, params))

    def take_fault(self, method: str, path: str) -> Fault | None:
        for f in self.faults:
            if f.times != 0 and (f.method is None or f.method == method) and re.search(f.pattern, path):
                if f.times > 0:
                    f.times -= 1
                return f
        return None

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.faults.clear()
            self.active = self.max_active = 0

    def calls(self, pattern: str = "", method: str | None = None) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if (method is None or r.method == method) and re.search(pattern, r.path)]

    def route(self, req: Request) -> Reply:  # pragma: no cover - subclasses answer
        return Reply.json({"error": "Not Found"}, 404)
