"""License sources in a tree: license files (identified by their text), SPDX headers, REUSE sidecars and
REUSE.toml, package manifests' license fields, acceptable-use policies.

Each source says what it covers (data/evidence/components.yaml): the root LICENSE covers the code only
unless its name or text says it licenses the model.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Finding
from ..repo.globs import reuse_paths
from .items import EvidenceSet, LicenseSource
from .rules import component_rules, license_expression

LICENSE_READ_LIMIT = 256 * 1024
CARD_READ_LIMIT = 1024 * 1024
HEADER_READ_LIMIT = 4096
MAX_HEADER_FILES = 300

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


def _dirname(path: str) -> str:
    return path.rpartition("/")[0]


def license_files(ev: EvidenceSet) -> None:
    from ..licenses.identify import identify_text

    r = component_rules()
    plain_roots: list[LicenseSource] = []
    for m in ev.index.matches("license_file"):
        f = m.file
        if f.lfs:
            continue
        res = ev.repo.read_text(f.path, limit=LICENSE_READ_LIMIT)
        if not res.ok or not res.text:
            if res.error:
                ev.findings.append(Finding.of("license.unreadable", f"{f.path}: cannot read the license file: {res.error}", f.path, None))
            elif res.binary:
                ev.findings.append(Finding.of("license.unreadable", f"{f.path}: a binary file (NUL bytes), not a license text", f.path, None))
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
        if ident.match == "modified":
            ev.findings.append(_modified_finding(f.path, ident))
        elif ident.match == "none":
            closest = ", ".join(f"{lid} {sim:.0%}" for lid, sim in ident.closest[:3])
            ev.findings.append(
                Finding.of(
                    "license.unidentified",
                    f"{f.path}: not a license mofcheck knows; treated as {expr} (not open)" + (f"; closest: {closest}" if closest else ""),
                    f.path,
                    1,
                )
            )
        if is_reuse:
            stem = f.name.rsplit(".", 1)[0]
            ev.texts[stem] = f.path
            if ident.match != "none" and expr and stem.lower() != expr.lower():
                ev.findings.append(Finding.of("license.reuse-mismatch", f"{f.path}: named {stem} but its text is {expr}", f.path, 1))
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


def _modified_finding(path: str, ident: Any) -> Finding:
    """license.modified: the lines where an open license's text was edited."""
    spots = []
    for d in ident.differences[:5]:
        where = f"{d.line}" if d.line == d.end_line else f"{d.line}-{d.end_line}"
        words = d.text or d.expected
        words = words if len(words) <= 60 else words[:57] + "..."
        spots.append(f"line {where} {d.kind} '{words}'")
    more = f" (+{len(ident.differences) - 5} more)" if len(ident.differences) > 5 else ""
    first = ident.differences[0].line if ident.differences and ident.differences[0].line else 1
    return Finding.of(
        "license.modified",
        f"{path}: the text of {ident.base} with edits that are not its variable parts; treated as {ident.license} (not open): " + "; ".join(spots) + more,
        path,
        first,
    )


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
        LicenseSource(
            joined,
            joined,
            "license-file",
            first.path,
            1,
            first.covers,
            None,
            1,
            f"several root license files ({paths}): read as a choice",
            min(s.confidence for s in sources),
        )
    ]


def use_policies(ev: EvidenceSet) -> None:
    for m in ev.index.matches("use_policy"):
        ev.use_policies.append(m.file.path)
        ev.findings.append(
            Finding.of(
                "license.use-policy",
                f"{m.file.path}: an acceptable-use policy attaches use restrictions to the release; weights under it are not open",
                m.file.path,
                1,
            )
        )


def package_licenses(ev: EvidenceSet) -> None:
    r = component_rules()
    for kind in ("pyproject", "package_json"):
        for m in ev.index.matches(kind):
            if "/" in m.file.path:
                continue  # a nested package is another project (or vendored)
            res = ev.repo.read_text(m.file.path, limit=CARD_READ_LIMIT)
            if not res.ok or not res.text:
                continue
            value, line = _pyproject_license(res.text) if kind == "pyproject" else _package_json_license(res.text)
            if value:
                expr, _ = license_expression(value)
                ev.licenses.append(LicenseSource(expr, value, "package", m.file.path, line, r["_package"], None, 1, f"{m.file.name} license field", 0.9))


def _pyproject_license(text: str) -> tuple[str | None, int | None]:
    import tomllib

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


def spdx_headers(ev: EvidenceSet) -> None:
    """SPDX-License-Identifier headers in the files that show code and document components (bounded count).

    A header licenses the file it is in, whichever component lives there (REUSE)."""
    r = component_rules()
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
            expr, _ = license_expression(value)
            ev.licenses.append(LicenseSource(expr, value, "spdx-header", path, line, r["_all"], path, 5, "SPDX-License-Identifier header", 1.0))


def _reuse_sidecar(ev: EvidenceSet, path: str, text: str) -> None:
    found = spdx_header(text)
    if not found:
        return
    target = path[: -len(".license")]
    value, start = found
    expr, _ = license_expression(value)
    line = text.count("\n", 0, start) + 1
    ev.licenses.append(LicenseSource(expr, value, "spdx-header", path, line, component_rules()["_all"], target, 5, f"REUSE license file for {target}", 1.0))


def reuse_toml(ev: EvidenceSet) -> None:
    """REUSE.toml `[[annotations]]`: a license for the paths a glob names (weights, data, images)."""
    if ev.repo.get("REUSE.toml") is None:
        return
    res = ev.repo.read_text("REUSE.toml", limit=CARD_READ_LIMIT)
    if not res.ok or not res.text:
        return
    import tomllib

    try:
        data = tomllib.loads(res.text)
    except ValueError as exc:
        ev.findings.append(Finding.of("license.unreadable", f"REUSE.toml: not valid TOML ({exc})", "REUSE.toml", None))
        return
    lines = res.text.splitlines()
    annotations = data.get("annotations") if isinstance(data, dict) else None
    for k, ann in enumerate(annotations if isinstance(annotations, list) else []):
        value = ann.get("SPDX-License-Identifier") if isinstance(ann, dict) else None
        globs = ann.get("path") if isinstance(ann, dict) else None
        globs = [globs] if isinstance(globs, str) else globs
        if not isinstance(value, str) or not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
            continue
        try:
            rx = reuse_paths(globs)  # RE2: the globs are the repository's, the match stays linear
        except ValueError as exc:
            ev.findings.append(Finding.of("license.unreadable", f"REUSE.toml: path globs not usable ({exc})", "REUSE.toml", None))
            continue
        line = [i for i, l in enumerate(lines, 1) if l.strip() == "[[annotations]]"][k : k + 1] or [None]
        expr, _ = license_expression(value)
        spec = 6 if ann.get("precedence") == "override" else 4  # "closest": a file's own header wins
        ev.licenses.append(
            LicenseSource(
                expr,
                value,
                "reuse",
                "REUSE.toml",
                line[0],
                component_rules()["_all"],
                "REUSE.toml",
                spec,
                f"REUSE.toml annotation for {', '.join(globs)}",
                1.0,
                rx,
            )
        )


__all__ = ["license_files", "use_policies", "package_licenses", "spdx_headers", "reuse_toml", "LICENSE_READ_LIMIT"]
