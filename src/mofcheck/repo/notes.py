"""The findings the repository layer makes while listing and reading (skipped, escaping, too large,
unreadable), each said once per path."""

from __future__ import annotations

from ..model import Finding

SKIPPED = "repo.skipped"
SYMLINK_ESCAPE = "repo.symlink-escape"
TOO_LARGE = "repo.too-large"
UNREADABLE = "repo.unreadable"
CODES = (SKIPPED, SYMLINK_ESCAPE, TOO_LARGE, UNREADABLE)
MAX_SKIP_FINDINGS = 50  # findings of one kind that name a path; the rest are counted


class Notes:
    """Findings in the order made; a finding about a path is made once per code."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, str | None]] = set()

    def add(self, code: str, message: str, path: str | None, when: str | None = None) -> None:
        """A finding of `code` (its severity from checks.yaml; `when="limit"`: the listing stopped at a bound)."""
        key = (code, path)
        if path is not None and key in self._seen:
            return
        self._seen.add(key)
        self.findings.append(Finding.of(code, message, path, when=when))

    def refusal(self, rel: str, why: str | None) -> None:
        """Why a path was not read: an escape or a loop is a symlink finding; a missing file is the
        caller's business."""
        if why and ("outside" in why or "loop" in why):
            self.add(SYMLINK_ESCAPE, why, rel)
        elif why and why != "no such file" and not why.startswith("not in "):
            self.add(UNREADABLE, why, rel)
