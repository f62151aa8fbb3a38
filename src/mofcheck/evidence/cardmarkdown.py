"""A card's Markdown structure: blocks and sections (markdown-it-py's block parser, so headings inside
code fences are not headings and setext headings are), bold-label pseudo-sections, template stubs, and
titles normalised for matching. Inline parsing is skipped for speed; links are read from the raw inline
text. The heuristics (section aliases, stub markers) live in data/evidence/cards.yaml.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

LABEL_LEVEL = 7  # bold-label pseudo-sections sit below every real heading


# --------------------------------------------------------------------------------------------------
# data


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    """data/evidence/cards.yaml, loaded once (through its JSON twin, see datacache.py)."""
    from ..datacache import load_yaml

    return load_yaml("evidence/cards.yaml")


@lru_cache(maxsize=1)
def stub_pattern() -> re.Pattern[str]:
    markers = sorted(rules()["stub_markers"], key=len, reverse=True)
    # One guard around the alternation, not one per marker: 5 times faster over a 1 MiB section.
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(m) for m in markers) + r")(?![\w])", re.I)


@dataclass
class Section:
    title: str  # as written, Markdown markup removed
    key: str  # normalised title (see normalise_title)
    level: int  # 1-6; LABEL_LEVEL for a bold-label line
    line: int  # line of the heading
    end_line: int  # last line the section covers (subsections included)
    text: str = ""  # the body (HTML comments blanked); for a label, the text after the label
    kind: str = "atx"  # atx | setext | html | label
    stub: bool = False  # empty, or only template placeholders


@dataclass
class Block:
    kind: str  # paragraph | list_item | quote | heading | table | fence | code | html
    line: int
    end_line: int
    text: str  # raw inline text (paragraph, heading), code (fence), HTML, or "" (table)
    info: str = ""  # fence info string
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # table rows: (line, cells), header first


# --------------------------------------------------------------------------------------------------
# parsing

_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_HTML_HEADING = re.compile(r"<h([1-6])\b[^<>]{0,500}>((?:[^<]|<(?!/?h[1-6]\b)){0,1000}?)</h\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^<>\n]{0,300}>")
# Bounded repetitions everywhere: "[[[[..." must cost linear time, not quadratic.
_MD_LINK = re.compile(r"!?\[([^\[\]\n]{0,1000})\]\([^()\[\]\n]{0,2000}\)")
_MD_REFLINK = re.compile(r"\[([^\[\]\n]{0,1000})\]\[[^\[\]\n]{0,200}\]")
_EMPH = re.compile(r"(\*\*|__|\*|`|~~)")
# The label starts with a non-space, so the spaces before it belong to one `\s*` only (`**` and a run of
# spaces backtracked cubically: 2,000 spaces took 7 s).
_LABEL_LINE = re.compile(r"^\s*(?:\*\*|__)\s*(?P<label>[^*_\n:\s][^*_\n:]{0,59}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*(?P<colon>:)?)\s*(?P<rest>.*)$")
_NUM_PREFIX = re.compile(r"^\s*(?:(?:\d+|[ivxlc]+|[a-z])(?:\.\d+)*[.):]?|\d+(?:\.\d+)+)\s+(?=\S)", re.I)
_NUM_CELL = re.compile(r"^[~≈<>±+\-−]?\s*\d[\d,]*(?:\.\d+)?\s*(?:%|pp|x)?(?:\s*(?:±|\+/-|\+-)\s*\d+(?:\.\d+)?%?)?(?:\s*[↑↓*†‡]+)?$")
_HTML_NUM_CELL = re.compile(r"<td\b[^<>]{0,300}>\s*(?:<[^>]{0,100}>\s*)*[~<>]?\d+(?:\.\d+)?\s*%?\s*(?:<[^>]{0,100}>\s*)*</td>", re.I)


def is_number_cell(cell: str) -> bool:
    """A table cell that holds a score (85.2, 71%, ±0.3, ...), markup removed."""
    c = _EMPH.sub("", _TAG.sub("", cell)).strip()
    return bool(c) and len(c) < 40 and bool(_NUM_CELL.match(c))


def plain_inline(text: str) -> str:
    """Inline Markdown to plain text: links -> their text, emphasis and tags removed."""
    t = _MD_LINK.sub(lambda m: m.group(1), text)
    t = _MD_REFLINK.sub(lambda m: m.group(1), t)
    t = _TAG.sub(" ", t)
    t = _EMPH.sub("", t)
    return " ".join(t.split())


def normalise_title(title: str) -> str:
    """Lower case, "&" -> "and", numbering, emoji and punctuation removed, spaces collapsed."""
    t = plain_inline(title).lower().replace("&", " and ")
    t = _NUM_PREFIX.sub("", t)
    t = re.sub(r"[\W_]+", " ", t)
    return " ".join(t.split())


@lru_cache(maxsize=8192)
def title_in(key: str, group: str, use_exact: bool = True, use_contains: bool = True) -> bool:
    """title_matches against a cards.yaml group (`license_section`, `paper_sections`, ...), memoised."""
    spec = rules()[group]
    return title_matches(key, spec.get("exact", ()) if use_exact else (), spec.get("contains", ()) if use_contains else ())


def title_matches(key: str, exact: Any = (), contains: Any = ()) -> bool:
    if not key:
        return False
    if key in exact:
        return True
    padded = f" {key} "
    return any(f" {c} " in padded for c in contains)


def blank_comments(text: str) -> str:
    """HTML comments replaced by blank lines (line numbers kept): a link in a comment is not a link."""
    if "<!--" not in text:
        return text
    return _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.core.ruler.disable(["inline", "text_join"])  # block structure only: ~2x faster, links are read from raw text
    return md


def blocks_of(text: str) -> tuple[list[Block], list[tuple[int, int, str, str]], dict[str, Any]]:
    """Blocks and headings (line, level, title, kind) of Markdown `text`; lines are 1-based in `text`."""
    env: dict[str, Any] = {}
    tokens = _markdown().parse(text, env)
    blocks: list[Block] = []
    headings: list[tuple[int, int, str, str]] = []
    in_item = in_quote = 0
    table: Block | None = None
    row: list[str] | None = None
    row_line = 0
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        ty = tok.type
        mp = tok.map
        if ty == "list_item_open":
            in_item += 1
        elif ty == "list_item_close":
            in_item -= 1
        elif ty == "blockquote_open":
            in_quote += 1
        elif ty == "blockquote_close":
            in_quote -= 1
        elif ty == "heading_open" and mp:
            content = tokens[i + 1].content if i + 1 < n else ""
            kind = "setext" if tok.markup in ("=", "-") else "atx"
            headings.append((mp[0] + 1, int(tok.tag[1]), content, kind))
            blocks.append(Block("heading", mp[0] + 1, mp[1], content))
        elif ty == "paragraph_open" and mp and table is None:
            content = tokens[i + 1].content if i + 1 < n else ""
            kind = "list_item" if in_item else "quote" if in_quote else "paragraph"
            blocks.append(Block(kind, mp[0] + 1, mp[1], content))
        elif ty in ("fence", "code_block") and mp:
            blocks.append(Block("fence" if ty == "fence" else "code", mp[0] + 1, mp[1], tok.content, tok.info.strip()))
        elif ty == "html_block" and mp:
            blocks.append(Block("html", mp[0] + 1, mp[1], tok.content))
            for hm in _HTML_HEADING.finditer(tok.content):
                line = mp[0] + 1 + tok.content.count("\n", 0, hm.start())
                headings.append((line, int(hm.group(1)), hm.group(2), "html"))
        elif ty == "table_open" and mp:
            table = Block("table", mp[0] + 1, mp[1], "")
        elif ty == "table_close" and table is not None:
            table.text = "\n".join(" | ".join(c) for _l, c in table.rows)
            blocks.append(table)
            table = None
        elif ty == "tr_open" and table is not None:
            row, row_line = [], (mp[0] + 1 if mp else table.line)
        elif ty == "tr_close" and table is not None and row is not None:
            table.rows.append((row_line, row))
            row = None
        elif ty == "inline" and row is not None:
            row.append(tok.content)
        i += 1
    return blocks, headings, env.get("references", {})


def _is_stub(blocks: list[Block]) -> bool:
    stub = stub_pattern()
    for b in blocks:
        if b.kind == "heading":
            continue
        if b.kind in ("fence", "code"):
            if b.text.strip():
                return False
            continue
        text = b.text if b.kind != "table" else "\n".join(" ".join(c) for _l, c in b.rows[1:])
        if b.kind == "html":
            text = _TAG.sub(" ", text)
        for raw in text.split("\n"):
            if len(raw) > 2000:
                return False
            line = plain_inline(raw)
            if len(line) > 120:
                return False  # longer than any label plus placeholder: real content
            line = stub.sub(" ", line)
            line = re.sub(r"^[\s\-*+>|#]*[^:]{0,60}:\s*$", "", line)  # a label with nothing after it
            if re.sub(r"[\W_]+", "", line):
                return False
    return True


def html_number_cells(html: str) -> int:
    """How many `<td>` cells of an HTML table hold a number."""
    return len(_HTML_NUM_CELL.findall(html))


def structure(body: str) -> tuple[list[Section], list[Block], dict[str, Any]]:
    """Sections (headings and labels, with their text and stub flag), blocks and link reference
    definitions of a Markdown body; lines are 1-based in `body`."""
    blocks, headings, refs = blocks_of(body)
    total = body.count("\n") + 1
    sections: list[Section] = []
    for k, (line, level, raw_title, kind) in enumerate(headings):
        end = total
        for line2, level2, _t, _k in headings[k + 1 :]:
            if level2 <= level and line2 > line:
                end = line2 - 1
                break
        sections.append(Section(plain_inline(raw_title), normalise_title(raw_title), level, line, end, kind=kind))
    sections.sort(key=lambda s: s.line)
    lines = body.split("\n")
    block_lines = [b.line for b in blocks]
    for s in sections:
        inner = blocks[bisect.bisect_right(block_lines, s.line) : bisect.bisect_right(block_lines, s.end_line)]
        first = s.line + (1 if s.kind == "setext" else 0)  # skip a setext underline
        s.text = "\n".join(lines[first : s.end_line]).strip("\n") if s.kind != "html" else "\n".join(lines[s.line - 1 : s.end_line])
        if s.kind == "html":
            s.text = _HTML_HEADING.sub("", s.text, count=1)
            s.stub = not re.sub(r"[\W_]+", "", stub_pattern().sub(" ", plain_inline(s.text)))
        else:
            s.stub = _is_stub(inner)
    sections.extend(_label_sections(blocks))
    sections.sort(key=lambda s: (s.line, s.level))
    return sections, blocks, refs


def line_cut(text: str, max_lines: int) -> int | None:
    """Offset just after line `max_lines`, or None when the text is shorter."""
    if text.count("\n") < max_lines:
        return None
    pos = -1
    for _ in range(max_lines):
        pos = text.find("\n", pos + 1)
    return pos + 1


def _label_sections(blocks: list[Block]) -> list[Section]:
    """`**License:** Apache 2.0` lines (in paragraphs, list items, or a two-column table) as pseudo-sections."""
    out: list[Section] = []
    stub = stub_pattern()
    for idx, b in enumerate(blocks):
        if b.kind in ("paragraph", "list_item", "quote"):
            if "**" not in b.text and "__" not in b.text:
                continue
            for j, raw in enumerate(b.text.split("\n")):
                m = _LABEL_LINE.match(raw)
                if not m:
                    continue
                label, rest = m.group("label").strip(), m.group("rest").strip()
                colon = ":" in m.group(0)[: m.start("rest")]
                if not colon and not title_in(normalise_title(label), "license_section", use_contains=False):
                    continue  # "**Note** that ..." is emphasis; only "**License** MIT" is a label without a colon
                if not rest and j == len(b.text.split("\n")) - 1 and idx + 1 < len(blocks) and blocks[idx + 1].kind != "heading":
                    rest = blocks[idx + 1].text.strip()  # `**License:**` alone: the next block is its text
                value = plain_inline(rest)
                is_stub = not re.sub(r"[\W_]+", "", stub.sub(" ", value))
                out.append(Section(plain_inline(label), normalise_title(label), LABEL_LEVEL, b.line + j, b.line + j, rest, "label", is_stub))
        elif b.kind == "table":
            for line, cells in b.rows:
                if len(cells) >= 2 and "licen" in cells[0].lower() and 0 < len(plain_inline(cells[0])) <= 60:
                    label, rest = plain_inline(cells[0]).rstrip(":"), cells[1].strip()
                    key = normalise_title(label)
                    if key and title_matches(key, rules()["license_section"]["exact"], ()):
                        is_stub = not re.sub(r"[\W_]+", "", stub.sub(" ", plain_inline(rest)))
                        out.append(Section(label, key, LABEL_LEVEL, line, line, rest, "label", is_stub))
    return out
