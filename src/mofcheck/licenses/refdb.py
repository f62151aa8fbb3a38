"""The reference license texts (data/licenses/texts/, built by scripts/refresh_license_texts.py).

Loaded in parts on first use and cached for the process. An exact match of a canonical LICENSE (the common
case) reads only the small index and the records of the references it matched; a similarity match reads
the texts of the candidates it verifies, not all of them:

* `index.json.gz`, read at once: each text's exact-match hashes, its number of distinct words, whether it
  is a license exception, its number of words (decoded on first use), and how many records and texts
  each gzip member of the two files below holds and where each member starts;
* `refs.jsonl.gz`: one JSON record per reference (id, key, name, category, source, the title cut from its
  text, its first 40 words, its variable parts, a fingerprint), in gzip members of a block of records: a
  record reads and decompresses only its member;
* `texts.txt.gz`: the normalised texts, one a line, in gzip members of a block of texts: a text reads and
  decompresses only its member (all the texts are 17 MB decompressed);
* `heads.txt.gz` (every text's first 40 words, one text a line), `vocab.txt.gz` (one word a line) and
  `wordsets.bin.gz` (one bitmap of vocabulary words per text): the similarity search only.
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
FORMAT = 4  # the layout of the files above (scripts/refresh_license_texts.py writes it)


def _gunzip(raw: bytes) -> bytes:
    """One gzip member, through zlib (already loaded): the gzip module costs ~2 ms to import."""
    return zlib.decompress(raw, wbits=16 + zlib.MAX_WBITS)


class DataError(RuntimeError):
    """The packaged reference data is missing or was built by another normaliser or layout."""


class _Members:
    """A gzip file of members of `block` ASCII lines each (line i in member i // block), the members' offsets
    from the index: a line decompresses only its member, which is kept for the lines next to it.

    `whole`: the file is read at once on first use, else each member alone (an open, a seek and a read:
    ~0.04 ms). refs.jsonl.gz (330 KB, ~0.3 ms to read) is read whole: a similarity match reads tens of its
    members. texts.txt.gz (3.2 MB, 2-3 ms to read) is not: a match reads a few to tens of its 343 members.
    """

    def __init__(self, name: str, offsets: list[int], block: int, whole: bool):
        self.name, self.offsets, self.block, self.whole = name, offsets, block, whole
        self.lines: dict[int, list[str]] = {}  # member -> its lines
        self.read = 0  # bytes read from the file
        self._packed: bytes | None = None

    def line(self, index: int) -> str:
        member = index // self.block
        lines = self.lines.get(member)
        if lines is None:
            start, end = self.offsets[member], self.offsets[member + 1]
            if not self.whole:
                raw = _read_raw(self.name, start, end - start)
                self.read += len(raw)
            else:
                if self._packed is None:
                    self._packed = _read_raw(self.name)
                    self.read = len(self._packed)
                raw = self._packed[start:end]
            # written as ASCII: the fastest text for Python to decode and split
            lines = self.lines[member] = _gunzip(raw).decode("ascii").split("\n")
        return lines[index % self.block]


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
    """The index at once; each reference's record, the vocabulary, the word-set bitmaps (one bit per
    vocabulary word) and the texts when first used."""

    def __init__(self, index: dict[str, Any]):
        if index.get("normalizer") != NORMALIZER_VERSION:
            raise DataError(
                f"license texts were built with normaliser {index.get('normalizer')}, this code is "
                f"{NORMALIZER_VERSION}: re-run scripts/refresh_license_texts.py"
            )
        if index.get("format") != FORMAT:
            raise DataError(f"license texts have layout {index.get('format')}, this code reads {FORMAT}: re-run scripts/refresh_license_texts.py")
        self.hashes: list[str] = index["hash"]
        self.unique: list[int] = index["u"]  # distinct words of each text
        self._lengths: str = index["n"]
        self.exception: list[bool] = index["exception"]  # a license exception (WITH ...), not a license
        self.width = (index["words"] + 7) // 8
        self._refs = _Members("refs.jsonl.gz", index["members"], index["block"], whole=True)
        self._texts = _Members("texts.txt.gz", index["texts"], index["text_block"], whole=False)
        self.exact: dict[str, list[int]] = {}
        for number, (key, bare) in enumerate(zip(self.hashes, index["bare"])):
            self.exact.setdefault(key, []).append(number)
            if bare:
                self.exact.setdefault(bare, []).append(number)
        self._records: dict[int, dict[str, Any]] = {}
        self._tokens: dict[int, list[str]] = {}
        self._slots: dict[int, Slots | None] = {}
        self._starts: dict[str, list[tuple[int, int]]] | None = None

    def __len__(self) -> int:
        return len(self.hashes)

    def ref(self, index: int) -> dict[str, Any]:
        """The record of reference `index`: id, key, name, category, source, cut (the title cut from its
        text), head (its first 40 words) and, where it has them, slots and fingerprint."""
        record = self._records.get(index)
        if record is None:
            record = self._records[index] = json.loads(self._refs.line(index))
        return record

    def loaded(self) -> dict[str, int | bool]:
        """What has been read beyond the index: records decoded and their members decompressed, texts split
        into words, their members decompressed and the bytes read of texts.txt.gz, and whether the heads, the
        vocabulary and the bitmaps are loaded (for tests and benchmarks)."""
        return {
            "records": len(self._records),
            "members": len(self._refs.lines),
            "texts": len(self._tokens),
            "text_members": len(self._texts.lines),
            "text_bytes": self._texts.read,
            "heads": "heads" in vars(self),
            "vocab": "vocab" in vars(self),
            "bitmaps": "masks" in vars(self),
        }

    @cached_property
    def heads(self) -> list[str]:
        """The first 40 words of every text (also in each record): the search for texts inside others reads
        them all, which costs a tenth of decoding every record."""
        return read("heads.txt.gz").decode("utf-8").split("\n")[:-1]

    @cached_property
    def vocab(self) -> dict[str, int]:
        """Word -> its bit in the bitmaps; read on first use: only similarity matching needs it."""
        words = read("vocab.txt.gz").decode("utf-8").split("\n")[:-1]  # each word on a line of its own
        return dict(zip(words, range(len(words))))

    @cached_property
    def masks(self) -> list[int]:
        """The word-set bitmaps, read on first use: only similarity matching needs them, an exact match
        (the common case: a canonical LICENSE) does not."""
        bitmaps = read("wordsets.bin.gz")
        width = self.width
        return [int.from_bytes(bitmaps[i * width : (i + 1) * width], "little") for i in range(len(self))]

    @cached_property
    def lengths(self) -> list[int]:
        """Each text's number of words, len(tokens(i)) without reading the text (a fingerprint: 0): the
        similarity search filters and orders candidates by it. Stored as one string, decoded on first use
        (as a JSON list it would cost every exact match ~0.3 ms more)."""
        return [int(n) for n in self._lengths.split()]

    @cached_property
    def by_size(self) -> list[int]:
        return sorted(range(len(self)), key=self.unique.__getitem__)

    @cached_property
    def sizes(self) -> list[int]:
        return [self.unique[i] for i in self.by_size]

    @cached_property
    def counts(self) -> list[int]:
        return [u or 1 for u in self.unique]

    def tokens(self, index: int) -> list[str]:
        """The words of reference `index`'s normalised text (none for a fingerprint)."""
        toks = self._tokens.get(index)
        if toks is None:
            toks = self._tokens[index] = self._texts.line(index).split()
        return toks

    def fingerprint(self, index: int) -> dict[str, Any] | None:
        return self.ref(index).get("fingerprint")

    def slots(self, index: int) -> Slots | None:
        if index in self._slots:
            return self._slots[index]
        raw = self.ref(index).get("slots")
        got = None
        if raw:
            size = len(self.tokens(index))
            optional = bytearray(size)
            var = [-1] * size
            spans = []
            at: dict[int, list[int]] = {}
            # [start, end, "o"] an optional part; [start, end, "f", words] a free variable (a name);
            # [start, end, "v", words, regex] a variable from a list of choices
            for start, end, kind, *rest in raw:
                if kind == "o":
                    optional[start:end] = b"\x01" * (end - start)
                    continue
                number = len(spans)
                words = frozenset(rest[0].split())
                regex = rest[1] if len(rest) > 1 else None
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
        total = count + self.unique[index]
        return 2.0 * (mask & self.masks[index]).bit_count() / total if total else 0.0

    def window(self, low: float, high: float) -> list[int]:
        lo = bisect.bisect_left(self.sizes, low)
        hi = bisect.bisect_right(self.sizes, high)
        return self.by_size[lo:hi]

    def starts(self) -> dict[str, list[tuple[int, int]]]:
        """Word 6-grams at a few offsets of each text -> (reference, offset): finds texts inside others."""
        if self._starts is None:
            starts: dict[str, list[tuple[int, int]]] = {}
            for index, line in enumerate(self.heads):
                if self.exception[index] or self.unique[index] < 20 or not line:
                    continue
                head = line.split()
                for offset in (0, 8, 16):
                    gram = head[offset : offset + 6]
                    if len(gram) == 6:
                        starts.setdefault(" ".join(gram), []).append((index, offset))
            self._starts = starts
        return self._starts


def _read_raw(name: str, start: int = 0, size: int = -1) -> bytes:
    try:
        with open(DATA_DIR / name, "rb") as handle:
            handle.seek(start)
            return handle.read(size)
    except OSError as exc:
        raise DataError(f"license texts not found ({DATA_DIR}): run scripts/refresh_license_texts.py") from exc


def read(name: str) -> bytes:
    return _gunzip(_read_raw(name))


@lru_cache(maxsize=1)
def db() -> Db:
    return Db(json.loads(read("index.json.gz")))


def load() -> int:
    """Load the reference index now (it is otherwise loaded on first use); returns the number of texts."""
    return len(db())


@cache
def canonical(index: int) -> str:
    """The id of a reference text in mofcheck's license table (or its SPDX / LicenseRef-scancode id)."""
    from . import table

    ref = db().ref(index)
    if ref["key"]:
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

    ref = db().ref(index)
    words = set(tokenize(ref["name"])) | set(ref["cut"].split())
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
    ref = db().ref(index)
    return (ref["id"].startswith("LicenseRef-"), ref["source"] != "scancode", ref["id"])


def is_open(lid: str) -> bool:
    """Open in mofcheck's license table; unknown ids count as open here, to stay on the safe side."""
    try:
        from . import table

        entry = table.lookup(lid)
    except Exception:  # pragma: no cover - a broken table must not hide a restriction
        return True
    return True if entry is None else bool(entry.open)
