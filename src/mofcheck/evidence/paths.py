"""Classify repository paths into candidate evidence kinds (license file, model card, training code...).

The heuristics are data (`data/evidence/patterns.yaml`); this module compiles them once and applies
them in one pass over a listing. Large listings stay cheap: directory facts are computed once per
directory, name results once per (digit-blind) name, and a name is only tried against the rules whose
literal "needles" it contains (see below).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import data
from ..errors import ConfigError
from ..repo import MODE_SUBMODULE, RepoFile


@dataclass(frozen=True)
class Rule:
    kind: str
    id: str
    weight: float
    name: LazyRegex | None = None  # compiled on first use
    dir: LazyRegex | None = None
    path: LazyRegex | None = None

    def matches(self, dirpath: str, name: str, path: str) -> bool:
        return (
            (self.name is None or self.name.fullmatch(name) is not None)
            and (self.dir is None or self.dir.fullmatch(dirpath) is not None)
            and (self.path is None or self.path.fullmatch(path) is not None)
        )


@dataclass(frozen=True)
class PathMatch:
    file: RepoFile
    kind: str
    weight: float
    rule: str  # the rule id, e.g. "license.name" or "model_card.1"

    @property
    def path(self) -> str:
        return self.file.path


@dataclass
class Patterns:
    kinds: dict[str, str]  # kind -> description
    rules: list[Rule]
    excludes: dict[str, list[Rule]]
    ignore: list[Rule]
    vendored_dir: LazyRegex | None
    submodules_vendored: bool
    nested: dict[str, Any] | None
    # derived, for speed (see "needles")
    name_rules: list[Rule] = field(default_factory=list)  # rules with a name part, in file order
    name_tests: list[LazyRegex] = field(default_factory=list)  # their distinct name regexes
    rules_of_test: list[tuple[int, ...]] = field(default_factory=list)  # name test -> name_rules
    always: frozenset[int] = frozenset()  # name tests with no needle: always tried
    needle_rx: LazyRegex | None = None  # finds needles in a lowercased file name
    by_needle: dict[str, frozenset[int]] = field(default_factory=dict)  # found needle -> name tests
    dir_rules: list[Rule] = field(default_factory=list)  # rules with a dir part
    path_rules: list[Rule] = field(default_factory=list)  # rules with a path part and no name part
    digit_blind: bool = True  # see classify_paths; `digit_blind: false` in the data turns it off
    dir_tests: list[LazyRegex] = field(default_factory=list)  # distinct dir regexes
    ignore_dir_tests: list[int] = field(default_factory=list)
    dir_only_rules: list[tuple[Rule, int]] = field(default_factory=list)  # (rule, dir test)
    name_rule_dirs: list[tuple[int, int]] = field(default_factory=list)  # (name_rules index, dir test)
    dir_excludes: list[tuple[str, int]] = field(default_factory=list)  # (kind, dir test) of dir-only excludes
    name_excludes: dict[str, list[Rule]] = field(default_factory=dict)  # name-only excludes by kind
    other_excludes: dict[str, list[Rule]] = field(default_factory=dict)  # the rest (checked per file)
    # Small listings: the needle trie costs more to compile (~7 ms) than looking for each needle in a few
    # dozen names (~20 us each); the first `loop_budget` names use the loop, then the trie compiles.
    # Likewise the first `dir_budget` directories try a dir regex only where one of its needles is (so
    # most are never compiled); after that every dir regex runs (compiled, faster than the needle test).
    needle_list: tuple[str, ...] = ()
    loop_budget: int = 64
    dir_needles: list[tuple[str, ...] | None] = field(default_factory=list)  # per dir test, like name needles
    dir_budget: int = 64

    def compile_all(self) -> int:
        """Compile every regex now (they otherwise compile on first use); the number compiled."""
        rules = [*self.rules, *self.ignore, *(e for ex in self.excludes.values() for e in ex)]
        found = [rx for r in rules for rx in (r.name, r.dir, r.path) if rx is not None]
        found += [self.vendored_dir, self.needle_rx, (self.nested or {}).get("not_dir_names")]
        lazy = [rx for rx in found if isinstance(rx, LazyRegex) and "fullmatch" not in vars(rx)]
        for rx in lazy:
            rx.compiled()
        return len(lazy)



# --------------------------------------------------------------------------------------- needles
#
# Speed: most files match no rule, and trying ~100 regexes per file is slow. Each name regex is parsed
# once to find literal strings one of which any match must contain (`licen`, `.safetensors`, `train`);
# one trie-shaped regex finds which of them a file name contains, and only the rules they point to (plus
# the few with no such literal) are tried.

try:  # Python 3.11+
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_MAX_ALTS = 256


def _literal_alts(items: Any) -> set[str] | None:
    """The set of strings a sub-pattern can match if it is made only of literals, else None."""
    out = {""}
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out = {s + chr(av) for s in out}
        elif name == "IN" and all(str(o) == "LITERAL" for o, _ in av):
            out = {s + chr(c) for s in out for _, c in av}
        elif name == "SUBPATTERN":
            inner = _literal_alts(av[-1])
            if inner is None:
                return None
            out = {s + a for s in out for a in inner}
        elif name == "BRANCH":
            alts: set[str] = set()
            for branch in av[1]:
                b = _literal_alts(branch)
                if b is None:
                    return None
                alts |= b
            out = {s + a for s in out for a in alts}
        else:
            return None
        if len(out) > _MAX_ALTS:
            return None
    return out


def _needles_of(items: Any) -> set[str] | None:
    """Strings one of which every match of the parsed sequence contains (lowercased), or None."""
    candidates: list[set[str]] = []
    span: set[str] = {""}

    def flush() -> None:
        nonlocal span
        if span != {""}:
            candidates.append(span)
        span = {""}

    for op, av in items:
        name = str(op)
        alts = _literal_alts([(op, av)]) if name in ("LITERAL", "IN", "SUBPATTERN", "BRANCH") else None
        if alts is not None and len(span) * len(alts) <= _MAX_ALTS:
            span = {s + a for s in span for a in alts}
            continue
        flush()
        if name == "SUBPATTERN":
            inner = _needles_of(av[-1])
        elif name == "BRANCH":
            sets = [_needles_of(b) for b in av[1]]
            inner = None if any(x is None for x in sets) else set().union(*sets)  # type: ignore[arg-type]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            inner = _needles_of(av[2])
        else:
            inner = None
        if inner:
            candidates.append(inner)
    flush()
    best: set[str] | None = None
    for c in candidates:
        if min(map(len, c)) < 2:
            continue
        if best is None or (min(map(len, c)), -len(c)) > (min(map(len, best)), -len(best)):
            best = c
    return {n.lower() for n in best} if best else None


def needles(pattern: re.Pattern[str] | LazyRegex) -> set[str] | None:
    try:
        return _needles_of(_sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # an exotic construct: this rule is simply always tried
        return None


def _trie_regex(words: Iterable[str]) -> str:
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        parts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)

# --------------------------------------------------------------------------------------- loading
#
# Two stages. `expand_patterns` turns the YAML document into plain JSON-able data: macros and globs
# expanded, every regex checked, needles and the needle trie computed (sre_parse: the slow part).
# `build_patterns` turns that into a Patterns whose regexes compile on first use: a small repository
# runs only a few of them. The packaged patterns.json is the expanded form of patterns.yaml, written by
# scripts/build_patterns_cache.py (a test keeps the two in sync; a stale one is ignored at runtime).

FORMAT = 1
_DATA = "evidence"


class LazyRegex:
    """A regex compiled on first use. Exposes `pattern` and `flags` like re.Pattern."""

    def __init__(self, pattern: str, flags: int):
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern[str]:
        rx = re.compile(self.pattern, self.flags)
        # later calls go straight to the compiled pattern's methods (instance attributes win)
        self.fullmatch = rx.fullmatch  # type: ignore[method-assign]
        self.findall = rx.findall  # type: ignore[method-assign]
        return rx

    def fullmatch(self, string: str) -> re.Match[str] | None:
        return self.compiled().fullmatch(string)

    def findall(self, string: str) -> list[Any]:
        return self.compiled().findall(string)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (LazyRegex, re.Pattern)) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern!r}, {self.flags})"


def _expand(text: str, macros: dict[str, str]) -> str:
    for _ in range(5):  # macros may use macros
        new = re.sub(r"\$\{(\w+)\}", lambda m: macros.get(m.group(1), m.group(0)), text)
        if new == text:
            break
        text = new
    if "${" in text:
        raise ConfigError(f"unknown macro in pattern {text!r}")
    return text


def _compile(raw: Any, where: str, macros: dict[str, str], case: bool) -> list[Any] | None:
    """[pattern, flags] of a checked regex, or None."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise ConfigError(f"{where}: a pattern must be a string")
    try:
        rx = re.compile(_expand(raw, macros), 0 if case else re.IGNORECASE)
    except re.error as e:
        raise ConfigError(f"{where}: bad regex {raw!r}: {e}") from None
    return [rx.pattern, int(rx.flags)]


def _rule(kind: str, spec: Any, rid: str, macros: dict[str, str]) -> dict[str, Any]:
    if not isinstance(spec, dict) or not ({"name", "dir", "path", "glob"} & spec.keys()):
        raise ConfigError(f"patterns: {rid}: a rule needs name, dir, path or glob")
    case = bool(spec.get("case", False))
    path_rx = spec.get("path")
    if "glob" in spec:
        from ..repo import glob_to_regex

        path_rx = glob_to_regex(spec["glob"])
    weight = float(spec.get("weight", 1.0))
    if not 0.0 <= weight <= 1.0:
        raise ConfigError(f"patterns: {rid}: weight must be between 0 and 1")
    return {
        "kind": kind,
        "id": str(spec.get("id", rid)),
        "weight": weight,
        "name": _compile(spec.get("name"), rid, macros, case),
        "dir": _compile(spec.get("dir"), rid, macros, case),
        "path": _compile(path_rx, rid, macros, case),
    }


def _distinct_names(rules: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """The distinct name regexes of `rules`, in order of first use (the name tests)."""
    seen: dict[tuple[str, int], None] = {}
    for r in rules:
        if r["name"] is not None:
            seen.setdefault((r["name"][0], r["name"][1]), None)
    return list(seen)


def expand_patterns(data: dict[str, Any]) -> dict[str, Any]:
    """Check and expand a patterns document (the shape of data/evidence/patterns.yaml) into plain data:
    the form patterns.json stores and `build_patterns` reads."""
    if not isinstance(data, dict) or not isinstance(data.get("kinds"), dict):
        raise ConfigError("patterns: expected a mapping with `kinds`")
    macros = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
    kinds: dict[str, str] = {}
    rules: list[dict[str, Any]] = []
    excludes: dict[str, list[dict[str, Any]]] = {}
    for kind, spec in data["kinds"].items():
        spec = spec or {}
        kinds[str(kind)] = str(spec.get("description", ""))
        for i, r in enumerate(spec.get("rules") or []):
            rules.append(_rule(kind, r, f"{kind}.{i}", macros))
        ex = [_rule(kind, r, f"{kind}.exclude.{i}", macros) for i, r in enumerate(spec.get("exclude") or [])]
        if ex:
            excludes[str(kind)] = ex
    ignore = [_rule("ignore", r, f"ignore.{i}", macros) for i, r in enumerate(data.get("ignore") or [])]
    vend = data.get("vendored") or {}
    nested = vend.get("nested_project")
    if nested:
        nested = dict(nested)
        nested["not_dir_names"] = _compile(nested.get("not_dir_names"), "vendored.nested_project", macros, False)
    tests = _distinct_names(rules)
    found = [needles(re.compile(p, f)) for p, f in tests]
    keyed: dict[str, set[int]] = {}
    for t, ns in enumerate(found):
        for n in ns or ():
            keyed.setdefault(n, set()).add(t)
    # The search reports the longest needle at each position; a rule keyed on a shorter needle
    # inside it ("train" in "pretraining") must fire too.
    by_needle = {m: sorted({i for n, idx in keyed.items() if n in m for i in idx}) for m in sorted(keyed)}
    return {
        "format": FORMAT,
        "kinds": kinds,
        "rules": rules,
        "excludes": excludes,
        "ignore": ignore,
        "vendored_dir": _compile(vend.get("dir_names"), "vendored.dir_names", macros, False),
        "submodules_vendored": bool(vend.get("submodules", True)),
        "nested": nested or None,
        "digit_blind": bool(data.get("digit_blind", True)),
        "needles": [sorted(ns) if ns is not None else None for ns in found],
        "by_needle": by_needle,
        "needle_rx": f"(?=({_trie_regex(keyed)}))" if keyed else None,
        "dir_needles": _dir_needles([*rules, *ignore, *(e for ex in excludes.values() for e in ex)]),
    }


def _dir_needles(rules: list[dict[str, Any]]) -> list[list[Any]]:
    """[pattern, flags, needles or None] for each distinct dir regex: a directory that contains none of a
    regex's needles cannot match it, so the regex is neither compiled nor run there."""
    seen: dict[tuple[str, int], None] = {}
    for r in rules:
        if r["dir"] is not None:
            seen.setdefault((r["dir"][0], r["dir"][1]), None)
    out = []
    for pattern, flags in seen:
        ns = needles(re.compile(pattern, flags))
        out.append([pattern, flags, sorted(ns) if ns is not None else None])
    return out


def _lazy(rx: list[Any] | None) -> LazyRegex | None:
    return None if rx is None else LazyRegex(rx[0], rx[1])


def _built_rule(d: dict[str, Any]) -> Rule:
    return Rule(
        kind=d["kind"], id=d["id"], weight=d["weight"], name=_lazy(d["name"]), dir=_lazy(d["dir"]), path=_lazy(d["path"])  # type: ignore[arg-type]
    )


def build_patterns(doc: dict[str, Any]) -> Patterns:
    """A Patterns from `expand_patterns` output; nothing is compiled until it is used."""
    rules = [_built_rule(r) for r in doc["rules"]]
    excludes = {k: [_built_rule(r) for r in ex] for k, ex in doc["excludes"].items()}
    ignore = [_built_rule(r) for r in doc["ignore"]]
    nested = doc["nested"]
    if nested:
        nested = dict(nested)
        nested["not_dir_names"] = _lazy(nested.get("not_dir_names"))
    p = Patterns(
        kinds=dict(doc["kinds"]),
        rules=rules,
        excludes=excludes,
        ignore=ignore,
        vendored_dir=_lazy(doc["vendored_dir"]),  # type: ignore[arg-type]
        submodules_vendored=doc["submodules_vendored"],
        nested=nested or None,
    )
    p.name_rules = [r for r in rules if r.name is not None]
    p.dir_rules = [r for r in rules if r.dir is not None]
    p.path_rules = [r for r in rules if r.path is not None and r.name is None]
    tests: dict[tuple[str, int], int] = {}
    grouped: list[list[int]] = []
    for i, r in enumerate(p.name_rules):
        assert r.name is not None
        t = tests.setdefault((r.name.pattern, r.name.flags), len(tests))
        if t == len(grouped):
            p.name_tests.append(r.name)
            grouped.append([])
        grouped[t].append(i)
    p.rules_of_test = [tuple(g) for g in grouped]
    p.always = frozenset(t for t, ns in enumerate(doc["needles"]) if ns is None)
    p.digit_blind = doc["digit_blind"]
    dtests: dict[tuple[str, int], int] = {}

    def dir_test(rx: Any) -> int:
        key = (rx.pattern, rx.flags)
        if key not in dtests:
            dtests[key] = len(p.dir_tests)
            p.dir_tests.append(rx)
        return dtests[key]

    p.ignore_dir_tests = [dir_test(r.dir) for r in ignore if r.dir is not None]
    p.dir_only_rules = [(r, dir_test(r.dir)) for r in rules if r.dir is not None and r.name is None and r.path is None]
    p.name_rule_dirs = [(i, dir_test(r.dir)) for i, r in enumerate(p.name_rules) if r.dir is not None]
    for k, ex in excludes.items():
        for e in ex:
            if e.name is not None and e.dir is None and e.path is None:
                p.name_excludes.setdefault(k, []).append(e)
            elif not (e.dir is not None and e.name is None and e.path is None):
                p.other_excludes.setdefault(k, []).append(e)
    p.dir_excludes = [
        (k, dir_test(e.dir)) for k, ex in excludes.items() for e in ex if e.dir is not None and e.name is None and e.path is None
    ]
    if doc["needle_rx"]:
        p.by_needle = {m: frozenset(idx) for m, idx in doc["by_needle"].items()}
        p.needle_list = tuple(p.by_needle)
        p.needle_rx = LazyRegex(doc["needle_rx"], 0)  # type: ignore[assignment]
    dn = {(d[0], d[1]): (tuple(d[2]) if d[2] is not None else None) for d in doc.get("dir_needles", ())}
    p.dir_needles = [dn.get((rx.pattern, rx.flags)) for rx in p.dir_tests]
    return p


def parse_patterns(data: dict[str, Any]) -> Patterns:
    """Compile a patterns document (the shape of data/evidence/patterns.yaml)."""
    return build_patterns(expand_patterns(data))


def source_checksum(text: str) -> int:
    """Ties patterns.json to the patterns.yaml it was built from (zlib: no hashlib import at startup)."""
    import zlib

    return zlib.crc32(text.encode("utf-8"))


def packaged_yaml() -> str:
    return data.text(f"{_DATA}/patterns.yaml")


def _load_yaml(text: str) -> dict[str, Any]:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(text)


@lru_cache(maxsize=8)
def _load_cached(path: str | None) -> Patterns:
    if path is None:
        text = packaged_yaml()
        try:
            doc = json.loads(data.text(f"{_DATA}/patterns.json"))
        except (OSError, ValueError):
            doc = None
        if doc and doc.get("format") == FORMAT and doc.get("source_crc32") == source_checksum(text):
            return build_patterns(doc)
        return parse_patterns(_load_yaml(text))  # patterns.yaml edited since the cache was built
    p = Path(path)
    if p.stat().st_size > 4 * 1024 * 1024:
        raise ConfigError(f"{path}: patterns file too large")
    return parse_patterns(_load_yaml(p.read_text("utf-8")))


def load_patterns(path: str | Path | None = None) -> Patterns:
    """The compiled patterns: the packaged ones, or a tuned copy at `path`. Cached."""
    return _load_cached(None if path is None else str(path))


# --------------------------------------------------------------------------------------- the index


class PathIndex:
    """Which listed files are candidates for which kind, and which directories are vendored."""

    def __init__(self, files: list[RepoFile], matches: dict[str, list[PathMatch]], vendored_roots: list[str]):
        self.files = files
        self._matches = matches
        self.vendored_roots = vendored_roots
        self._vendored = frozenset(vendored_roots)
        self._by_path: dict[str, dict[str, PathMatch]] | None = None
        self._sorted: dict[tuple[str, bool], list[PathMatch]] = {}

    @property
    def kinds(self) -> list[str]:
        """The kinds with at least one match (vendored files included)."""
        return sorted(self._matches)

    def is_vendored(self, path: str) -> bool:
        if not self._vendored:
            return False
        p = path.rstrip("/")
        while p:
            if p in self._vendored:
                return True
            p = p.rpartition("/")[0]
        return False

    def matches(self, kind: str, *, vendored: bool = False) -> list[PathMatch]:
        """Matches for `kind`, best first (weight, then shallower, then path). Vendored files only
        when `vendored` is true."""
        key = (kind, vendored)
        if key not in self._sorted:
            ms = self._matches.get(kind, [])
            if not vendored:
                ms = [m for m in ms if not self.is_vendored(m.file.path)]
            self._sorted[key] = sorted(ms, key=lambda m: (-m.weight, m.file.path.count("/"), m.file.path))
        return list(self._sorted[key])

    def by_kind(self, kind: str, *, vendored: bool = False) -> list[RepoFile]:
        return [m.file for m in self.matches(kind, vendored=vendored)]

    def kinds_of(self, path: str) -> dict[str, float]:
        """kind -> weight for one path."""
        if self._by_path is None:
            bp: dict[str, dict[str, PathMatch]] = {}
            for kind, ms in self._matches.items():
                for m in ms:
                    bp.setdefault(m.file.path, {})[kind] = m
            self._by_path = bp
        return {k: m.weight for k, m in self._by_path.get(path, {}).items()}


@dataclass
class _DirFacts:
    ignored: bool
    dir_only: list[Rule]  # rules with only a dir part: satisfied by the directory alone
    dir_ok: frozenset[int]  # name_rules whose dir part matches (the name is still to test)
    vendored_root: str | None
    excluded: frozenset[str]  # kinds a dir-only exclude rule removes here


def _dir_facts(d: str, pat: Patterns) -> _DirFacts:
    if pat.dir_budget > 0:
        pat.dir_budget -= 1
        low = d.lower()
        hit = [  # each distinct dir regex once, and only where one of its needles is
            (ns is None or any(n in low for n in ns)) and rx.fullmatch(d) is not None
            for rx, ns in zip(pat.dir_tests, pat.dir_needles)
        ]
    else:
        hit = [rx.fullmatch(d) is not None for rx in pat.dir_tests]
    ignored = any(hit[t] for t in pat.ignore_dir_tests)
    dir_only: list[Rule] = []
    dir_ok: frozenset[int] = frozenset()
    excluded: frozenset[str] = frozenset()
    if not ignored:
        dir_only = [r for r, t in pat.dir_only_rules if hit[t]]
        dir_ok = frozenset(i for i, t in pat.name_rule_dirs if hit[t])
        excluded = frozenset(k for k, t in pat.dir_excludes if hit[t])
    root = None
    if pat.vendored_dir is not None and d:
        parts = d.split("/")
        for i, part in enumerate(parts):
            if pat.vendored_dir.fullmatch(part):
                root = "/".join(parts[: i + 1])
                break
    return _DirFacts(ignored, dir_only, dir_ok, root, excluded)


_DIGIT = re.compile(r"[1-9]")


def _name_hits(pat: Patterns, name: str) -> tuple[tuple[int, ...], frozenset[str]]:
    """Indexes of name_rules whose name part matches `name` (dir and path parts not checked), in order,
    and the kinds that a name-only exclude rule removes for this name."""
    cand: set[int] | frozenset[int] = pat.always
    if pat.needle_rx is not None:
        low = name.lower()
        if pat.loop_budget > 0:  # the same needles as the trie reports, or longer ones: by_needle covers both
            pat.loop_budget -= 1
            seen = [m for m in pat.needle_list if m in low]
        else:
            seen = pat.needle_rx.findall(low)
        if seen:
            cand = set(cand)
            for m in seen:
                cand |= pat.by_needle[m]
    tests, rules_of = pat.name_tests, pat.rules_of_test
    idx = tuple(sorted(i for t in cand if tests[t].fullmatch(name) for i in rules_of[t]))
    if not idx:
        return idx, frozenset()
    kinds = {pat.name_rules[i].kind for i in idx}
    excluded = frozenset(
        k for k in kinds if any(e.name.fullmatch(name) for e in pat.name_excludes.get(k, ()))  # type: ignore[union-attr]
    )
    return idx, excluded


def _name_excluded(pat: Patterns, kind: str, name: str) -> bool:
    # a kind that came from a dir-only rule was not in _name_hits' kinds: check its name excludes here
    return any(e.name.fullmatch(name) for e in pat.name_excludes.get(kind, ()))  # type: ignore[union-attr]


def _hit(hits: dict[str, Rule], r: Rule) -> None:
    best = hits.get(r.kind)
    if best is None or r.weight > best.weight:  # ties: the rule listed first wins
        hits[r.kind] = r


def classify_paths(files: Iterable[RepoFile], patterns: Patterns | str | Path | None = None) -> PathIndex:
    """One pass over a listing: candidate kinds per file, vendored roots."""
    pat = patterns if isinstance(patterns, Patterns) else load_patterns(patterns)
    files = list(files)
    dir_cache: dict[str, _DirFacts] = {}
    found: dict[str, list[PathMatch]] = {}
    vendored: set[str] = set()
    nested = pat.nested
    nested_license = nested["license_kind"] if nested else None
    nested_readme = nested["readme_kind"] if nested else None
    nested_min = float(nested.get("min_weight", 0.0)) if nested else 0.0
    has_license: set[str] = set()
    has_readme: set[str] = set()
    name_rules = pat.name_rules
    # Name results depend only on the name, and the rules treat digits before the extension alike
    # (`step\d+`), so `part-00017.parquet` and `part-00018.parquet` share one cache entry.
    name_cache: dict[str, tuple[tuple[int, ...], frozenset[str]]] = {}
    digit_blind = pat.digit_blind
    path_rules = pat.path_rules
    # excludes with only a dir part are decided once per directory (_DirFacts.excluded), those with
    # only a name part once per name (_name_hits); the rest per file
    other_excludes = pat.other_excludes

    for f in files:
        path = f.path
        d, _, name = path.rpartition("/")
        facts = dir_cache.get(d)
        if facts is None:
            facts = dir_cache[d] = _dir_facts(d, pat)
        if facts.ignored:
            continue
        if f.mode == MODE_SUBMODULE:
            if pat.submodules_vendored:
                vendored.add(path)
            continue
        key = name
        if digit_blind:
            stem, dot, ext = name.rpartition(".")
            if dot:
                key = _DIGIT.sub("0", stem) + dot + ext
        cached = name_cache.get(key)
        if cached is None:
            cached = name_cache[key] = _name_hits(pat, name)
        named, name_excluded = cached
        if not (named or facts.dir_only or path_rules):
            continue  # the common case: nothing can match
        hits: dict[str, Rule] = {}
        for r in facts.dir_only:
            _hit(hits, r)
        for i in named:
            r = name_rules[i]
            if r.dir is not None and i not in facts.dir_ok:
                continue
            if r.path is None or r.path.fullmatch(path):
                _hit(hits, r)
        for r in path_rules:
            if r.matches(d, name, path):
                _hit(hits, r)
        for kind, r in hits.items():
            if kind in facts.excluded:
                continue
            if kind in name_excluded:
                continue
            ex = other_excludes.get(kind)
            if ex and any(e.matches(d, name, path) for e in ex):
                continue
            if r.name is None and _name_excluded(pat, kind, name):  # a dir-only rule: _name_hits never saw it
                continue
            found.setdefault(kind, []).append(PathMatch(f, kind, r.weight, r.id))
            if d and kind == nested_license and r.weight >= nested_min:
                has_license.add(d)
            elif d and kind == nested_readme and r.weight >= nested_min:
                has_readme.add(d)

    vendored.update(fa.vendored_root for fa in dir_cache.values() if fa.vendored_root is not None)
    if pat.submodules_vendored:
        vendored.update(_gitmodules_paths(files))
    if nested:
        not_dirs = nested.get("not_dir_names")
        for d in has_license & has_readme:
            base = d.rpartition("/")[2]
            if not_dirs is None or not not_dirs.fullmatch(base):
                vendored.add(d)
    return PathIndex(files, found, _topmost(vendored))


_GITMODULES_PATH = re.compile(r"^\s*path\s*=\s*(.+?)\s*$", re.MULTILINE)


def _gitmodules_paths(files: list[RepoFile]) -> list[str]:
    """Submodule paths declared in a root `.gitmodules` (read boundedly through the repository), so a
    submodule counts as vendored even when the listing came from a walk."""
    gm = next((f for f in files if f.path == ".gitmodules"), None)
    repo = getattr(gm, "_repo", None) if gm is not None else None
    if repo is None:
        return []
    res = repo.read_text(".gitmodules", limit=256 * 1024)
    if not res.text:
        return []
    out = []
    for m in _GITMODULES_PATH.finditer(res.text):
        p = m.group(1).strip().strip('"').strip("/")
        if p and not p.startswith("../") and ".." not in p.split("/"):
            out.append(p)
    return out


def _topmost(dirs: set[str]) -> list[str]:
    out = []
    for d in sorted(dirs, key=lambda s: (s.count("/"), s)):
        p, covered = d, False
        while "/" in p:
            p = p.rpartition("/")[0]
            if p in dirs:
                covered = True
                break
        if not covered:
            out.append(d)
    return sorted(out)
