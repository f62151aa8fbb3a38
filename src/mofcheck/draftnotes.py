"""mofcheck's comment lines in a manifest (`# mofcheck: ...`): the evidence for each component and what is
left to do. Every run strips them and writes them afresh, so a second run is byte-identical and the
user's own comments are never touched."""

from __future__ import annotations

import re
from typing import Any

from .draftplan import clean
from .framework import ComponentDef, Framework
from .manifest import Manifest, ManifestComponent, load_text, parse
from .model import ComponentResult, Evidence
from .urls import is_url

MARK = "# mofcheck:"
_MARK_LINE = re.compile(r"^[ \t]*# mofcheck:")
_DETAIL_MAX = 100
_LIST_WIDTH = 100


def strip_marks(text: str) -> str:
    """The text without mofcheck's own comment lines, ending in exactly one newline."""
    kept = [ln for ln in text.split("\n") if not _MARK_LINE.match(ln)]
    return "\n".join(kept).rstrip("\n \t") + "\n"


def _ev_line(e: Evidence) -> str:
    where = (e.path or "") + (f":{e.line}" if e.line else "")
    detail = clean(e.detail)
    if len(detail) > _DETAIL_MAX:
        detail = detail[: _DETAIL_MAX - 3] + "..."
    return f"evidence: {clean(where)} ({detail}), rule {e.rule}, confidence {e.confidence:.2f}"


def _evidence_lines(result: ComponentResult, cpath: str | None) -> list[str]:
    shows = [e for e in result.evidence if not e.rule.startswith(("license.", "manifest."))]
    lic = [e for e in result.evidence if e.rule.startswith("license.")]
    out: list[str] = []
    if shows:
        best = max(shows, key=lambda e: (e.path == cpath, e.confidence, -shows.index(e)))
        out.append(_ev_line(best))
        if len(shows) > 1:
            out[-1] += f" (+{len(shows) - 1} more)"
    if lic and result.license is not None and result.license.path:
        top = next((e for e in lic if e.path == result.license.path), lic[0])
        out.append(_ev_line(top))
    return out


def _todos(cdef: ComponentDef, fw: Framework, m: Manifest, comp: ManifestComponent, shown: ComponentResult | None, ev: Any) -> list[str]:
    from .evaluate import resolve_license
    from .licenses import classify_license
    from .licenses.agree import agrees

    out: list[str] = []
    text, _, _ = resolve_license(m, comp, cdef.category, "mof")
    expects = fw.categories.get(cdef.category, {}).get("expects", "an open license")
    if text is None:
        repo_v = shown.license if shown is not None else None
        said = ""
        if repo_v is not None and repo_v.source == "repository" and repo_v.path:
            where = repo_v.path + (f":{repo_v.line}" if repo_v.line else "")
            if repo_v.expression:
                said = f" (the repository says {clean(repo_v.expression)} in {where})"
            elif repo_v.declared:
                said = f" (the repository says {clean(repo_v.declared)!r} in {where}, which is not a license mofcheck can read)"
        out.append(f"TODO: no license for the {cdef.name.lower()}{said}; MOF expects {expects}: set `license:` and `license_path:`")
    else:
        v = classify_license(text, cdef.category, "mof")
        if not v.open:
            out.append(f"TODO: {clean(text)} is not an open license ({clean(v.reason)}); MOF counts the component as restrictive")
        elif not v.type_appropriate:
            out.append(f"TODO: {clean(text)} is open but not the right kind for {cdef.category}; MOF expects {expects}")
        repo_v = shown.license if shown is not None else None
        if repo_v is not None and repo_v.source == "repository" and repo_v.expression and not agrees(v.expression or text, repo_v.expression):
            out.append(f"TODO: the repository says {clean(repo_v.expression)} ({repo_v.path}{':' + str(repo_v.line) if repo_v.line else ''}); make them agree")
        if cdef.use_policy and ev.use_policies and v.open:
            out.append(f"TODO: {ev.use_policies[0]} (an acceptable-use policy) attaches use restrictions: MOF does not count the weights as open")
    if shown is None and not is_url(comp.component_path):
        out.append(f"TODO: the repository shows no {cdef.name.lower()}: set component_path to where it is published (a URL), or remove it")
    return out


def _item_anchor(lines: list[str], pos: tuple[int, int]) -> tuple[int, str] | None:
    """(0-based line index to insert before, indentation) for a block sequence item, else None.

    mofcheck's lines go above the user's own comment lines on the item, which stay next to it.
    """
    i, col = pos[0] - 1, pos[1] - 1
    before = lines[i][:col]
    if before.strip() == "" and i > 0 and lines[i - 1].strip() == "-":
        i -= 1
        before = lines[i]
    elif before.strip() != "-":
        return None
    indent = before[: len(before) - len(before.lstrip())]
    # Comment lines indented like the dash belong to this item; deeper ones end the item above.
    while i > 0 and lines[i - 1].lstrip().startswith("#") and len(lines[i - 1]) - len(lines[i - 1].lstrip()) <= len(indent):
        i -= 1
    return i, indent


def _wrap(prefix: str, words: list[str]) -> list[str]:
    out, cur = [], prefix
    for i, w in enumerate(words):
        piece = w + ("," if i < len(words) - 1 else "")
        if len(cur) + 1 + len(piece) > _LIST_WIDTH and cur != prefix:
            out.append(cur)
            cur = "  " + piece
        else:
            cur = f"{cur} {piece}" if cur else piece
    out.append(cur)
    return out


def annotate(
    text: str, shown_path: str, fw: Framework, ev: Any, shown: dict[str, ComponentResult], cpaths: dict[str, str | None]
) -> tuple[str, int, list[str]]:
    """Insert mofcheck's comment lines into `text` (already stripped of them). Returns (text, todos, not found)."""
    m = parse(text, shown_path, fw)
    _, positions = load_text(text, shown_path)
    lines = text.rstrip("\n").split("\n")
    inserts: list[tuple[int, list[str]]] = []
    todos = 0
    producer_pos = positions.get(("release", "producer"))
    if producer_pos and not str(m.release.get("producer") or "").strip():
        i, col = producer_pos[0] - 1, producer_pos[1] - 1
        if not lines[i][:col].strip():
            inserts.append((i, [f"{lines[i][:col]}{MARK} TODO: producer: who releases the model (an organisation or a person)"]))
            todos += 1
    for comp in m.components:
        cdef = fw.component(comp.name)
        pos = positions.get(("release", "components", comp.index))
        anchor = _item_anchor(lines, pos) if pos else None
        if cdef is None or anchor is None:
            continue
        result = shown.get(comp.name)
        notes = _evidence_lines(result, cpaths.get(comp.name)) if result is not None else []
        todo = _todos(cdef, fw, m, comp, result, ev)
        todos += len(todo)
        if notes or todo:
            inserts.append((anchor[0], [f"{anchor[1]}{MARK} {n}" for n in notes + todo]))
    for i, block in sorted(inserts, key=lambda x: x[0], reverse=True):
        lines[i:i] = block
    listed = {c.name for c in m.components}
    missing = [c.name for c in fw.components if c.required and c.name not in listed]
    if missing:
        lines += [f"{MARK} {ln}" for ln in _wrap("not found in the repository:", missing)]
        lines.append(f"{MARK} (add them if they are published elsewhere, with component_path: URL)")
    return "\n".join(lines) + "\n", todos, missing
