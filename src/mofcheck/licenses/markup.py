"""HTML (and XHTML) license pages to plain lines, with the source line of each, by the stdlib's HTML parser.

The identification reports the file lines that differ from a license, so a converted text keeps, for each
of its lines, the line of the file it came from. Block elements (p, div, li, headings, br, ...) start a new
line; scripts, styles, comments, the XML prolog and the doctype are not license text (no reader sees
them) and neither are tags, but anything that only looks like a tag (`<year>`, `<not for commercial
use>`) is kept as text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# A document is read as HTML when it has an XML prolog, a doctype, or one of these tags closed by a ">"
# somewhere after it. The ">" is looked for once, after the first tag (`<a [^>]*>` searched tried every "<a"
# up to the end: quadratic on many unclosed "<a ").
_DECLARATION = re.compile(r"<\?xml\b|<!doctype\s+html", re.I)
_TAG_START = re.compile(r"<(?:p|br|div|li|ul|ol|h[1-6]|html|body|pre|span|a|b|strong|em|table|tr|td)\b", re.I)
HINT_CHARS = 65536
_BLOCK = frozenset(
    "address article aside blockquote body br center dd details div dl dt figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 head header hr html li main nav ol p pre section summary table tbody td tfoot th thead title tr ul".split()
)
_SKIP = frozenset({"script", "style", "template", "noscript"})
# Every element name of HTML 4 / 5 (and SVG / MathML roots): other "tags" are text such as <year>.
_KNOWN = (
    _BLOCK
    | _SKIP
    | frozenset(
        "a abbr acronym area audio b base basefont bdi bdo big button canvas caption cite code col colgroup data "
        "datalist del dfn dialog em embed fieldset font frame frameset i iframe img input ins kbd label legend link "
        "map mark menu meta meter object optgroup option output param picture progress q rp rt ruby s samp select "
        "slot small source strike strong sub sup svg math tt u var video wbr".split()
    )
)


def looks_like_html(text: str) -> bool:
    head = text[:HINT_CHARS]
    if _DECLARATION.search(head):
        return True
    tag = _TAG_START.search(head)
    return tag is not None and head.find(">", tag.end()) >= 0


class _Lines(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.numbers: list[int] = []
        self.skip = 0
        self._open = False  # the last output line can take more text

    def _break(self) -> None:
        self._open = False

    def _text(self, data: str) -> None:
        if self.skip or not data:
            return
        line = self.getpos()[0]
        parts = data.split("\n")
        for n, part in enumerate(parts):
            if n:
                self._open = False
                line += 1
            if not part:
                continue
            if self._open:
                self.lines[-1] += part
            else:
                self.lines.append(part)
                self.numbers.append(line)
                self._open = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self._break()
        elif tag not in _KNOWN:
            self._text(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._break()
        elif tag not in _KNOWN:
            self._text(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
        elif tag in _BLOCK:
            self._break()
        elif tag not in _KNOWN:
            self._text(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_comment(self, data: str) -> None:
        pass  # not rendered: no reader sees it as part of the license

    def unknown_decl(self, data: str) -> None:  # CDATA sections
        self._text(data[6:] if data.upper().startswith("CDATA[") else "")


def html_lines(text: str) -> tuple[list[str], list[int]]:
    """The text of an HTML document as lines, and the 1-based source line of each."""
    parser = _Lines()
    parser.feed(text)
    parser.close()
    return parser.lines, parser.numbers
