"""The reference license texts (data/licenses/texts/, built by scripts/refresh_license_texts.py).

Loaded on first use and cached for the process: the index (ids, names, exact-match hashes, vocabulary,
the known variable parts of each text) at once; the word-set bitmaps and the normalised texts only when a
text is not an exact match.
"""

from __future__ import annotations

import bisect
import json
import zlib
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from .normalize import NORMALIZER_VERSION, tokenize

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "licenses" / "texts"


def _gunzip(raw: bytes) -> bytes:
    """One gzip member, through zlib (already loaded): the gzip module costs ~2 ms to import."""
    return zlib.decompress(raw, wbits=16 + zlib.MAX_WBITS)


class DataError(RuntimeError):
    """The packaged reference data is missing or was built by another normaliser."""


@dataclass(frozen=True)
class Slots:
    """The known variable parts of a reference text, by token position.

    optional[i]: token i belongs to a part the license marks optional (it may be left out whole);
    var[i]: the variable slot token i belongs to, or -1; spans[s] = (start, end, free, vocabulary) of slot s
    (`free`: a name or place that may be any words of the file's notices); empty slots (a variable whose
    default is empty) are listed by position in `at`.
    """

    optional: bytes
    var: tuple[int, ...]
    spans: tuple[tuple[int, int, bool, frozenset[str], str | None], ...]
    at: dict[int, tuple[int, ...]]


class Db:
    """Reference metadata, word-set bitmaps (one bit per vocabulary word) and, loaded on demand, the texts."""

    def __init__(self, index: dict[str, Any], bitmaps: bytes | None = None):
        if index.get("normalizer") != NORMALIZER_VERSION:
            raise DataError(
                f"license texts were built with normaliser {index.get('normalizer')}, this code is "
                f"{NORMALIZER_VERSION}: re-run scripts/refresh_license_texts.py"
            )
        self.refs: list[dict[str, Any]] = index["licenses"]
        self.vocab: dict[str, int] = {w: i for i, w in enumerate(index["vocab"])}
        self.slot_vocabs: list[str] = index.get("vocabs", [])
        self.width = (len(self.vocab) + 7) // 8
        self._bitmaps = bitmaps
        self.exact: dict[str, list[int]] = {}
        for number, ref in enumerate(self.refs):
            self.exact.setdefault(ref["hash"], []).append(number)
            if ref.get("bare"):
                self.exact.setdefault(ref["bare"], []).append(number)
        order = sorted(range(len(self.refs)), key=lambda i: self.refs[i]["u"])
        self.by_size = order
        self.sizes = [self.refs[i]["u"] for i in order]
        self.counts = [ref["u"] or 1 for ref in self.refs]
        self._texts: list[str] | None = None
        self._tokens: dict[int, list[str]] = {}
        self._slots: dict[int, Slots | None] = {}
        self._starts: dict[str, list[tuple[int, int]]] | None = None

    @cached_property
    def masks(self) -> list[int]:
        """The word-set bitmaps, read on first use: only similarity matching needs them, an exact match
        (the common case: a canonical LICENSE) does not."""
        bitmaps = self._bitmaps if self._bitmaps is not None else read("wordsets.bin.gz")
        self._bitmaps = None
        width = self.width
        return [int.from_bytes(bitmaps[i * width : (i + 1) * width], "little") for i in range(len(self.refs))]

    def tokens(self, index: int) -> list[str]:
        toks = self._tokens.get(index)
        if toks is None:
            if self._texts is None:
                self._texts = json.loads(_gunzip((DATA_DIR / "texts.json.gz").read_bytes()))
            toks = self._tokens[index] = self._texts[index].split()
        return toks

    def fingerprint(self, index: int) -> dict[str, Any] | None:
        return self.refs[index].get("fingerprint")

    def slots(self, index: int) -> Slots | None:
        if index in self._slots:
            return self._slots[index]
        raw = self.refs[index].get("slots")
        got = None
        if raw:
            size = len(self.tokens(index))
            optional = bytearray(size)
            var = [-1] * size
            spans = []
            at: dict[int, list[int]] = {}
            for start, end, kind, vocab, *pattern in raw:
                if kind == "o":
                    optional[start:end] = b"\x01" * (end - start)
                    continue
                number = len(spans)
                words = frozenset(self.slot_vocabs[vocab].split()) if vocab >= 0 else frozenset()
                regex = self.slot_vocabs[pattern[0]][3:] if pattern else None
                spans.append((start, end, kind == "f", words, regex))
                if start == end:
                    at.setdefault(start, []).append(number)
                for i in range(start, end):
                    var[i] = number
            got = Slots(bytes(optional), tuple(var), tuple(spans), {k: tuple(v) for k, v in at.items()})
        self._slots[index] = got
        return got

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
                if ref.get("exception") or ref["u"] < 20 or not ref["head"]:
                    continue
                head = ref["head"].split()
                for offset in (0, 8, 16):
                    gram = head[offset : offset + 6]
                    if len(gram) == 6:
                        starts.setdefault(" ".join(gram), []).append((index, offset))
            self._starts = starts
        return self._starts


def read(name: str) -> bytes:
    try:
        return _gunzip((DATA_DIR / name).read_bytes())
    except OSError as exc:
        raise DataError(f"license texts not found ({DATA_DIR}): run scripts/refresh_license_texts.py") from exc


@lru_cache(maxsize=1)
def db() -> Db:
    return Db(json.loads(read("index.json.gz")))


def load() -> int:
    """Load the reference data now (it is otherwise loaded on first use); returns the number of texts."""
    return len(db().refs)


@cache
def canonical(index: int) -> str:
    """The id of a reference text in mofcheck's license table (or its SPDX / LicenseRef-scancode id)."""
    from . import table

    ref = db().refs[index]
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


@cache
def name_words(index: int) -> frozenset[str]:
    """Words of the reference's name, its cut title and its table entry's name and aliases: the words a
    title of this license may use."""
    from . import table

    ref = db().refs[index]
    words = set(tokenize(ref["name"])) | set(ref.get("cut", "").split())
    entry = table.get(canonical(index))
    if entry is not None:
        words |= set(tokenize(entry.name))
        words |= set(tokenize(entry.id))
        for alias in entry.aliases:
            if not alias.lower().startswith("licenseref-"):
                words |= set(tokenize(alias))
    return frozenset(words)


def preference(index: int) -> tuple[int, int, str]:
    """Among equal texts: a listed SPDX id first, then ScanCode's own text, then the shortest id."""
    ref = db().refs[index]
    return (ref["id"].startswith("LicenseRef-"), ref["source"] != "scancode", ref["id"])


def is_open(lid: str) -> bool:
    """Open in mofcheck's license table; unknown ids count as open here, to stay on the safe side."""
    try:
        from . import table

        entry = table.lookup(lid)
    except Exception:  # pragma: no cover - a broken table must not hide a restriction
        return True
    return True if entry is None else bool(entry.open)
