"""The compiled form of the path patterns: rules, their regexes (compiled on first use) and the needle
prefilters that keep most regexes from ever running.

Speed: most files match no rule, and trying ~100 regexes per name is slow; compiling them all costs
50-130 ms (case-insensitive Unicode regexes compile slowly in `re`). Each regex comes with its
*needles* (literal strings one of which every match contains: `licen`, `.safetensors`, `train`),
computed when the data cache is built (scripts/pattern_needles.py). One Aho-Corasick automaton
(pyahocorasick) per part finds which needles a lowercased name or directory contains, in one C call; only
the regexes they point to, and the few with no needle, are compiled and tried. Without needles (a tuned
patterns file) every regex is tried: slower, the same result. bench/bench_path_matchers.py compares this
with one alternation per kind and with a google-re2 set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import ahocorasick


class LazyRegex:
    """A regex compiled on first use. Exposes `pattern` and `flags` like re.Pattern."""

    def __init__(self, pattern: str, flags: int):
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern[str]:
        rx = re.compile(self.pattern, self.flags)
        # later calls go straight to the compiled pattern's methods (instance attributes win)
        self.fullmatch = rx.fullmatch  # type: ignore[method-assign]
        return rx

    def fullmatch(self, string: str) -> re.Match[str] | None:
        return self.compiled().fullmatch(string)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (LazyRegex, re.Pattern)) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern!r}, {self.flags})"


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


class NeedleGate:
    """Which of a list of regexes can match a string: those whose needle it contains, and those
    without needles. Over lowercased text; nested needles ("train" in "pretraining") both count."""

    def __init__(self, needles: list[list[str] | None]):
        self.always = frozenset(t for t, ns in enumerate(needles) if ns is None)
        keyed: dict[str, set[int]] = {}
        for t, ns in enumerate(needles):
            for n in ns or ():
                keyed.setdefault(n, set()).add(t)
        self.keyed = {n: frozenset(ts) for n, ts in keyed.items()}
        self._ac: Any = None
        if keyed:
            ac = ahocorasick.Automaton()
            for n, ts in self.keyed.items():
                ac.add_word(n, ts)
            ac.make_automaton()
            self._ac = ac

    def candidates(self, low: str) -> frozenset[int] | set[int]:
        if self._ac is None:
            return self.always
        found: set[int] | None = None
        for _, ts in self._ac.iter(low):
            if found is None:
                found = set(self.always)
            found |= ts
        return self.always if found is None else found


@dataclass
class Patterns:
    kinds: dict[str, str]  # kind -> description
    rules: list[Rule]
    excludes: dict[str, list[Rule]]
    ignore: list[Rule]
    vendored_dir: LazyRegex | None
    submodules_vendored: bool
    nested: dict[str, Any] | None
    digit_blind: bool = True  # see classify_paths; `digit_blind: false` in the data turns it off
    # derived, for speed
    name_rules: list[Rule] = field(default_factory=list)  # rules with a name part, in file order
    name_tests: list[LazyRegex] = field(default_factory=list)  # their distinct name regexes
    rules_of_test: list[tuple[int, ...]] = field(default_factory=list)  # name test -> name_rules
    name_gate: NeedleGate = field(default_factory=lambda: NeedleGate([]))
    path_rules: list[Rule] = field(default_factory=list)  # rules with a path part and no name part
    dir_tests: list[LazyRegex] = field(default_factory=list)  # distinct dir regexes
    dir_gate: NeedleGate = field(default_factory=lambda: NeedleGate([]))
    ignore_dir_tests: list[int] = field(default_factory=list)
    dir_only_rules: list[tuple[Rule, int]] = field(default_factory=list)  # (rule, dir test)
    name_rule_dirs: list[tuple[int, int]] = field(default_factory=list)  # (name_rules index, dir test)
    dir_excludes: list[tuple[str, int]] = field(default_factory=list)  # (kind, dir test) of dir-only excludes
    name_excludes: dict[str, list[Rule]] = field(default_factory=dict)  # name-only excludes by kind
    name_exclude_tests: list[LazyRegex] = field(default_factory=list)  # their distinct name regexes
    name_exclude_gate: NeedleGate = field(default_factory=lambda: NeedleGate([]))
    name_excludes_of: dict[str, tuple[int, ...]] = field(default_factory=dict)  # kind -> name_exclude_tests
    other_excludes: dict[str, list[Rule]] = field(default_factory=dict)  # the rest (checked per file)

    def compile_all(self) -> int:
        """Compile every regex now (they otherwise compile on first use); the number compiled."""
        rules = [*self.rules, *self.ignore, *(e for ex in self.excludes.values() for e in ex)]
        found = [rx for r in rules for rx in (r.name, r.dir, r.path) if rx is not None]
        found += [self.vendored_dir, (self.nested or {}).get("not_dir_names")]
        lazy = [rx for rx in found if isinstance(rx, LazyRegex) and "fullmatch" not in vars(rx)]
        for rx in lazy:
            rx.compiled()
        return len(lazy)


def _lazy(rx: list[Any] | None) -> LazyRegex | None:
    return None if rx is None else LazyRegex(rx[0], rx[1])


def _built_rule(d: dict[str, Any]) -> Rule:
    return Rule(kind=d["kind"], id=d["id"], weight=d["weight"], name=_lazy(d["name"]), dir=_lazy(d["dir"]), path=_lazy(d["path"]))


def build_patterns(doc: dict[str, Any]) -> Patterns:
    """A Patterns from an expanded patterns document (pathdata.expand_patterns, plus the needles in the
    data cache's entry); nothing is compiled until it is used."""
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
        vendored_dir=_lazy(doc["vendored_dir"]),
        submodules_vendored=doc["submodules_vendored"],
        nested=nested or None,
        digit_blind=doc["digit_blind"],
    )
    p.name_rules = [r for r in rules if r.name is not None]
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
    name_needles = doc.get("needles") or {}
    p.name_gate = NeedleGate([name_needles.get(rx.pattern) for rx in p.name_tests])
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
    p.dir_excludes = [(k, dir_test(e.dir)) for k, ex in excludes.items() for e in ex if e.dir is not None and e.name is None and e.path is None]
    etests: dict[tuple[str, int], int] = {}
    for k, ex in p.name_excludes.items():
        of = []
        for e in ex:
            assert e.name is not None
            t = etests.setdefault((e.name.pattern, e.name.flags), len(etests))
            if t == len(p.name_exclude_tests):
                p.name_exclude_tests.append(e.name)
            of.append(t)
        p.name_excludes_of[k] = tuple(of)
    p.name_exclude_gate = NeedleGate([name_needles.get(rx.pattern) for rx in p.name_exclude_tests])
    dir_needles = doc.get("dir_needles") or {}
    p.dir_gate = NeedleGate([dir_needles.get(rx.pattern) for rx in p.dir_tests])
    return p
