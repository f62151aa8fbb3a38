"""The project's own research paper or technical report, found in README / card text.

Not every arXiv link is "the paper": mistral-inference links LoRA, TinyLlama links Pythia. A link counts
when it sits in a citation block (BibTeX), a badge, a Paper / Technical report / Citation section, or in
the same sentence or bullet as the words paper / technical report / preprint / publication. Links in HTML
comments and placeholder targets such as `(URL)` (granite-4.0) do not count. Never raises.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Evidence, Finding
from .cardmarkdown import plain_inline, rules, title_in, title_matches
from .cards import Card, parse_card

RESEARCH_PAPER, TECHNICAL_REPORT = "research_paper", "technical_report"
MAX_BIB_ENTRIES = 50  # per block: a bibliography, not a bomb


@dataclass
class PaperRef:
    kind: str  # research_paper | technical_report
    url: str | None  # None for a BibTeX entry with neither eprint, url nor doi
    line: int
    confidence: float
    rule: str  # bibtex | badge | link-text | sentence | section | citation-section | arxiv-id | doi
    text: str = ""  # the link text, BibTeX title or sentence (at most 200 characters)
    arxiv_id: str | None = None
    doi: str | None = None
    path: str | None = None

    def to_evidence(self) -> Evidence:
        what = "technical report" if self.kind == TECHNICAL_REPORT else "research paper"
        return Evidence("paper", f"paper.{self.rule}", f"{what}: {self.url or self.text}", self.path, self.line, self.confidence)


@dataclass
class PaperScan:
    papers: list[PaperRef]
    findings: list[Finding]


@lru_cache(maxsize=1)
def _pats() -> dict[str, re.Pattern[str]]:
    p = rules()["papers"]
    return {
        "report": re.compile(p["technical_report_words"], re.I),
        "paper": re.compile(p["research_paper_words"], re.I),
        "hosts": re.compile(p["paper_hosts"], re.I),
        "pdf_report": re.compile(p["pdf_technical_report"], re.I),
        "pdf_paper": re.compile(p["pdf_research_paper"], re.I),
    }


# Sentence-level context: "report" alone ("report a bug") is not a paper word; "technical report" is.
_CONTEXT_REPORT = re.compile(
    r"\b(?:technical\s+report|tech(?:nical)?\.?\s+report|tech-report|techreport|model\s+card\s+paper|system\s+card|white\s*paper)\b", re.I
)
_NOT_PAPER = re.compile(
    r"\b(?:blog|demo|code|github|weights|dataset|datasets|space|spaces|colab|notebook|website|homepage|discord|twitter|"
    r"license|licen[sc]e|docs|documentation|hugging\s*face|download|checkpoints?|models?|leaderboard|issues?|slack)\b",
    re.I,
)
# Bounded repetitions everywhere: "[[[[..." must cost linear time, not quadratic.
_BADGE = re.compile(r"\[!\[([^\[\]\n]{0,500})\]\(([^()\[\]\s]{0,2000})[^()\[\]\n]{0,500}\)\]\(\s*<?([^()\[\]\s>]{0,2000})>?[^()\[\]\n]{0,500}\)")
_MD_LINK = re.compile(r"(?<!!)\[([^\[\]\n]{0,1000})\]\(\s*<?([^()\[\]\s>]{0,2000})>?[^()\[\]\n]{0,500}\)")
_REF_LINK = re.compile(r"(?<!!)\[([^\[\]\n]{1,1000})\]\[([^\[\]\n]{0,200})\]")
_HTML_A = re.compile(r"<a\s[^<>]{0,500}?href\s*=\s*[\"']([^\"'<>]{0,2000})[\"'][^<>]{0,500}>((?:[^<]|<(?!a\s|/a\s*>)){0,2000}?)</a\s*>", re.I | re.S)
_HTML_IMG_ATTR = re.compile(r"<img\b[^<>]{0,1000}>", re.I)
_BARE_URL = re.compile(r"(?<![(\[<\"'=])\bhttps?://[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?]")
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[A-Z]{2})?/\d{7}))(?:v\d+)?", re.I)
# `\s*[:.]?\s*` split a run of spaces two ways (quadratic): the second run needs the separator.
_ARXIV_ID = re.compile(r"\barXiv\s*(?:[:.]\s*)?(\d{4}\.\d{4,5})(?:v\d+)?\b", re.I)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>)\]}]+[^\s\"'<>)\]}.,;])")
_BIB_START = re.compile(r"@(\w+)\s*\{", re.I)
_BIB_FIELD = re.compile(r"\b(\w+)\s*=\s*(?:\{((?:[^{}]|\{[^{}]*\})*)\}|\"([^\"]*)\"|(\w+))", re.S)
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\[*_`\"(<])")
_BIB_TYPES = {
    "article",
    "misc",
    "inproceedings",
    "techreport",
    "report",
    "book",
    "phdthesis",
    "unpublished",
    "online",
    "conference",
    "incollection",
    "preprint",
    "software",
}


def find_papers(text_or_card: str | Card, path: str = "README.md") -> list[PaperRef]:
    """The paper / report references in a README or card (deduplicated, best first per target)."""
    return scan_papers(text_or_card, path).papers


def scan_papers(text_or_card: str | Card, path: str = "README.md") -> PaperScan:
    """Like find_papers, plus `paper.placeholder-link` findings."""
    try:
        card = text_or_card if isinstance(text_or_card, Card) else parse_card(text_or_card, path)
        return _scan(card)
    except Exception:  # noqa: BLE001 - evidence reading must never stop a run
        return PaperScan([], [])


def classify_pdf_name(path: str) -> str | None:
    """research_paper | technical_report | None, from a committed PDF's file name."""
    try:
        name = str(path).replace("\\", "/").rsplit("/", 1)[-1]
        if not name.lower().endswith(".pdf"):
            return None
        stem = name[:-4]
        if _pats()["pdf_report"].search(stem):
            return TECHNICAL_REPORT
        if _pats()["pdf_paper"].search(stem):
            return RESEARCH_PAPER
        return None
    except Exception:  # noqa: BLE001
        return None


# --------------------------------------------------------------------------------------------------


def _kind_from(*texts: str) -> str:
    return TECHNICAL_REPORT if any(_CONTEXT_REPORT.search(t or "") for t in texts) else RESEARCH_PAPER


def _is_placeholder(url: str) -> bool:
    u = url.strip()
    if u.lower() in {p.lower() for p in rules()["papers"]["placeholders"]}:
        return True
    # a real target is a URL, or a relative path to a file (committed PDF)
    return not (re.match(r"(?:https?://|www\.|doi:|\.{0,2}/)", u, re.I) or re.search(r"\.\w{2,5}(?:[#?].*)?$", u) or "/" in u)


def _arxiv_id(url: str) -> str | None:
    m = _ARXIV_URL.search(url or "")
    return m.group(1) if m else None


def _doi(url: str) -> str | None:
    m = re.search(r"doi\.org/(10\.\d{4,9}/\S+)", url or "", re.I)
    return m.group(1).rstrip(".,;") if m else None


# Not papers, whatever the link text says: a repository, a Hub collection or Space, a plugin page.
_NOT_PAPER_URL = re.compile(r"github\.com/(?!\S*\.pdf)|huggingface\.co/(?:collections|spaces)/|marketplace\.|plugins\.|modelscope\.cn/organization", re.I)
# A citation of software or of a web page, not of a paper: BibTeX whose only locator is a repository, a
# blog or a Zenodo software archive ("@misc{..., howpublished = {\\url{https://github.com/...}}}").
_SOFTWARE_DOI = re.compile(r"^10\.5281/zenodo\.", re.I)
_SOFTWARE_VENUE = re.compile(r"\b(?:github|gitlab|software|repository|blog)\b", re.I)
# "X paper", "X Y paper": a "-" between the two words is already in the word class (one split, not one
# per "-": linear on a run of dashes)
_NAMED_PAPER = re.compile(r"^\s*(?P<name>[\w.+-]+(?: [\w.+-]+)?)\s+paper\s*$", re.I)
_GENERIC_NAMES = {"our", "the", "this", "original", "full", "research", "technical", "a", "an", "arxiv", "main", "model", "new"}
RELATED = 0.4  # the cap on papers found among others' work: under the "possible" floor


class _Collector:
    def __init__(self, card: Card):
        self.card = card
        self.papers: list[PaperRef] = []
        self.findings: list[Finding] = []
        self.cap = 1.0  # set per block: papers in an acknowledgements or bibliography section are others'
        title = next((s.title for s in card.sections if s.level == 1 and s.kind != "label"), "")
        self.own = {t for t in re.split(r"[^a-z0-9]+", title.lower()) if len(t) >= 3}

    def is_own(self, name: str) -> bool:
        """A name shares a word with the card's title (SmolLM2 / "Smol Models"): the release's own work."""
        words = {t for t in re.split(r"[^a-z0-9]+", name.lower()) if len(t) >= 3}
        # "smol" (the title) in "smollm2" (the name), not "instruct" (the name) in "instruction" (the title)
        return bool(words & self.own) or any(b in a for a in words for b in self.own if len(b) >= 4)

    def add(self, kind: str, url: str | None, line: int, conf: float, rule: str, text: str = "", arxiv: str | None = None, doi: str | None = None):
        conf = min(conf, self.cap)
        url = url or None
        if url and "arxiv.org/" in url and not arxiv:
            arxiv = _arxiv_id(url)
        if url and not doi:
            doi = _doi(url)
        self.papers.append(PaperRef(kind, url, line, round(conf, 3), rule, " ".join(text.split())[:200], arxiv, doi, self.card.path))

    def placeholder(self, line: int, text: str, target: str):
        self.findings.append(
            Finding.of(
                "paper.placeholder-link",
                f"the link '{text[:80]}' points to the placeholder '{target}', not to a paper",
                self.card.path,
                line,
                hint="Replace the placeholder with the paper's URL.",
            )
        )


def _bibliography(card: Card, secs: list, cache: dict[int, bool]) -> bool:
    """The innermost section lists eight or more paper links: a bibliography of others' work (GPT-NeoX's
    "Publications", Pythia's "Research Building on Pythia"), not the release's paper."""
    if not secs:
        return False
    s = secs[-1]
    if s.line not in cache:
        body = re.split(r"\n\s{0,3}#{1,6}\s", s.text or "", maxsplit=1)[0]  # its own text, not its subsections
        cache[s.line] = len(_pats()["hosts"].findall(body)) >= 8
    return cache[s.line]


def _scan(card: Card) -> PaperScan:
    c = _Collector(card)
    other = tuple(rules()["references"]["other_sections"])
    bib_cache: dict[int, bool] = {}
    for b in card.blocks:
        secs = card.sections_at(b.line)
        in_cite = any(title_in(s.key, "citation_sections") for s in secs)
        in_paper = in_cite or any(title_in(s.key, "paper_sections") for s in secs)
        sec_title = next((s.title for s in reversed(secs) if title_in(s.key, "paper_sections")), "")
        related = any(title_matches(s.key, other, other) for s in secs)
        c.cap = RELATED if related or (not in_cite and _bibliography(card, secs, bib_cache)) else 1.0
        if b.kind in ("fence", "code"):
            _bibtex(c, b.text, b.line + (1 if b.kind == "fence" else 0), in_cite)  # a fence's code starts below the ```
            continue
        if b.kind == "table":
            units = [(line, " | ".join(cells)) for line, cells in b.rows]
        elif b.kind == "html":
            units = [(b.line + i, ln) for i, ln in enumerate(b.text.split("\n")) if ln.strip()]
            _bibtex(c, b.text, b.line, in_cite)
        else:
            units = [(b.line, b.text)]
            if "@" in b.text:
                _bibtex(c, b.text, b.line, in_cite)
        for line, unit in units:
            _links(c, card, unit, line, b.kind, in_paper, in_cite, sec_title)
    return PaperScan(_dedupe(c.papers), c.findings)


def _bibtex(c: _Collector, text: str, line0: int, in_cite: bool) -> None:
    n = 0
    for m in _BIB_START.finditer(text):
        typ = m.group(1).lower()
        if typ not in _BIB_TYPES:
            continue
        if n >= MAX_BIB_ENTRIES:
            break
        body = _balanced(text, m.end() - 1)
        fields: dict[str, str] = {}
        for f in _BIB_FIELD.finditer(body):
            fields.setdefault(f.group(1).lower(), " ".join((f.group(2) or f.group(3) or f.group(4) or "").split()))
        line = line0 + text.count("\n", 0, m.start())
        title = fields.get("title", "").replace("{", "").replace("}", "")
        blob = " ".join(
            [
                typ,
                title,
                fields.get("journal", ""),
                fields.get("note", ""),
                fields.get("howpublished", ""),
                fields.get("type", ""),
                fields.get("booktitle", ""),
                fields.get("institution", ""),
            ]
        )
        kind = TECHNICAL_REPORT if typ in ("techreport", "report") or _CONTEXT_REPORT.search(blob) or re.search(r"\breport\b", title, re.I) else RESEARCH_PAPER
        eprint = fields.get("eprint", "")
        arxiv = None
        if re.fullmatch(r"\d{4}\.\d{4,5}(?:v\d+)?", eprint) or (eprint and "arxiv" in (fields.get("archiveprefix", "") + fields.get("eprinttype", "")).lower()):
            arxiv = re.sub(r"v\d+$", "", eprint)
        else:
            am = _ARXIV_ID.search(blob) or _ARXIV_URL.search(fields.get("url", "") + " " + blob)
            arxiv = am.group(1) if am else None
        doi = fields.get("doi") or None
        link = fields.get("url") or (re.search(r"https?://[^\s{}\\]+", fields.get("howpublished", "")) or [None])[0]
        url = f"https://arxiv.org/abs/{arxiv}" if arxiv else link or (f"https://doi.org/{doi}" if doi else None)
        conf = (0.9 if in_cite else 0.85) if n == 0 else 0.7
        venue = " ".join([fields.get("journal", ""), fields.get("publisher", ""), fields.get("howpublished", ""), fields.get("booktitle", ""), typ])
        if not arxiv and (
            doi
            and _SOFTWARE_DOI.match(doi)
            or not doi
            and (url and not _pats()["hosts"].search(url) or _SOFTWARE_VENUE.search(venue) and not fields.get("booktitle"))
        ):
            conf = 0.3  # a repository, a blog or a software archive: cited, but not a paper
        elif re.search(r"\b(?:dataset|datasets|datasheet|corpus|benchmark)\b", title, re.I) and not c.is_own(title):
            conf = min(conf, RELATED)  # the paper of the training data or a benchmark (the Pile), not of the model
        c.add(kind, url, line, conf, "bibtex", title or f"@{typ}", arxiv, doi)
        n += 1


def _balanced(text: str, open_at: int, limit: int = 8000) -> str:
    depth = 0
    end = min(len(text), open_at + limit)
    for i in range(open_at, end):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : i]
    return text[open_at + 1 : end]


class _Unit:
    """One paragraph / bullet / row: its text, and line and sentence lookups in O(log n)."""

    def __init__(self, text: str, line0: int):
        self.text = text
        self.line0 = line0
        self._nl = [m.start() for m in re.finditer("\n", text)]
        self._sent: list[tuple[int, int]] | None = None
        self.covered = bytearray(len(text) + 1)

    def line_at(self, pos: int) -> int:
        return self.line0 + bisect.bisect_left(self._nl, pos)

    def sentence_of(self, pos: int) -> str:
        if self._sent is None:
            spans, start = [], 0
            for m in _SENT_SPLIT.finditer(self.text):
                spans.append((start, m.start()))
                start = m.end()
            spans.append((start, len(self.text)))
            self._sent = spans
        i = bisect.bisect_right([a for a, _b in self._sent], pos) - 1
        a, b = self._sent[max(i, 0)]
        return self.text[a:b][:2000]

    def taken(self, pos: int) -> bool:
        return bool(self.covered[pos])

    def take(self, a: int, b: int) -> None:
        self.covered[a:b] = b"\x01" * (b - a)


_LINKISH = ("http", "](", "][", "<a", "arxiv", "doi", "www.")
MAX_LINKS_PER_UNIT = 300  # a paragraph with more links is a link farm, not a citation


def _links(c: _Collector, card: Card, unit_text: str, line0: int, kind: str, in_paper: bool, in_cite: bool, sec_title: str) -> None:
    low = unit_text.lower()
    if not any(k in low for k in _LINKISH):
        return
    u = _Unit(unit_text, line0)
    unit = unit_text

    # badges: [![arXiv](img)](url)
    for m in _BADGE.finditer(unit):
        u.take(*m.span())
        alt, img, url = m.group(1), m.group(2), m.group(3)
        words = f"{alt} {img}"
        if _is_placeholder(url):
            continue
        if re.search(r"arxiv|paper|report|preprint|publication", words, re.I) or _pats()["hosts"].search(url):
            if _NOT_PAPER.search(alt) and not re.search(r"arxiv|paper|report", alt, re.I):
                continue
            c.add(_kind_from(words), url, u.line_at(m.start()), 0.9, "badge", alt)
    # HTML anchors (badges or text links)
    for k, m in enumerate(_HTML_A.finditer(unit)):
        if k >= MAX_LINKS_PER_UNIT:
            break
        u.take(*m.span())
        url, inner = m.group(1), m.group(2)
        imgs = " ".join(_HTML_IMG_ATTR.findall(inner))
        _judge(c, u, m.start(), plain_inline(inner) + (" " + imgs if imgs else ""), url, in_paper, in_cite, sec_title, badge=bool(imgs))
    links: list[tuple[int, str, str]] = []
    for m in _MD_LINK.finditer(unit):
        if not u.taken(m.start()):
            links.append((m.start(), m.group(1), m.group(2)))
            u.take(*m.span())
    for m in _REF_LINK.finditer(unit):
        if u.taken(m.start()):
            continue
        ref = card.references.get((m.group(2) or m.group(1)).strip().upper().replace("\n", " "))
        if ref:
            links.append((m.start(), m.group(1), ref.get("href", "")))
            u.take(*m.span())
    for m in _BARE_URL.finditer(unit):
        if not u.taken(m.start()):
            links.append((m.start(), "", m.group(0)))
    for pos, text, url in links[:MAX_LINKS_PER_UNIT]:
        _judge(c, u, pos, plain_inline(text), url, in_paper, in_cite, sec_title)
    # arXiv ids written as text ("arXiv:2401.02385") in a paper context
    for k, m in enumerate(_ARXIV_ID.finditer(unit)):
        if k >= MAX_LINKS_PER_UNIT:
            break
        if u.taken(m.start()):
            continue
        sent = plain_inline(u.sentence_of(m.start()))
        if in_paper or _CONTEXT_REPORT.search(sent) or re.search(r"\b(?:paper|preprint|publication)\b", sent, re.I):
            c.add(_kind_from(sent, sec_title), f"https://arxiv.org/abs/{m.group(1)}", u.line_at(m.start()), 0.75, "arxiv-id", sent, m.group(1))
    # DOIs written as text, only where a citation is expected
    if in_cite:
        for k, m in enumerate(_DOI.finditer(unit)):
            if k >= MAX_LINKS_PER_UNIT:
                break
            if not u.taken(m.start()) and "doi.org/" not in unit[max(0, m.start() - 8) : m.start()]:
                c.add(_kind_from(unit[:2000], sec_title), f"https://doi.org/{m.group(1)}", u.line_at(m.start()), 0.7, "doi", m.group(1), doi=m.group(1))


def _in_see_parenthesis(text: str, pos: int) -> bool:
    """`pos` lies inside an open parenthesis that says "see": "(`StableEmbedding`; see [code](...), [paper](...))"."""
    depth = 0
    for i in range(pos - 1, max(-1, pos - 400), -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return bool(re.search(r"\bsee\b", text[i:pos], re.I))
            depth -= 1
    return False


def _judge(c: _Collector, u: _Unit, pos: int, text: str, url: str, in_paper: bool, in_cite: bool, sec_title: str, badge: bool = False) -> None:
    pats = _pats()
    line = u.line_at(pos)
    url = (url or "").strip()
    text_has_paper = bool(_CONTEXT_REPORT.search(text) or pats["paper"].search(text) or re.search(r"^\s*(?:our\s+|the\s+)?report\s*$", text, re.I))
    if _is_placeholder(url):
        if text_has_paper:
            c.placeholder(line, text or url, url)
        return
    if url.startswith("#") or url.lower().startswith(("mailto:", "javascript:")):
        return
    host = bool(pats["hosts"].search(url))
    sent = plain_inline(u.sentence_of(pos))
    if text_has_paper and not (_NOT_PAPER.search(text) and not (_CONTEXT_REPORT.search(text) or re.search(r"\bpaper\b", text, re.I))):
        conf = 0.9 if (host or badge) else 0.85
        named = _NAMED_PAPER.match(text)
        if _NOT_PAPER_URL.search(url):
            conf = RELATED  # "Technical report" pointing at a repository or a collection
        elif re.fullmatch(r"\s*(?:the\s+|this\s+)?paper\s*", text, re.I) and (
            re.search(r"(?:\(\s*(?:see\s+(?:the\s+)?)?|\btheir\s+|\bits\s+)\[?$", u.text[max(0, pos - 12) : pos], re.I) or _in_see_parenthesis(u.text, pos)
        ):
            conf = RELATED  # "(see [code](...), [paper](...))", "their [paper]": the paper behind something it uses
        elif named and named.group("name").lower() not in _GENERIC_NAMES and not c.is_own(named.group("name")):
            conf = RELATED  # "the Self-Instruct paper": another work's paper
        c.add(_kind_from(text, sec_title if in_paper else ""), url, line, conf, "badge" if badge else "link-text", text)
        return
    if text and _NOT_PAPER.search(text) and not host:
        return
    sent_has_paper = bool(_CONTEXT_REPORT.search(sent) or re.search(r"\b(?:paper|preprint|publication)s?\b", sent, re.I))
    if sent_has_paper:
        if host:
            # "[CLIP ViT-L/14](arxiv) as suggested in the Imagen paper", "SAM 2 paper: <url>": the sentence
            # is about a paper, but the link names another work
            named = re.match(r"^\W*(?P<name>[A-Z][\w.+-]*(?:\s[A-Z0-9][\w.+-]*)?)\s+paper\s*:", sent)
            other = bool(named and not c.is_own(named.group("name")))
            if text and len(text.split()) <= 4 and not re.search(r"\b(?:paper|report|preprint|arxiv|here|link|this|pdf)\b", text, re.I) and not c.is_own(text):
                other = True  # a short name of another work ("CLIP ViT-L/14", "AudioLM"), not a paper title
            c.add(_kind_from(sent), url, line, RELATED if other else 0.75, "sentence", text or sent)
        elif not (text and _NOT_PAPER.search(text)) and not re.search(r"github\.com|huggingface\.co/(?!papers)", url, re.I):
            c.add(_kind_from(sent), url, line, RELATED, "sentence", text or sent)  # a page that is no paper host
        return
    if in_cite and host:
        c.add(_kind_from(sec_title, text), url, line, 0.8, "citation-section", text or sent)
    elif in_paper and (host or badge):
        c.add(_kind_from(sec_title, text), url, line, 0.8 if host else 0.6, "section", text or sent)


def _key(p: PaperRef) -> str:
    if p.arxiv_id:
        return "arxiv:" + p.arxiv_id.lower()
    if p.doi:
        return "doi:" + p.doi.lower()
    if p.url:
        return re.sub(r"^https?://(?:www\.)?|[/#]+$", "", p.url.lower())
    return f"bib:{p.text.lower()}:{p.line}"


def _dedupe(papers: list[PaperRef]) -> list[PaperRef]:
    best: dict[str, PaperRef] = {}
    for p in papers:
        k = _key(p)
        cur = best.get(k)
        if cur is None:
            best[k] = p
            continue
        # merge: keep the higher confidence, the earliest line, and "technical report" if either says so
        top = p if p.confidence > cur.confidence else cur
        kind = TECHNICAL_REPORT if TECHNICAL_REPORT in (p.kind, cur.kind) else top.kind
        best[k] = PaperRef(
            kind,
            top.url or cur.url or p.url,
            min(p.line, cur.line),
            top.confidence,
            top.rule,
            top.text,
            top.arxiv_id or cur.arxiv_id or p.arxiv_id,
            top.doi or cur.doi or p.doi,
            top.path,
        )
    return sorted(best.values(), key=lambda p: (-p.confidence, p.line))


__all__ = ["PaperRef", "PaperScan", "find_papers", "scan_papers", "classify_pdf_name", "RESEARCH_PAPER", "TECHNICAL_REPORT"]
