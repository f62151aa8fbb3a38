"""Licenses known by fingerprint: a hash of the normalised text, its word set and hashed word 5-grams.

Some AI model licenses (Llama, DBRX, Falcon, Grok, Mistral) do not grant the right to redistribute their
own text, and none of them is open, so mofcheck ships no text for them (data/licenses/fingerprints.json,
made by scripts/fingerprint_license.py): the exact-match hash, the set of words (for the similarity
ranking) and the set of hashed 5-word shingles. A file is that license when its shingles are the
license's shingles; input shingles the license lacks locate each edit (its file lines), as a diff would.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from .refdb import db
from .textdiff import Region

SHINGLE = 5


def shingle_hashes(tokens: list[str]) -> list[int]:
    """A 32-bit hash of each word 5-gram of `tokens`, in order."""
    out = []
    for i in range(len(tokens) - SHINGLE + 1):
        digest = hashlib.blake2b(" ".join(tokens[i : i + SHINGLE]).encode("utf-8"), digest_size=4).digest()
        out.append(int.from_bytes(digest, "little"))
    return out


_ENUM = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,4})$")


def formatting(words: list[str]) -> bool:
    """Words an edit of a fingerprinted (never open) license may add without being an edit of its terms:
    list numbering, or a copyright notice that re-wrapping moved into a paragraph."""
    if len(words) <= 3 and all(_ENUM.match(w) for w in words):
        return True
    return bool(words) and words[0] == "copyright" and len(words) <= 12 or bool(words) and (words[-3:] == ["all", "rights", "reserved"] and len(words) <= 12)


@lru_cache(maxsize=64)
def _shingles(index: int) -> frozenset[int]:
    return frozenset(db().fingerprint(index)["shingles"])  # type: ignore[index]


def compare(index: int, tokens: list[str], prefix: bool = False) -> tuple[list[Region], int, int]:
    """(edits, end of the match in `tokens`, reference words found) of `tokens` against fingerprint `index`.

    Edits are runs of input shingles the license does not have, as (0, 0, start, end) token regions; with
    prefix=True the match ends at the last shingle the license has, and what follows is not an edit.
    """
    size = db().fingerprint(index)["n"]  # type: ignore[index]
    known = _shingles(index)
    if prefix:
        tokens = tokens[: int(size * 1.1) + 40]
    hashes = shingle_hashes(tokens)
    hits = [h in known for h in hashes]
    found = len(known.intersection(hashes))
    last = max((i for i, hit in enumerate(hits) if hit), default=-1)
    end = last + SHINGLE if prefix else len(tokens)
    if prefix:
        hits = hits[: last + 1]
    edits: list[Region] = []
    start = None
    for i, hit in enumerate(hits + [True]):
        if not hit and start is None:
            start = i
        elif hit and start is not None:
            edits.append((0, 0, start, min(i + SHINGLE - 1, len(tokens))))
            start = None
    missing = len(known) - found
    if missing and not edits and found:
        edits.append((0, 0, max(end - 1, 0), max(end - 1, 0)))  # the end of the license is missing
    kept = found + SHINGLE - 1 if found else 0
    return edits, max(end, 0), kept
