"""`mofcheck init`: draft a MOT-format manifest from what the repository shows, or update one.

The structure is edited with ruamel's round-trip layer (key order, flow style and quotes survive); the
comments mofcheck writes are whole lines starting `# mofcheck:`, handled as text: every run strips them and
writes them afresh from the file's state and the repository's evidence, so a second run is byte-identical
and the user's own comments are never touched. A component or license the user wrote is never changed.
What the repository shows comes from draftplan.py, the comment lines from draftnotes.py, where the file
goes and how it is written from draftfile.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import framework as framework_mod
from .draftfile import default_output, read_existing, safe_output
from .draftnotes import MARK, annotate, strip_marks
from .draftplan import Planned, as_mcomp, clean, gather, plan_components, plan_globals, release_facts
from .errors import ManifestError, MofcheckError
from .framework import Framework
from .manifest import (
    GLOBAL_KEYS,
    MANIFEST_DIR,
    MANIFEST_NAMES,
    Manifest,
    load_text,
    parse,
)
from .model import ComponentResult
from .report.escape import undecodable


@dataclass
class Draft:
    output: Path  # where it goes (symlinks resolved)
    shown: str  # the output as shown to the user
    old: str | None  # the file as it was (None: new)
    text: str
    added: list[str] = field(default_factory=list)
    todos: int = 0
    not_found: list[str] = field(default_factory=list)
    releases_model: bool = True  # the repository shows weights or a model card

    @property
    def changed(self) -> bool:
        return self.old != self.text

    def diff(self) -> str:
        old = (self.old or "").splitlines(keepends=True)
        new = self.text.splitlines(keepends=True)
        src = self.shown if self.old is not None else "/dev/null"
        return "".join(difflib.unified_diff(old, new, src, self.shown))


# --------------------------------------------------------------------------------------------------
# building and updating the YAML


def _yaml(indent: tuple[int, int, int] = (2, 4, 2)) -> Any:
    from ruamel.yaml import YAML

    y = YAML()  # round trip: only ever fed text that manifest.parse accepted (no tags, bounded)
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return y


def _dump(y: Any, data: Any) -> str:
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def _inherited(globals_: dict[str, Any], category: str) -> str | None:
    for key in (category, "distribution"):
        g = globals_.get(key)
        name = g.get("name") if isinstance(g, dict) else None
        if isinstance(name, str) and name.strip() and name.strip().lower() not in ("unlicensed", "none", "noassertion"):
            return name
    return None


def _entry(p: Planned, globals_: dict[str, Any], quoted: bool, flow: bool) -> Any:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import SingleQuotedScalarString as Q

    s = (lambda v: Q(v)) if quoted else (lambda v: v)
    e = CommentedMap()
    e["name"] = s(p.name)
    e["description"] = s(p.cdef.description)
    inherited = _inherited(globals_, p.cdef.category)
    if p.license is None:
        e["license"] = "unlicensed"
    elif inherited is None or inherited.lower() != p.license.lower():
        e["license"] = p.license
        if p.license_path and not undecodable(p.license_path):
            e["license_path"] = p.license_path
    if p.component_path and not undecodable(p.component_path):  # a name that is not UTF-8 has no YAML spelling
        e["component_path"] = p.component_path
    if flow:
        e.fa.set_flow_style()
    return e


def new_document(
    fw: Framework, facts: dict[str, str], planned: dict[str, Planned], globals_: dict[str, tuple[str, str]], producer: str | None, today: dt.date
) -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import SingleQuotedScalarString as Q

    doc = CommentedMap()
    fwm = CommentedMap([("name", Q(fw.name)), ("version", Q(fw.version)), ("date", Q(fw.date))])
    fwm.fa.set_flow_style()
    doc["framework"] = fwm
    rel = CommentedMap()
    rel["name"] = facts["name"]
    rel["version"] = ""
    rel["date"] = Q(today.isoformat())
    rel["producer"] = producer or ""
    rel["repository"] = facts["repository"]
    rel["huggingface"] = facts["huggingface"]
    lic = CommentedMap()
    for cat in GLOBAL_KEYS:
        if cat in globals_:
            g = CommentedMap([("name", globals_[cat][0]), ("path", globals_[cat][1])])
            g.fa.set_flow_style()
            lic[cat] = g
    rel["license"] = lic
    plain_globals = {k: {"name": v[0]} for k, v in globals_.items()}
    rel["components"] = CommentedSeq(_entry(p, plain_globals, False, False) for p in planned.values())
    doc["release"] = rel
    return _dump(_yaml(), doc)


def _guess_indent(text: str, positions: dict[tuple, tuple[int, int]]) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indentation of an existing manifest, so a re-dump keeps its layout."""
    lines = text.split("\n")
    mapping, sequence, offset = 2, 4, 2
    rel = positions.get(("release",))
    first = next((positions[k] for k in positions if len(k) == 2 and k[0] == "release" and k[1] != "$value"), None)
    if rel and first and first[0] > rel[0]:
        mapping = max(first[1] - rel[1], 1)
    comps = positions.get(("release", "components"))
    item = positions.get(("release", "components", 0))
    if comps and item and item[0] > comps[0]:
        before = lines[item[0] - 1][: item[1] - 1]
        if before.strip() == "" and lines[item[0] - 2].strip() == "-":  # MOT's sample: `-` on a line of its own
            before = lines[item[0] - 2]
        if before.strip() == "-":
            dash = len(before) - len(before.lstrip())
            offset = max(dash - (comps[1] - 1), 0)
            sequence = max(item[1] - comps[1], offset + 2)
        else:
            offset, sequence = 0, mapping
    return mapping, sequence, offset


def add_components(text: str, positions: dict[tuple, tuple[int, int]], manifest: Manifest, planned: dict[str, Planned]) -> tuple[str, list[str]]:
    """Append the components the repository shows and the manifest does not list. Nothing else changes."""
    listed = {c.name for c in manifest.components}
    new = [p for p in planned.values() if p.name not in listed]
    if not new:
        return text, []
    y = _yaml(_guess_indent(text, positions))
    data = y.load(text)
    rel = data["release"]
    comps = rel["components"]
    last = comps[-1] if len(comps) else None
    quoted = last is not None and type(last.get("name")).__name__ == "SingleQuotedScalarString"
    flow = last is not None and bool(getattr(last, "fa", None) and last.fa.flow_style())
    if not len(comps) and comps.fa.flow_style():
        comps.fa.set_block_style()  # `components: []` grows into a list mofcheck can comment
    globals_ = dict(manifest.data["release"].get("license") or {})
    for p in new:
        comps.append(_entry(p, globals_, quoted, flow))
    return _dump(y, data), [p.name for p in new]


# --------------------------------------------------------------------------------------------------


def draft(
    root: Path,
    output: Path | None = None,
    *,
    name: str | None = None,
    producer: str | None = None,
    today: dt.date | None = None,
    framework_version: str = framework_mod.DEFAULT_VERSION,
    remote: Any = None,
) -> Draft:
    """The manifest `mofcheck init` would write for the repository at `root` (nothing is written).

    Raises ManifestError when the existing manifest does not parse or validate (it is never rewritten)
    and MofcheckError for an unusable output path.
    """
    if not root.is_dir():
        raise MofcheckError(f"not a directory: {root}")
    fw = framework_mod.load(framework_version)
    output = output if output is not None else default_output(root)
    real = safe_output(root, output)
    try:
        shown = Path(os.path.abspath(output)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        shown = str(output)
    old = read_existing(real, shown)
    crlf = old is not None and "\r\n" in old
    current = old.replace("\r\n", "\n") if old is not None else None
    if current is not None:
        try:
            parse(current, shown, fw)
        except ManifestError as exc:
            raise ManifestError(f"{exc.message}; not rewriting a manifest that does not parse: fix it first", exc.path or shown, exc.line, exc.column) from None

    exclude = list(MANIFEST_NAMES) + [f"{MANIFEST_DIR}/*"]
    if shown and not shown.startswith(("/", "..")):
        exclude.append(shown)
    ev = gather(root, fw, exclude)
    if remote is not None:  # --from: what the release's hosts show (RemoteDraft)
        ev = ev.copy().merge(remote.evidence)
    planned = plan_components(ev, fw)

    added: list[str] = []
    if current is None:
        facts = release_facts(ev, root)
        if remote is not None:
            facts.update({k: v for k, v in remote.facts.items() if v})
        if name:
            facts["name"] = clean(name)
        text = new_document(fw, facts, planned, plan_globals(ev, fw), clean(producer) if producer else None, today or dt.date.today())
        added = list(planned)
    else:
        stripped = strip_marks(current)
        if load_text(stripped, shown)[0] != load_text(current, shown)[0]:
            raise ManifestError(f"a line starting {MARK!r} is part of a value here, not a comment; mofcheck will not edit around it", shown)
        manifest = parse(stripped, shown, fw)
        _, positions = load_text(stripped, shown)
        text, added = add_components(stripped, positions, manifest, planned)
        text = strip_marks(text)

    # What the repository shows for each listed component, at the component_path the file gives.
    m = parse(text, shown, fw)
    from .verify import verify_component

    views: dict[str, ComponentResult] = {}
    cpaths: dict[str, str | None] = {}
    for comp in m.components:
        cdef = fw.component(comp.name)
        if cdef is None:
            continue
        cpath = comp.component_path if isinstance(comp.component_path, str) and comp.component_path.strip() else None
        result, _ = verify_component(cdef, None, as_mcomp(cdef.name, cpath), None, ev)
        if result.evidence or result.listed:
            views[comp.name] = result
            cpaths[comp.name] = cpath
    final, todos, missing = annotate(text, shown, fw, ev, views, cpaths)
    parse(final, shown, fw)  # what we write must be a valid manifest
    if crlf:
        final = final.replace("\n", "\r\n")
    from .verify import has_release

    return Draft(real, shown, old, final, added, todos, missing, has_release(ev, fw))
