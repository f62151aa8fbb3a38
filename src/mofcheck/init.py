"""`mofcheck init`: draft a MOT-format manifest from what the repository shows, or update one.

The structure is edited with ruamel's round-trip layer (key order, flow style and quotes survive); the
comments mofcheck writes are whole lines starting `# mofcheck:`, handled as text: every run strips them and
writes them afresh from the file's state and the repository's evidence, so a second run is byte-identical
and the user's own comments are never touched. A component or license the user wrote is never changed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import framework as framework_mod
from .errors import ManifestError, MofcheckError
from .evidence.links import is_url
from .framework import ComponentDef, Framework, role
from .manifest import (
    GLOBAL_KEYS,
    MANIFEST_DIR,
    MANIFEST_NAMES,
    MAX_MANIFEST_BYTES,
    Manifest,
    ManifestComponent,
    decode,
    find_manifests,
    load_text,
    parse,
)
from .model import ComponentResult, Evidence
from .report.escape import undecodable

MARK = "# mofcheck:"
_MARK_LINE = re.compile(r"^[ \t]*# mofcheck:")
_DETAIL_MAX = 100
_LIST_WIDTH = 100
_NAME_MAX = 200
_HF = re.compile(r"https?://huggingface\.co/(?!datasets/|spaces/|papers/|docs/|blog/|models/|collections/)([\w.-]+/[\w.-]+)", re.I)
_GH = re.compile(r"https?://github\.com/([\w.-]+/[\w.-]+)", re.I)
_H1 = re.compile(r"^#[ \t]+(\S{1,80})[ \t]*$", re.M)


@dataclass
class Planned:
    """One component as the repository shows it: what a manifest entry for it would say, and why."""

    cdef: ComponentDef
    result: ComponentResult
    component_path: str | None
    license: str | None  # SPDX expression as the repository states it; None: nothing states one
    license_path: str | None

    @property
    def name(self) -> str:
        return self.cdef.name


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
# where the manifest goes


def default_output(root: Path) -> Path:
    """The manifest that exists (mof.yml, mof.yaml, .mof.yml, .github/mof.yml, one .mof/*.yml), else mof.yml."""
    found = find_manifests(root)
    top = [p for p in found if p in MANIFEST_NAMES]
    if top:
        return root / top[0]
    per_model = [p for p in found if p.startswith(MANIFEST_DIR + "/")]
    if len(per_model) == 1:
        return root / per_model[0]
    if per_model:
        raise MofcheckError(f"{len(per_model)} manifests in {MANIFEST_DIR}/ (one per release); name the one to update with --output")
    return root / MANIFEST_NAMES[0]


def safe_output(root: Path, output: Path) -> Path:
    """The real file to write. A path inside the repository must stay inside it after symlinks resolve."""
    lexical = Path(os.path.abspath(output))
    real = Path(os.path.realpath(output))
    root_abs, root_real = Path(os.path.abspath(root)), Path(os.path.realpath(root))
    if lexical.is_relative_to(root_abs) and not real.is_relative_to(root_real):
        raise MofcheckError(f"{output} is a symlink (or under one) that leads out of the repository, to {real}; not writing there")
    if real.is_dir():
        raise MofcheckError(f"{output} is a directory; give a file with --output")
    return real


def read_existing(path: Path, shown: str) -> str | None:
    if not path.exists():
        return None
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise MofcheckError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError("larger than 2 MiB; not a manifest mofcheck will rewrite", shown)
    return decode(raw, shown)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, then replace: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --------------------------------------------------------------------------------------------------
# what the repository shows


def gather(root: Path, fw: Framework, exclude: list[str]) -> Any:
    """The repository's evidence (config `ignore` globs and the manifests themselves left out)."""
    from . import config as config_mod
    from .errors import ConfigError
    from .readers import local
    from .repo import Repo

    try:
        ignore = list(config_mod.load(root).ignore)
    except ConfigError:
        ignore = []  # a broken configuration is `mofcheck check`'s to report
    repo = Repo.open(root, ignore=ignore + exclude)
    return local.read(repo)


def _best_path(found: Any, taken: set[str]) -> str | None:
    """The repository file that shows the component best (highest confidence, preferring one no other
    component was given), else a URL, else None."""
    if found is None:
        return None
    for located in (found.paths, found.remote):  # a file here, else one fetched from where the release is published
        if located:
            conf = {p: max((e.confidence for e in found.evidence if e.path == p), default=0.0) for p in located}
            return max(located, key=lambda p: (conf[p], p not in taken, -located.index(p)))
    return next((u for u in found.urls if is_url(u)), None)


def _as_mcomp(name: str, component_path: str | None) -> ManifestComponent:
    return ManifestComponent(name, 0, None, False, None, component_path, None, None, None)


def plan_components(ev: Any, fw: Framework) -> dict[str, Planned]:
    """Every component the repository shows, with the license that applies at its chosen path."""
    from .verify import verify_component

    out: dict[str, Planned] = {}
    taken: set[str] = set()
    for cdef in fw.components:
        found = ev.found.get(cdef.name)
        if not found or not found.present:
            continue
        cpath = _best_path(found, taken)
        if cpath:
            taken.add(cpath)
        # Verify as `check` will, with this component_path: the license then agrees by construction.
        result, _ = verify_component(cdef, None, _as_mcomp(cdef.name, cpath), None, ev)
        v = result.license
        lic = v.expression if v is not None and v.source == "repository" else None
        out[cdef.name] = Planned(cdef, result, cpath, lic, v.path if lic else None)
    return out


def plan_globals(ev: Any, fw: Framework) -> dict[str, tuple[str, str]]:
    """category -> (expression, path) from root license files that clearly cover that category."""
    out: dict[str, tuple[str, str]] = {}
    for cat in ("code", "data", "document"):
        names = {c.name for c in fw.components if c.category == cat}
        exprs = {
            s.expression: s.path
            for s in ev.licenses
            if s.kind == "license-file" and s.scope is None and s.expression and "/" not in s.path and s.covers & names
        }
        if len(exprs) == 1:
            out[cat] = next(iter(exprs.items()))
    return out


def release_facts(ev: Any, root: Path) -> dict[str, str]:
    """name, repository and huggingface as the cards and README show them ('' when unclear)."""
    from .evidence.frontmatter import split_front_matter

    card = ev.found.get(role("model-card"))
    paths = list(card.paths) if card else []
    paths += [f.path for f in ev.repo.files if f.path.lower() in ("readme.md", "model_card.md") and f.path not in paths]
    name, texts = "", []
    for p in paths[:5]:
        res = ev.repo.read_text(p, limit=256 * 1024)
        if not res.ok or not res.text:
            continue
        texts.append(res.text)
        fm = split_front_matter(res.text, p)
        meta = fm.data or {}
        cand = meta.get("model_name")
        index = meta.get("model-index")
        if not cand and isinstance(index, list) and index and isinstance(index[0], dict):
            cand = index[0].get("name")
        if not name and isinstance(cand, (str, int, float)) and str(cand).strip():
            name = str(cand).strip()
    if not name:
        for t in texts:
            m = _H1.search(split_front_matter(t).body)
            if m and not m.group(1).startswith(("[", "<", "!")):
                name = m.group(1)
                break
    folder = root.resolve().name
    name = _clean(name or folder or "my-model")[:_NAME_MAX]
    blob = "\n".join(texts)

    def pick(rx: re.Pattern[str], base: str) -> str:
        hits = [m.group(1).removesuffix(".git").rstrip(".") for m in rx.finditer(blob)]
        wanted = {name.lower(), folder.lower()}
        own = [h for h in hits if h.split("/")[1].lower() in wanted]
        return f"{base}/{own[0]}" if own else ""

    return {"name": name, "repository": pick(_GH, "https://github.com"), "huggingface": pick(_HF, "https://huggingface.co")}


@dataclass
class RemoteDraft:
    """`init --from`: the evidence a release's hosts gave, and what they say of the release."""

    evidence: Any
    facts: dict[str, str]
    sources: dict[str, Any]


def from_remote(spec: str, budget: Any) -> RemoteDraft:
    """Fetch the release `spec` names (hf:ORG/NAME, hf-dataset:ORG/NAME, gh:OWNER/REPO, or a Hub, GitHub or
    arXiv URL) and the papers and datasets its card links, through the remote clients."""
    from .evidence import links as links_mod
    from .evidence.rules import source_rules
    from .resolve import fetch_sources, remote_evidence

    text = spec.strip()
    for prefix, host in (("hf:", "https://huggingface.co/"), ("hf-dataset:", "https://huggingface.co/datasets/"), ("gh:", "https://github.com/")):
        if text.startswith(prefix):
            text = host + text[len(prefix):]
    hit = links_mod.parse(text)
    if hit is None:
        raise MofcheckError(f"--from {spec!r}: not a Hugging Face, GitHub or arXiv release (hf:ORG/NAME, gh:OWNER/REPO or a URL)")
    reader, id_, rev, _sub = hit
    backs = source_rules()["readers"][reader]["backs"]
    link = links_mod.make(text, backs, "--from", None, "init.from")
    sources = fetch_sources([link], budget)
    src = sources.get(link.key)
    if src is None or not src.ok:
        why = f"{src.error} ({src.error_kind})" if src is not None else "not fetched"
        raise MofcheckError(f"--from {spec!r}: cannot read {link.url}: {why}")
    ev = remote_evidence([link], sources)
    facts = {"name": _clean(id_.rpartition("/")[2])[:_NAME_MAX]}
    if reader == "hf-model":
        facts["huggingface"] = links_mod.canonical_url(reader, id_)
    elif reader == "github":
        facts["repository"] = links_mod.canonical_url(reader, id_)
    return RemoteDraft(ev, facts, sources)


def _clean(text: str) -> str:
    """One printable line (comments and names come from repository text)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())


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


def new_document(fw: Framework, facts: dict[str, str], planned: dict[str, Planned], globals_: dict[str, tuple[str, str]], producer: str | None, today: dt.date) -> str:
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
# mofcheck's comments


def strip_marks(text: str) -> str:
    """The text without mofcheck's own comment lines, ending in exactly one newline."""
    kept = [ln for ln in text.split("\n") if not _MARK_LINE.match(ln)]
    return "\n".join(kept).rstrip("\n \t") + "\n"


def _ev_line(e: Evidence) -> str:
    where = (e.path or "") + (f":{e.line}" if e.line else "")
    detail = _clean(e.detail)
    if len(detail) > _DETAIL_MAX:
        detail = detail[: _DETAIL_MAX - 3] + "..."
    return f"evidence: {_clean(where)} ({detail}), rule {e.rule}, confidence {e.confidence:.2f}"


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
                said = f" (the repository says {_clean(repo_v.expression)} in {where})"
            elif repo_v.declared:
                said = f" (the repository says {_clean(repo_v.declared)!r} in {where}, which is not a license mofcheck can read)"
        out.append(f"TODO: no license for the {cdef.name.lower()}{said}; MOF expects {expects}: set `license:` and `license_path:`")
    else:
        v = classify_license(text, cdef.category, "mof")
        if not v.open:
            out.append(f"TODO: {_clean(text)} is not an open license ({_clean(v.reason)}); MOF counts the component as restrictive")
        elif not v.type_appropriate:
            out.append(f"TODO: {_clean(text)} is open but not the right kind for {cdef.category}; MOF expects {expects}")
        repo_v = shown.license if shown is not None else None
        if repo_v is not None and repo_v.source == "repository" and repo_v.expression and not agrees(v.expression or text, repo_v.expression):
            out.append(f"TODO: the repository says {_clean(repo_v.expression)} ({repo_v.path}{':' + str(repo_v.line) if repo_v.line else ''}); make them agree")
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


def annotate(text: str, shown_path: str, fw: Framework, ev: Any, shown: dict[str, ComponentResult], cpaths: dict[str, str | None]) -> tuple[str, int, list[str]]:
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
            facts["name"] = _clean(name)
        text = new_document(fw, facts, planned, plan_globals(ev, fw), _clean(producer) if producer else None, today or dt.date.today())
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
        result, _ = verify_component(cdef, None, _as_mcomp(cdef.name, cpath), None, ev)
        if result.evidence or result.listed:
            views[comp.name] = result
            cpaths[comp.name] = cpath
    final, todos, missing = annotate(text, shown, fw, ev, views, cpaths)
    parse(final, shown, fw)  # what we write must be a valid manifest
    if crlf:
        final = final.replace("\n", "\r\n")
    from .verify import has_release

    return Draft(real, shown, old, final, added, todos, missing, has_release(ev, fw))

