"""Normalise a license text into a comparable word sequence (licensee style).

The same function turns the reference texts (at refresh time) and the file being identified into tokens,
so any formatting difference that does not change the legal text disappears: whitespace and wrapping,
punctuation, markdown, HTML, quotes and dashes, bullets and list numbering, http/https, British
spellings, copyright lines, the title/version lines at the top, the Apache appendix (or its header
notice) and the Creative Commons boilerplate around the legal code. What was cut from the top (title, boilerplate) is kept apart
so the matcher can still refuse a title such as "Non-commercial MIT License".
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field

# Bump when the output changes: the packaged reference data stores normalised tokens.
NORMALIZER_VERSION = 4

MAX_CHARS = 256 * 1024

_HTML_HINT = re.compile(r"<(?:p|br|div|li|ul|ol|h[1-6]|html|body|pre|span|a|b|strong|em|table|tr|td)\b[^<>]*>", re.I)
_HTML_BREAK = re.compile(r"<\s*(?:br|/p|p|/div|div|/li|li|/h[1-6]|h[1-6]|/tr|tr|/pre|pre)\b[^<>]*>", re.I)
# `[^<>]`: a try stops at the next `<` (`[^>]*` was quadratic over many unclosed `<a `)
_HTML_TAG = re.compile(r"<(?:[a-zA-Z/][^<>]*|![a-zA-Z][^<>]*)>")  # not comments: their text is kept
# No brackets in the text or the URL: each try stops at the next `[`, so many `[` or `[a](` cost linear
# time, not quadratic.
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\(([^)\s\[\]]*)(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>", re.I)
_COPYRIGHT = re.compile(
    r"^\s*(?:portions\s+)?(?:copyright\b|\(c\)|\u00a9)\s*(?:\(c\)|\u00a9|\d{4}|<|\[|\{|[a-z]+\s+\d{4}|$)"
    r"|^\s*(?:\(c\)|\u00a9)"
    r"|^\s*all\s+rights\s+reserved\.?\s*$",
    re.I,
)
# Where a copyright statement that goes on with other text ends: after <url/email>, or a sentence end that
# is not a company suffix.
_COPYRIGHT_END = re.compile(r"^.*?(?:>|(?<!\binc)(?<!\bltd)(?<!\bco)(?<!\bcorp)(?<!\bllc)(?<!\bnv)\.)\s+(?=[A-Z])", re.I)
# A "copyright line" with one of these words says more than who holds the copyright.
_NOTICE_DANGER = frozenset(
    "not no only commercial noncommercial prohibited prohibit restricted restrict must shall except unless solely "
    "may if use used using terms subject terminate terminates termination weapons weapon military harm".split()
)
_RIGHTS = re.compile(r"^\s*all\s+rights\s+reserved\.?\s*", re.I)
_CONTINUATION = re.compile(r"^\s*(?:[<(]?[\w.+-]+@[\w.-]+|<?https?://\S+|(?:all\s+)?rights\s+reserved)", re.I)
# List markers inside a line (lists re-wrapped into one paragraph): "... terms: (a) the ..." / "... end. b. next"
_INLINE_ENUM = re.compile(r"([.:;])[ \t]+(?:\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)|(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)])(?=\s)")
_HYPHEN_BREAK = re.compile(r"([a-z])-\n[ \t>]*([a-z]+)")
# "(b)" enumerators anywhere (a list re-wrapped into running text); the references drop them at line starts
_PAREN_ENUM = re.compile(r"(?<=\s)\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)(?=\s)")

# British / variant spellings -> one form (licensee keeps a similar list).
SPELLING = {
    "licence": "license", "licences": "licenses", "licenced": "licensed", "licencing": "licensing",
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
    "https": "http",
}
# Word pairs written as one word, two words or hyphenated; hyphens are already removed.
_MERGE = {("non", "commercial"): "noncommercial", ("sub", "license"): "sublicense", ("sub", "licenses"): "sublicenses",
          ("no", "derivatives"): "noderivatives", ("share", "alike"): "sharealike", ("per", "cent"): "percent",
          ("non", "exclusive"): "nonexclusive", ("web", "site"): "website"}
_TITLE_WORDS = {"license", "licenses", "agreement", "terms", "eula", "version", "public", "notice", "dedication",
                "deed", "legal", "code"}

_VERSION_LINE = re.compile(r"^(?:version|v)\s*\d|^\w+\s+\d{1,2},?\s+\d{4}$|^\d{4}-\d{2}-\d{2}$|^(?:http|www)\S*$")

_APPENDIX_START = "appendix how to apply the apache license to your work".split()
_APPENDIX_END = "limitations under the license".split()
# Every word of the appendix (ScanCode and SPDX texts): it is cut only when it has no other word (a filled-in
# copyright line is already gone), so that a clause written into it is still compared.
_APPENDIX_VOCAB = frozenset((
    "2.0 a agreed also an and any apache apache.org appendix applicable apply appropriate archives as at attach "
    "basis be boilerplate brackets by class comment compliance conditions copy copyright description distributed "
    "dont easier either enclosed except express fields file following for format governing how http "
    "identification identifying implied in include included information is kind language law license license2.0 "
    "licensed licenses limitations may name not notice obtain of on or own owner page permissions printed "
    "purpose recommend replaced required same see should software specific syntax text that the thirdparty this "
    "to under unless use version warranties we with within without work writing you your yyyy"
).split())
# The Apache-2.0 file-header notice, often pasted after the license text instead of the appendix.
_APACHE_NOTICE = (
    "licensed under the apache license version 2.0 the license you may not use this file except in compliance "
    "with the license you may obtain a copy of the license at http apache.org licenses license2.0 unless "
    "required by applicable law or agreed to in writing software distributed under the license is distributed "
    "on an as is basis without warranties or conditions of any kind either express or implied see the license "
    "for the specific language governing permissions and limitations under the license"
).split()
_CC4_START = "by exercising the licensed rights".split()
_CC_TAIL = ("creative commons notice".split(), "creative commons is not a party to".split())
_CC_TAIL_END = "may be contacted at".split()
# Every word of the Creative Commons trailers (2.0 to 4.0, ScanCode and SPDX texts): a trailer is cut
# only when it has no other word, so that a clause hidden in it is still compared.
_CC_TRAILER_VOCAB = frozenset((
    "2 a agreements all and any applicable apply arising arrangements as at authorize available avoidance be by "
    "cc0 ccpl commons compliance concerning connection consent consequential considered contacted creative "
    "creativecommons.org damages dedicated dedication does domain doubt either elect except expressly extent "
    "for foregoing form from full general guidelines has have hereunder http identified if in incidental "
    "including indicating instances is it its itself law legal liable license licensed licenses licensor "
    "limitation limited logo made makes material may modifications negligence neither no not notice "
    "notwithstanding obligations of on one or other otherwise paragraph part party permitted policies prior "
    "public published publishes purpose related representation request restriction rights sentences shall "
    "shared special text that the thencurrent theory this those time to trademark two unauthorized under "
    "understandings upon usage use warranty website whatsoever will with without work written you"
).split())


@dataclass
class Normalized:
    tokens: list[str]
    cut: list[str] = field(default_factory=list)  # tokens removed from the top (title, boilerplate)
    title: str | None = None  # first non-empty line, cleaned
    title_line: int | None = None
    copyright_only: bool = False  # the text had lines but nothing beyond copyright lines

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def text_hash(text: str) -> str:
    """Key of a normalised text (space-joined tokens) in the exact-match index."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


def _strip_html(text: str) -> str:
    if not _HTML_HINT.search(text):
        return text
    text = _HTML_BREAK.sub("\n", text).replace("<!--", " ").replace("-->", " ")
    return html.unescape(_HTML_TAG.sub(" ", text))


_FENCE_OR_REF = re.compile(r"^[ \t]*(?:```|~~~)[\w+.-]*[ \t]*$|^[ \t]*\[[^\]\n]+\]:[ \t]*\S+[ \t]*$", re.M)
_COPYRIGHT_LINE = re.compile(r"^[ \t>#*_-]*(?:portions\s+)?(?:copyright|\(c\)|\u00a9|all\s+rights\s+reserved)", re.M | re.I)
_PREFIX_M = re.compile(
    r"^[ \t]*(?:>[ \t]*)*(?:#{1,6}[ \t]+)?"  # blockquote, heading
    r"(?:(?:[-*+\u2022\u00b7\u25aa\u25cf\u2013\u2014]|"  # bullets
    r"\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)]|"  # 1. 1.2. a) iv.
    r"\((?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})\))"  # (a) (iv) (1)
    r"(?=[ \t]|$)[ \t]*)*",
    re.M,
)


def _clean(text: str) -> str:
    """Markdown / list syntax out of a block of lines."""
    if "](" in text:
        text = _MD_LINK.sub(lambda m: m.group(1) if m.group(1).strip() else m.group(2), text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    text = _PREFIX_M.sub("", text)
    text = _INLINE_ENUM.sub(r"\1 ", text)
    if "(" in text:
        text = _PAREN_ENUM.sub(" ", text)
    return text.replace("*", " ").replace("|", " ").replace("_", " ")


def _find(tokens: list[str], needle: list[str], start: int = 0, stop: int | None = None) -> int:
    stop = len(tokens) if stop is None else min(stop, len(tokens))
    first, last = needle[0], stop - len(needle)
    i = start
    while True:
        try:
            i = tokens.index(first, i, last + 1)
        except ValueError:
            return -1
        if tokens[i : i + len(needle)] == needle:
            return i
        i += 1


# Bytes kept in words: a-z, 0-9 and "." (dots inside versions and domains); "-" and "'" are deleted so
# "non-commercial" = "noncommercial" and "licensor's" = "licensors"; everything else separates words.
_KEEP = set(b"abcdefghijklmnopqrstuvwxyz0123456789.")
_BYTE_MAP = bytes(c if c in _KEEP else 32 for c in range(256))
_MERGE_FIRST = frozenset(a for a, _ in _MERGE)
_LOOSE_DOT = re.compile(rb"\.(?![a-z0-9])|(?<![a-z0-9])\.")
_SPELLING_KEYS = frozenset(SPELLING)
_QUOTE_CHARS = "\u2018\u2019\u201a\u201b\u2032`"


def _tokenize(text: str) -> list[str]:
    text = text.lower()
    for quote in _QUOTE_CHARS:
        if quote in text:
            text = text.replace(quote, "'")
    text = text.replace("https://", "http://").replace("://www.", "://").replace("--", " ")
    data = text.encode("ascii", "replace").translate(_BYTE_MAP, b"-'")
    if b"." not in data:
        tokens = data.decode("ascii").split()
    else:
        data = _LOOSE_DOT.sub(b" ", data)
        tokens = data.decode("ascii").split()
    if _SPELLING_KEYS.intersection(tokens):
        tokens = [SPELLING.get(t, t) for t in tokens]
    if _MERGE_FIRST.intersection(tokens):
        for at in reversed([i for i, t in enumerate(tokens[:-1]) if t in _MERGE_FIRST]):
            pair = (tokens[at], tokens[at + 1])
            if pair in _MERGE:
                tokens[at : at + 2] = [_MERGE[pair]]
    return tokens


def _drop_copyright(lines: list[str], text: str) -> bool:
    """Blank out copyright notices (keeping text that follows a notice on its line); True if any."""
    found = False
    offsets = [m.start() for m in _COPYRIGHT_LINE.finditer(text)]
    if not offsets:
        return False
    numbers = sorted({text.count("\n", 0, at) for at in offsets})
    for number in numbers:
        raw = lines[number]
        if not _COPYRIGHT.match(_clean(raw)) or _NOTICE_DANGER.intersection(_tokenize(raw)):
            continue  # not a notice, or a notice that also restricts: kept, so it is compared
        found = True
        rest = _COPYRIGHT_END.match(raw)
        after = _RIGHTS.sub("", raw[rest.end() :]) if rest else ""
        lines[number] = after if len(after.split()) >= 3 else ""
        follow = number + 1
        while follow < len(lines) and lines[follow].strip() and _CONTINUATION.match(_clean(lines[follow])):
            lines[follow] = ""
            follow += 1
    return found


def normalize(text: str) -> Normalized:
    text = text[:MAX_CHARS].lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _strip_html(text)
    if "-\n" in text:
        text = _HYPHEN_BREAK.sub(r"\1-\2\n", text)  # "royalty-\nfree" -> "royalty-free", same line count
    if "```" in text or "~~~" in text or "]:" in text:
        text = _FENCE_OR_REF.sub("", text)
    lines = text.split("\n")
    had_copyright = _drop_copyright(lines, text)
    # Title and version lines at the top: the first lines that have words, one by one.
    head: list[tuple[int, list[str], str]] = []
    number = 0
    while number < len(lines) and len(head) < 4:
        cleaned = _clean(lines[number])
        words = _tokenize(cleaned)
        if words:
            head.append((number, words, cleaned.strip()))
        number += 1
    title = title_line = None
    if head:
        title_line, title = head[0][0] + 1, " ".join(head[0][2].split())[:200]
    skip = 0
    for index, (_, words, cleaned) in enumerate(head):
        if index == 0 and len(words) <= 16 and (set(words) & _TITLE_WORDS or len(words) <= 5):
            # not the first line of a sentence that goes on: "... with or without" / "modification, ..."
            following = head[1][2] if len(head) > 1 else ""
            # nor a sentence: "The licensor may revoke this license at any time."
            sentence = cleaned[-1:] in ".!" and len(words) > 3 and not _VERSION_LINE.match(" ".join(words))
            if cleaned[-1:] not in ",;" and not following[:1].islower() and not sentence:
                skip = 1
                continue
            break
        is_url = cleaned.lower().startswith(("http", "www.", "<http")) and len(cleaned.split()) == 1
        if index == skip and skip and (
            (len(words) <= 12 and (is_url or _VERSION_LINE.match(" ".join(words))))
            or (len(words) <= 6 and set(words) & {"version", "license", "agreement"})
            or (len(words) <= 16 and set(words) <= set(head[0][1]) | _TITLE_WORDS)  # the title again
        ):
            skip += 1
            continue
        break
    cut = [w for _, words, _ in head[:skip] for w in words]
    body_from = head[skip - 1][0] + 1 if skip else 0
    tokens = _tokenize(_clean("\n".join(lines[body_from:])))
    tokens, more_cut = _trim_boilerplate(tokens)
    cut.extend(more_cut)
    return Normalized(tokens, cut, title, title_line, copyright_only=had_copyright and not tokens and not cut)


def _trim_boilerplate(tokens: list[str]) -> tuple[list[str], list[str]]:
    cut: list[str] = []
    # Apache-2.0 appendix: often left out, sometimes filled in.
    start = _find(tokens, _APPENDIX_START)
    if start >= 0:
        end = _find(tokens, _APPENDIX_END, start)
        end = len(tokens) if end < 0 else end + len(_APPENDIX_END)
        if all(w in _APPENDIX_VOCAB or w.isdigit() for w in tokens[start:end]):
            tokens = tokens[:start] + tokens[end:]
    # ... or just its notice, word for word, after the end of the terms.
    end_terms = _find(tokens, "end of terms and conditions".split())
    if end_terms >= 0:
        at = _find(tokens, _APACHE_NOTICE[:8], end_terms)
        if at >= 0 and tokens[at : at + len(_APACHE_NOTICE)] == _APACHE_NOTICE:
            tokens = tokens[:at] + tokens[at + len(_APACHE_NOTICE) :]
    # Creative Commons 4.0: the disclaimer and "considerations" before the legal code.
    start = _find(tokens, _CC4_START, 0, 800)
    if start > 0 and "creative" in tokens[:30] and "commons" in tokens[:30]:
        cut.extend(tokens[:start])
        tokens = tokens[start:]
    # Creative Commons trailer ("Creative Commons is not a party to ... may be contacted at <site>"),
    # cut only up to its own end so that text appended after it is still compared.
    for marker in _CC_TAIL:
        at = _find(tokens, marker, len(tokens) * 7 // 10)
        if at > 0:
            end = _find(tokens, _CC_TAIL_END, at, at + 400)
            if end < 0:
                continue  # not the trailer (CC0 says "Creative Commons is not a party" in its own terms)
            end = min(end + len(_CC_TAIL_END) + 2, len(tokens))
            if all(w in _CC_TRAILER_VOCAB for w in tokens[at:end]):
                tokens = tokens[:at] + tokens[end:]
            break
    return tokens, cut
