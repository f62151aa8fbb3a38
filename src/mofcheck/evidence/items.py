"""The evidence every reader returns, whatever its source: what shows each component, which licenses
apply to what, and what was found along the way.

A reader (mofcheck.readers) fills an `EvidenceSet`; the evaluator (verify.py) consumes sets and never
asks where they came from: provenance travels on each item (`Evidence.source`, `.revision`, `.path`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..model import Evidence, Finding

MAX_EVIDENCE_PER_COMPONENT = 8
_ARG = {"paths": "path", "urls": "url", "remote": "remote"}  # Found bucket -> Found.add keyword


@dataclass
class LicenseSource:
    """One place that states a license, and what it covers."""

    expression: str | None  # normalised (SPDX expression or LicenseRef-...), None when unidentified
    declared: str  # as found
    kind: str  # license-file | spdx-header | card | statement | readme | package | manifest | host
    path: str
    line: int | None
    covers: frozenset[str]  # component names
    scope: str | None = None  # a folder ("" root) or file path the source is limited to; None: anywhere
    specificity: int = 1  # higher wins: header 5, folder license 4, scoped file / statement 3, card 2, root 1
    detail: str = ""
    confidence: float = 1.0
    pattern: re.Pattern[str] | None = None  # paths the source is limited to (REUSE.toml globs); wins over scope
    source: str | None = None  # the reader that found it (None: the local repository)
    revision: str | None = None

    def applies_to(self, component: str, paths: list[str]) -> bool:
        if component not in self.covers:
            return False
        if self.pattern is not None:
            return any(self.pattern.fullmatch(p) for p in paths)
        if self.scope is None or self.scope == "":
            return True  # remote readers always scope their sources to their own URL
        return any(within(p, self.scope) for p in paths)

    def evidence(self) -> Evidence:
        return Evidence(
            kind=self.kind,
            rule=f"license.{self.kind}",
            detail=f"{self.declared!r}" + (f" -> {self.expression}" if self.expression and self.expression != self.declared else "") + (f"; {self.detail}" if self.detail else ""),
            path=self.path,
            line=self.line,
            confidence=self.confidence,
            source=self.source,
            revision=self.revision,
        )


def within(path: str, scope: str) -> bool:
    """`path` is `scope` or lies under it ("" is the repository root)."""
    return scope == "" or path == scope or path.startswith(scope.rstrip("/") + "/")


@dataclass
class Found:
    """What shows one component.

    `paths` are files in the checked repository, `remote` files or pages a reader fetched (by URL, at a
    revision), `urls` links nobody looked at. Items under the confidence floor are kept as evidence
    ("possible") but never make the component present.
    """

    evidence: list[Evidence] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)
    possible: list[Evidence] = field(default_factory=list)
    more: int = 0  # matches not kept as evidence
    _seen: set[str] = field(default_factory=set, repr=False, compare=False)  # O(1) dedup
    _keys: list[tuple[str, str | None]] = field(default_factory=list, repr=False, compare=False)  # per evidence item

    @property
    def present(self) -> bool:
        return bool(self.paths or self.urls or self.remote)

    @property
    def verified(self) -> bool:
        """Shown by a file: in the repository, or fetched from where the release publishes it."""
        return bool(self.paths or self.remote)

    def add(self, ev: Evidence, path: str | None = None, url: str | None = None, remote: str | None = None, floor: float = 0.0) -> None:
        bucket, key = ("paths", path) if path else ("remote", remote) if remote else ("urls", url)
        if key and key in self._seen:
            return
        if ev.confidence < floor:
            if len(self.possible) < MAX_EVIDENCE_PER_COMPONENT and ev not in self.possible:
                self.possible.append(ev)
            return
        if key:
            self._seen.add(key)
            getattr(self, bucket).append(key)
        if len(self.evidence) < MAX_EVIDENCE_PER_COMPONENT:
            self.evidence.append(ev)
            self._keys.append((bucket, key))
        else:
            self.more += 1

    def merge(self, other: Found) -> None:
        for ev, (bucket, key) in zip(other.evidence, other._keys):
            self.add(ev, **{_ARG[bucket]: key})
        for bucket in ("paths", "remote", "urls"):
            for key in getattr(other, bucket):
                if key not in self._seen:  # matches beyond the evidence cap still show the component
                    self._seen.add(key)
                    getattr(self, bucket).append(key)
                    self.more += 1
        for ev in other.possible:
            if len(self.possible) < MAX_EVIDENCE_PER_COMPONENT and ev not in self.possible:
                self.possible.append(ev)


@dataclass
class Link:
    """A pointer from the release to a place that publishes part of it (Hugging Face, arXiv, GitHub)."""

    reader: str  # the reader that can read it: hf-model | hf-dataset | arxiv | github
    id: str  # "allenai/OLMo-7B", "2402.00838", "allenai/OLMo"
    url: str  # canonical URL
    backs: frozenset[str]  # components it can back
    origin: str  # where it was found: a path or "manifest"
    line: int | None = None
    rule: str = ""
    revision: str | None = None  # a revision the link pins (…/tree/<rev>, ?revision=)

    @property
    def key(self) -> str:
        return f"{self.reader}:{self.id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "reader": self.reader,
            "id": self.id,
            "url": self.url,
            "backs": sorted(self.backs),
            "origin": self.origin,
            "line": self.line,
            "rule": self.rule,
            "revision": self.revision,
        }


@dataclass
class EvidenceSet:
    """What one or more readers found. `repo` and `index` are the local tree's, when there is one."""

    repo: Any = None
    index: Any = None
    licenses: list[LicenseSource] = field(default_factory=list)
    found: dict[str, Found] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    use_policies: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # REUSE LICENSES/<id> -> path
    links: list[Link] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)  # remote sources read (provenance summaries)

    def found_for(self, component: str) -> Found:
        return self.found.setdefault(component, Found())

    def merge(self, other: EvidenceSet) -> EvidenceSet:
        """`other`'s evidence added to this set (the local tree keeps its repo and index)."""
        for name, f in other.found.items():
            self.found_for(name).merge(f)
        self.licenses.extend(other.licenses)
        self.findings.extend(other.findings)
        self.use_policies.extend(p for p in other.use_policies if p not in self.use_policies)
        for k, v in other.texts.items():
            self.texts.setdefault(k, v)
        known = {l.key for l in self.links}
        self.links.extend(l for l in other.links if l.key not in known)
        self.sources.extend(other.sources)
        return self

    def copy(self) -> EvidenceSet:
        """A set that can take more evidence without changing this one."""
        out = replace(self, licenses=list(self.licenses), findings=list(self.findings), use_policies=list(self.use_policies),
                      texts=dict(self.texts), links=list(self.links), sources=list(self.sources), found={})
        for name, f in self.found.items():
            out.found_for(name).merge(f)
        return out


__all__ = ["EvidenceSet", "Found", "LicenseSource", "Link", "within", "MAX_EVIDENCE_PER_COMPONENT"]
