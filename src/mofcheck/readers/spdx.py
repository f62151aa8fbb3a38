"""SPDX documents committed in the repository (`*.spdx`, `*.spdx.json`, ...): SPDX 2 read with spdx-tools,
SPDX 3 JSON-LD handed to readers.spdx3.

spdx-tools is heavy (rdflib and friends): it is imported only when the repository holds an SPDX document,
and only documents below a size bound are parsed. A package named after a MOF component (as `mofcheck
export --format spdx` writes them) states that component's license; the package the document describes
states the release's code license, like a package manifest.
"""

from __future__ import annotations

from ..evidence.items import EvidenceSet, LicenseSource
from ..evidence.rules import component_rules, license_expression
from ..model import Finding

NAME = "spdx"

MAX_SPDX_BYTES = 2 * 1024 * 1024
MAX_DOCUMENTS = 5


def _license_text(value) -> str | None:
    """An spdx-tools license field (expression, SpdxNoAssertion, SpdxNone, None) as text."""
    if value is None:
        return None
    text = str(value)
    if text in ("NOASSERTION", "NONE") or not text.strip():
        return None
    return text


def read(tree) -> EvidenceSet:
    """The licenses that the SPDX documents in `tree` (a Repo or a fetched remote tree) state."""
    from ..evidence.paths import classify_paths

    ev = EvidenceSet(repo=tree, index=classify_paths(tree.files))
    add_documents(ev)
    return ev


def add_documents(ev: EvidenceSet) -> None:
    """Add the licenses stated by the SPDX documents of the tree `ev` was read from (SPDX 3 JSON-LD
    documents go to readers.spdx3, read without spdx-tools)."""
    docs = [m.file for m in ev.index.matches("spdx_document") if not m.file.is_symlink and not m.file.lfs][:MAX_DOCUMENTS]
    if not docs:
        return
    from . import spdx3

    older = []
    for f in docs:
        res = ev.repo.read_bytes(f.path, limit=MAX_SPDX_BYTES + 1)
        if not res.ok or res.data is None:
            continue
        if len(res.data) > MAX_SPDX_BYTES:
            ev.findings.append(Finding.of("evidence.truncated", f"{f.path}: SPDX document larger than 2 MiB; not read", f.path, None))
            continue
        if spdx3.is_spdx3(res.data):
            spdx3.add_document(ev, f.path, res.data)
        else:
            older.append((f.path, res.data))
    if not older:
        return
    try:
        import spdx_tools  # noqa: F401 - the optional extra
    except ImportError:
        ev.findings.append(
            Finding.of(
                "evidence.spdx-unread",
                f"{older[0][0]}: an SPDX document, not read: install mofcheck[spdx] (spdx-tools) to use it as evidence",
                older[0][0],
                None,
            )
        )
        return
    r = component_rules()
    names = {n for n in r["components"]}
    for path, data in older:
        try:
            doc = _parse(path, data)
        except Exception as exc:  # noqa: BLE001 - spdx-tools raises many types; a bad document is a finding
            msg = " ".join(str(exc).split())[:300]
            ev.findings.append(Finding.of("evidence.spdx-invalid", f"{path}: not a valid SPDX document: {msg}", path, None))
            continue
        described = {rel.related_spdx_element_id for rel in doc.relationships if str(rel.relationship_type).endswith("DESCRIBES")}
        for pkg in doc.packages:
            for field, kind in (("license_concluded", "concluded"), ("license_declared", "declared")):
                text = _license_text(getattr(pkg, field, None))
                if not text:
                    continue
                expr, _ = license_expression(text)
                if pkg.name in names:
                    covers, spec = frozenset({pkg.name}), 3
                elif pkg.spdx_id in described:
                    covers, spec = r["_package"], 1
                else:
                    continue
                ev.licenses.append(LicenseSource(expr, text, "spdx-document", path, None, covers, None, spec, f"SPDX package {pkg.name!r} ({kind})", 0.9))
                break  # the concluded license when there is one, else the declared


def _parse(path: str, data: bytes):
    """Parse with spdx-tools from a private temporary copy (spdx-tools reads paths, not bytes)."""
    import os
    import tempfile

    from spdx_tools.spdx.parser.parse_anything import parse_file

    suffix = "".join(path.rpartition("/")[2].partition(".")[1:]) or ".spdx"
    fd, tmp = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return parse_file(tmp)
    finally:
        os.unlink(tmp)
