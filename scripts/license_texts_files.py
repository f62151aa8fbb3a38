"""The files of src/mofcheck/data/licenses/texts/ (layout: licenses/refdb.py), for refresh_license_texts.py:
written from the build's entries, and read back into entries (the conversion path: a machine without the
sources rebuilds the files from the packaged ones, in this layout or the two before).

Every output is deterministic: gzip without a time stamp, the entries in the order the build sorts them.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from mofcheck.licenses.normalize import NORMALIZER_VERSION, text_hash
from mofcheck.licenses.refdb import FORMAT

STALE = ("licenses.json.gz", "texts.json.gz")  # files of older layouts
PACKAGED = ("scancode", "spdx", "spdx-xml")  # entries from the packages; owner texts and fingerprints are local files
RECORD = ("id", "key", "name", "category", "source")
# Entries per gzip member (stored in the index, which the reader follows): a record or a text read costs
# its member. Records: members of 32 cost ~0.1 ms to read one, 332 KB in all (docs/benchmarks.md).
BLOCK = 32
TEXT_BLOCK = 8  # texts


def gzip_bytes(payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write(payload)
    return buffer.getvalue()


def _json(value: object) -> bytes:
    """Compact and ASCII (the few accented names escaped): Python decodes and splits ASCII text fastest."""
    return json.dumps(value, separators=(",", ":")).encode("ascii")


def _members(lines: list[bytes], block: int) -> tuple[bytes, list[int]]:
    """`lines` in gzip members of `block` lines each, as one gzip file (zcat reads it whole), and the
    members' offsets (the last one: the file's size)."""
    members: list[bytes] = []
    offsets = [0]
    for start in range(0, len(lines), block):
        members.append(gzip_bytes(b"\n".join(lines[start : start + block]) + b"\n"))
        offsets.append(offsets[-1] + len(members[-1]))
    return b"".join(members), offsets


def _words(entry: dict) -> set[str]:
    return set(entry["fingerprint"]["words"].split()) if "fingerprint" in entry else set(entry["text"].split())


def write_outputs(out: Path, data: dict) -> list[int]:
    """The reference files (layout FORMAT, read by licenses/refdb.py) from the build's data; returns their sizes."""
    entries = data["licenses"]
    frequency: dict[str, int] = {}
    for entry in entries:
        for word in _words(entry):
            frequency[word] = frequency.get(word, 0) + 1
    vocab = sorted(frequency, key=lambda w: (-frequency[w], w))  # frequent words first: smaller bitmaps
    ids = {w: i for i, w in enumerate(vocab)}
    width = (len(vocab) + 7) // 8
    bitmaps = bytearray()
    for entry in entries:
        bits = bytearray(width)
        for word in _words(entry):
            bits[ids[word] >> 3] |= 1 << (ids[word] & 7)
        bitmaps += bits
    hashes: list[str] = []
    bare: list[str | None] = []
    heads: list[str] = []
    records: list[bytes] = []
    for entry in entries:
        record = {k: entry[k] for k in RECORD}
        if "fingerprint" in entry:
            fp = entry["fingerprint"]
            hashes.append(fp["hash"])
            bare.append(None)
            heads.append("")
            record |= {"cut": "", "head": "", "fingerprint": {"n": fp["n"], "shingles": fp["shingles"], "source": fp["source"]}}
        else:
            hashes.append(text_hash(entry["text"]))
            bare.append(text_hash(entry["bare"]) if entry.get("bare") else None)
            # the first 40 words: the words a title line may run into (explain.title_edits; from the record)
            # and the 6-grams that find a text inside another (refdb.starts; all of them, from heads.txt.gz)
            heads.append(" ".join(entry["text"].split()[:40]))
            record |= {"cut": entry["cut"], "head": heads[-1]}
            if entry.get("slots"):
                record["slots"] = entry["slots"]
        records.append(_json(record))
    refs, offsets = _members(records, BLOCK)
    # normalised texts are lower-case ASCII words, one space apart (a fingerprint has none: an empty line)
    texts, text_offsets = _members([e.get("text", "").encode("ascii") for e in entries], TEXT_BLOCK)
    index = {
        "format": FORMAT,
        "normalizer": data["normalizer"],
        "sources": data["sources"],
        "words": len(vocab),
        "block": BLOCK,
        "members": offsets,
        "text_block": TEXT_BLOCK,
        "texts": text_offsets,
        "hash": hashes,
        "bare": bare,
        "u": [entry["u"] for entry in entries],
        "n": " ".join(str(len(entry.get("text", "").split())) for entry in entries),  # decoded on first use
        "exception": [entry["exception"] for entry in entries],
    }
    files = {
        "index.json.gz": gzip_bytes(_json(index)),
        "refs.jsonl.gz": refs,
        "texts.txt.gz": texts,
        "heads.txt.gz": gzip_bytes("".join(h + "\n" for h in heads).encode("utf-8")),
        "vocab.txt.gz": gzip_bytes("".join(w + "\n" for w in vocab).encode("utf-8")),
        "wordsets.bin.gz": gzip_bytes(bytes(bitmaps)),
    }
    for name in STALE:
        if (out / name).exists():
            (out / name).unlink()
    for name, payload in files.items():
        (out / name).write_bytes(payload)
    return [len(p) for p in files.values()]


def _records(folder: Path, index: dict) -> tuple[list[dict], list[tuple[str, str | None]]]:
    """(record, (hash, bare hash)) of each packaged reference, in any layout read_packaged reads."""
    if index.get("format") in (3, FORMAT):  # layout 3 had the same records, and the texts in one JSON list
        lines = gzip.decompress((folder / "refs.jsonl.gz").read_bytes()).decode("utf-8").splitlines()
        records = [json.loads(line) | {"exception": flag} for line, flag in zip(lines, index["exception"], strict=True)]
        return records, list(zip(index["hash"], index["bare"], strict=True))
    # layout 2: one index.json.gz with every field; slot words and patterns by number in index["vocabs"]
    vocabs = index["vocabs"]
    records = []
    for ref in index["licenses"]:
        record = {k: ref[k] for k in RECORD} | {"exception": ref["exception"], "cut": ref.get("cut", ""), "head": ref["head"]}
        slots = [s[:3] if s[2] == "o" else s[:3] + [vocabs[s[3]]] + [vocabs[p][len("re:") :] for p in s[4:]] for s in ref.get("slots", [])]
        if slots:
            record["slots"] = slots
        records.append(record)
    return records, [(ref["hash"], ref.get("bare")) for ref in index["licenses"]]


def read_packaged(folder: Path) -> tuple[list[dict], dict]:
    """(entries, sources) of the packaged texts from ScanCode and SPDX, as the build made them (the texts are
    stored normalised; the text without its optional parts is the text less its "o" slots). Each entry is
    checked against the stored hashes, word counts and first words. Owner texts and fingerprints are left out: the build
    adds them from their files."""
    index = json.loads(gzip.decompress((folder / "index.json.gz").read_bytes()))
    if index.get("normalizer") != NORMALIZER_VERSION:
        raise SystemExit(f"{folder}: built with normaliser {index.get('normalizer')}, this code is {NORMALIZER_VERSION}: rebuild from the sources")
    layout = index.get("format", 2)
    if layout not in (2, 3, FORMAT):
        raise SystemExit(f"{folder}: unknown layout {layout}")
    if layout == FORMAT:
        texts = gzip.decompress((folder / "texts.txt.gz").read_bytes()).decode("ascii").split("\n")[:-1]
    else:  # layouts 2 and 3: one JSON list
        texts = json.loads(gzip.decompress((folder / "texts.json.gz").read_bytes()))
    units = [ref["u"] for ref in index["licenses"]] if layout == 2 else index["u"]
    records, hashes = _records(folder, index)
    entries = []
    for record, (key, bare_key), u, text in zip(records, hashes, units, texts, strict=True):
        if record["source"] not in PACKAGED:
            continue
        entry = {k: record[k] for k in RECORD} | {"exception": record["exception"], "u": u, "text": text, "cut": record["cut"]}
        slots = record.get("slots")
        if slots:
            entry["slots"] = slots
            optional = {i for s in slots if s[2] == "o" for i in range(s[0], s[1])}
            if optional:
                entry["bare"] = " ".join(t for i, t in enumerate(text.split()) if i not in optional)
        tokens = text.split()
        if text_hash(text) != key or len(set(tokens)) != u or (text_hash(entry["bare"]) if "bare" in entry else None) != bare_key:
            raise SystemExit(f"{folder}: {record['id']} ({record['source']}) does not match its stored hashes")
        if "head" in record and record["head"] != " ".join(tokens[:40]):
            raise SystemExit(f"{folder}: {record['id']} ({record['source']}): its stored first words are not its text's")
        entries.append(entry)
    return entries, index["sources"]
