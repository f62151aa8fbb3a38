"""What every client shares: the faults it raises, token scrubbing, id checks and bounded text decoding.

Remote content is as untrusted as the repository: ids from cards are checked before they reach a URL,
server messages are cut to one short line with every known token replaced, and texts are data.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from urllib.parse import quote

# Environment variables that may hold a token for one of the hosts.
TOKEN_VARIABLES = (
    "HF_TOKEN",
    "HUGGING_FACE_HUB_TOKEN",
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "MOFCHECK_GITHUB_TOKEN",
    "INPUT_GITHUB-TOKEN",
    "INPUT_GITHUB_TOKEN",
)
MESSAGE_LIMIT = 300

HF_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}")
GITHUB_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_DOTS = re.compile(r"(^|/)\.\.?($|/)|\.\.")


class RemoteFault(Exception):
    """A request refused or cut by our own bounds; `kind` is the RemoteSource error_kind."""

    kind = "unreachable"

    def __init__(self, message: str, kind: str | None = None) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind


class TooLarge(RemoteFault):
    kind = "too-large"


class OffHost(RemoteFault):
    kind = "redirect"


class Deadline(RemoteFault):
    kind = "timeout"


def valid_hf_id(repo_id: str) -> bool:
    return bool(HF_ID.fullmatch(repo_id)) and not _DOTS.search(repo_id) and not repo_id.endswith(".git")


def valid_github_id(owner_repo: str) -> bool:
    if not GITHUB_ID.fullmatch(owner_repo) or _DOTS.search(owner_repo):
        return False
    return not owner_repo.lower().endswith(".git")


def env_secrets(extra: Iterable[str | None] = ()) -> list[str]:
    """Every token value that must never appear in output: the token variables' values and `extra`."""
    found = [os.environ.get(v) for v in TOKEN_VARIABLES]
    out = []
    for s in [*found, *extra]:
        if s and len(s) >= 4 and s not in out:
            out.append(s)
    return out


def scrub(text: str, secrets: Iterable[str]) -> str:
    for s in secrets:
        if s:
            for form in {s, quote(s, safe=""), quote(s)}:
                text = text.replace(form, "***")
    return text


def message(text: object, secrets: Iterable[str], limit: int = MESSAGE_LIMIT) -> str:
    """One short line for an error field: whitespace collapsed, tokens replaced, bounded."""
    s = scrub(" ".join(str(text).split()), list(secrets))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes) -> str:
    """Bytes of a text file as str: UTF-8 (BOM dropped), UTF-16 by BOM; undecodable bytes replaced."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8-sig", "replace")


def public_url(url: str) -> str:
    """A base URL without user:password@ (a mirror's URL may carry credentials)."""
    return re.sub(r"^([a-z][a-z0-9+.-]*://)[^/@]*@", r"\1", url, flags=re.I)
