"""Classify repository paths into candidate evidence kinds (license file, model card, training code...).

The heuristics are data (`data/evidence/patterns.yaml`, loaded by pathdata, compiled by pathmatch); this
module applies them in one pass over a listing. Large listings stay cheap: directory facts are computed
once per directory, name results once per (digit-blind) name, and a name or directory is only tried
against the regexes whose needles it contains (pathmatch.NeedleGate).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..repo import MODE_SUBMODULE, RepoFile
from .pathdata import load_patterns, parse_patterns
from .pathmatch import Patterns, Rule

__all__ = ["PathIndex", "PathMatch", "Patterns", "Rule", "classify_paths", "load_patterns", "parse_patterns"]


@dataclass(frozen=True)
class PathMatch:
    file: RepoFile
    kind: str
    weight: float
    rule: str  # the rule id, e.g. "license.name" or "model_card.1"

    @property
    def path(self) -> str:
        return self.file.path


# --------------------------------------------------------------------------------------- the index


class PathIndex:
    """Which listed files are candidates for which kind, and which directories are vendored."""

    def __init__(self, files: list[RepoFile], matches: dict[str, list[PathMatch]], vendored_roots: list[str]):
        self.files = files
        self._matches = matches
        self.vendored_roots = vendored_roots
        self._vendored = frozenset(vendored_roots)
        self._vendored_dirs: dict[str, bool] = {}
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
        if p in self._vendored:
            return True
        # a file is vendored when its folder or one above it is: each folder decided once, bottom-up
        # without recursion (a hostile path may be thousands of folders deep)
        known = self._vendored_dirs
        walked: list[str] = []
        folder = p.rpartition("/")[0]
        hit = False
        while folder:
            cached = known.get(folder)
            if cached is not None:
                hit = cached
                break
            if folder in self._vendored:
                hit = True
                walked.append(folder)
                break
            walked.append(folder)
            folder = folder.rpartition("/")[0]
        for w in walked:
            known[w] = hit
        return hit

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
    tests = pat.dir_tests
    hit = [False] * len(tests)
    for t in pat.dir_gate.candidates(d.lower()):  # each distinct dir regex once, where it can match
        hit[t] = tests[t].fullmatch(d) is not None
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
    low = name.lower()
    cand = pat.name_gate.candidates(low)
    tests, rules_of = pat.name_tests, pat.rules_of_test
    idx = tuple(sorted(i for t in cand if tests[t].fullmatch(name) for i in rules_of[t]))
    if not idx:
        return idx, frozenset()
    kinds = {pat.name_rules[i].kind for i in idx}
    # the excludes of those kinds, each distinct regex tried once and only where its needles are
    of = pat.name_excludes_of
    wanted = {t for k in kinds if k in of for t in of[k]}
    if not wanted:
        return idx, frozenset()
    etests = pat.name_exclude_tests
    hit = {t for t in wanted & pat.name_exclude_gate.candidates(low) if etests[t].fullmatch(name)}
    if not hit:
        return idx, frozenset()
    return idx, frozenset(k for k in kinds if any(t in hit for t in of.get(k, ())))


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
    by_name: dict[str, tuple[tuple[int, ...], frozenset[str]]] = {}  # the same, by the name itself
    digit_blind = pat.digit_blind
    path_rules = pat.path_rules
    # excludes with only a dir part are decided once per directory (_DirFacts.excluded), those with
    # only a name part once per name (_name_hits); the rest per file
    other_excludes = pat.other_excludes

    last_dir, facts = None, None  # a listing is sorted: files of one folder come together
    for f in files:
        path = f.path
        d, _, name = path.rpartition("/")
        if d != last_dir:
            facts = dir_cache.get(d)
            if facts is None:
                facts = dir_cache[d] = _dir_facts(d, pat)
            last_dir = d
        assert facts is not None
        if facts.ignored:
            continue
        if f.mode == MODE_SUBMODULE:
            if pat.submodules_vendored:
                vendored.add(path)
            continue
        cached = by_name.get(name)
        if cached is None:
            key = name
            if digit_blind:
                stem, dot, ext = name.rpartition(".")
                if dot:
                    key = _DIGIT.sub("0", stem) + dot + ext
            cached = name_cache.get(key)
            if cached is None:
                cached = name_cache[key] = _name_hits(pat, name)
            by_name[name] = cached
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
