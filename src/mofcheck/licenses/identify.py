"""Identify a license from its text, licensee style, refusing any edit that is not a known variable part.

Steps: normalise (normalize.py); exact match of the normalised word sequence (a dict of hashes); else
candidates ranked by Sørensen–Dice over word sets, each verified by an anchored word diff (textdiff.py)
whose every edit must be a known variable part of that license (explain.py: SPDX <alt>/<optional> markup,
ScanCode blanks, list numbering, URLs, the title). A text with any other edit is never the plain license:
it is reported as "X, modified" (`LicenseRef-mofcheck-modified-X`, match "modified"), with the file lines
of each unexplained edit. A file whose leading section is a known license is reported with the licenses
found after it (`appended`) when everything between and after them is notices and copyright lines.
Unknown texts get `LicenseRef-mofcheck-unknown-<hash>` with the closest candidates.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import fingerprint as fp
from .explain import connector_ok, lead_words, note_names, title_edits, unexplained
from .identification import Difference, Identification, modified_id
from .normalize import MAX_CHARS, Normalized, normalize, text_hash
from .refdb import DataError, canonical, db, is_open, load, name_words, preference
from .textdiff import Grams, Region, diff, input_grams, ref_grams

__all__ = ["DataError", "Difference", "Identification", "MAX_BYTES", "identify_file", "identify_text", "load", "modified_id", "read_bounded"]

MAX_BYTES = 256 * 1024
SIMILAR_MIN = 0.9  # Dice over word sets to try a candidate; the diff decides
CLOSEST_MIN = 0.5
MODIFIED_KEPT = 0.8  # share of the reference kept, in order, for "X, modified" (less: another text)
MAX_DIFFERENCES = 20
# Family marks: a text with one of these is never reported as a license whose text lacks it.
_FEATURES = ("noncommercial", "noderivatives", "noderivs", "sharealike")


# --- verification of one candidate ------------------------------------------------------------------------


@dataclass
class _Verdict:
    index: int
    edits: list[Region]  # unexplained edits (reference -> input)
    end: int  # end of the matched part in the input
    kept: int  # reference words kept, in order
    title: list[str] = field(default_factory=list)  # unexplained title words
    named: int = 0  # version words of the title that name this license ("version 1.1": OpenMDW-1.1, not 1.0)

    @property
    def ok(self) -> bool:
        return not self.edits and not self.title

    @property
    def size(self) -> int:
        return sum(max(i2 - i1, j2 - j1) for i1, i2, j1, j2 in self.edits) + len(self.title)


def _verify(norm: Normalized, index: int, tokens: list[str], prefix: bool = False, offset: int = 0, grams: Grams | None = None) -> _Verdict:
    """Compare `tokens` with reference `index`; with prefix=True, text may follow the reference."""
    if db().fingerprint(index) is not None:
        edits, end, kept = fp.compare(index, tokens, prefix)
        if edits and edits[0][2] == 0 and not offset:  # a title re-wrapped into the first line
            lead = lead_words(norm.cut, tokens, index, norm.holders)
            head = tokens[: max(edits[0][3] - (fp.SHINGLE - 1), 0)]
            if len(head) <= 40 and all(w in lead for w in head):
                edits = edits[1:]
        # None of these licenses is open (scripts/fingerprint_license.py): list numbering and a notice that a
        # re-wrapped line carries into the text are forgiven without knowing what the license had there.
        versions = {w for w in name_words(index) if "." in w and w[:1].isdigit()}

        def forgiven(core: list[str]) -> bool:  # ... but never another version ("Llama 3.4" is not 3.1)
            return fp.formatting(core) and not (versions and any("." in w and w[:1].isdigit() and w not in versions for w in core))

        edits = [e for e in edits if not forgiven(tokens[e[2] + (fp.SHINGLE - 1 if e[2] else 0) : e[3] - (fp.SHINGLE - 1)])]
        return _Verdict(index, edits, end, kept)
    ref = db().tokens(index)
    if prefix:
        tokens = tokens[: int(len(ref) * 1.1) + 40]
    regions, end = diff(ref, tokens, ref_grams(index), None if prefix else grams)
    if prefix and regions and regions[-1][1] == len(ref) and regions[-1][3] == len(tokens):
        # text after the reference is not an edit of it; only a removed tail of the reference is
        i1, i2, j1, _ = regions.pop()
        if i2 > i1:
            regions.append((i1, i2, j1, j1))
        end = j1
    elif not prefix:
        end = len(tokens)
    kept = len(ref) - sum(i2 - i1 for i1, i2, _, _ in regions)
    lead = lead_words(norm.cut, tokens, index, norm.holders) if not offset else frozenset()
    edits = unexplained(index, ref, tokens, regions, norm.holders, lead)
    return _Verdict(index, edits, end, kept)


def _base_key(verdict: _Verdict) -> tuple[int, int, bool, int, str]:
    """Which license an edited text is reported as edited from: the fewest edits, within ten words the
    version its title names, then a listed SPDX license (MIT with a clause is "MIT, modified", not a ScanCode
    MIT variant)."""
    lid = canonical(verdict.index)
    return verdict.size // 10, -verdict.named, lid.startswith("LicenseRef-"), verdict.size, lid


def _named(cut: list[str], index: int) -> int:
    return len({w for w in cut if any(c.isdigit() for c in w)} & name_words(index))


def _features_ok(words: set[str] | frozenset[str], index: int) -> bool:
    return all(db().has(index, f) for f in _FEATURES if f in words)


def _rank(words: set[str], low: float, high: float, limit: int) -> list[tuple[float, int]]:
    store = db()
    size = len(words)
    mask = store.mask(words)
    masks, counts = store.masks, store.counts
    scored = [(2.0 * (mask & masks[i]).bit_count() / (size + counts[i]), i) for i in store.window(size * low, size * high)]
    top = heapq.nlargest(limit * 4, scored)
    top.sort(key=lambda item: (-item[0], preference(item[1])))
    return top[:limit]


def _closest(ranked: list[tuple[float, int]], count: int = 3) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    for sim, index in ranked:
        lid = canonical(index)
        if sim < CLOSEST_MIN or any(lid == seen for seen, _ in out):
            continue
        out.append((lid, round(sim, 4)))
        if len(out) == count:
            break
    return out


def _dice(words: set[str], index: int) -> float:
    store = db()
    return store.dice(index, store.mask(words), len(words))


# --- whole text, leading license, appended licenses ---------------------------------------------------


def _whole(norm: Normalized, words: set[str]) -> tuple[_Verdict | None, _Verdict | None, float]:
    """(identified, closest modified candidate, its similarity) for `norm` as one license text."""
    store = db()
    tokens = norm.tokens
    best_mod: _Verdict | None = None
    best_sim = 0.0
    hits = store.exact.get(text_hash(" ".join(tokens)))
    if hits:
        # the same text under several ids (OLDAP-2.2.2 / 2.3): the one the title names first
        cut = set(norm.cut)
        for index in sorted(hits, key=lambda i: (-len(cut & name_words(i)), preference(i))):
            if not _features_ok(words | set(norm.cut), index):
                continue
            verdict = _Verdict(index, [], len(tokens), len(tokens), title_edits(norm.cut, index, norm.holders))
            if verdict.ok:
                return verdict, None, 1.0
            if best_mod is None:
                best_mod, best_sim = verdict, 1.0
    ranked = _rank(words, 0.7, 1.4, 8)
    grams: Grams | None = None
    found: _Verdict | None = None
    for sim, index in ranked:
        if sim < SIMILAR_MIN or sim < ranked[0][0] - 0.05:
            break
        ref_len = db().fingerprint(index)["n"] if db().fingerprint(index) else store.lengths[index]
        if not 0.6 <= len(tokens) / max(ref_len, 1) <= 1.6:
            continue
        grams = grams or input_grams(tokens)
        verdict = _verify(norm, index, tokens, grams=grams)
        verdict.title = title_edits(norm.cut, index, norm.holders)
        verdict.named = _named(norm.cut, index)
        features = _features_ok(words | set(norm.cut), index)
        if verdict.ok and features:
            if found is None or store.lengths[index] > store.lengths[found.index]:
                found = verdict
            continue
        if verdict.kept >= MODIFIED_KEPT * ref_len and (best_mod is None or _base_key(verdict) < _base_key(best_mod)):
            best_mod, best_sim = verdict, sim
    if found is not None:
        return found, None, round(_dice(words, found.index), 4)
    return None, best_mod, round(best_sim, 4)


def _license_words(indexes: list[int]) -> frozenset[str]:
    out: set[str] = set()
    for index in indexes:
        out |= name_words(index)
    return frozenset(out)


def _note_ok(norm: Normalized, raw_lines: list[str], begin: int, end: int, licenses: frozenset[str], between: bool = False) -> bool:
    """Are tokens begin..end of the file a note (scope, names, license names)? Between two licenses, words
    no license text uses at all are names too (a project, a company); before or after the licenses, only
    capitalised names and the names of the notices are."""
    if begin >= end:
        return True
    words = norm.tokens[begin:end]
    names = note_names(raw_lines, norm.lines[begin], norm.lines[end - 1])
    if between:
        vocab = db().vocab
        words = [w for w in words if w in vocab]
    return connector_ok(words, names, norm.holders, licenses)


def _leading(norm: Normalized, words: set[str], ranked: list[tuple[float, int]], raw_lines: list[str]) -> _Verdict | None:
    """The license the text starts with (after at most a short note such as "The code is licensed under:"),
    when text follows it."""
    store = db()
    tokens = norm.tokens
    candidates: list[tuple[int, int]] = []  # (reference, start in tokens)
    starts = store.starts()
    for start in range(0, min(60, max(len(tokens) - 5, 0))):
        for index, offset in starts.get(" ".join(tokens[start : start + 6]), ()):
            if offset == 0 and (index, start) not in candidates:
                candidates.append((index, start))
    candidates.extend((i, 0) for _, i in ranked[:8] if (i, 0) not in candidates)
    mask = store.mask(words)
    best: _Verdict | None = None
    for index, start in candidates:
        unique = store.unique[index]
        # nearly all of the reference's words must be in the text
        if unique < 15 or (mask & store.masks[index]).bit_count() < 0.9 * unique:
            continue
        size = store.fingerprint(index)["n"] if store.fingerprint(index) else store.lengths[index]
        if size < 20 or size >= len(tokens) - start:
            continue
        if start and not _note_ok(norm, raw_lines, 0, start, _license_words([index])):
            continue
        body = tokens[start:]
        verdict = _verify(norm, index, body, prefix=True, offset=start)
        if not _features_ok(set(body[: verdict.end]), index):
            continue
        if not start:
            verdict.title = title_edits(norm.cut, index, norm.holders)
            verdict.named = _named(norm.cut, index)
        verdict.edits = [(i1, i2, j1 + start, j2 + start) for i1, i2, j1, j2 in verdict.edits]
        verdict.end += start
        if verdict.kept < MODIFIED_KEPT * size:
            continue
        key = (not verdict.ok, verdict.size, -size)
        if best is None or key < (not best.ok, best.size, -(store.lengths[best.index] or 1)):
            best = verdict
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


def _scan(norm: Normalized, first: int) -> tuple[list[int], list[bool]]:
    """Known licenses found in the tokens from `first` on (in order) and which tokens they explain."""
    store = db()
    tokens = norm.tokens[first:]
    covered = [False] * len(tokens)
    found: list[int] = []
    starts = store.starts()
    mask = store.mask(set(tokens))
    tried: set[tuple[int, int]] = set()
    memo: dict[tuple[int, tuple[str, ...]], _Verdict] = {}  # NOTICE files repeat the same license text
    p = 0
    while p < len(tokens) - 5:
        hits = starts.get(" ".join(tokens[p : p + 6]))
        matched = None
        if hits:
            best_key: tuple[int, int] | None = None
            longest = max(store.lengths[i] for i, _ in hits)
            near = store.mask(set(tokens[max(p - 16, 0) : p + int(longest * 1.1) + 40]))
            options = []
            for index, offset in set(hits):
                begin = max(p - offset, 0)
                if (index, begin) in tried:
                    continue
                tried.add((index, begin))
                shared = (near & store.masks[index]).bit_count()
                if (mask & store.masks[index]).bit_count() >= 0.9 * store.unique[index]:
                    options.append((-shared / store.unique[index], -store.lengths[index], index, begin))
            for _, _, index, begin in sorted(options):
                if best_key is not None and best_key[0] == 0:
                    break
                ref_tokens = store.tokens(index)
                window = tokens[begin : begin + int(len(ref_tokens) * 1.1) + 40]
                key_memo = (index, tuple(window))
                verdict = memo.get(key_memo)
                if verdict is None:
                    verdict = memo[key_memo] = _verify(norm, index, window, prefix=True, offset=1)
                key = (verdict.size, -len(ref_tokens))
                if verdict.ok and (best_key is None or key < best_key):
                    best_key, matched = key, (index, begin, begin + verdict.end)
        if matched is None:
            p += 1
            continue
        index, begin, end = matched
        found.append(index)
        # Boilerplate cut from the reference (a CC preamble, a title) around it is explained too.
        extra = set(store.ref(index)["cut"].split())
        if extra:
            begin = _extend(tokens, covered, extra, begin, -1)
            end = _extend(tokens, covered, extra, end - 1, 1) + 1
        for q in range(begin, end):
            covered[q] = True
        p = max(end, p + 1)
    return found, covered


_ATTRIBUTION = ("includes", "software", "developed")


def _attribution(words: list[str]) -> bool:
    """An attribution notice after the license ("This product includes software developed by ..."), as an
    Apache NOTICE file or a BSD advertising clause words it."""
    return len(words) <= 40 and any(tuple(words[i : i + 3]) == _ATTRIBUTION for i in range(len(words) - 2))


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs of False in `flags` as (start, end)."""
    out, start = [], None
    for i, flag in enumerate(flags + [True]):
        if not flag and start is None:
            start = i
        elif flag and start is not None:
            out.append((start, i))
            start = None
    return out


# --- the result -------------------------------------------------------------------------------------------


def _differences(norm: Normalized, index: int, edits: list[Region], title: list[str]) -> list[Difference]:
    ref = db().tokens(index) if db().fingerprint(index) is None else []
    out: list[Difference] = []
    if title:
        lines = norm.cut_lines or [norm.title_line]
        out.append(Difference(lines[0], lines[-1], "title", " ".join(title), ""))
    for i1, i2, j1, j2 in edits[:MAX_DIFFERENCES]:
        if j2 > j1:
            first, last = norm.lines[j1], norm.lines[j2 - 1]
        elif norm.lines:
            at = min(j1, len(norm.lines) - 1)
            first = last = norm.lines[at]
        else:
            first = last = None
        kind = "added" if i1 == i2 else "removed" if j1 == j2 else "changed"
        out.append(Difference(first, last, kind, " ".join(norm.tokens[j1:j2])[:300], " ".join(ref[i1:i2])[:300]))
    return out


def _modified(norm: Normalized, verdict: _Verdict, sim: float, path: str | None, extra: list[Region] | None = None) -> Identification:
    base = canonical(verdict.index)
    edits = sorted(verdict.edits + (extra or []), key=lambda r: r[2])
    return Identification(
        modified_id(base),
        "modified",
        sim,
        title=norm.title,
        line=norm.title_line,
        path=path,
        base=base,
        differences=_differences(norm, verdict.index, edits, verdict.title),
        closest=[(base, sim)],
    )


_NAMES_LICENSE = re.compile(r"\b(?:licen[cs]es?|agreement|terms(?: of use)?|eula)\b", re.I)


def unknown_id(title: str | None, words: list[str]) -> str:
    """The id of a license mofcheck does not know: `LicenseRef-<slug>` of its title when the title names a
    license ("Acme Model License v2"), else `LicenseRef-mofcheck-unknown-<hash of its words>` (a first line
    such as `<?xml ...?>` or "Permission is hereby granted, ..." is no license name)."""
    if title and len(title.split()) <= 12 and title[:1].isalnum() and _NAMES_LICENSE.search(title):
        slug = re.sub(r"[^a-z0-9.]+", "-", title.lower()).strip("-.")[:64].strip("-.")
        if slug:
            return f"LicenseRef-{slug}"
    return "LicenseRef-mofcheck-unknown-" + text_hash(" ".join(words))[:8]


def _unknown(norm: Normalized, ranked: list[tuple[float, int]], path: str | None) -> Identification:
    return Identification(unknown_id(norm.title, norm.tokens), "none", 0.0, title=norm.title, closest=_closest(ranked), line=norm.title_line, path=path)


def identify_text(text: str, path: str | None = None) -> Identification:
    """Identify the license in `text` (only the first 256 KB are read)."""
    text = text[:MAX_CHARS]
    norm = normalize(text)
    title = norm.title
    if not norm.tokens:
        if norm.cut and not norm.copyright_only:
            return Identification(unknown_id(title, norm.cut), "none", 0.0, title=title, path=path, line=norm.title_line)
        return Identification(None, "none", 0.0, title=None if norm.copyright_only else title, path=path, line=None if norm.copyright_only else norm.title_line)
    words = set(norm.tokens)
    found, modified, mod_sim = _whole(norm, words)
    if found is not None:
        how = "exact" if not found.edits and found.kept == len(norm.tokens) and mod_sim >= 1.0 else "similar"
        if db().exact.get(text_hash(norm.text)):
            how = "exact"
        return Identification(
            canonical(found.index),
            how,
            1.0 if how == "exact" else mod_sim,
            title=title,  # type: ignore[arg-type]
            line=norm.title_line,
            path=path,
        )
    ranked = _rank(words, 0.3, 3.0, 12)
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lead = _leading(norm, words, ranked, raw_lines)
    if lead is not None:
        found_after, covered = _scan(norm, lead.end)
        licenses = _license_words([lead.index] + found_after)
        rest: list[Region] = []
        runs = _runs(covered)
        for start, end in runs:
            between = end < len(covered)  # a note before another license
            begin, stop = lead.end + start, lead.end + end
            if (between or _attribution(norm.tokens[begin:stop])) and _note_ok(norm, raw_lines, begin, stop, licenses, between):
                continue
            rest.append((db().lengths[lead.index], db().lengths[lead.index], begin, stop))
        leading_id = canonical(lead.index)
        appended: list[str] = []
        for other in found_after:
            lid = canonical(other)
            if lid not in appended:
                appended.append(lid)
        sim = round(_dice(set(norm.tokens[: lead.end]), lead.index), 4)
        if lead.ok and (not rest or not is_open(leading_id)):
            # restrictions after a license that is not open change nothing about its openness (Llama 2 + AUP)
            return Identification(leading_id, "similar", sim, title=title, appended=appended, line=norm.title_line, path=path)
        lead.edits = sorted(lead.edits + rest, key=lambda r: r[2])
        if modified is None or _base_key(lead) <= _base_key(modified):
            result = _modified(norm, lead, sim, path)
            result.appended = appended
            return result
    if modified is not None:
        return _modified(norm, modified, mod_sim, path)
    return _unknown(norm, ranked, path)


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
