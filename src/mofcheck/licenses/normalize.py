"""Normalise a license text into a comparable word sequence (licensee style).

The same function turns the reference texts (at refresh time) and the file being identified into tokens,
so any formatting difference that does not change the legal text disappears: whitespace and wrapping,
punctuation, markdown, HTML, quotes and dashes, bullets and list numbering, http/https, British
spellings, copyright lines, the title/version lines at the top, the Apache appendix and the Creative
Commons boilerplate around the legal code. What was cut from the top (title, boilerplate) is kept apart
so the matcher can still refuse a title such as "Non-commercial MIT License".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# Bump when the output changes: the packaged reference data stores normalised tokens.
NORMALIZER_VERSION = 1

MAX_CHARS = 256 * 1024

_HTML_HINT = re.compile(r"<(?:p|br|div|li|ul|ol|h[1-6]|html|body|pre|span|a|b|strong|em|table|tr|td)\b[^>]*>", re.I)
_HTML_BREAK = re.compile(r"<\s*(?:br|/p|p|/div|div|/li|li|/h[1-6]|h[1-6]|/tr|tr|/pre|pre)\b[^>]*>", re.I)
_HTML_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_MD_REF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+\s*$")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>", re.I)
_LINE_PREFIX = re.compile(
    r"^\s*(?:>\s*)*(?:#{1,6}\s+)?"  # blockquote, heading
    r"(?:(?:[-*+\u2022\u00b7\u25aa\u25cf\u2013\u2014]|"  # bullets
    r"\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)]|"  # 1. 1.2. a) iv.
    r"\((?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})\)|"  # (a) (iv) (1)
    r"(?:section|article|clause)\s+\d{1,3}(?:\.\d{1,3})*[.:]?)"
    r"(?=\s|$)\s*)*",
    re.I,
)
_COPYRIGHT = re.compile(
    r"^\s*(?:portions\s+)?(?:copyright\b|\(c\)|\u00a9)\s*(?:\(c\)|\u00a9|\d{4}|<|\[|\{|[a-z]+\s+\d{4}|$)"
    r"|^\s*(?:\(c\)|\u00a9)"
    r"|^\s*all\s+rights\s+reserved\.?\s*$",
    re.I,
)
_TOKEN = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")
_INNER_HYPHEN = re.compile(r"(?<=[a-z])[-\u2010\u2011](?=[a-z])")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'"})

# British / variant spellings -> one form (licensee keeps a similar list).
SPELLING = {
    "licence": "license", "licences": "licenses", "licenced": "licensed", "licencing": "licensing",
    "licensor's": "licensors", "licensee's": "licensees",
    "acknowledgement": "acknowledgment", "acknowledgements": "acknowledgments",
    "analogue": "analog", "analyse": "analyze", "artefact": "artifact", "artefacts": "artifacts",
    "authorisation": "authorization", "authorised": "authorized", "authorise": "authorize",
    "cancelled": "canceled", "catalogue": "catalog", "centre": "center", "characterise": "characterize",
    "favour": "favor", "fulfil": "fulfill", "fulfilment": "fulfillment", "judgement": "judgment",
    "labelling": "labeling", "labour": "labor", "modelled": "modeled", "modelling": "modeling",
    "offence": "offense", "organisation": "organization", "organisations": "organizations",
    "organise": "organize", "practise": "practice", "programme": "program", "programmes": "programs",
    "recognise": "recognize", "recognised": "recognized", "utilise": "utilize", "utilisation": "utilization",
    "whilst": "while", "wilful": "willful", "behaviour": "behavior", "colour": "color", "defence": "defense",
    "non": "non",  # kept: merged with the next word below
    "https": "http", "e.g": "eg", "i.e": "ie", "&": "and",
}
# Word pairs written as one word, two words or hyphenated; hyphens are already removed.
_MERGE = {("non", "commercial"): "noncommercial", ("sub", "license"): "sublicense", ("sub", "licenses"): "sublicenses",
          ("no", "derivatives"): "noderivatives", ("share", "alike"): "sharealike", ("per", "cent"): "percent",
          ("non", "exclusive"): "nonexclusive", ("web", "site"): "website"}
_TITLE_WORDS = {"license", "licenses", "agreement", "terms", "eula", "version", "public", "notice", "conditions",
                "use", "community", "legal", "code", "deed", "dedication", "open", "source", "model", "the", "of",
                "and", "for"}
_VERSION_LINE = re.compile(r"^(?:version|v)\s*\d|^\w+\s+\d{1,2},?\s+\d{4}$|^\d{4}-\d{2}-\d{2}$|^(?:http|www)\S*$")

_APPENDIX_START = "appendix how to apply the apache license to your work".split()
_APPENDIX_END = "limitations under the license".split()
_CC4_START = "by exercising the licensed rights".split()
_CC_TAIL = ("creative commons notice".split(), "creative commons is not a party to".split())
_CC_TAIL_END = "may be contacted at".split()


@dataclass
class Normalized:
    tokens: list[str]
    lines: list[int]  # 1-based source line of each token
    cut: list[str] = field(default_factory=list)  # tokens removed from the top (title, boilerplate)
    title: str | None = None  # first non-empty line, cleaned
    title_line: int | None = None
    copyright_only: bool = False  # the text had lines but nothing beyond copyright lines

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _strip_html(text: str) -> str:
    if not _HTML_HINT.search(text):
        return text
    text = _HTML_BREAK.sub("\n", text)
    return html.unescape(_HTML_TAG.sub(" ", text))


def _clean_line(line: str) -> str:
    line = _MD_LINK.sub(lambda m: m.group(1) if m.group(1).strip() else m.group(2), line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _LINE_PREFIX.sub("", line, count=1)
    return line.replace("*", " ").replace("|", " ").replace("_", " ")


def _find(tokens: list[str], needle: list[str], start: int = 0, stop: int | None = None) -> int:
    stop = len(tokens) if stop is None else min(stop, len(tokens))
    first = needle[0]
    for i in range(start, stop - len(needle) + 1):
        if tokens[i] == first and tokens[i : i + len(needle)] == needle:
            return i
    return -1


def _tokenize(line: str) -> list[str]:
    line = _INNER_HYPHEN.sub("", line.lower().translate(_QUOTES))
    out: list[str] = []
    for tok in _TOKEN.findall(line.replace("https://", "http://").replace("://www.", "://")):
        tok = SPELLING.get(tok, tok)
        if out and (out[-1], tok) in _MERGE:
            out[-1] = _MERGE[(out[-1], tok)]
            continue
        out.append(tok)
    return out


def normalize(text: str) -> Normalized:
    text = text[:MAX_CHARS].lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _strip_html(text)
    tokens: list[str] = []
    lines: list[int] = []
    line_tokens: list[tuple[int, list[str], str]] = []
    had_copyright = False
    in_fence = False
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            in_fence = not in_fence
            continue
        if _MD_REF.match(raw):
            continue
        line = _clean_line(raw)
        if _COPYRIGHT.match(line):
            had_copyright = True
            continue
        words = _tokenize(line)
        if words:
            line_tokens.append((number, words, line.strip()))
    # Title and version lines at the top.
    cut: list[str] = []
    title = title_line = None
    if line_tokens:
        title_line, title = line_tokens[0][0], " ".join(line_tokens[0][2].split())[:200]
    skip = 0
    for index, (_, words, _raw) in enumerate(line_tokens[:4]):
        if index == 0 and len(words) <= 12 and (set(words) & _TITLE_WORDS or len(words) <= 6):
            skip = 1
            continue
        is_url = _raw.lower().startswith(("http", "www.", "<http")) and len(_raw.split()) == 1
        if index == skip and skip and len(words) <= 8 and (
            is_url or _VERSION_LINE.match(" ".join(words)) or set(words) & {"version", "license", "agreement"}
        ):
            skip += 1
            continue
        break
    for _, words, _raw in line_tokens[:skip]:
        cut.extend(words)
    for number, words, _raw in line_tokens[skip:]:
        tokens.extend(words)
        lines.extend([number] * len(words))
    tokens, lines, more_cut = _trim_boilerplate(tokens, lines)
    cut.extend(more_cut)
    return Normalized(tokens, lines, cut, title, title_line, copyright_only=had_copyright and not tokens and not cut)


def _trim_boilerplate(tokens: list[str], lines: list[int]) -> tuple[list[str], list[int], list[str]]:
    cut: list[str] = []
    # Apache-2.0 appendix: often left out, sometimes filled in.
    start = _find(tokens, _APPENDIX_START)
    if start >= 0:
        end = _find(tokens, _APPENDIX_END, start)
        end = len(tokens) if end < 0 else end + len(_APPENDIX_END)
        tokens, lines = tokens[:start] + tokens[end:], lines[:start] + lines[end:]
    # Creative Commons 4.0: the disclaimer and "considerations" before the legal code.
    start = _find(tokens, _CC4_START, 0, max(len(tokens) * 2 // 5, 1))
    if start > 0 and "creative" in tokens[:start]:
        cut.extend(tokens[:start])
        tokens, lines = tokens[start:], lines[start:]
    # Creative Commons trailer ("Creative Commons is not a party to ... may be contacted at <site>"),
    # cut only up to its own end so that text appended after it is still compared.
    for marker in _CC_TAIL:
        at = _find(tokens, marker, len(tokens) * 7 // 10)
        if at > 0:
            end = _find(tokens, _CC_TAIL_END, at, at + 400)
            end = len(tokens) if end < 0 else min(end + len(_CC_TAIL_END) + 2, len(tokens))
            cut.extend(tokens[at:end])
            tokens, lines = tokens[:at] + tokens[end:], lines[:at] + lines[end:]
            break
    return tokens, lines, cut
