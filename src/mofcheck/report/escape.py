"""Making untrusted text (file names, license titles, card text) inert for each output channel."""

from __future__ import annotations

import re
from typing import Any

# C0 controls except TAB, DEL, C1 controls, and Unicode bidi / zero-width / line-separator characters that
# can reorder or hide text in a terminal or in GitHub's UI; and lone surrogates (see `name`).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff\ud800-\udfff]")
# File names are bytes; Python (os.fsdecode, git's output decoded with surrogateescape) keeps the bytes
# that are not UTF-8 as lone surrogates U+DC80-U+DCFF, which no UTF-8 output can hold.
_SURROGATE = re.compile("[\ud800-\udfff]")


_COLONS = re.compile(":(?=:)")


def _visible(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch == "\n":
        return "\\n"
    if ch == "\r":
        return "\\r"
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # the byte a surrogateescape'd name held
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def name(text: str) -> str:
    """A name (a file name, or any text) that every output can hold: each byte that was not UTF-8 is shown
    as `\\xNN` (`weights-\\xff.bin`), any other lone surrogate as `\\uNNNN`. The one rule for names in
    every format; the formats' own escaping comes on top."""
    return _SURROGATE.sub(_visible, text) if not text.isascii() else text


def undecodable(text: str) -> bool:
    """Whether `text` holds bytes that were not UTF-8 (so `name(text)` is not the file's real name)."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def data(value: Any) -> Any:
    """`value` (JSON-like: dicts, lists, strings) with `name` applied to every string, keys included."""
    if isinstance(value, str):
        return name(value)
    if isinstance(value, dict):
        return {data(k) if isinstance(k, str) else k: data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [data(v) for v in value]
    return value


def wrapped(text: object, limit: int = 500) -> str:
    """As `terminal`, for text that may be wrapped (the text report): no `::` a wrapped line could start
    with, since the Actions runner obeys `::command::` at the start of any log line, even after spaces.
    A zero-width space splits each `::`."""
    return _COLONS.sub(":" + _ZWSP, terminal(text, limit))


def terminal(text: object, limit: int = 500) -> str:
    """One line, no control characters or escape sequences, bounded in length."""
    s = _CONTROL.sub(_visible, str(text))
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return s


# Markdown: ASCII punctuation that can start emphasis, code, links, images, headings, strikethrough, math
# or table cells. A backslash makes any of them literal (CommonMark 2.4); `<`, `>`, `&` become entities.
_MD_BACKSLASH = frozenset("\\`*_{}[]()#!|~$")
_MD_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Left alone, GitHub turns these into pings, cross-references and links after rendering, so a backslash
# does not help: a zero-width space breaks them instead.
_MD_REFERENCE = re.compile(r"(?<=@)|(?<=#)(?=\w)|(?i:(?<=\bgh-))(?=\d)|(?<=:)(?=//)|(?i:(?<=\bwww))(?=\.)")
_MD_LIST_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_ZWSP = "\u200b"


def markdown(text: object, limit: int = 500) -> str:
    """Inline Markdown text that renders as exactly these characters: one line, no markup, HTML, links,
    images, mentions, issue references or autolinks, bounded in length (before escaping)."""
    s = " ".join(str(text).split())  # newlines, tabs and other whitespace become one space
    s = _CONTROL.sub(_visible, s)
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    s = _MD_REFERENCE.sub(_ZWSP, s)
    out = []
    for ch in s:
        if ch in _MD_BACKSLASH:
            out.append("\\" + ch)
        else:
            out.append(_MD_ENTITY.get(ch, ch))
    s = "".join(out)
    # A leading `-`, `+`, `=` or `1.` would start a list, heading underline or nested block.
    if s[:1] in ("-", "+", "="):
        s = "\\" + s
    return _MD_LIST_START.sub(r"\1\\\2", s)


def markdown_cell(text: object, limit: int = 300) -> str:
    """Text for one GFM table cell: as `markdown`, so `|` and newlines cannot end the cell or the row."""
    return markdown(text, limit) or " "


def html_comment(text: object) -> str:
    """A hidden HTML comment whose text cannot close it early."""
    s = re.sub(r"[^\w .:/=+-]", "", str(text)).replace("--", "-")
    return f"<!-- {s.strip('-')} -->"


def workflow_data(text: object) -> str:
    """The message of a GitHub workflow command (actions/toolkit command.ts `escapeData`)."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: object) -> str:
    """A property value (file=, title=) of a workflow command (command.ts `escapeProperty`)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")
