"""Licenses stated in prose: the README's License section and sentences that scope a license to components.

"Code and model weights are released under the MIT License" says the weights are MIT; a repository's
LICENSE file alone says nothing about weights hosted elsewhere. This module finds such statements and
returns the license *as written*: resolving it (SPDX, HF ids, custom) is mofcheck.licenses.classify's job.
Never raises; patterns live in data/evidence/cards.yaml (`statements`, `license_section`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from ..framework import role
from ..model import Evidence
from .cardmarkdown import Block, normalise_title, plain_inline, rules, title_in
from .cards import Card, parse_card

FINAL, INTERMEDIATE, DATASETS = (role(r) for r in ("final-weights", "intermediate-weights", "datasets"))


@dataclass
class LicenseSection:
    title: str
    line: int
    end_line: int
    text: str
    kind: str  # heading kind (atx | setext | html) or label


@dataclass
class Statement:
    license_text: str  # as written: "MIT License", "Apache 2.0", "CC-BY-NC-4.0"
    components: set[str]  # MOF component names, or the categories code / document, or repository
    line: int
    text: str  # the sentence (plain text, at most 300 characters)
    confidence: float
    kind: str = "sentence"  # sentence | label | table | continuation
    subject: str | None = None  # the model the statement names, when it names one
    other_model: bool = False  # it names a model that is not the repository's own
    section: str | None = None  # the heading it sits under
    url: str | None = None  # the license's link target, when the license is a link
    path: str | None = None

    def to_evidence(self) -> Evidence:
        scope = ", ".join(sorted(self.components)) or "no component named"
        about = f" (about {self.subject}, not this repository's model)" if self.other_model else ""
        return Evidence(
            "license-statement", f"statement.{self.kind}", f"'{self.license_text}' for {scope}{about}: {self.text}", self.path, self.line, self.confidence
        )


# --------------------------------------------------------------------------------------------------
# License sections (licensee style)


def license_sections(text_or_card: str | Card, path: str = "README.md") -> list[LicenseSection]:
    """Sections under a License / Licence / Licensing heading, and `**License:** ...` label lines."""
    try:
        card = text_or_card if isinstance(text_or_card, Card) else parse_card(text_or_card, path)
        out = []
        heads = [s.line for s in card.sections if s.kind != "label"]
        for s in card.sections:
            if s.kind == "label":
                if title_in(s.key, "license_section", use_contains=False) and not s.stub:
                    out.append(LicenseSection(s.title, s.line, s.end_line, s.text, "label"))
            elif title_in(s.key, "license_section"):
                # licensee: the section ends at the next heading of any level
                nxt = next((h for h in heads if h > s.line), None)
                end = min(s.end_line, nxt - 1) if nxt else s.end_line
                if s.kind == "html":
                    text = s.text
                else:
                    lines = card.text.split("\n")
                    first = s.line - card.line_offset + (1 if s.kind == "setext" else 0)  # 0-based index after the heading
                    text = "\n".join(lines[first : end - card.line_offset]).strip("\n")
                out.append(LicenseSection(s.title, s.line, end, text, s.kind))
        return out
    except Exception:  # noqa: BLE001 - evidence reading must never stop a run
        return []


# --------------------------------------------------------------------------------------------------
# Scope statements


@lru_cache(maxsize=1)
def _pats() -> dict[str, re.Pattern[str]]:
    st = rules()["statements"]
    out = {k: re.compile(st[k], re.I) for k in ("under", "bare_under", "continuation", "applies", "negation", "third_party", "license_words", "stop")}
    out["label"] = re.compile(st["label"], re.I)
    out["named_model"] = re.compile(st["named_model"])  # case-sensitive: a capitalised name
    names = sorted(st["model_names"], key=len, reverse=True)
    out["model_names"] = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])", re.I)
    out["adjective"] = re.compile(
        r"(?P<lic>\b(?:MIT|BSD(?:[- ]\d-Clause)?|Apache(?:[- ]2(?:\.0)?)?|GPL(?:-?v?\d(?:\.\d)?)?|CC[- ]BY(?:[- ](?:NC|SA|ND))*(?:[- ]\d\.\d)?|CC0|ODC-By|OpenRAIL(?:-M)?))[- ]licen[sc]ed\b",
        re.I,
    )
    return out


@lru_cache(maxsize=1)
def _component_words() -> list[tuple[str, str, tuple[str, ...], bool]]:
    """(needle, regex, components, weak) for each component phrase, longest first. The needle is the
    phrase's last word, lower case: no match without it, so on ASCII text a phrase whose needle is absent
    is neither compiled nor run (61 of 74 phrases on the Class I fixture's cards)."""
    pairs = []
    for group in rules()["statements"]["components"]:
        for w in group["words"]:
            words = r"[\s-]+".join(re.escape(p) for p in w.split())
            pairs.append((len(w), w.split()[-1].lower(), r"(?<![\w-])" + words + r"(?![\w-])", tuple(group["components"]), bool(group.get("weak"))))
    pairs.sort(key=lambda p: -p[0])
    return [(needle, rx, comps, weak) for _n, needle, rx, comps, weak in pairs]


@cache
def _word_rx(source: str) -> re.Pattern[str]:
    return re.compile(source, re.I)


_GENERIC_NAMES = {
    "the",
    "our",
    "all",
    "these",
    "this",
    "those",
    "its",
    "their",
    "base",
    "open",
    "final",
    "model",
    "models",
    "pretrained",
    "pre-trained",
    "released",
    "intermediate",
    "original",
    "trained",
    "large",
    "small",
    "new",
    "both",
    "other",
    "any",
    "each",
    "some",
    "such",
    "language",
    "foundation",
    "instruct",
    "chat",
    "and",
    "or",
    "we",
    "your",
    "my",
    "if",
}
_LINK = re.compile(r"!?\[([^\[\]\n]{0,1000})\]\(\s*<?([^()\[\]\s>]{0,2000})>?[^()\[\]\n]{0,500}\)")
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\[*_`\"(<])")
_TAG = re.compile(r"<[^<>\n]{0,300}>")
_MODEL_WORD = re.compile(r"\b(?:models?|weights|checkpoints|family)\b")
NAMED_MODEL_WINDOW = 200  # characters before the word that a name and its words may take
APPLIES_WINDOW = 72  # the license name before "license applies" (at most 71 characters)
_APPLIES_HINT = re.compile(r"licen[sc]e\s+(?:also\s+)?(?:applies|covers|governs)", re.I)


def find_statements(text_or_card: str | Card, path: str = "README.md", model_names: Iterable[str] = ()) -> list[Statement]:
    """License statements in prose, tables and label lines, each scoped to the components it names.

    `model_names`: the repository's own model names (repository name, manifest release name). A sentence
    naming another model (DBRX in llm-foundry's README) gets a low confidence and `other_model=True`.
    """
    try:
        card = text_or_card if isinstance(text_or_card, Card) else parse_card(text_or_card, path)
        return _find(card, [n for n in model_names if n])
    except Exception:  # noqa: BLE001 - evidence reading must never stop a run
        return []


def _find(card: Card, names: list[str]) -> list[Statement]:
    out: list[Statement] = []
    labels_done: set[int] = set()
    for s in card.sections:
        if s.kind == "label" and not s.stub and title_in(s.key, "license_section", use_contains=False):
            st = _label_statement(card, s.title, s.text, s.line)
            if st:
                out.append(st)
                labels_done.add(s.line)
    for b in card.blocks:
        sec = card.section_at(b.line)
        in_license = any(title_in(x.key, "license_section") for x in card.sections_at(b.line))
        if b.kind == "table":
            out.extend(_table_statements(card, b, sec.title if sec else None, labels_done))
            continue
        if b.kind == "html":
            b = Block("paragraph", b.line, b.end_line, _TAG.sub(" ", b.text))  # <p>Released under MIT</p>
        elif b.kind not in ("paragraph", "list_item", "quote", "heading"):
            continue
        last: Statement | None = None
        for line, raw in _sentences(b):
            if line in labels_done and _pats()["label"].match(plain_inline(raw)):
                continue
            for st in _sentence_statements(raw, line, names, last or _last_in_section(out, sec)):
                st.section = sec.title if sec else None
                st.path = card.path
                if in_license:
                    st.confidence = round(min(0.95, st.confidence + 0.1), 3)
                out.append(st)
                last = st
    out.sort(key=lambda s: s.line)
    return out


def _last_in_section(out: list[Statement], sec) -> Statement | None:
    if not out or sec is None:
        return None
    prev = out[-1]
    return prev if sec.line <= prev.line <= sec.end_line else None


def _sentences(b: Block) -> list[tuple[int, str]]:
    """(line, raw sentence) for a paragraph-like block; a sentence's line is where it starts."""
    text = b.text
    out = []
    pos = 0

    def at(p: int, seg: str) -> tuple[int, str]:
        lead = len(seg) - len(seg.lstrip())  # a sentence's line is where its first word is
        return b.line + text.count("\n", 0, p + lead), seg.lstrip()

    for m in _SENT_SPLIT.finditer(text):
        out.append(at(pos, text[pos : m.start()]))
        pos = m.end()
    out.append(at(pos, text[pos:]))
    # each line of a paragraph that is a `License: X` label stands alone
    final = []
    for line, s in out:
        parts = s.split("\n")
        if len(parts) > 1 and any(_pats()["label"].match(plain_inline(p)) for p in parts):
            final.extend((line + i, p) for i, p in enumerate(parts))
        else:
            final.append((line, s))
    return [(ln, s) for ln, s in final if s.strip()]


def _links(raw: str) -> list[tuple[str, str]]:
    return [(plain_inline(m.group(1)), m.group(2)) for m in _LINK.finditer(raw)]


def _url_for(lic: str, links: list[tuple[str, str]]) -> str | None:
    low = lic.lower()
    for text, url in links:
        t = text.lower().strip()
        if t and (t in low or low in t):
            return url or None
    return None


def _clean_license(phrase: str) -> str:
    p = phrase.strip().strip("\"'`*_“”‘’ ")
    p = re.sub(r"^(?:the|an?|our|its)\s+", "", p, flags=re.I)
    p = re.sub(r"\((?:the\s+)?[\"“]?licen[sc]e[\"”]?\)\s*$", "", p, flags=re.I)  # no leading \s*: quadratic
    return p.rstrip(".,;: ").strip()


def _capture_license(text: str, start: int) -> tuple[str, int] | None:
    """The license name written at `start` (up to a stop word or punctuation), and where it ends."""
    pats = _pats()
    limit = rules()["statements"]["max_license_chars"]
    tail = text[start : start + limit + 40]
    m = pats["stop"].search(tail)
    end = m.start() if m else len(tail)
    paren = tail.find(" (")
    if 0 < paren < end:
        end = paren
    phrase = tail[:end]
    if len(phrase) > limit:
        phrase = phrase[:limit].rsplit(" ", 1)[0]
    lic = _clean_license(phrase)
    if not lic or not pats["license_words"].search(lic):
        return None
    return lic, start + len(phrase)


def named_components(segment: str) -> set[str]:
    comps: set[str] = set()
    seg = segment
    weak: list[tuple[re.Match[str], tuple[str, ...]]] = []
    folded = segment.lower() if segment.isascii() else None  # re.I folds more than lower() outside ASCII
    for needle, source, names, is_weak in _component_words():
        if folded is not None and needle not in folded:
            continue
        rx = _word_rx(source)
        m = rx.search(seg)
        if not m:
            continue
        if is_weak:
            weak.append((m, names))
            continue
        comps.update(names)
        seg = rx.sub(lambda x: " " * len(x.group(0)), seg)  # keep offsets for the weak words
    coordinated = re.compile(rules()["statements"]["coordinated"], re.I)
    for m, names in weak:
        if "code" not in comps or coordinated.search(seg[: m.start()]):
            comps.update(names)
    return comps


def _subject(sentence: str, names: list[str]) -> tuple[str | None, bool]:
    """The model a sentence names, and whether it is another model than the repository's own."""
    pats = _pats()
    found = [m.group(0) for m in pats["model_names"].finditer(sentence)]
    # only just before a "model(s) / weights / checkpoints / family" word: the pattern costs some 40 steps a
    # character, too many over a whole 1 MiB sentence
    near = {
        m.start(): m for k in _MODEL_WORD.finditer(sentence) for m in pats["named_model"].finditer(sentence, max(0, k.start() - NAMED_MODEL_WINDOW), k.end())
    }
    for m in (near[k] for k in sorted(near)):
        n = m.group("name")
        if n.split()[0].lower() not in _GENERIC_NAMES and not pats["license_words"].fullmatch(n):
            found.append(n)
    if not found:
        return None, False
    subject = found[0]
    if not names:
        return subject, False
    own = [_norm(n) for n in names]

    def is_own(x: str) -> bool:
        k = _norm(x)
        return bool(k) and any(o and (k in o or o in k) for o in own)

    if any(is_own(x) for x in found):
        return next(x for x in found if is_own(x)), False
    return subject, True


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def _sentence_statements(raw: str, line: int, names: list[str], previous: Statement | None) -> list[Statement]:
    pats = _pats()
    links = _links(raw)
    low = raw.lower()
    if "licen" not in low and "under" not in low:
        return []  # every pattern needs one of these: skip the regexes for most prose
    text = plain_inline(raw)
    if not text or len(text) > 2000:
        return []
    lab = pats["label"].match(text)
    if lab:
        st = _label_from_match(lab.group("label"), lab.group("value"), line, links)
        return [st] if st else []
    mentions: list[tuple[int, int, str, str]] = []  # (start, end, license, rule)
    for m in pats["under"].finditer(text):
        cap = _capture_license(text, m.end())
        if cap:
            mentions.append((m.start(), cap[1], cap[0], "under"))
    for m in pats["bare_under"].finditer(text):
        if any(a <= m.start() < b for a, b, _l, _r in mentions) or not named_components(text[max(0, m.start() - 40) : m.start()]):
            continue
        cap = _capture_license(text, m.end())
        if cap:
            mentions.append((m.start(), cap[1], cap[0], "under"))
    # near each "license applies" only: the pattern costs 70 steps a character over a whole sentence
    applies = {
        m.start(): m for h in _APPLIES_HINT.finditer(text) for m in [pats["applies"].search(text, max(0, h.start() - APPLIES_WINDOW), h.end() + 40)] if m
    }
    for m in (applies[k] for k in sorted(applies)):
        lic = _clean_license(m.group("lic"))
        lic = re.sub(r"^(?:this|that|the\s+same)\s+", "", lic, flags=re.I)
        if pats["license_words"].search(lic) and not re.fullmatch(r"licen[sc]e", lic, re.I) and not pats["continuation"].search(m.group(0)):
            mentions.append((m.start(), m.end(), lic, "applies"))
    for m in pats["adjective"].finditer(text):
        mentions.append((m.start(), m.end(), m.group("lic"), "adjective"))
    out: list[Statement] = []
    if not mentions and not (previous is not None and pats["continuation"].search(text)):
        return []
    subject, other = _subject(text, names)
    if not mentions:
        if previous is not None and pats["continuation"].search(text):
            comps = named_components(text[pats["continuation"].search(text).end() :])
            if comps:
                if len(comps) > 1:
                    comps.discard("repository")
                conf = 0.6 * (0.4 if other else 1.0)
                return [Statement(previous.license_text, comps, line, text[:300], round(conf, 3), "continuation", subject, other, url=previous.url)]
        return []
    mentions.sort()
    prev_end = 0
    for k, (s, e, lic, rule) in enumerate(mentions):
        if any(s < pe for _s2, pe, _l, _r in mentions[:k]):
            continue  # overlaps an earlier mention
        before = text[prev_end:s]
        after = text[e : mentions[k + 1][0] if k + 1 < len(mentions) else len(text)]
        if rule == "applies":
            comps = named_components(after)
        else:
            comps = named_components(before) or named_components(after)
        if len(comps) > 1:
            comps.discard("repository")
        if pats["negation"].search(before[-60:] + text[s:e]):
            prev_end = e
            continue
        conf = 0.8 if comps else 0.5
        if rule == "adjective":
            conf -= 0.1
        if not comps and subject and (other or _pats()["model_names"].search(text) or names):
            comps, conf = {FINAL}, 0.5  # "DBRX is licensed under ...": a model name as the subject
        if other:
            conf *= 0.4
        if pats["third_party"].search(text):
            conf *= 0.5
        out.append(Statement(lic, comps, line, text[:300], round(conf, 3), "sentence", subject, other, url=_url_for(lic, links)))
        prev_end = e
    return out


def _label_from_match(label: str, value: str, line: int, links: list[tuple[str, str]]) -> Statement | None:
    lic = _clean_license(plain_inline(value))
    lic = re.split(r"(?<!\s)\s+(?:[-–—]|see|for details|\()\s*", lic, maxsplit=1)[0].strip() if len(lic) > 40 else lic
    if not lic or not re.search(r"\w", lic):
        return None
    from .cardmarkdown import stub_pattern

    if not re.sub(r"[\W_]+", "", stub_pattern().sub(" ", lic)):
        return None
    comps = named_components(label)
    return Statement(
        lic[:120],
        comps,
        line,
        f"{label}: {plain_inline(value)}"[:300],
        0.7 if comps else 0.6,
        "label",
        url=_url_for(lic, links) or (links[0][1] if links else None),
    )


def _label_statement(card: Card, label: str, value: str, line: int) -> Statement | None:
    st = _label_from_match(label, value, line, _links(value))
    if st:
        sec = card.section_at(line)
        st.section = sec.title if sec else None
        st.path = card.path
    return st


def _table_statements(card: Card, b: Block, section: str | None, labels_done: set[int]) -> list[Statement]:
    """A per-model license table (mistral-inference): one statement per row."""
    if len(b.rows) < 2:
        return []
    header = [normalise_title(c) for c in b.rows[0][1]]
    col = next((i for i, h in enumerate(header) if re.search(r"\blicen[sc]e", h)), None)
    if col is None:
        return []
    head_text = " ".join(header)
    comps = {DATASETS} if re.search(r"\bdata(set)?s?\b", head_text) and not re.search(r"\bmodel", head_text) else {FINAL}
    out = []
    for line, cells in b.rows[1:]:
        if line in labels_done or col >= len(cells):
            continue
        raw = cells[col]
        lic = _clean_license(plain_inline(raw))
        if not lic or not re.search(r"\w", lic):
            continue
        subject = plain_inline(cells[0]) if col != 0 and cells else None
        links = _links(raw)
        out.append(
            Statement(
                lic[:120],
                set(comps),
                line,
                " | ".join(plain_inline(c) for c in cells)[:300],
                0.7,
                "table",
                subject or None,
                False,
                section,
                links[0][1] if links else None,
                card.path,
            )
        )
    return out


__all__ = ["LicenseSection", "Statement", "license_sections", "find_statements"]
