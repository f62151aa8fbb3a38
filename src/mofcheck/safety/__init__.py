"""Release safety: pickle-based weights that run code when loaded, remote code, privacy documentation.

`scan(repo, index, cards)` is the one entry point for a repository (offline; `mofcheck check` and the
hook call it). `from_hub(entries)` gives the same findings from the Hugging Face Hub's own scan status
(for `resolve`). One module per job: streams.py + pickles.py (pickle streams and their imports),
remote_code.py, privacy.py, hub.py; result.py holds the results and makes every finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .result import CODES, FileScan, Privacy, RemoteCode, SafetyResult

__all__ = ["CODES", "FileScan", "Privacy", "RemoteCode", "SafetyResult", "from_hub", "scan"]


def scan(repo, index=None, cards: Iterable[Any] = ()) -> SafetyResult:
    """Scan a listed repository: never loads a pickle, never uses the network. Never raises for bad
    input: what cannot be read becomes a finding."""
    from . import pickles, privacy, remote_code

    if index is None:
        from ..evidence.paths import classify_paths

        index = classify_paths(repo.files)
    cards = list(cards)
    result = SafetyResult()
    result.files = pickles.scan_files(repo, index)
    if any(f.is_pickle and f.status != "not-scanned" for f in result.files):
        result.scanner = pickles.scanner_info()
    configs = remote_code.from_configs(repo, index)
    result.remote_code = configs + remote_code.from_cards(repo, cards, configs)
    result.privacy = privacy.check(cards, index.is_vendored)
    return result.finish()


def from_hub(entries: Iterable[tuple[str, Any]]) -> SafetyResult:
    """The same findings from the Hub's per-file scan status: see hub.py."""
    from .hub import from_hub as _from_hub

    return _from_hub(entries)
