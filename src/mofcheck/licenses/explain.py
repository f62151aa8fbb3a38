"""Which differences from a reference text are known variable parts, and which are not.

The rule is inverted from a list of dangerous words: every edit between a license text and the file must be
explained by a part the license itself leaves open, or the file is not that license. Explained are:

* a variable the SPDX License List marks (`<alt>`: "the copyright holder" -> "NVIDIA CORPORATION",
  "are" -> "is") or a blank in a ScanCode text (`<year>`, `[name of copyright owner]`): the new words
  must be words the variable lists (its pattern's words) or, for a name, words of the file's copyright
  notices and plain name words ("the", "inc", "contributors", ...);
* an optional part the license marks (`<optional>`: the Apache-2.0 appendix, the GPL's "How to Apply"),
  left out whole or in part, but never rewritten;
* list numbering ("1.", "(a)", "iv") and URLs (`http.` tokens), which carry no terms;
* an unfilled copyright template line inside the text ("Copyright (C) <year> <name of author>");
* the title at the top, when its words are words of the license's name, generic title words, versions,
  dates or the names of the file's copyright notices.

Anything else (a word added, replaced or removed) is an unexplained edit: the identification refuses the
plain license and reports "X, modified" with the file lines of each unexplained edit.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .normalize import tokenize
from .refdb import Slots, db, name_words
from .textdiff import Region, diff

_ENUM = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,4})$")
# The first label holds a letter: checked by a lookahead, not by a letter between two runs of the same class
# (which tried every split: quadratic on a long word)
_DOMAIN = re.compile(r"^(?:http\..+|(?=[a-z0-9-]*[a-z])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org|com|net|io|edu|gov|ai|dev|eu|uk|de|fr))$")
_VERSION = re.compile(r"^v?\d+(?:\.\d+)*$")
_COPYRIGHT_TEMPLATE = frozenset("copyright c year yyyy name of author authors owner holder holders the".split())
_COPYRIGHT_GLUE = frozenset(
    "copyright c all rights reserved inc ltd llc corp corporation foundation free software and the of its affiliates contributors authors".split()
)
_MONTHS = frozenset("january february march april may june july august september october november december".split())
GENERIC_TITLE = (
    frozenset(
        "license licenses agreement terms eula version public notice conditions community legal code deed "
        "international generic unported open source the of and for a an v date release released dated copyright "
        "file text full summary software standard this preamble".split()
    )
    | _MONTHS
)
# Words a note between two licenses of one file may use ("This repository also contains code from ...").
CONNECTOR_WORDS = frozenset(
    "this repository project also contains contain includes include included including code from by the of and in "
    "is are under following license licenses licensed terms notice notices third party parties files file "
    "directory directories folder folders each top at these those their its below above as indicated used which "
    "for software portions portion parts part derived adapted based copied original originally source sources "
    "distributed available with a an to or see same respective applies apply applicable components component "
    "libraries library package packages module modules others other all was were has have been use thereof "
    "copyright copyrights attribution attributions acknowledgment acknowledgments credits contributions "
    "written implementation implementations version versions work works here it that organizations organization "
    "top product products developed follows model models weights data dataset datasets checkpoints differently "
    "separately".split()
)
# Glue words a filled-in name may use besides the words of the file's copyright notices.
NAME_GLUE = frozenset("the of and its their inc ltd llc co corp corporation gmbh contributors authors copyright holder holders owner owners".split())


def plain_word(word: str) -> bool:
    """A word that carries no terms: a number, a version, a URL or domain."""
    return word.isdigit() or bool(_VERSION.match(word)) or bool(_DOMAIN.match(word))


def _formatting(old: list[str], new: list[str]) -> bool:
    """List numbering added or removed (not changed: "3.1" -> "3.4" is a version), or URLs."""
    if not old or not new:
        words = old or new
        if len(words) <= 3 and all(_ENUM.match(w) for w in words):
            return True
    return all(_DOMAIN.match(w) for w in old + new)


def _slot_groups(regions: list[Region], slots: Slots) -> tuple[list[tuple[int, int, int, int, list[int]]], list[Region]]:
    """Regions that touch variable slots, merged per slot span: (x1, x2, y1, y2, slot numbers); the rest."""
    var, spans = slots.var, slots.spans
    groups: list[list] = []
    rest: list[Region] = []
    for i1, i2, j1, j2 in regions:
        touched: set[int] = {var[i] for i in range(i1, i2) if var[i] >= 0}
        if i1 == i2:
            touched.update(slots.at.get(i1, ()))
            for p in (i1 - 1, i1):
                if 0 <= p < len(var) and var[p] >= 0:
                    touched.add(var[p])
        if not touched or any(var[i] < 0 for i in range(i1, i2)):
            rest.append((i1, i2, j1, j2))
            continue
        x1 = min([i1] + [spans[s][0] for s in touched])
        x2 = max([i2] + [spans[s][1] for s in touched])
        y1, y2 = j1 - (i1 - x1), j2 + (x2 - i2)
        if groups and x1 <= groups[-1][1]:
            last = groups[-1]
            last[1], last[3] = max(last[1], x2), max(last[3], y2)
            last[4] = sorted(set(last[4]) | touched)
        else:
            groups.append([x1, x2, y1, y2, sorted(touched)])
    return [tuple(g) for g in groups], rest  # type: ignore[misc]


def _slot_ok(ref: list[str], tokens: list[str], group: tuple[int, int, int, int, list[int]], slots: Slots, holders: frozenset[str]) -> bool:
    x1, x2, y1, y2, numbers = group
    if y1 < 0 or y2 > len(tokens) or y2 < y1:
        return False
    free = any(slots.spans[s][2] for s in numbers)
    allowed = set(ref[x1:x2])
    for s in numbers:
        allowed |= slots.spans[s][3]
    if free:
        allowed |= holders | NAME_GLUE
    content = tokens[y1:y2]
    if not free and len(numbers) == 1 and slots.spans[numbers[0]][4] is not None:
        return _choice(slots.spans[numbers[0]][4], content)  # type: ignore[arg-type]
    if len(content) > (x2 - x1) + (12 if free else 0):
        return False
    return all(w in allowed or w.isdigit() or _DOMAIN.match(w) for w in content)


@lru_cache(maxsize=512)
def _pattern(regex: str) -> re.Pattern[str] | None:
    try:
        return re.compile(regex, re.I)
    except re.error:
        return None


def _choice(regex: str, content: list[str]) -> bool:
    """One of the choices an SPDX <alt> pattern lists, compared on normalised words."""
    pattern = _pattern(regex)
    return pattern is not None and bool(pattern.fullmatch(" ".join(content)) or pattern.fullmatch("".join(content)))


def unexplained(
    index: int, ref: list[str], tokens: list[str], regions: list[Region], holders: frozenset[str], lead: frozenset[str] = frozenset()
) -> list[Region]:
    """The edit regions (reference -> input) that no known variable part explains."""
    slots = db().slots(index)
    out: list[Region] = []
    if regions and lead:
        i1, i2, j1, j2 = regions[0]
        words = ref[:i2] + tokens[:j2]
        if "copyright" in words:  # the title block with its notice run into one line
            lead = lead | _COPYRIGHT_GLUE | holders
        if i1 == 0 and j1 == 0 and max(i2, j2) <= 40 and all(w in lead or plain_word(w) for w in words):
            regions = regions[1:]  # a title re-wrapped into the first line
    if slots is not None:
        groups, regions = _slot_groups(regions, slots)
        for group in groups:
            if not _slot_ok(ref, tokens, group, slots, holders):
                x1, x2, y1, y2, _ = group
                out.append((x1, x2, max(y1, 0), min(max(y2, 0), len(tokens))))
    for i1, i2, j1, j2 in regions:
        old, new = ref[i1:i2], tokens[j1:j2]
        if _formatting(old, new):
            continue
        if not new and slots is not None and all(slots.optional[i1:i2]):
            continue  # an optional part left out
        if not old and new[0] == "copyright" and len(new) <= 12 and all(w in _COPYRIGHT_TEMPLATE or w in holders or w.isdigit() for w in new):
            continue  # "Copyright (C) <year> <name of author>" inside the text
        if (
            not new
            and old[0] in ("copyright", "portions")
            and len(old) <= 10
            and all(w in ("copyright", "portions", "c", "by", "the", "all", "rights", "reserved") or w.isdigit() for w in old)
        ):
            continue  # a notice inside the license's text that a re-wrapped line made a notice line
        out.append((i1, i2, j1, j2))
    return sorted(out, key=lambda r: (r[2], r[0]))


def title_words(index: int, holders: frozenset[str]) -> frozenset[str]:
    return name_words(index) | GENERIC_TITLE | holders


def title_edits(cut: list[str], index: int, holders: frozenset[str]) -> list[str]:
    """Words of the title (and boilerplate) cut from the top of the file that the license's own title, name
    and boilerplate do not explain; empty when the title is fine."""
    if not cut:
        return []
    store = db()
    if store.fingerprint(index) is None:  # a title line that runs into the first words of the text
        start = store.ref(index)["head"].split()  # its first 40 words, stored: no text is loaded
        for k in range(min(len(cut), len(start)), 2, -1):
            if cut[-k:] == start[:k]:
                cut = cut[:-k]
                break
    ref_cut = store.ref(index)["cut"].split()
    allowed = title_words(index, holders) | set(ref_cut)
    if ref_cut and (len(cut) > 12 or len(ref_cut) > 12):
        regions, _ = diff(ref_cut, cut)
        novel = [w for _, _, j1, j2 in regions for w in cut[j1:j2]]
        # a rewritten preamble: its own words in another order are an edit too
        novel = [w for w in novel if w not in allowed or len(novel) > 16]
    else:
        novel = [w for w in cut if w not in allowed]
    return [w for w in novel if not plain_word(w)]


def lead_words(norm_cut: list[str], tokens: list[str], index: int, holders: frozenset[str]) -> frozenset[str]:
    """Words a leading title/version edit may use (a title re-wrapped into the first line of the text)."""
    out = set(title_words(index, holders)) | set(norm_cut)
    out |= {w for w in tokens[:40] if plain_word(w)}
    return frozenset(out)


def connector_ok(words: list[str], names: frozenset[str], holders: frozenset[str], licenses: frozenset[str]) -> bool:
    """A note between (or before) licenses of one file ("This repository also contains code from NVIDIA,
    under the following license:"): scoping words, names (of the notices, capitalised inside a sentence)
    and license names only. `words` are the note's words that license texts use at all: a word no license
    uses is a name (a project, a company)."""
    if len(words) > 80:
        return False
    return all(w in CONNECTOR_WORDS or w in holders or w in names or w in licenses or plain_word(w) or ("." in w and not w.endswith(".")) for w in words)


# A path or file name: a run of word characters, ".", "/" and "-" that holds a "/", a "_" or an extension
# (".py", ".txt"). Checked per run: one pattern with the condition inside tried every start in a run
# (quadratic on a long word).
_PATHLIKE = re.compile(r"[\w./\-]+")
_EXTENSION = re.compile(r"\.[a-z]{1,4}\b")


def paths(raw: str) -> list[str]:
    """The paths and file names in a line."""
    return [run for run in _PATHLIKE.findall(raw) if "/" in run or "_" in run or _EXTENSION.search(run)]


def note_names(text_lines: list[str], first: int, last: int) -> frozenset[str]:
    """Capitalised words inside sentences of file lines first..last: the names a note may use."""
    out: set[str] = set()
    for raw in text_lines[max(first - 1, 0) : last]:
        for m in re.finditer(r"(?<=[\w,;:(&/] )([A-Z][\w\-]*)", raw):
            out.update(tokenize(m.group(1)))
        for path in paths(raw):
            out.update(tokenize(path))
    return frozenset(out)
