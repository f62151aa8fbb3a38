"""Bounds for every httpx2 request (the Hugging Face client's and ours for arXiv): one transport.

`GuardedTransport` sits under the httpx2 client. While a `guarded(Guard(...))` block is active in the
calling thread it refuses any host other than the allowed origins (so redirects to another host stop
before a connection is made), sets each request's timeout from the run's Budget, counts and bounds the
body (after decompression: gzip and deflate are decoded here, in bounded steps, so a small compressed
bomb stays small), gives each body a wall-clock deadline (a server dribbling bytes does not hold a run),
and drops `X-HF-Warning` headers (huggingface_hub would log a server's words to our stderr). Outside a
guarded block the transport passes requests through unchanged.
"""

from __future__ import annotations

import time
import urllib.request
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx2

from .budget import Budget
from .safety import Deadline, OffHost, RemoteFault, TooLarge

DEFAULT_PORTS = {"http": 80, "https": 443}
_DROPPED_HEADERS = {b"x-hf-warning"}
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class Guard:
    origins: frozenset[tuple[str, str, int]]
    budget: Budget
    max_bytes: int


_CURRENT: ContextVar[Guard | None] = ContextVar("mofcheck_remote_guard", default=None)


def origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme, 0)


def origins_for(*base_urls: str) -> frozenset[tuple[str, str, int]]:
    """The origins of the base URLs; a base on plain http's default port may also be upgraded to https."""
    out = set()
    for url in base_urls:
        scheme, host, port = origin(url)
        out.add((scheme, host, port))
        if scheme == "http" and port == 80:
            out.add(("https", host, 443))
    return frozenset(out)


def current() -> Guard | None:
    """The guard active in this thread, if any."""
    return _CURRENT.get()


@contextmanager
def guarded(guard: Guard) -> Iterator[Guard]:
    token = _CURRENT.set(guard)
    try:
        yield guard
    finally:
        _CURRENT.reset(token)


class BoundedStream(httpx2.SyncByteStream):
    def __init__(self, inner: Any, limit: int, deadline: float, decoder: Any) -> None:
        self.inner, self.limit, self.deadline, self.decoder = inner, limit, deadline, decoder

    def _count(self, n: int, seen: int) -> int:
        seen += n
        if seen > self.limit:
            raise TooLarge(f"the response is larger than the bound of {self.limit} bytes")
        return seen

    def __iter__(self) -> Iterator[bytes]:
        seen = 0
        for chunk in self.inner:
            if time.monotonic() > self.deadline:
                raise Deadline("the response did not finish within the request timeout")
            if self.decoder is not None:
                try:
                    chunk = self.decoder.decompress(chunk, self.limit - seen + 1)
                except zlib.error as exc:
                    raise RemoteFault(f"the response's compressed body is broken ({exc})", "malformed") from None
            seen = self._count(len(chunk), seen)
            if chunk:
                yield chunk
        if self.decoder is not None:
            try:
                tail = self.decoder.flush()
            except zlib.error as exc:
                raise RemoteFault(f"the response's compressed body is broken ({exc})", "malformed") from None
            seen = self._count(len(tail), seen)
            if tail:
                yield tail

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()


class GuardedTransport(httpx2.BaseTransport):
    def __init__(self) -> None:
        self._direct = httpx2.HTTPTransport(retries=0)
        self._proxied: dict[str, httpx2.HTTPTransport] = {}

    def _inner(self, url: httpx2.URL) -> httpx2.BaseTransport:
        """The environment's proxy for this URL (stdlib rules: *_PROXY, NO_PROXY), loopback never proxied."""
        host = url.host or ""
        proxy = urllib.request.getproxies().get(url.scheme) or urllib.request.getproxies().get("all")
        if not proxy or host in _LOOPBACK or urllib.request.proxy_bypass(host):
            return self._direct
        if proxy not in self._proxied:
            self._proxied[proxy] = httpx2.HTTPTransport(retries=0, proxy=proxy)
        return self._proxied[proxy]

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        guard = _CURRENT.get()
        inner = self._inner(request.url)
        if guard is None:
            return inner.handle_request(request)
        if origin(str(request.url)) not in guard.origins:
            raise OffHost(f"refused to follow the server to another host ({request.url.host or '?'})")
        seconds = guard.budget.timeout()
        request.extensions = {**request.extensions, "timeout": dict.fromkeys(("connect", "read", "write", "pool"), seconds)}
        request.headers["Accept-Encoding"] = "gzip, deflate"
        deadline = time.monotonic() + seconds
        response = inner.handle_request(request)
        encoding = response.headers.get("content-encoding", "").strip().lower()
        decoder = None
        drop = set(_DROPPED_HEADERS)
        if encoding in ("gzip", "x-gzip", "deflate"):
            decoder = zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib, told by the header bytes
            drop |= {b"content-encoding", b"content-length"}
        elif encoding not in ("", "identity"):
            response.close()
            raise RemoteFault(f"the server used an encoding that was not asked for ({encoding[:40]})", "malformed")
        headers = [(k, v) for k, v in response.headers.raw if k.lower() not in drop]
        stream = BoundedStream(response.stream, guard.max_bytes, deadline, decoder)
        return httpx2.Response(response.status_code, headers=headers, stream=stream, extensions=response.extensions)

    def close(self) -> None:
        self._direct.close()
        for t in self._proxied.values():
            t.close()


def new_client(**kwargs: Any) -> httpx2.Client:
    """An httpx2 client over the guarded transport. Redirects on the same host are followed (a renamed
    repository), a bounded number of times; the environment's proxies are applied by the transport."""
    return httpx2.Client(transport=GuardedTransport(), follow_redirects=True, max_redirects=5, timeout=30.0, trust_env=False, **kwargs)


def status_of(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def retry_delay(exc: BaseException, attempt: int) -> float | None:
    """Seconds before trying again, or None when retrying would not help (timeouts are not retried:
    a slow server would only spend the budget twice)."""
    if isinstance(exc, (RemoteFault, httpx2.TimeoutException)):
        return None
    if isinstance(exc, (httpx2.ConnectError, httpx2.RemoteProtocolError, httpx2.ReadError)):
        return 0.2 * (2**attempt)
    status = status_of(exc)
    if status in RETRY_STATUSES:
        after = retry_after(exc)
        return after if after is not None else 0.2 * (2**attempt)
    return None


def with_retries(call: Any, budget: Budget, sleep: Any = time.sleep) -> Any:
    for attempt in range(budget.retries + 1):
        try:
            return call()
        except Exception as exc:
            delay = retry_delay(exc, attempt)
            if delay is None or attempt >= budget.retries or not budget.wait(delay, sleep):
                raise
    raise AssertionError("unreachable")


def transport_kind(exc: BaseException) -> tuple[str, str] | None:
    """error_kind and a short reason for transport-level failures (ours and httpx2's), else None."""
    if isinstance(exc, RemoteFault):
        return exc.kind, str(exc)
    if isinstance(exc, httpx2.TimeoutException):
        return "timeout", "no answer within the request timeout"
    if isinstance(exc, httpx2.TooManyRedirects):
        return "redirect", "too many redirects"
    if isinstance(exc, httpx2.ConnectError):
        return "unreachable", "could not connect"
    if isinstance(exc, (httpx2.TransportError, httpx2.DecodingError)):
        return "unreachable", f"the connection failed ({type(exc).__name__})"
    return None
