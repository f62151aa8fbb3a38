"""Local stand-ins for the Hugging Face Hub, the arXiv API and GitHub, with the real clients pointed at them.

From a test:

    from .standins import standins, no_network  # noqa: F401  (pytest fixtures)

    def test_x(standins):                       # the three servers, started, env pointed at them
        s = standins.scenario("open")           # named releases: tests/standins/scenarios.py
        standins.hub.fail(r"/api/models/", "slow", delay=2)   # scripted faults: tests/standins/base.py
        standins.move("moving")                 # a revision moves (stale locks)

Outside pytest: `with Standins() as s: os.environ.update(s.env())`.

`standins` sets HF_ENDPOINT, MOFCHECK_ARXIV_URL (and a zero arXiv pause), GITHUB_API_URL, a private
HF_HOME, and clears every token variable; it also applies `no_network`, which fails the test when any
socket connects (or any name is looked up) outside the loopback range.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mofcheck.remote import safety

from .arxiv import ArxivServer
from .base import Reply, Request, StandinServer
from .github import GitHubServer
from .hub import HubServer
from .scenarios import FAULT_REPOS, HF_TOKEN_GRANTED, SCENARIOS, Scenario

# mofcheck's own list, and huggingface_hub's OIDC variable (another way to a token)
TOKEN_VARIABLES = (*safety.TOKEN_VARIABLES, "HF_OIDC_RESOURCE")
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")

__all__ = [
    "ArxivServer",
    "FAULT_REPOS",
    "GitHubServer",
    "HF_TOKEN_GRANTED",
    "HubServer",
    "Reply",
    "Request",
    "SCENARIOS",
    "Scenario",
    "Standins",
    "StandinServer",
    "no_network",
    "standins",
]


def _other_host() -> StandinServer:
    """A server on another loopback address (127.0.0.2 where the system has it): where redirects point."""
    try:
        return StandinServer("127.0.0.2")
    except OSError:
        return StandinServer("127.0.0.1")


def _dead_url() -> str:
    """A URL on which nothing listens (a port bound, then freed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


class Standins:
    def __init__(self, github_prefix: str = "") -> None:
        self.hub = HubServer()
        self.arxiv = ArxivServer()
        self.github = GitHubServer(prefix=github_prefix)
        self.elsewhere = _other_host()  # must never see a request
        self.dead_url = _dead_url()

    @property
    def servers(self) -> tuple[StandinServer, ...]:
        return (self.hub, self.arxiv, self.github, self.elsewhere)

    def start(self) -> Standins:
        for s in self.servers:
            s.start()
        return self

    def stop(self) -> None:
        for s in self.servers:
            s.stop()

    def __enter__(self) -> Standins:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def env(self, home: Path | None = None) -> dict[str, str]:
        out = {
            "HF_ENDPOINT": self.hub.url,
            "MOFCHECK_ARXIV_URL": self.arxiv.api_url,
            "MOFCHECK_ARXIV_PAUSE": "0",
            "GITHUB_API_URL": self.github.api_url,
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
        }
        if home is not None:
            out["HF_HOME"] = str(home / "hf-home")
        return out

    def scenario(self, name: str) -> Scenario:
        return SCENARIOS[name]

    def move(self, name: str) -> None:
        """Advance every repository of scenario `name` to its next revision."""
        sc = SCENARIOS[name]
        for m in sc.hf_models:
            self.hub.move(m)
        for d in sc.hf_datasets:
            self.hub.move(d, "dataset")
        for g in sc.github:
            self.github.move(g)

    def requests(self) -> int:
        return sum(len(s.requests) for s in self.servers)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail the test if anything connects to, or looks up, a host outside 127.0.0.0/8 and ::1."""
    seen: list[str] = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def loopback(host: Any) -> bool:
        if host in ("localhost", "localhost.localdomain"):
            return True
        try:
            return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            return False

    def connect(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and not loopback(address[0]):
            seen.append(f"connect {address[0]}")
            raise OSError(f"test network guard: refused a connection to {address[0]}")
        return real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not loopback(host if isinstance(host, str) else host.decode()):
            seen.append(f"lookup {host}")
            raise socket.gaierror(f"test network guard: refused to look up {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield seen
    assert not seen, f"the test tried to reach the network: {seen}"


@pytest.fixture
def standins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_network: list[str]) -> Iterator[Standins]:
    for var in TOKEN_VARIABLES + PROXY_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    with Standins() as s:
        for k, v in s.env(tmp_path).items():
            monkeypatch.setenv(k, v)
        yield s
        assert not s.elsewhere.requests, f"a client followed a server to another host: {s.elsewhere.requests}"
