"""The evidence every reader returns, whatever its source: what shows each component, which licenses
apply to what, and what was found along the way.

A reader (mofcheck.readers) fills an `EvidenceSet`; the evaluator (verify.py) consumes sets and never
asks where they came from: provenance travels on each item (`Evidence.source`, `.revision`, `.path`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from ..model import Evidence, Finding
from ..repo.globs import linear_regex

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
    pattern: Any = None  # an RE2 regex of the paths the source is limited to (REUSE.toml globs); wins over scope
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "declared": self.declared,
            "kind": self.kind,
            "path": self.path,
            "line": self.line,
            "covers": sorted(self.covers),
            "scope": self.scope,
            "specificity": self.specificity,
            "detail": self.detail,
            "confidence": self.confidence,
            "pattern": self.pattern.pattern if self.pattern is not None else None,
            "source": self.source,
            "revision": self.revision,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LicenseSource:
        return cls(
            d.get("expression"),
            str(d.get("declared") or ""),
            str(d["kind"]),
            str(d["path"]),
            d.get("line"),
            frozenset(d.get("covers") or ()),
            d.get("scope"),
            int(d.get("specificity", 1)),
            str(d.get("detail") or ""),
            float(d.get("confidence", 1.0)),
            linear_regex(str(d["pattern"])) if d.get("pattern") else None,  # a lock's text: RE2, ValueError if bad
            d.get("source"),
            d.get("revision"),
        )

    def evidence(self) -> Evidence:
        return Evidence(
            kind=self.kind,
            rule=f"license.{self.kind}",
            detail=f"{self.declared!r}"
            + (f" -> {self.expression}" if self.expression and self.expression != self.declared else "")
            + (f"; {self.detail}" if self.detail else ""),
            path=self.path,
            line=self.line,
            confidence=self.confidence,
            source=self.source,
            revision=self.revision,
        )


@lru_cache(maxsize=1)
def possible_below() -> float:
    from .rules import component_rules  # rules imports this module

    return float(component_rules().get("possible_below", 0.0))


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

    def add(self, ev: Evidence, path: str | None = None, url: str | None = None, remote: str | None = None, floor: float | None = None) -> None:
        """Keep `ev` as evidence at `path` (a repository file), `remote` (a fetched file) or `url` (a link);
        under `floor` (default: components.yaml `possible_below`) it is only "possible"."""
        if floor is None:
            floor = possible_below()
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [{"bucket": b, "key": k, "evidence": e.to_dict()} for e, (b, k) in zip(self.evidence, self._keys)],
            "more": {b: [k for k in getattr(self, b) if k not in {key for _b, key in self._keys}] for b in ("paths", "remote", "urls")},
            "possible": [e.to_dict() for e in self.possible],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Found:
        out = cls()
        for item in d.get("items") or []:
            out.add(evidence_from_dict(item["evidence"]), **{_ARG[item["bucket"]]: item.get("key")}, floor=0.0)
        for bucket, keys in (d.get("more") or {}).items():
            for key in keys:
                if bucket in _ARG and key not in out._seen:
                    out._seen.add(key)
                    getattr(out, bucket).append(key)
                    out.more += 1
        out.possible = [evidence_from_dict(e) for e in d.get("possible") or []]
        return out

    def relocated(self, where: Callable[[str], str], tag: Callable[[Evidence], Evidence]) -> Found:
        """This evidence as found in a fetched remote tree: its files become remote locations (`where`
        maps a tree path to its URL), links stay links, every item gets its provenance (`tag`)."""
        out = Found()
        for ev, (bucket, key) in zip(self.evidence, self._keys):
            if bucket == "paths" and key:
                out.add(tag(ev), remote=where(key))
            else:
                out.add(tag(ev), **{_ARG[bucket]: key})
        for key in self.paths:
            if where(key) not in out._seen:  # beyond the evidence cap
                out._seen.add(where(key))
                out.remote.append(where(key))
                out.more += 1
        out.possible = [tag(ev) for ev in self.possible]
        return out

    def copy(self) -> Found:
        """The same evidence in lists of its own (cheaper than merging into an empty one: a 100k-file
        tree shows ~50k paths)."""
        return replace(
            self,
            evidence=list(self.evidence),
            paths=list(self.paths),
            urls=list(self.urls),
            remote=list(self.remote),
            possible=list(self.possible),
            _seen=set(self._seen),
            _keys=list(self._keys),
        )

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
    revision: str | None = None  # a revision the link pins (…/tree/<rev>, an arXiv version)
    subpath: str | None = None  # a folder or file within the source (…/tree/main/Evaluation)
    confidence: float = 1.0

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
            "subpath": self.subpath,
            "confidence": round(self.confidence, 3),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Link:
        return cls(
            d["reader"],
            d["id"],
            d["url"],
            frozenset(d.get("backs") or ()),
            d.get("origin") or "",
            d.get("line"),
            d.get("rule") or "",
            d.get("revision"),
            d.get("subpath"),
            float(d.get("confidence", 1.0)),
        )


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
    binding: list[LicenseSource] = field(default_factory=list)  # licenses that bind besides the release's own (a base model's)
    cards: dict[str, Any] = field(default_factory=dict)  # path -> cards.Card: the local tree's cards and READMEs, parsed once (release safety reads them)

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
        self.binding.extend(other.binding)
        return self

    def to_dict(self) -> dict[str, Any]:
        """The set as plain JSON data (the evidence lock stores remote sets); the local tree is not kept."""
        return {
            "found": {name: f.to_dict() for name, f in sorted(self.found.items()) if f.evidence or f.possible or f.present},
            "licenses": [s.to_dict() for s in self.licenses],
            "findings": [f.to_dict() for f in self.findings],
            "use_policies": list(self.use_policies),
            "links": [l.to_dict() for l in self.links],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EvidenceSet:
        return cls(
            licenses=[LicenseSource.from_dict(s) for s in d.get("licenses") or []],
            found={name: Found.from_dict(f) for name, f in (d.get("found") or {}).items()},
            findings=[finding_from_dict(f) for f in d.get("findings") or []],
            use_policies=list(d.get("use_policies") or []),
            links=[Link.from_dict(l) for l in d.get("links") or []],
        )

    def copy(self) -> EvidenceSet:
        """A set that can take more evidence without changing this one."""
        out = replace(
            self,
            licenses=list(self.licenses),
            findings=list(self.findings),
            use_policies=list(self.use_policies),
            texts=dict(self.texts),
            links=list(self.links),
            sources=list(self.sources),
            binding=list(self.binding),
            found={name: f.copy() for name, f in self.found.items()},
        )
        return out


def evidence_from_dict(d: dict[str, Any]) -> Evidence:
    return Evidence(
        str(d["kind"]),
        str(d["rule"]),
        str(d.get("detail") or ""),
        d.get("path"),
        d.get("line"),
        float(d.get("confidence", 1.0)),
        d.get("source"),
        d.get("revision"),
        d.get("fetched"),
    )


def finding_from_dict(d: dict[str, Any]) -> Finding:
    return Finding(
        str(d["code"]), str(d["severity"]), str(d.get("message") or ""), d.get("path"), d.get("line"), d.get("column"), d.get("component"), d.get("hint")
    )


__all__ = ["evidence_from_dict", "finding_from_dict", "EvidenceSet", "Found", "LicenseSource", "Link", "within", "MAX_EVIDENCE_PER_COMPONENT"]
