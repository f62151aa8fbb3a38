"""YAML front matter of Markdown cards, split the way the Hugging Face Hub does it, without ever raising.

The Hub's rule (huggingface_hub REGEX_YAML_BLOCK): the text starts with optional whitespace and a `---`
line, and the block ends at the first later line that is `---` plus optional spaces or tabs. Anything
else (no closing line, YAML that is not a mapping, a syntax error) becomes a finding with a line number
and the card is read as plain Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import INFO, Finding
from ..plaindata import jsonable

MAX_FRONT_MATTER_CHARS = 256 * 1024  # BLOOM's is 6.4 KB; a quarter megabyte is only ever an accident

MAX_ALIASES = 64
_ALIAS = re.compile(r"(?:^|(?<=[\s,\[{:-]))\*[\w-]+")
_OPEN = re.compile(r"\A(\s*?)---[ \t]*\n")
_CLOSE = re.compile(r"^---[ \t]*$", re.M)


@dataclass
class FrontMatter:
    data: dict[str, Any] | None  # None: no usable front matter (absent, unclosed, invalid, not a mapping)
    start_line: int | None  # line of the opening `---` (1-based), None when there is no block
    end_line: int | None  # line of the closing `---`
    body: str  # the Markdown after the block (the whole normalised text when there is none)
    body_line_offset: int  # original line = body line + body_line_offset
    positions: dict[str, int] = field(default_factory=dict)  # top-level key -> line
    findings: list[Finding] = field(default_factory=list)
    all_positions: dict[tuple, int] = field(default_factory=dict)  # key path -> line, nested too

    @property
    def present(self) -> bool:
        return self.start_line is not None

    def line_of(self, *keys: Any) -> int | None:
        return self.all_positions.get(tuple(keys))


def normalise_text(text: str) -> str:
    """Drop a BOM and make line endings LF (CRLF and lone CR both count as one line break)."""
    if not isinstance(text, str):
        text = str(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_front_matter(text: str, path: str | None = None) -> FrontMatter:
    """Split `text` into front matter (parsed, with key lines) and body. Never raises."""
    try:
        return _split(normalise_text(text), path)
    except Exception as exc:  # noqa: BLE001 - a card must never stop a run
        return FrontMatter(
            None,
            None,
            None,
            normalise_text(text) if isinstance(text, str) else "",
            0,
            findings=[Finding.of("card.front-matter-invalid", f"front matter could not be read: {type(exc).__name__}", path, 1)],
        )


def _split(text: str, path: str | None) -> FrontMatter:
    m = _OPEN.match(text)
    if not m:
        return FrontMatter(None, None, None, text, 0)
    start_line = text.count("\n", 0, m.end(1)) + 1
    yaml_start = m.end()
    close = _CLOSE.search(text, yaml_start)
    if close is None:
        return FrontMatter(
            None,
            None,
            None,
            text,
            0,
            findings=[
                Finding.of(
                    "card.front-matter-unclosed",
                    f"line {start_line} opens YAML front matter with `---` but no later `---` line closes it; the whole file is read as Markdown",
                    path,
                    start_line,
                    hint="Close the front matter with a `---` line, or remove the opening `---` (use `***` for a rule).",
                )
            ],
        )
    end_line = text.count("\n", 0, close.start()) + 1
    yaml_text = text[yaml_start : close.start()]
    body_start = close.end() + 1 if close.end() < len(text) else len(text)
    body = text[body_start:]
    fm = FrontMatter(None, start_line, end_line, body, end_line)
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        fm.findings.append(
            Finding.of(
                "card.front-matter-too-large",
                f"the front matter is {len(yaml_text) // 1024} KB, over the {MAX_FRONT_MATTER_CHARS // 1024} KB mofcheck reads; it was ignored",
                path,
                start_line,
                hint="Keep card metadata small; move long examples into the body or separate files.",
            )
        )
        return fm
    _load(fm, yaml_text, path, start_line)
    if fm.data is None and not _looks_like_yaml(yaml_text):
        # Two `---` rules around prose, not metadata: keep every line in the body.
        fm.body, fm.body_line_offset = text, 0
    return fm


_KEY_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?[\w\"'][\w .\"'-]*:(?:[ \t]|$)", re.M)


def _looks_like_yaml(yaml_text: str) -> bool:
    first = next((ln for ln in yaml_text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")), "")
    return bool(_KEY_LINE.match(first))


def _load(fm: FrontMatter, yaml_text: str, path: str | None, start_line: int) -> None:
    from ..errors import ManifestError
    from ..manifest import load_text

    if "&" in yaml_text and len(_ALIAS.findall(yaml_text)) > MAX_ALIASES:
        # Card metadata has no use for many aliases; refuse before expanding them (alias bomb).
        fm.findings.append(
            Finding.of(
                "card.front-matter-invalid",
                f"the front matter uses more than {MAX_ALIASES} YAML aliases (an alias bomb?)",
                path,
                start_line,
                hint="Write the metadata out without anchors and aliases.",
            )
        )
        return
    try:
        data, positions = load_text(yaml_text, path or "", line_offset=start_line)
    except ManifestError as exc:
        line = exc.line or start_line
        problem = exc.message.split("; ", 1)[0].replace("manifest", "front matter")
        fm.findings.append(
            Finding.of(
                "card.front-matter-invalid",
                f"the front matter is not valid YAML: {problem}",
                path,
                line,
                exc.column,
                hint="Fix the YAML between the `---` lines; the Hugging Face Hub rejects a card it cannot parse.",
            )
        )
        return
    except Exception as exc:  # noqa: BLE001 - ruamel can fail in ways its error classes do not cover
        fm.findings.append(Finding.of("card.front-matter-invalid", f"the front matter could not be parsed ({type(exc).__name__})", path, start_line))
        return
    if data is None:
        fm.data = {}
        return
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        fm.findings.append(
            Finding.of(
                "card.front-matter-invalid",
                f"the front matter is {kind}, not a mapping of keys (license:, tags:, ...)",
                path,
                start_line + 1,
                hint="Write the metadata as `key: value` lines.",
            )
        )
        return
    fm.data = jsonable(data)
    for keys, (line, _col) in positions.items():
        if keys and keys[-1] == "$value":
            continue
        fm.all_positions[keys] = line
        if len(keys) == 1:
            fm.positions[str(keys[0])] = line


__all__ = ["FrontMatter", "split_front_matter", "normalise_text", "MAX_FRONT_MATTER_CHARS", "INFO"]
