"""Needles of the path regexes: literal strings one of which every match contains (build time only).

`with_needles` is the build step of the path patterns' entry in the data cache (datacache.DERIVED,
run by scripts/build_data_cache.py); mofcheck reads the needles there and never parses a regex at
runtime. This uses CPython's regex parser (`re._parser`), a private module, which is why it lives here
and not in src/. A regex it cannot parse gets no needles (it is then always tried: the same result,
slower), and so does every regex of a stale entry, rebuilt at runtime from the YAML.
"""

from __future__ import annotations

import re
from typing import Any

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


def needles(pattern: Any) -> set[str] | None:
    """Needles of a compiled regex (or anything with `pattern` and `flags`), or None: always try it."""
    try:
        return _needles_of(_sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # an exotic construct: this regex is simply always tried
        return None


def _distinct(doc: dict[str, Any], part: str) -> list[tuple[str, int]]:
    rules = [*doc["rules"], *doc["ignore"], *(e for ex in doc["excludes"].values() for e in ex)]
    if part == "name":  # the rules' names and the name-only excludes' (both gated per name)
        rules = [*doc["rules"], *(e for ex in doc["excludes"].values() for e in ex if e["dir"] is None and e["path"] is None)]
    seen: dict[tuple[str, int], None] = {}
    for r in rules:
        if r[part] is not None:
            seen.setdefault((r[part][0], r[part][1]), None)
    return list(seen)


def with_needles(doc: dict[str, Any]) -> dict[str, Any]:
    """An expanded patterns document (pathdata.expand_patterns) with the needles of its name regexes
    and of its dir regexes: pattern -> sorted needles, or None (always tried)."""

    def of(part: str) -> dict[str, list[str] | None]:
        out: dict[str, list[str] | None] = {}
        for p, f in _distinct(doc, part):
            ns = needles(re.compile(p, f))
            out[p] = sorted(ns) if ns is not None else None
        return out

    return {**doc, "needles": of("name"), "dir_needles": of("dir")}
