"""Gather the repository's evidence: which components it shows, and which licenses apply to which.

Reads only candidate files (license files, cards, READMEs, package manifests, the first lines of code
files), each bounded, through `Repo`. The rules that map path kinds to components and license sources to
components are data (`data/evidence/components.yaml`).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from ..licenses import classify_license
from ..model import INFO, WARNING, Evidence, Finding
from ..repo import Repo
from .paths import PathIndex, classify_paths

LICENSE_READ_LIMIT = 256 * 1024
CARD_READ_LIMIT = 1024 * 1024
HEADER_READ_LIMIT = 4096
MAX_HEADER_FILES = 300
MAX_EVIDENCE_PER_COMPONENT = 8

# A page *about* licenses (docs/licenses.md, LICENSING.rst) that holds no license text we know.
_ABOUT_LICENSES = re.compile(r"(licen[cs]es|licensing)\.(md|markdown|rst|html?|adoc|txt)", re.IGNORECASE)
# The value is the rest of the line, cut at a comment's end in Python: a lazy value followed by `\s*`
# and the terminators backtracked quadratically over a run of spaces (40 KB took 26 s).
_SPDX_HEADER = re.compile(r"SPDX-License-Identifier:[ \t]*([^\r\n]*)")
_COMMENT_ENDS = ("*/", "-->", "#}")


def spdx_header(text: str) -> tuple[str, int] | None:
    """The first `SPDX-License-Identifier:` value (without a closing comment marker) and its offset."""
    for m in _SPDX_HEADER.finditer(text):
        value = m.group(1)
        ends = [i for i in (value.find(e) for e in _COMMENT_ENDS) if i >= 0]
        value = value[: min(ends)] if ends else value
        if "*" not in value and value.strip():  # a stray `*` is no header, as in the old pattern
            return value.strip(), m.start()
    return None


@dataclass
class LicenseSource:
    """One place in the repository that states a license, and what it covers."""

    expression: str | None  # normalised (SPDX expression or LicenseRef-...), None when unidentified
    declared: str  # as found
    kind: str  # license-file | spdx-header | card | statement | readme | package | manifest
    path: str
    line: int | None
    covers: frozenset[str]  # component names
    scope: str | None = None  # a folder ("" root) or file path the source is limited to; None: anywhere
    specificity: int = 1  # higher wins: header 5, folder license 4, scoped file / statement 3, card 2, root 1
    detail: str = ""
    confidence: float = 1.0
    pattern: re.Pattern[str] | None = None  # paths the source is limited to (REUSE.toml globs); wins over scope

    def applies_to(self, component: str, paths: list[str]) -> bool:
        if component not in self.covers:
            return False
        if self.pattern is not None:
            return any(self.pattern.fullmatch(p) for p in paths)
        if self.scope is None or self.scope == "":
            return True
        if not paths:
            return False
        scope = self.scope
        return any(p == scope or (scope == "" or p.startswith(scope + "/")) for p in paths)

    def evidence(self) -> Evidence:
        return Evidence(
            kind=self.kind,
            rule=f"license.{self.kind}",
            detail=f"{self.declared!r}" + (f" -> {self.expression}" if self.expression and self.expression != self.declared else "") + (f"; {self.detail}" if self.detail else ""),
            path=self.path,
            line=self.line,
            confidence=self.confidence,
        )


@dataclass
class Found:
    """What shows one component in the repository."""

    evidence: list[Evidence] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    more: int = 0  # matches not kept as evidence
    _seen: set[str] = field(default_factory=set, repr=False, compare=False)  # paths and urls: O(1) dedup

    @property
    def present(self) -> bool:
        return bool(self.paths or self.urls)

    def add(self, ev: Evidence, path: str | None = None, url: str | None = None) -> None:
        if path and path in self._seen or url and url in self._seen:
            return
        if path:
            self.paths.append(path)
            self._seen.add(path)
        if url:
            self.urls.append(url)
            self._seen.add(url)
        if len(self.evidence) < MAX_EVIDENCE_PER_COMPONENT:
            self.evidence.append(ev)
        else:
            self.more += 1


@dataclass
class RepoEvidence:
    repo: Repo
    index: PathIndex
    licenses: list[LicenseSource] = field(default_factory=list)
    found: dict[str, Found] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    use_policies: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # REUSE LICENSES/<id> -> path


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    from ..datacache import load_yaml

    data = load_yaml("evidence/components.yaml")  # through its JSON twin (datacache.py)
    groups = {k: list(v) for k, v in data["groups"].items()}

    def expand(names: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        for n in names:
            out.update(groups.get(n, [n]))
        return frozenset(out)

    data["_file_scopes"] = [(re.compile(s["name"], re.IGNORECASE), expand(s["covers"])) for s in data["license_file_scopes"]]
    data["_card"] = expand(data["card_license_covers"])
    data["_dataset_card"] = expand(data["dataset_card_license_covers"])
    data["_package"] = expand(data["package_license_covers"])
    data["_model_licenses"] = re.compile(data["model_licenses"], re.IGNORECASE)
    data["_model_license_title"] = re.compile(data["model_license_titles"], re.IGNORECASE)
    data["_model_license_covers"] = expand(data["model_license_covers"])
    data["_all"] = expand(groups)
    data["_expand"] = expand
    return data


def _dirname(path: str) -> str:
    return path.rpartition("/")[0]


def _normalise(text: str) -> tuple[str | None, bool]:
    """(normalised expression, known) for a license string found in the repository."""
    v = classify_license(text, "code", "mof")
    return v.expression, v.known


# --------------------------------------------------------------------------------------------------


def collect(repo: Repo, index: PathIndex | None = None) -> RepoEvidence:
    index = index or classify_paths(repo.files)
    ev = RepoEvidence(repo=repo, index=index)
    listed = len(repo.skipped)
    ev.findings.extend(repo.skipped)
    _components_from_paths(ev)
    _license_files(ev)
    _use_policies(ev)
    _package_licenses(ev)
    _code_weight_urls(ev)
    _vendored(ev)
    from .spdxdoc import collect_spdx_documents
    from .text import collect_text_evidence

    collect_text_evidence(ev)
    collect_spdx_documents(ev)
    _spdx_headers(ev)  # after the cards: a header in a README that is the model card licenses the card
    _reuse_toml(ev)
    # What the reads refused or cut short (too large, unreadable), unless a reader already said so.
    cut = {f.path for f in ev.findings if f.code == "evidence.truncated"}
    ev.findings.extend(f for f in repo.skipped[listed:] if not (f.code == "repo.too-large" and f.path in cut))
    return ev


def _components_from_paths(ev: RepoEvidence) -> None:
    for name, kinds in rules()["components"].items():
        found = ev.found.setdefault(name, Found())
        for kind, confidence in (kinds or {}).items():
            for m in ev.index.matches(kind):
                f = m.file
                detail = f"{kind.replace('_', ' ')} file"
                if kind == "weights":
                    lfs = f.lfs
                    detail = f"weights as a Git LFS pointer ({lfs.size} bytes stored in LFS)" if lfs else "weights file (not opened)"
                found.add(Evidence("file", f"paths.{m.rule}", detail, f.path, None, confidence * m.weight), path=f.path)
    # Papers: a committed PDF's name says report or paper.
    for m in ev.index.matches("paper"):
        name = m.file.path.lower()
        target = "Technical report" if re.search(r"report|technical|whitepaper|white[-_ ]paper|model[-_ ]?card", name) else "Research paper"
        if m.file.name.lower().startswith("citation") or name.endswith(".bib"):
            target = "Research paper"
        ev.found.setdefault(target, Found()).add(
            Evidence("file", f"paths.{m.rule}", f"{target.lower()} file", m.file.path, None, 0.8 * m.weight), path=m.file.path
        )


def _license_files(ev: RepoEvidence) -> None:
    from ..licenses.identify import identify_text

    r = rules()
    plain_roots: list[LicenseSource] = []
    for m in ev.index.matches("license_file"):
        f = m.file
        if f.lfs:
            continue
        res = ev.repo.read_text(f.path, limit=LICENSE_READ_LIMIT)
        if not res.ok or not res.text:
            if res.error:
                ev.findings.append(Finding("license.unreadable", WARNING, f"{f.path}: cannot read the license file: {res.error}", f.path, None))
            elif res.binary:
                ev.findings.append(Finding("license.unreadable", WARNING, f"{f.path}: a binary file (NUL bytes), not a license text", f.path, None))
            continue
        folder = _dirname(f.path)
        if f.name.lower().endswith(".license") and ev.repo.get(f.path[: -len(".license")]) is not None:
            _reuse_sidecar(ev, f.path, res.text)  # REUSE: model.safetensors.license licenses model.safetensors
            continue
        is_reuse = m.rule.endswith("license.reuse") or folder.lower().endswith("licenses") and folder.count("/") == 0
        ident = identify_text(res.text, f.path)
        expr = ident.license
        detail = f"identified by its text ({ident.match}, {ident.similarity:.0%})"
        if ident.appended:
            detail += "; followed by " + ", ".join(ident.appended)
        if expr is None:
            continue  # e.g. only a copyright notice
        if ident.match == "none" and _ABOUT_LICENSES.fullmatch(f.name):
            continue  # docs/licenses.md: a page about licenses, not a license
        if ident.match == "none":
            closest = ", ".join(f"{lid} {sim:.0%}" for lid, sim in ident.closest[:3])
            ev.findings.append(
                Finding(
                    "license.unidentified",
                    INFO,
                    f"{f.path}: not a license mofcheck knows; treated as {expr} (not open)" + (f"; closest: {closest}" if closest else ""),
                    f.path,
                    1,
                )
            )
        if is_reuse:
            stem = f.name.rsplit(".", 1)[0]
            ev.texts[stem] = f.path
            if ident.match != "none" and expr and stem.lower() != expr.lower():
                ev.findings.append(
                    Finding("license.reuse-mismatch", WARNING, f"{f.path}: named {stem} but its text is {expr}", f.path, 1)
                )
            continue
        if folder == "":
            covers = next((c for rx, c in r["_file_scopes"] if rx.fullmatch(f.name)), r["_file_scopes"][-1][1])
            plain = covers == r["_file_scopes"][-1][1]
            if plain and (r["_model_licenses"].fullmatch(expr) or r["_model_license_title"].search(ident.title or "")):
                covers = r["_model_license_covers"]  # an OpenRAIL or community license licenses the model
            src = LicenseSource(expr, ident.title or expr, "license-file", f.path, 1, covers, None, 1 if plain else 3, detail, max(ident.similarity, 0.5))
            if plain:
                plain_roots.append(src)
                continue
        else:  # a per-folder license file: covers whatever lives under its folder
            src = LicenseSource(expr, ident.title or expr, "license-file", f.path, 1, r["_all"], folder, 4, detail, max(ident.similarity, 0.5))
        ev.licenses.append(src)
    ev.licenses.extend(_dual(plain_roots))


def _dual(sources: list[LicenseSource]) -> list[LicenseSource]:
    """Several unqualified root license files (LICENSE-MIT + LICENSE-APACHE) offer a choice: `A OR B`."""
    distinct = {s.expression: s for s in sources if s.expression}
    if len(distinct) < 2:
        return sources
    exprs = sorted(distinct)
    joined = " OR ".join(f"({e})" if " " in e else e for e in exprs)
    first = sources[0]
    paths = ", ".join(s.path for s in sources)
    return [
        LicenseSource(joined, joined, "license-file", first.path, 1, first.covers, None, 1, f"several root license files ({paths}): read as a choice", min(s.confidence for s in sources))
    ]


def _use_policies(ev: RepoEvidence) -> None:
    for m in ev.index.matches("use_policy"):
        ev.use_policies.append(m.file.path)
        ev.findings.append(
            Finding(
                "license.use-policy",
                WARNING,
                f"{m.file.path}: an acceptable-use policy attaches use restrictions to the release; weights under it are not open",
                m.file.path,
                1,
            )
        )


def _package_licenses(ev: RepoEvidence) -> None:
    r = rules()
    for kind in ("pyproject", "package_json"):
        for m in ev.index.matches(kind):
            if "/" in m.file.path:
                continue  # a nested package is another project (or vendored)
            res = ev.repo.read_text(m.file.path, limit=CARD_READ_LIMIT)
            if not res.ok or not res.text:
                continue
            value, line = (_pyproject_license(res.text) if kind == "pyproject" else _package_json_license(res.text))
            if value:
                expr, _ = _normalise(value)
                ev.licenses.append(LicenseSource(expr, value, "package", m.file.path, line, r["_package"], None, 1, f"{m.file.name} license field", 0.9))


def _pyproject_license(text: str) -> tuple[str | None, int | None]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except ValueError:
        return None, None
    proj = data.get("project") if isinstance(data, dict) else None
    lic = proj.get("license") if isinstance(proj, dict) else None
    if isinstance(lic, dict):
        lic = lic.get("text") if isinstance(lic.get("text"), str) else None
    if not isinstance(lic, str):
        lic = None
        for c in (proj or {}).get("classifiers", []) if isinstance(proj, dict) else []:
            if isinstance(c, str) and c.startswith("License :: OSI Approved :: "):
                lic = c.rsplit("::", 1)[1].strip()
                break
    if not lic:
        return None, None
    line = next((i for i, l in enumerate(text.splitlines(), 1) if l.strip().startswith("license")), None)
    return lic.strip()[:500], line


def _package_json_license(text: str) -> tuple[str | None, int | None]:
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return None, None
    lic = data.get("license") if isinstance(data, dict) else None
    if isinstance(lic, dict):
        lic = lic.get("type")
    if not isinstance(lic, str) or not lic.strip():
        return None, None
    line = next((i for i, l in enumerate(text.splitlines(), 1) if '"license"' in l), None)
    return lic.strip()[:500], line


def _spdx_headers(ev: RepoEvidence) -> None:
    """SPDX-License-Identifier headers in the files that show code and document components (bounded count).

    A header licenses the file it is in, whichever component lives there (REUSE)."""
    r = rules()
    wanted = r["_expand"](["code", "documents"])
    paths: list[str] = []
    seen: set[str] = set()
    for name in sorted(wanted):
        found = ev.found.get(name)
        for path in found.paths if found else ():
            if path not in seen and not path.lower().endswith(".pdf"):
                seen.add(path)
                paths.append(path)
    for path in paths[:MAX_HEADER_FILES]:
        res = ev.repo.read_text(path, limit=HEADER_READ_LIMIT, head=True)
        if not res.ok or not res.text:
            continue
        found = spdx_header(res.text)
        if found:
            value, start = found
            line = res.text.count("\n", 0, start) + 1
            expr, _ = _normalise(value)
            ev.licenses.append(LicenseSource(expr, value, "spdx-header", path, line, r["_all"], path, 5, "SPDX-License-Identifier header", 1.0))


def _reuse_sidecar(ev: RepoEvidence, path: str, text: str) -> None:
    found = spdx_header(text)
    if not found:
        return
    target = path[: -len(".license")]
    value, start = found
    expr, _ = _normalise(value)
    line = text.count("\n", 0, start) + 1
    ev.licenses.append(LicenseSource(expr, value, "spdx-header", path, line, rules()["_all"], target, 5, f"REUSE license file for {target}", 1.0))


def reuse_glob(glob: str) -> re.Pattern[str]:
    """A REUSE.toml path glob: `*` stays within a folder, `**` crosses folders."""
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out))


def _reuse_toml(ev: RepoEvidence) -> None:
    """REUSE.toml `[[annotations]]`: a license for the paths a glob names (weights, data, images)."""
    if ev.repo.get("REUSE.toml") is None:
        return
    res = ev.repo.read_text("REUSE.toml", limit=CARD_READ_LIMIT)
    if not res.ok or not res.text:
        return
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(res.text)
    except ValueError as exc:
        ev.findings.append(Finding("license.unreadable", WARNING, f"REUSE.toml: not valid TOML ({exc})", "REUSE.toml", None))
        return
    lines = res.text.splitlines()
    annotations = data.get("annotations") if isinstance(data, dict) else None
    for k, ann in enumerate(annotations if isinstance(annotations, list) else []):
        value = ann.get("SPDX-License-Identifier") if isinstance(ann, dict) else None
        globs = ann.get("path") if isinstance(ann, dict) else None
        globs = [globs] if isinstance(globs, str) else globs
        if not isinstance(value, str) or not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
            continue
        rx = re.compile("|".join(f"(?:{reuse_glob(g.strip()).pattern})" for g in globs))
        line = [i for i, l in enumerate(lines, 1) if l.strip() == "[[annotations]]"][k:k + 1] or [None]
        expr, _ = _normalise(value)
        spec = 6 if ann.get("precedence") == "override" else 4  # "closest": a file's own header wins
        ev.licenses.append(
            LicenseSource(expr, value, "reuse", "REUSE.toml", line[0], rules()["_all"], "REUSE.toml", spec, f"REUSE.toml annotation for {', '.join(globs)}", 1.0, rx)
        )


_URL = re.compile(r"""https?://[^\s"'<>()\[\]{}`]+""")
_SOURCE_FILE = re.compile(r"[^/]+\.(py|sh|js|mjs|ts|lua|rs|go|jl)")
_TESTS_DIR = re.compile(r"(^|/)(tests?|testing|unittests?|__tests__)/", re.IGNORECASE)
CODE_URL_READ_LIMIT = 16 * 1024


def _code_weight_urls(ev: RepoEvidence) -> None:
    """Weights linked from code (whisper's and CLIP's model URL tables): the release links its weights."""
    from .cards import rules as card_rules

    rx = re.compile(card_rules()["weights"]["weights_url"], re.IGNORECASE)
    found = ev.found.setdefault("Model parameters (Final)", Found())
    files = [f for f in ev.repo.files if _SOURCE_FILE.fullmatch(f.name) and not f.is_submodule and not _TESTS_DIR.search(f.path) and not ev.index.is_vendored(f.path)]
    files.sort(key=lambda f: (f.path.count("/"), f.path))
    for f in files[:MAX_HEADER_FILES]:
        res = ev.repo.read_text(f.path, limit=CODE_URL_READ_LIMIT, head=True)
        if not res.ok or not res.text or "://" not in res.text:
            continue
        for m in _URL.finditer(res.text):
            url = m.group(0).rstrip(".,;:'\"")
            if rx.match(url):
                line = res.text.count("\n", 0, m.start()) + 1
                found.add(Evidence("weights", "code.weights-url", f"weights URL in code: {url}", f.path, line, 0.8), url=url)


def _vendored(ev: RepoEvidence) -> None:
    for root in ev.index.vendored_roots:
        ev.findings.append(
            Finding("evidence.vendored", INFO, f"{root}/: vendored third-party code; not counted as the release's own code or license", root, None)
        )
