"""Identify a license from its text, licensee style, with guards against look-alikes.

Steps: normalise (normalize.py); exact match of the normalised word sequence (a dict); else a similarity
match: Sørensen–Dice over word sets ranks candidates, then an anchored word diff against the best ones
must show only small, harmless edits (names filled in, a word here and there). An edit that inserts a
restricting word ("not", "commercial", "research", ...), removes a granting word, or is longer than a few
words rejects the candidate: a license with an added clause is never reported as the plain license. A
file whose leading section is a known license is reported with the licenses found after it (`appended`);
unexplained restrictive text after it makes the whole file unknown. Unknown texts become
`LicenseRef-<slug of the first line>` with the closest candidates.

The reference data (data/licenses/texts/, built by scripts/refresh_license_texts.py) is loaded on the first
call: the index (exact-match hashes) at once, the word-set bitmaps and the texts when a similarity match
needs them; all stay cached for the process.
"""

from __future__ import annotations

import bisect
import difflib
import operator
import gzip
import heapq
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from .normalize import MAX_CHARS, NORMALIZER_VERSION, Normalized, _tokenize, normalize, text_hash

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "licenses" / "texts"
MAX_BYTES = 256 * 1024

SIMILAR_MIN = 0.95  # Dice over word sets; the diff guards below are the stricter test
CLOSEST_MIN = 0.5
MAX_REGION = 8  # longest single edit (words) tolerated in a "similar" match
K = 4  # anchor length (words) of the diff
MAX_UNEXPLAINED = 1000  # words after a known license that are no known license: more is an unknown one

# Words an edit may not add: they turn a permissive text into a restricted one.
_INSERT_DANGER = frozenset(
    "not no never nor except unless only solely shall must may prohibited prohibit prohibits restrict restricted "
    "restriction restrictions restrictive commercial noncommercial commercially military weapon weapons harm "
    "harmful illegal unlawful acceptable policy policies research academic evaluation personal revenue revenues "
    "users user monthly ethical evil terminate termination revoke revocable fee fees royalty royalties pay payment "
    "consent approval agree agreement prior comply condition conditions provided require required requires "
    "limited limit purposes purpose use noderivatives sharealike attribution nonprofit education educational "
    "internal government governmental surveillance discriminate discrimination".split()
)
# Words an edit may not remove: they carry the grant.
_DELETE_DANGER = frozenset(
    "without restriction free charge use copy modify merge publish distribute sublicense sell any purpose "
    "commercial irrevocable perpetual worldwide royaltyfree nonexclusive grant grants granted permission "
    "permitted rights".split()
)
# Words in a cut title / boilerplate that the reference does not have and that mean another license.
_TITLE_DANGER = frozenset(
    "modified noncommercial commercial nc nd non research academic evaluation personal restricted limited "
    "custom private internal proprietary trial educational ethical responsible rail openrail acceptable "
    "hippocratic anti 996 evil military only not no plus extended additional supplemental".split()
)
# Unexplained text after a known license that makes the file a different (restricted) license (the
# words an edit may not add count too: a trailer that says "not", "only", "shall" ... is not a notice).
_TRAILER_DANGER = frozenset(
    "noncommercial commercial military weapon weapons harm harmful acceptable prohibited prohibit prohibits "
    "research evaluation revenue monthly ethical restrict restricted restriction restrictions terminate "
    "illegal unlawful surveillance discriminate discrimination violate violence".split()
)
_VERSION = re.compile(r"^v?\d+(?:\.\d+)+$")
# Restricting words in a title or preamble (generic title words such as "use" are fine there).
_CUT_DANGER = (_INSERT_DANGER | _TITLE_DANGER | _TRAILER_DANGER) - {
    "use", "purpose", "purposes", "agreement", "conditions", "condition", "attribution", "provided", "may"}
_FAMILY = frozenset("noncommercial commercial nc nd sa noderivatives noderivs sharealike non rail openrail railm".split())
# Family marks: a text with one of these is never reported as a license whose text lacks it.
_FEATURES = ("noncommercial", "noderivatives", "noderivs", "sharealike")


@dataclass
class Identification:
    license: str | None
    match: Literal["exact", "similar", "none"]
    similarity: float
    title: str | None = None
    closest: list[tuple[str, float]] = field(default_factory=list)
    appended: list[str] = field(default_factory=list)
    line: int | None = None
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "license": self.license,
            "match": self.match,
            "similarity": self.similarity,
            "closest": [{"license": lid, "similarity": sim} for lid, sim in self.closest],
            "appended": list(self.appended),
        }


class DataError(RuntimeError):
    """The packaged reference data is missing or was built by another normaliser."""


# --- the reference database ----------------------------------------------------------------------------


class _Db:
    """Reference metadata, word-set bitmaps (one bit per vocabulary word) and, loaded on demand, the texts."""

    def __init__(self, index: dict[str, Any], bitmaps: bytes | None = None):
        if index.get("normalizer") != NORMALIZER_VERSION:
            raise DataError(
                f"license texts were built with normaliser {index.get('normalizer')}, this code is "
                f"{NORMALIZER_VERSION}: re-run scripts/refresh_license_texts.py"
            )
        self.refs: list[dict[str, Any]] = index["licenses"]
        self.vocab: dict[str, int] = {w: i for i, w in enumerate(index["vocab"])}
        self.width = (len(self.vocab) + 7) // 8
        self._bitmaps = bitmaps
        self.exact: dict[str, list[int]] = {}
        for number, ref in enumerate(self.refs):
            self.exact.setdefault(ref["hash"], []).append(number)
        order = sorted(range(len(self.refs)), key=lambda i: self.refs[i]["u"])
        self.by_size = order
        self.sizes = [self.refs[i]["u"] for i in order]
        self.counts = [ref["u"] or 1 for ref in self.refs]
        self._texts: list[str] | None = None
        self._tokens: dict[int, list[str]] = {}
        self._starts: dict[str, list[tuple[int, int]]] | None = None

    @cached_property
    def masks(self) -> list[int]:
        """The word-set bitmaps, read on first use: only similarity matching needs them, an exact match
        (the common case: a canonical LICENSE) does not (7 MB unpacked, a third of the loading time)."""
        bitmaps = self._bitmaps if self._bitmaps is not None else _read("wordsets.bin.gz")
        self._bitmaps = None
        width = self.width
        return [int.from_bytes(bitmaps[i * width : (i + 1) * width], "little") for i in range(len(self.refs))]

    def tokens(self, index: int) -> list[str]:
        toks = self._tokens.get(index)
        if toks is None:
            if self._texts is None:
                self._texts = json.loads(gzip.decompress((DATA_DIR / "texts.json.gz").read_bytes()))
            toks = self._tokens[index] = self._texts[index].split()
        return toks

    def mask(self, words: set[str] | frozenset[str]) -> int:
        bits = bytearray(self.width)
        vocab = self.vocab
        for word in words:
            at = vocab.get(word)
            if at is not None:
                bits[at >> 3] |= 1 << (at & 7)
        return int.from_bytes(bits, "little")

    def has(self, index: int, word: str) -> bool:
        at = self.vocab.get(word)
        return at is not None and bool((self.masks[index] >> at) & 1)

    def dice(self, index: int, mask: int, count: int) -> float:
        total = count + self.refs[index]["u"]
        return 2.0 * (mask & self.masks[index]).bit_count() / total if total else 0.0

    def window(self, low: float, high: float) -> list[int]:
        lo = bisect.bisect_left(self.sizes, low)
        hi = bisect.bisect_right(self.sizes, high)
        return self.by_size[lo:hi]

    def starts(self) -> dict[str, list[tuple[int, int]]]:
        """Word 6-grams at a few offsets of each text -> (reference, offset): finds texts inside others."""
        if self._starts is None:
            starts: dict[str, list[tuple[int, int]]] = {}
            for index, ref in enumerate(self.refs):
                if ref.get("exception") or ref["u"] < 20:
                    continue
                head = ref["head"].split()
                for offset in (0, 8, 16):
                    gram = head[offset : offset + 6]
                    if len(gram) == 6:
                        starts.setdefault(" ".join(gram), []).append((index, offset))
            self._starts = starts
        return self._starts


def _read(name: str) -> bytes:
    try:
        return gzip.decompress((DATA_DIR / name).read_bytes())
    except OSError as exc:
        raise DataError(f"license texts not found ({DATA_DIR}): run scripts/refresh_license_texts.py") from exc


@lru_cache(maxsize=1)
def _db() -> _Db:
    return _Db(json.loads(_read("index.json.gz")))


def load() -> int:
    """Load the reference data now (it is otherwise loaded on first use); returns the number of texts."""
    return len(_db().refs)


@lru_cache(maxsize=None)
def _canonical(index: int) -> str:
    """The id of a reference text in mofcheck's license table (or its SPDX / LicenseRef-scancode id)."""
    ref = _db().refs[index]
    try:
        from . import table
    except ImportError:  # pragma: no cover - the table module is part of the package
        table = None  # type: ignore[assignment]
    if table is not None:
        if ref.get("key"):
            entry = table.from_scancode(ref["key"])
            if entry is not None:
                return entry.id
        resolved = table.resolve_id(ref["id"])
        if resolved and resolved != table.NOASSERTION:
            entry = table.get(resolved)
            if entry is not None and entry.deprecated and entry.replaced_by:
                return entry.replaced_by
            return resolved
    return ref["id"]


# --- comparison helpers -----------------------------------------------------------------------------------


def _dice(words: set[str], index: int) -> float:
    db = _db()
    return db.dice(index, db.mask(words), len(words))


def _unique_grams(seq: list[str], stride: int = 1) -> dict[tuple[str, ...], int]:
    """Word K-grams that occur once in `seq` -> their position (every `stride`-th position only)."""
    grams = list(zip(*(seq[k:] for k in range(K))))
    counts = Counter(grams)
    if stride == 1:
        return {g: i for i, g in enumerate(grams) if counts[g] == 1}
    return {g: i for i, g in enumerate(grams) if not i % stride and counts[g] == 1}


_GRAMS: dict[int, dict[tuple[str, ...], int]] = {}


def _ref_grams(index: int) -> dict[tuple[str, ...], int]:
    got = _GRAMS.get(index)
    if got is None:
        if len(_GRAMS) > 256:
            _GRAMS.clear()
        # anchors every 3rd word are plenty: equal runs between them are compared directly
        got = _GRAMS[index] = _unique_grams(_db().tokens(index), stride=3)
    return got


def _lis(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of anchors increasing in both texts (pairs sorted by the first)."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        at = bisect.bisect_left(tails, j)
        if at == len(tails):
            tails.append(j)
            tail_idx.append(n)
        else:
            tails[at] = j
            tail_idx[at] = n
        prev[n] = tail_idx[at - 1] if at else -1
    out = []
    n = tail_idx[-1] if tail_idx else -1
    while n >= 0:
        out.append(pairs[n])
        n = prev[n]
    return out[::-1]


Region = tuple[int, int, int, int]  # a[i1:i2] replaced by b[j1:j2]


def _gap_regions(a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int) -> list[Region]:
    while i1 < i2 and j1 < j2 and a[i1] == b[j1]:
        i1, j1 = i1 + 1, j1 + 1
    while i2 > i1 and j2 > j1 and a[i2 - 1] == b[j2 - 1]:
        i2, j2 = i2 - 1, j2 - 1
    if i1 == i2 and j1 == j2:
        return []
    if i2 - i1 > 200 or j2 - j1 > 200 or i1 == i2 or j1 == j2:
        return [(i1, i2, j1, j2)]
    ops = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False).get_opcodes()
    return [(i1 + x1, i1 + x2, j1 + y1, j1 + y2) for tag, x1, x2, y1, y2 in ops if tag != "equal"]


_Grams = tuple[dict[tuple[str, ...], int], Counter]


def _input_grams(b: list[str]) -> _Grams:
    grams = list(zip(*(b[k:] for k in range(K))))
    return dict(zip(grams, range(len(grams)))), Counter(grams)


def _diff(a: list[str], b: list[str], ga: dict[tuple[str, ...], int] | None = None,
          gbc: _Grams | None = None) -> tuple[list[Region], int]:
    """Edit regions turning reference `a` into `b`, and the end of the last match in `b`.

    Anchors are word K-grams found once in each text (patience diff); runs between anchors are compared
    directly, and only small leftover gaps go through difflib.
    """
    ga = _unique_grams(a) if ga is None else ga
    gb, counts = _input_grams(b) if gbc is None else gbc
    pairs = sorted((ga[g], gb[g]) for g in ga.keys() & gb.keys() if counts[g] == 1)
    js = [j for _, j in pairs]
    if not all(map(operator.lt, js, js[1:])):
        pairs = _lis(pairs)
    regions: list[Region] = []
    i = j = 0
    la, lb = len(a), len(b)
    for ai, bj in pairs:
        if ai < i or bj < j:
            continue
        regions.extend(_gap_regions(a, b, i, ai, j, bj))
        while ai + 32 <= la and bj + 32 <= lb and a[ai : ai + 32] == b[bj : bj + 32]:
            ai, bj = ai + 32, bj + 32
        while ai < la and bj < lb and a[ai] == b[bj]:
            ai, bj = ai + 1, bj + 1
        i, j = ai, bj
    end = j
    regions.extend(_gap_regions(a, b, i, len(a), j, len(b)))
    return regions, end


@dataclass
class _Check:
    ok: bool
    reason: str = ""
    end: int = 0  # end of the matched part in the input (prefix matches)
    changed: int = 0  # words edited


def _check(ref_tokens: list[str], tokens: list[str], prefix: bool = False,
           lead: frozenset[str] = frozenset(), grams: dict[tuple[str, ...], int] | None = None,
           input_grams: _Grams | None = None) -> _Check:
    """Is `tokens` the reference text with only harmless edits? With prefix=True, text may follow it.

    `lead`: words a title/version edit at the very start may consist of (titles are cut from the top of
    both texts, but re-wrapping can merge a title with the next line).
    """
    if prefix:
        tokens = tokens[: int(len(ref_tokens) * 1.1) + 40]
    regions, end = _diff(ref_tokens, tokens, grams, None if prefix else input_grams)
    if prefix and regions and regions[-1][1] == len(ref_tokens) and regions[-1][3] == len(tokens):
        # text after the reference is not an edit of it; only a removed tail of the reference is
        i1, i2, j1, _ = regions.pop()
        if i2 - i1 > 0:
            regions.append((i1, i2, j1, j1))
        end = j1
    changed = 0
    if regions and regions[0][0] == 0 and regions[0][2] == 0 and lead:
        i1, i2, j1, j2 = regions[0]
        if max(i2, j2) <= 40 and set(ref_tokens[:i2]) <= lead and set(tokens[:j2]) <= lead:
            regions = regions[1:]
    for i1, i2, j1, j2 in regions:
        size = max(i2 - i1, j2 - j1)
        if size > MAX_REGION:
            return _Check(False, f"an edit of {size} words")
        inserted = set(tokens[j1:j2]) - set(ref_tokens[i1:i2])
        if inserted & _INSERT_DANGER:
            return _Check(False, f"inserted {sorted(inserted & _INSERT_DANGER)[0]!r}")
        deleted = set(ref_tokens[i1:i2]) - set(tokens[j1:j2])
        if (any(_VERSION.match(t) for t in deleted) and any(c.isdigit() for t in inserted for c in t)) or (
            any(_VERSION.match(t) for t in inserted) and any(c.isdigit() for t in deleted for c in t)
        ):
            return _Check(False, "version changed")
        if deleted & _DELETE_DANGER:
            return _Check(False, f"removed {sorted(deleted & _DELETE_DANGER)[0]!r}")
        changed += size
    if changed > max(10, len(ref_tokens) // 50):
        return _Check(False, f"{changed} words edited")
    return _Check(True, end=end if prefix else len(tokens), changed=changed)


def _features_ok(words: set[str] | frozenset[str], index: int) -> bool:
    db = _db()
    return all(db.has(index, f) for f in _FEATURES if f in words)


def _title_ok(norm: Normalized, index: int) -> bool:
    """The title / boilerplate cut from the top of the text adds nothing restrictive to the reference's.

    Words the input's cut part has beyond the reference's own cut part (title, CC preamble) and name
    must not be restricting words, and must not form a long run (a clause hidden in the preamble).
    """
    if not norm.cut:
        return True
    db = _db()
    ref = db.refs[index]
    ref_cut = ref.get("cut", "").split()
    name = set(_tokenize(ref["name"]))
    if ref_cut and (len(norm.cut) > 12 or len(ref_cut) > 12):
        regions, _ = _diff(ref_cut, norm.cut)
        runs = [norm.cut[j1:j2] for _, _, j1, j2 in regions if j2 > j1]
    else:
        runs = [[w for w in norm.cut if w not in set(ref_cut)]]
    for run in runs:
        # a family word the reference's text has is fine in its title ("NonCommercial" for CC-BY-NC)
        novel = [w for w in run if w not in name and not (w in _FAMILY and db.has(index, w))]
        if any(w in _CUT_DANGER for w in novel):
            return False
        if len(novel) > 16:
            return False
    return True


_GENERIC_TITLE = frozenset(
    "license licenses agreement terms eula version public notice conditions community legal code deed "
    "international generic unported open source the of and for a an v date release released dated".split()
)


def _lead_words(norm: Normalized, index: int) -> frozenset[str]:
    """Words a leading title/version edit may use: both texts' cut titles, the reference's name, dates."""
    ref = _db().refs[index]
    name = _tokenize(ref["name"])
    novel_cut = set(norm.cut) - set(ref.get("cut", "").split()) - set(name) - _GENERIC_TITLE
    if novel_cut & _TITLE_DANGER:
        return frozenset()
    out = set(ref.get("cut", "").split()) | set(name) | set(norm.cut) | _GENERIC_TITLE | _MONTHS
    out |= {w for w in norm.tokens[:40] if w.isdigit() or "." in w or w in ("http", "www", "org", "com")}
    return frozenset(w for w in out if w not in _TITLE_DANGER or w in ref.get("cut", "").split() or w in name)


_MONTHS = frozenset("january february march april may june july august september october november december".split())


def _accept(norm: Normalized, words: set[str], index: int) -> bool:
    return _features_ok(words, index) and _title_ok(norm, index)


def _rank(words: set[str], low: float, high: float, limit: int) -> list[tuple[float, int]]:
    db = _db()
    size = len(words)
    mask = db.mask(words)
    masks, counts = db.masks, db.counts
    scored = [(2.0 * (mask & masks[i]).bit_count() / (size + counts[i]), i) for i in db.window(size * low, size * high)]
    top = heapq.nlargest(limit * 4, scored)
    top.sort(key=lambda item: (-item[0], _preference(item[1])))
    return top[:limit]


def _preference(index: int) -> tuple[int, int, str]:
    """Among equal texts: a listed SPDX id first, then ScanCode's own text, then the shortest id."""
    ref = _db().refs[index]
    return (ref["id"].startswith("LicenseRef-"), ref["source"] != "scancode", ref["id"])


def _closest(ranked: list[tuple[float, int]], count: int = 3) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    for sim, index in ranked:
        lid = _canonical(index)
        if sim < CLOSEST_MIN or any(lid == seen for seen, _ in out):
            continue
        out.append((lid, round(sim, 4)))
        if len(out) == count:
            break
    return out


def _is_open(lid: str) -> bool:
    """Open in mofcheck's license table; unknown ids count as open here, to stay on the safe side."""
    try:
        from . import table

        entry = table.lookup(lid)
    except Exception:  # pragma: no cover - a broken table must not hide a restriction
        return True
    return True if entry is None else bool(entry.open)


def _slug(title: str | None) -> str | None:
    if not title:
        return None
    slug = re.sub(r"[^a-z0-9.]+", "-", title.lower()).strip("-.")[:64].strip("-.")
    return f"LicenseRef-{slug}" if slug else None


# --- identification ------------------------------------------------------------------------------------


def _whole(norm: Normalized, tokens: list[str], words: set[str]) -> tuple[int, str, float] | None:
    """(reference, how, similarity) when `tokens` is one known license text."""
    db = _db()
    hits = db.exact.get(text_hash(" ".join(tokens)))
    if hits:
        # the same text under several ids (OLDAP-2.2.2 / 2.3): the one the title names first
        title = set(norm.cut)
        for index in sorted(hits, key=lambda i: (-len(title & set(_tokenize(db.refs[i]["name"]))), _preference(i))):
            if _accept(norm, words, index):
                return index, "exact", 1.0
    best: tuple[int, float, int] | None = None  # (changed words, -similarity, reference)
    ranked = _rank(words, 0.8, 1.25, 6)
    input_grams: _Grams | None = None
    for sim, index in ranked:
        if sim < SIMILAR_MIN or sim < ranked[0][0] - 0.03:
            break
        if not _accept(norm, words, index):
            continue
        ref_tokens = db.tokens(index)
        if not 0.9 <= len(tokens) / max(len(ref_tokens), 1) <= 1.1:
            continue
        input_grams = input_grams or _input_grams(tokens)
        check = _check(ref_tokens, tokens, lead=_lead_words(norm, index), grams=_ref_grams(index),
                       input_grams=input_grams)
        if check.ok and (best is None or (check.changed, -sim) < best[:2]):
            best = (check.changed, -sim, index)
            if check.changed <= 1:
                break
    if best is not None:
        return best[2], "similar", round(-best[1], 4)
    return None


_PREAMBLE_DANGER = _TRAILER_DANGER | _INSERT_DANGER | {"additional", "modified"}


def _leading(norm: Normalized, words: set[str], ranked: list[tuple[float, int]]) -> tuple[int, int] | None:
    """(reference, end) when the text starts with a known license (after at most a short, harmless
    preamble such as "The code is licensed under:") and goes on after it."""
    db = _db()
    tokens = norm.tokens
    candidates: list[tuple[int, int]] = []  # (reference, start in tokens)
    starts = db.starts()
    for start in range(0, min(60, max(len(tokens) - 5, 0))):
        for index, offset in starts.get(" ".join(tokens[start : start + 6]), ()):
            if offset == 0 and (index, start) not in candidates and start <= 60:
                candidates.append((index, start))
    candidates.extend((i, 0) for _, i in ranked[:8] if (i, 0) not in candidates)
    mask = db.mask(words)
    best: tuple[int, int] | None = None
    for index, start in candidates:
        ref = db.refs[index]
        # nearly all of the reference's words must be in the text
        if ref["u"] < 15 or (mask & db.masks[index]).bit_count() < 0.9 * ref["u"]:
            continue
        ref_tokens = db.tokens(index)
        if len(ref_tokens) < 20 or len(ref_tokens) >= len(tokens) - start:
            continue
        if start and set(tokens[:start]) & _PREAMBLE_DANGER:
            continue
        body = tokens[start : start + int(len(ref_tokens) * 1.1) + 40]
        if not _features_ok(set(body[: len(ref_tokens) + 40]), index) or not _title_ok(norm, index):
            continue
        check = _check(ref_tokens, body, prefix=True, lead=_lead_words(norm, index) if not start else frozenset(),
                       grams=_ref_grams(index))
        if check.ok and (best is None or len(ref_tokens) > len(db.tokens(best[0]))):
            best = (index, start + check.end)
    return best


def _extend(tokens: list[str], covered: list[bool], extra: set[str], at: int, step: int) -> int:
    """Walk from `at` over words of `extra` (up to 2 strangers in a row); the last such word's position."""
    last, misses, q = at, 0, at + step
    while 0 <= q < len(tokens) and not covered[q] and misses <= 2:
        if tokens[q] in extra:
            last, misses = q, 0
        else:
            misses += 1
        q += step
    return last


def _scan(tokens: list[str]) -> tuple[list[int], list[bool]]:
    """Known licenses found in `tokens` (in order) and which tokens they explain."""
    db = _db()
    covered = [False] * len(tokens)
    found: list[int] = []
    starts = db.starts()
    mask = db.mask(set(tokens))
    tried: set[tuple[int, int]] = set()
    memo: dict[tuple[int, tuple[str, ...]], _Check] = {}  # NOTICE files repeat the same license text
    p = 0
    while p < len(tokens) - 5:
        hits = starts.get(" ".join(tokens[p : p + 6]))
        matched = None
        if hits:
            # the closest text wins (fewest edits), then the longest
            best_key: tuple[int, int] | None = None
            longest = max(len(db.tokens(i)) for i, _ in hits)
            near = db.mask(set(tokens[max(p - 16, 0) : p + int(longest * 1.1) + 40]))
            options = []
            for index, offset in set(hits):
                begin = max(p - offset, 0)
                if (index, begin) in tried:
                    continue
                tried.add((index, begin))
                shared = (near & db.masks[index]).bit_count()
                if (mask & db.masks[index]).bit_count() >= 0.9 * db.refs[index]["u"]:
                    options.append((-shared / db.refs[index]["u"], -len(db.tokens(index)), index, begin))
            # most of its words nearby first; stop at a clean match
            for _, _, index, begin in sorted(options):
                if best_key is not None and best_key[0] <= 1:
                    break
                ref_tokens = db.tokens(index)
                window = tokens[begin : begin + int(len(ref_tokens) * 1.1) + 40]
                key_memo = (index, tuple(window))
                check = memo.get(key_memo) or _check(ref_tokens, window, prefix=True, grams=_ref_grams(index))
                memo[key_memo] = check
                key = (check.changed, -len(db.tokens(index)))
                if check.ok and (best_key is None or key < best_key):
                    best_key, matched = key, (index, begin, begin + check.end)
        if matched is None:
            p += 1
            continue
        index, begin, end = matched
        found.append(index)
        # Boilerplate cut from the reference (CC preamble and trailer) around it is explained too.
        extra = set(db.refs[index].get("cut", "").split())
        if extra:
            begin = _extend(tokens, covered, extra, begin, -1)
            end = _extend(tokens, covered, extra, end - 1, 1) + 1
        for q in range(begin, end):
            covered[q] = True
        p = max(end, p + 1)
    return found, covered


def identify_text(text: str, path: str | None = None) -> Identification:
    """Identify the license in `text` (only the first 256 KB are read)."""
    norm = normalize(text[:MAX_CHARS])
    title = norm.title
    if not norm.tokens:
        return Identification(None, "none", 0.0, title=None if norm.copyright_only else title, path=path,
                              line=None if norm.copyright_only else norm.title_line)
    words = set(norm.tokens)
    whole = _whole(norm, norm.tokens, words)
    if whole is not None:
        index, how, sim = whole
        return Identification(_canonical(index), how, sim, title=title, line=norm.title_line, path=path)  # type: ignore[arg-type]
    ranked = _rank(words, 0.3, 3.0, 12)
    lead = _leading(norm, words, ranked)
    if lead is not None:
        index, end = lead
        rest = norm.tokens[end:]
        found, covered = _scan(rest)
        unexplained = [tok for tok, cov in zip(rest, covered) if not cov]
        # Restrictions after an open license make another license; after a restricted one they change
        # nothing about its openness (Llama 2 text + its acceptable use policy).
        benign = not (set(unexplained) & (_TRAILER_DANGER | _INSERT_DANGER)) and len(unexplained) <= MAX_UNEXPLAINED
        if benign or not _is_open(_canonical(index)):
            appended: list[str] = []
            for other in found:
                lid = _canonical(other)
                if lid not in appended:
                    appended.append(lid)
            sim = round(_dice(set(norm.tokens[:end]), index), 4)
            return Identification(_canonical(index), "similar" if sim < 1 or appended or unexplained else "exact",
                                  sim, title=title, appended=appended, line=norm.title_line, path=path)
        # A known license followed by restrictions of its own: a different license.
        lead_sim = round(_dice(words, index), 4)
        closest = _closest([(lead_sim, index)] + [(s, i) for s, i in ranked if i != index])
        return Identification(_slug(title), "none", 0.0, title=title, closest=closest, line=norm.title_line,
                              path=path)
    closest = _closest(ranked)
    return Identification(_slug(title), "none", 0.0, title=title, closest=closest, line=norm.title_line, path=path)


def read_bounded(path: str | Path, limit: int = MAX_BYTES) -> str:
    """The first `limit` bytes of a file as text, decoded as the repository layer does (BOMs, UTF-16,
    UTF-8, else Latin-1); a binary file reads as empty."""
    from ..repo import decode_text

    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    text, _enc, _binary, _note = decode_text(data[:limit], truncated=len(data) > limit)
    return text or ""


def identify_file(path: str | Path) -> Identification:
    """Identify the license file at `path` (a regular file; the first 256 KB are read)."""
    return identify_text(read_bounded(path), path=str(path))
