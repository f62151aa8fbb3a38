"""Normalise a license text into a comparable word sequence (licensee style), keeping each word's line.

The same function turns the reference texts (at refresh time) and the file being identified into tokens,
so any formatting difference that does not change the legal text disappears: whitespace and wrapping,
punctuation, markdown, HTML (through the stdlib's HTML parser, licenses/markup.py), quotes and dashes,
hyphenation, bullets and list numbering, URLs (one token each: `http.apache.org.licenses.license.2.0`),
British spellings, copyright notices, the title/version lines at the top, the Apache appendix (or its
header notice) and the Creative Commons boilerplate around the legal code.

What is cut is kept apart: the title (so a title such as "Non-commercial MIT License" is still judged),
and the words of the copyright notices (`holders`: the names a filled-in name slot may use). A copyright
line is cut only when it is a plain notice: years, names, "all rights reserved"; a line that says more
("Copyright 2024 Acme, excluding banks") is kept and compared like the rest of the text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

# Bump when the output changes: the packaged reference data stores normalised tokens.
NORMALIZER_VERSION = 5

MAX_CHARS = 256 * 1024

# Linear time: the link text holds no bracket, the target no bracket, parenthesis or space.
_MD_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\(([^()\[\]\s]*)(?:[ \t]+\"[^\"\n]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>", re.I)
_COPYRIGHT = re.compile(
    r"^\s*(?:portions\s+)?(?:copyright\b|\(c\)|\u00a9)\s*(?:\(c\)|\u00a9|\d{4}|<|\[|\{|[a-z]+\s+\d{4}|$)"
    r"|^\s*(?:\(c\)|\u00a9)"
    r"|^\s*all\s+rights\s+reserved\.?\s*$",
    re.I,
)
# Where a copyright statement that goes on with other text ends: after <url/email>, or a sentence end that
# is not a company suffix.
_COPYRIGHT_END = re.compile(r"^.*?(?:(?<=[\w./])>|(?<!\binc)(?<!\bltd)(?<!\bco)(?<!\bcorp)(?<!\bllc)(?<!\bnv)(?<![\s.][A-Z])\.)\s+(?=[A-Z])", re.I)
# A notice is years and names: lower-case words other than these make the line more than a notice.
NOTICE_WORDS = frozenset(
    "copyright c all rights reserved the of and its their affiliates affiliate contributors contributor authors "
    "author developers developer team project by inc ltd llc co corp corporation gmbh ag sa bv nv plc limited "
    "foundation university holders holder owner owners name year yyyy yy et al other others respective "
    "individual individuals portions present see file files for in at from on behalf org com net www http mailto "
    "de la le van von der du da di dei del des lab labs research group institute company".split()
)
# Defence in depth: a "copyright line" with one of these words says more than who holds the copyright.
_NOTICE_DANGER = frozenset(
    "not no only commercial noncommercial prohibited prohibit restricted restrict must shall except unless solely "
    "may if use used using terms subject terminate terminates termination weapons weapon military harm "
    "excluding excluded exclude".split()
)
_RIGHTS = re.compile(r"^\s*all\s+rights\s+reserved\.?\s*", re.I)
_CONTINUATION = re.compile(r"^\s*(?:[<(]?[\w.+-]+@[\w.-]+[>)]?|<?https?://[^\s>]+>?|(?:all\s+)?rights\s+reserved\.?|reserved\.?(?=\s*$))", re.I)
# List markers inside a line (lists re-wrapped into one paragraph): "... terms: (a) the ..." / "... end. b. next"
_INLINE_ENUM = re.compile(r"([.:;])[ \t]+(?:\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)|(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)])(?=\s)")
# "(b)" enumerators anywhere (a list re-wrapped into running text); the references drop them at line starts
_PAREN_ENUM = re.compile(r"\s\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)(?=\s)")  # literal-led: fast
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'`()\[\]{}|\\^]+")
_URL_SCHEME = re.compile(r"^(?:(?:https?|ftp)://)?(?:www\.)?")
_NON_WORD = re.compile(r"[^a-z0-9]+")

# British / variant spellings -> one form (licensee keeps a similar list).
SPELLING = {
    "licence": "license",
    "licences": "licenses",
    "licenced": "licensed",
    "licencing": "licensing",
    "acknowledgement": "acknowledgment",
    "acknowledgements": "acknowledgments",
    "analogue": "analog",
    "analyse": "analyze",
    "artefact": "artifact",
    "artefacts": "artifacts",
    "authorisation": "authorization",
    "authorised": "authorized",
    "authorise": "authorize",
    "cancelled": "canceled",
    "catalogue": "catalog",
    "centre": "center",
    "characterise": "characterize",
    "favour": "favor",
    "fulfil": "fulfill",
    "fulfilment": "fulfillment",
    "judgement": "judgment",
    "labelling": "labeling",
    "labour": "labor",
    "modelled": "modeled",
    "modelling": "modeling",
    "offence": "offense",
    "organisation": "organization",
    "organisations": "organizations",
    "organise": "organize",
    "practise": "practice",
    "programme": "program",
    "programmes": "programs",
    "recognise": "recognize",
    "recognised": "recognized",
    "utilise": "utilize",
    "utilisation": "utilization",
    "whilst": "while",
    "wilful": "willful",
    "behaviour": "behavior",
    "colour": "color",
    "defence": "defense",
    "https": "http",
}
# Word pairs written as one word, two words or hyphenated (hyphens separate words).
_MERGE = {
    ("sub", "license"): "sublicense",
    ("sub", "licenses"): "sublicenses",
    ("sub", "licensed"): "sublicensed",
    ("sub", "licensing"): "sublicensing",
    ("sub", "licensable"): "sublicensable",
    ("no", "derivatives"): "noderivatives",
    ("no", "derivs"): "noderivs",
    ("share", "alike"): "sharealike",
    ("per", "cent"): "percent",
    ("web", "site"): "website",
    ("world", "wide"): "worldwide",
    ("e", "mail"): "email",
    ("co", "operation"): "cooperation",
    ("counter", "claim"): "counterclaim",
    ("re", "distribute"): "redistribute",
    ("re", "distribution"): "redistribution",
    ("pre", "existing"): "preexisting",
    ("copy", "left"): "copyleft",
    ("open", "source"): "opensource",
}
# "non-exclusive", "non exclusive", "nonexclusive": "non" joins the next word.
_JOIN_NEXT = "non"
_TITLE_WORDS = {"license", "licenses", "agreement", "terms", "eula", "version", "public", "notice", "dedication", "deed", "legal", "code"}

_VERSION_LINE = re.compile(r"^(?:version|v)\s*\d|^\w+\s+\d{1,2},?\s+\d{4}$|^\d{4}-\d{2}-\d{2}$|^(?:http|www)\S*$")

_APPENDIX_START = "appendix how to apply the apache license to your work".split()
_APPENDIX_END = "limitations under the license".split()
# Every word of the appendix (ScanCode and SPDX texts): it is cut only when it has no other word (a filled-in
# copyright line is already gone), so that a clause written into it is still compared.
_APPENDIX_VOCAB = frozenset(
    (
        "2.0 a agreed also an and any apache apache.org appendix applicable apply appropriate archives as at attach "
        "basis be boilerplate brackets by class comment compliance conditions copy copyright description distributed "
        "dont easier either enclosed except express fields file following for format governing how http "
        "identification identifying implied in include included information is kind language law license "
        "licensed licenses limitations may name not notice obtain of on or own owner page permissions printed "
        "purpose recommend replaced required same see should software specific syntax text that the third party this "
        "to under unless use version warranties we with within without work writing you your yyyy"
    ).split()
)
# The Apache-2.0 file-header notice, often pasted after the license text instead of the appendix.
_APACHE_NOTICE = (
    "licensed under the apache license version 2.0 the license you may not use this file except in compliance "
    "with the license you may obtain a copy of the license at http.apache.org.licenses.license.2.0 unless "
    "required by applicable law or agreed to in writing software distributed under the license is distributed "
    "on an as is basis without warranties or conditions of any kind either express or implied see the license "
    "for the specific language governing permissions and limitations under the license"
).split()
_CC4_START = "by exercising the licensed rights".split()
_CC_TAIL = ("creative commons notice".split(), "creative commons is not a party to".split())
_CC_TAIL_END = "may be contacted at".split()
# Every word of the Creative Commons trailers (2.0 to 4.0, ScanCode and SPDX texts): a trailer is cut
# only when it has no other word, so that a clause hidden in it is still compared.
_CC_TRAILER_VOCAB = frozenset(
    (
        "2 a agreements all and any applicable apply arising arrangements as at authorize available avoidance be by "
        "cc0 ccpl commons compliance concerning connection consent consequential considered contacted creative "
        "creativecommons.org damages dedicated dedication does domain doubt either elect except expressly extent "
        "for foregoing form from full general guidelines has have hereunder http identified if in incidental "
        "including indicating instances is it its itself law legal liable license licensed licenses licensor "
        "limitation limited logo made makes material may modifications negligence neither no not notice "
        "notwithstanding obligations of on one or other otherwise paragraph part party permitted policies prior "
        "public published publishes purpose related representation request restriction rights sentences shall "
        "shared special text that the then current theory this those time to trademark two unauthorized under "
        "understandings upon usage use warranty website whatsoever will with without work written you"
    ).split()
)


@dataclass
class Normalized:
    tokens: list[str]
    cut: list[str] = field(default_factory=list)  # tokens removed from the top (title, boilerplate)
    title: str | None = None  # first non-empty line, cleaned
    title_line: int | None = None
    copyright_only: bool = False  # the text had lines but nothing beyond copyright lines
    lines: list[int] = field(default_factory=list)  # the file line (1-based) of each token
    holders: frozenset[str] = frozenset()  # words of the copyright notices that were cut
    cut_lines: list[int] = field(default_factory=list)  # the file lines the title was cut from

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def text_hash(text: str) -> str:
    """Key of a normalised text (space-joined tokens) in the exact-match index."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


_FENCE_OR_REF = re.compile(r"^[ \t]*(?:```|~~~)[\w+.-]*[ \t]*$|^[ \t]*\[[^\]\n]+\]:[ \t]*\S+[ \t]*$")
_COPYRIGHT_LINE = re.compile(r"^[ \t>#*_<\[-]*(?:portions\s+)?(?:copyright|\(c\)|\u00a9|all\s+rights\s+reserved)", re.I)
_PREFIX_M = re.compile(
    r"^[ \t]*(?:>[ \t]*)*(?:#{1,6}[ \t]+)?(?:[*_]{1,3}(?=[(\w]))?"  # blockquote, heading, bold numbering
    r"(?:(?:[-*+\u2022\u00b7\u25aa\u25cf\u2013\u2014]|"  # bullets
    r"\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)]|"  # 1. 1.2. a) iv.
    r"\((?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})\))"  # (a) (iv) (1)
    r"(?:[*_]{1,3})?(?=[ \t]|$)[ \t]*)*",
    re.M,
)


# Emphasis marks; an underscore inside a word (snake_case, a URL) is kept for the URL tokens.
_UNDERSCORES = re.compile(r"_+")


def _emphasis(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    inside = start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()
    return match.group(0) if inside else " "


def _clean(text: str) -> str:
    """Markdown / list syntax out of a block of lines (line count kept)."""
    if "](" in text:
        text = _MD_LINK.sub(lambda m: m.group(1) if m.group(1).strip() else m.group(2), text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    text = _PREFIX_M.sub("", text)
    text = _INLINE_ENUM.sub(r"\1 ", text)
    if "(" in text:
        text = _PAREN_ENUM.sub(" ", text)
    text = text.replace("|", " ").replace("*", " ")
    return _UNDERSCORES.sub(_emphasis, text) if "_" in text else text


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


# Bytes kept in words: a-z, 0-9, "." (dots inside versions and domains) and the line break; "'" is deleted
# ("licensor's" = "licensors"); everything else, "-" too, separates words.
_KEEP = set(b"abcdefghijklmnopqrstuvwxyz0123456789.\n")
_BYTE_MAP = bytes(c if c in _KEEP else 32 for c in range(256))
_MERGE_FIRST = frozenset(a for a, _ in _MERGE) | {_JOIN_NEXT}
_LOOSE_DOT = re.compile(rb"\.(?:(?![a-z0-9])|(?<![a-z0-9]\.))")  # a dot not inside a word; literal-led: fast
_SPELLING_KEYS = frozenset(SPELLING)
_QUOTE_CHARS = "\u2018\u2019\u201a\u201b\u2032`"


def _url_token(match: re.Match[str]) -> str:
    at = match.start()
    if match.group(0)[:1] == "w" and at and (match.string[at - 1].isalnum() or match.string[at - 1] in "._@"):
        return match.group(0)  # "foo.www.bar": not the start of a URL
    rest = _NON_WORD.sub(".", _URL_SCHEME.sub("", match.group(0))).strip(".")
    return f" http.{rest} " if rest else " "


def _tokenize_lines(text: str) -> tuple[list[str], list[int]]:
    """Words of `text` and the (0-based) line of each."""
    text = text.lower()
    for quote in _QUOTE_CHARS:
        if quote in text:
            text = text.replace(quote, "'")
    if "://" in text or "www." in text:
        text = _URL.sub(_url_token, text)
    data = text.encode("ascii", "replace").translate(_BYTE_MAP, b"'")
    if b"." in data:
        data = _LOOSE_DOT.sub(b" ", data)
    tokens: list[str] = []
    lines: list[int] = []
    if b"\n" not in data:
        tokens = data.decode("ascii").split()
        lines = [0] * len(tokens)
    else:
        for number, line in enumerate(data.decode("ascii").split("\n")):
            words = line.split()
            if words:
                tokens.extend(words)
                lines.extend([number] * len(words))
    if _SPELLING_KEYS.intersection(tokens):
        tokens = [SPELLING.get(t, t) for t in tokens]
    if _MERGE_FIRST.intersection(tokens):
        for at in reversed([i for i, t in enumerate(tokens[:-1]) if t in _MERGE_FIRST]):
            first, second = tokens[at], tokens[at + 1]
            joined = _MERGE.get((first, second))
            if joined is None and first == _JOIN_NEXT and second.isalpha():
                joined = first + second
            if joined is not None:
                tokens[at : at + 2] = [joined]
                del lines[at + 1]
    return tokens, lines


def tokenize(text: str) -> list[str]:
    """The words of `text`, normalised as license texts are."""
    return _tokenize_lines(text)[0]


_NOTICE_LINK = re.compile(r"<[^<>\s]+>|(?:https?|ftp)://\S+")  # <url>, <email>, a bare URL


def _notice_only(raw: str) -> bool:
    """A copyright notice and nothing more: years, names (capitalised words, emails, URLs), notice words."""
    raw = _NOTICE_LINK.sub(" ", raw.replace("(c)", " ").replace("(C)", " "))
    words = re.findall(r"[\w@.\-']+", raw)
    for word in words:
        bare = word.strip(".-'")
        if not bare or any(ch.isdigit() for ch in bare) or "@" in bare or bare[:1].isupper():
            continue
        if "." in bare and not bare.endswith("."):
            continue  # a domain
        if bare.lower().replace("'", "") not in NOTICE_WORDS:
            return False
    return not (_NOTICE_DANGER & set(tokenize(raw)))


_MARKS = re.compile(r"^[ \t>#*_-]*")  # quote, heading and emphasis marks before a notice ("(c)" is no list item)


def is_notice(line: str) -> bool:
    """Is `line` a copyright notice that normalisation cuts (all of it, or up to a sentence after it)?"""
    if not _COPYRIGHT_LINE.match(line) or not _COPYRIGHT.match(_MARKS.sub("", line).replace("*", " ").replace("_", " ")):
        return False
    rest = _COPYRIGHT_END.match(line)
    return _notice_only(line[: rest.end()] if rest else line)


def _drop_copyright(lines: list[str]) -> set[str]:
    """Blank out copyright notices (keeping text that follows a notice on its line); their words."""
    holders: set[str] = set()
    for number, raw in enumerate(lines):
        if not is_notice(raw):
            continue  # not a notice, or a notice that says more: kept, so it is compared
        before = lines[number - 1].rstrip() if number else ""
        if before and before[-1:] not in ".:;!?>)]\"'" and (before[-1:] == "," or len(before.split()) > 8):
            continue  # inside a sentence ("... under the License,\nCopyright (c) Meta ..."): text
        rest = _COPYRIGHT_END.match(raw)
        notice = raw[: rest.end()] if rest else raw
        holders.update(tokenize(notice))
        after = _RIGHTS.sub("", raw[rest.end() :]) if rest else ""
        if [w.casefold() for w in after.split()] in (["all"], ["all", "rights"]):
            after = ""  # "All" | "rights reserved." wrapped
        lines[number] = after  # what follows the notice is compared (never dropped with it)
        follow = number + 1
        # the notice goes on: an email or URL, "All rights reserved", or the rest of a wrapped name
        while follow < len(lines) and lines[follow].strip() and not tokenize(after):
            line = lines[follow]
            lead = _CONTINUATION.match(line)
            if lead:
                after = _RIGHTS.sub("", line[lead.end() :])
            elif len(line.split()) <= 8 and _notice_only(line):
                after = ""
            else:
                break
            holders.update(tokenize(line[: len(line) - len(after)]))
            lines[follow] = after
            follow += 1
    return holders - {"copyright", "c", "all", "rights", "reserved"}


def _markup():
    from . import markup  # imports html.parser (~6 ms): only for a text with a "<"

    return markup


def normalize(text: str) -> Normalized:
    text = text[:MAX_CHARS].lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text and _markup().looks_like_html(text):
        lines, numbers = _markup().html_lines(text)
    else:
        lines, numbers = text.split("\n"), list(range(1, text.count("\n") + 2))
    if "```" in text or "~~~" in text or "]:" in text:
        lines = ["" if _FENCE_OR_REF.match(line) else line for line in lines]
    if "://" in text:
        _join_broken_urls(lines)
    before = sum(1 for line in lines if line.strip())
    holders = _drop_copyright(lines)
    had_copyright = before != sum(1 for line in lines if line.strip()) or bool(holders)
    # Title and version lines at the top: the first lines that have words, one by one.
    head: list[tuple[int, list[str], str]] = []
    number = 0
    while number < len(lines) and len(head) < 4:
        cleaned = _clean(lines[number])
        words = tokenize(cleaned)
        if words:
            head.append((number, words, cleaned.strip()))
        number += 1
    title = title_line = None
    if head:
        title_line, title = numbers[head[0][0]], " ".join(head[0][2].split())[:200]
    skip = _title_lines(head)
    cut = [w for _, words, _ in head[:skip] for w in words]
    cut_lines = [numbers[n] for n, _, _ in head[:skip]]
    body_from = head[skip - 1][0] + 1 if skip else 0
    tokens, where = _tokenize_lines(_clean("\n".join(lines[body_from:])))
    tokens, where, more_cut = _trim_boilerplate(tokens, where)
    cut.extend(more_cut)
    return Normalized(
        tokens,
        cut,
        title,
        title_line,
        copyright_only=had_copyright and not tokens and not cut,
        lines=[numbers[body_from + n] for n in where],
        holders=frozenset(holders),
        cut_lines=cut_lines,
    )


_URL_BROKEN = re.compile(r"(?:https?|ftp)://\S*$")
_URL_GOES_ON = re.compile(r"^[-/_.?#=&%][^\s]*")


def _join_broken_urls(lines: list[str]) -> None:
    """A URL wrapped at a "-" or "/" goes on at the start of the next line: join it (line count kept)."""
    for number in range(len(lines) - 1):
        if "://" not in lines[number]:
            continue
        found = _URL_BROKEN.search(lines[number])
        if not found:
            continue
        rest = lines[number + 1].lstrip(" \t>")
        head = rest.split(None, 1)
        # cut after "-", "/" or "_" (wrapping), or before ".", "/", "-" (a long word cut by a wrapper)
        if head and (found.group(0)[-1] in "-/_" and not head[0][:1].isupper() or _URL_GOES_ON.match(head[0])):
            lines[number] += head[0]
            lines[number + 1] = head[1] if len(head) > 1 else ""


def _title_lines(head: list[tuple[int, list[str], str]]) -> int:
    """How many of the first lines are a title and its version / date / URL lines."""
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
        is_url = len(words) == 1 and words[0].startswith("http.")
        if (
            index == skip
            and skip
            and (
                (len(words) <= 12 and (is_url or _VERSION_LINE.match(" ".join(words))))
                or (len(words) <= 6 and set(words) & {"version", "license", "agreement"})
                or (len(words) <= 16 and set(words) <= set(head[0][1]) | _TITLE_WORDS)  # the title again
            )
        ):
            skip += 1
            continue
        break
    return skip


def _plain(words: list[str], vocab: frozenset[str]) -> bool:
    return all(w in vocab or w.isdigit() or w.startswith("http.") for w in words)


def _trim_boilerplate(tokens: list[str], where: list[int]) -> tuple[list[str], list[int], list[str]]:
    cut: list[str] = []
    # Apache-2.0 appendix: often left out, sometimes filled in.
    start = _find(tokens, _APPENDIX_START)
    if start >= 0:
        end = _find(tokens, _APPENDIX_END, start)
        end = len(tokens) if end < 0 else end + len(_APPENDIX_END)
        if _plain(tokens[start:end], _APPENDIX_VOCAB):
            tokens, where = tokens[:start] + tokens[end:], where[:start] + where[end:]
    # ... or just its notice, word for word, after the end of the terms.
    end_terms = _find(tokens, "end of terms and conditions".split())
    if end_terms >= 0:
        at = _find(tokens, _APACHE_NOTICE[:8], end_terms)
        if at >= 0 and tokens[at : at + len(_APACHE_NOTICE)] == _APACHE_NOTICE:
            tokens = tokens[:at] + tokens[at + len(_APACHE_NOTICE) :]
            where = where[:at] + where[at + len(_APACHE_NOTICE) :]
    # Creative Commons 4.0: the disclaimer and "considerations" before the legal code.
    start = _find(tokens, _CC4_START, 0, 800)
    if start > 0 and "creative" in tokens[:30] and "commons" in tokens[:30]:
        cut.extend(tokens[:start])
        tokens, where = tokens[start:], where[start:]
    # Creative Commons trailer ("Creative Commons is not a party to ... may be contacted at <site>"),
    # cut only up to its own end so that text appended after it is still compared.
    for marker in _CC_TAIL:
        at = _find(tokens, marker, len(tokens) * 7 // 10)
        if at > 0:
            end = _find(tokens, _CC_TAIL_END, at, at + 400)
            if end < 0:
                continue  # not the trailer (CC0 says "Creative Commons is not a party" in its own terms)
            end = min(end + len(_CC_TAIL_END) + 1, len(tokens))
            if end < len(tokens) and ("." in tokens[end] and _plain(tokens[end : end + 1], _CC_TRAILER_VOCAB)):
                end += 1  # "creativecommons.org" written without a scheme
            if _plain(tokens[at:end], _CC_TRAILER_VOCAB):
                tokens, where = tokens[:at] + tokens[end:], where[:at] + where[end:]
            break
    return tokens, where, cut
