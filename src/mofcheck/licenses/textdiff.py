"""An anchored word diff (patience style) between a reference text and an input, both normalised.

Anchors are word K-grams found once in each text; the longest chain of anchors increasing in both is
kept, runs between anchors are compared directly, and only small leftover gaps go through difflib. The
diff is over the word order, so a scrambled text does not match its reference.
"""

from __future__ import annotations

import bisect
import operator
from collections import Counter

from .refdb import db

K = 4  # anchor length (words)
Region = tuple[int, int, int, int]  # a[i1:i2] replaced by b[j1:j2]
Grams = tuple[dict[tuple[str, ...], int], Counter]


def unique_grams(seq: list[str], stride: int = 1) -> dict[tuple[str, ...], int]:
    """Word K-grams that occur once in `seq` -> their position (every `stride`-th position only)."""
    grams = list(zip(*(seq[k:] for k in range(K))))
    counts = Counter(grams)
    if stride == 1:
        return {g: i for i, g in enumerate(grams) if counts[g] == 1}
    return {g: i for i, g in enumerate(grams) if not i % stride and counts[g] == 1}


_GRAMS: dict[int, dict[tuple[str, ...], int]] = {}


def ref_grams(index: int) -> dict[tuple[str, ...], int]:
    got = _GRAMS.get(index)
    if got is None:
        if len(_GRAMS) > 256:
            _GRAMS.clear()
        # anchors every 3rd word are plenty: equal runs between them are compared directly
        got = _GRAMS[index] = unique_grams(db().tokens(index), stride=3)
    return got


def input_grams(b: list[str]) -> Grams:
    grams = list(zip(*(b[k:] for k in range(K))))
    return dict(zip(grams, range(len(grams)))), Counter(grams)


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


def _gap_regions(a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int) -> list[Region]:
    while i1 < i2 and j1 < j2 and a[i1] == b[j1]:
        i1, j1 = i1 + 1, j1 + 1
    while i2 > i1 and j2 > j1 and a[i2 - 1] == b[j2 - 1]:
        i2, j2 = i2 - 1, j2 - 1
    if i1 == i2 and j1 == j2:
        return []
    if i2 - i1 > 200 or j2 - j1 > 200 or i1 == i2 or j1 == j2:
        return [(i1, i2, j1, j2)]
    import difflib  # only for the small gaps left between anchors

    ops = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False).get_opcodes()
    return [(i1 + x1, i1 + x2, j1 + y1, j1 + y2) for tag, x1, x2, y1, y2 in ops if tag != "equal"]


def diff(a: list[str], b: list[str], ga: dict[tuple[str, ...], int] | None = None, gbc: Grams | None = None) -> tuple[list[Region], int]:
    """Edit regions turning reference `a` into `b`, and the end of the last match in `b`."""
    ga = unique_grams(a) if ga is None else ga
    gb, counts = input_grams(b) if gbc is None else gbc
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
