"""The release as an SPDX 2.3 JSON document, built and validated with spdx-tools.

The release is the described package; each listed MOF component is a package it CONTAINS, with the
verified license as licenseConcluded and the manifest's words as licenseDeclared. SPDX 2.3 has no
model, data or documentation purpose: code is SOURCE, everything else OTHER (the comment says which).
spdx-tools is imported only here.
"""

from __future__ import annotations

import json
import re
import uuid

from .. import __version__
from ..model import ComponentResult
from ..report import escape
from . import Release, component_note, component_path, created_at, declared_spdx, distribution_spdx, license_path, release_date, summary
from .expression import SpdxLicense, describe, to_spdx


def _idstring(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.\-]+", "-", text).strip("-") or "x"


def _huggingface_purl(url: str) -> str | None:
    m = re.fullmatch(r"https?://huggingface\.co/([A-Za-z0-9][\w.\-]*)/([\w.\-]+)/?", url or "")
    return f"pkg:huggingface/{m.group(1)}/{m.group(2)}" if m else None


def _hf_url(value: str) -> str:
    """MOT files sometimes write a Hugging Face id (`org/name`) instead of its URL."""
    if re.fullmatch(r"[A-Za-z0-9][\w.\-]*/[\w.\-]+", value or ""):
        return f"https://huggingface.co/{value}"
    return value


def _url(value: str | None) -> str | None:
    from spdx_tools.spdx.validation.uri_validators import validate_url

    return value if value and not validate_url(value) else None


def _location(value: str | None):
    """A valid SPDX download location, or NOASSERTION (a repository path or free text is not one)."""
    from spdx_tools.spdx.model import SpdxNoAssertion
    from spdx_tools.spdx.validation.uri_validators import validate_download_location

    if value and not validate_download_location(value):
        return value
    return SpdxNoAssertion()


class _Licenses:
    """Parses expressions for spdx-tools and collects the LicenseRefs they use."""

    def __init__(self):
        from spdx_tools.common.spdx_licensing import spdx_licensing

        self.licensing = spdx_licensing
        self.refs: dict[str, tuple[str, str | None]] = {}  # id -> (name as written, a URL for it)

    def parse(self, text: str | None, url: str | None = None):
        from spdx_tools.spdx.model import SpdxNoAssertion

        if not text:
            return SpdxNoAssertion()
        lic: SpdxLicense = to_spdx(text)
        for ref, name in lic.refs.items():
            self.refs.setdefault(ref, (name, _url(url)))
        return self.licensing.parse(lic.expression)

    def extracted(self) -> list:
        from spdx_tools.spdx.model import ExtractedLicensingInfo

        out = []
        for ref, (written, url) in sorted(self.refs.items()):
            name, url = describe(ref, written, url)
            url = _url(url)
            text = f"The license {name!r}, not on the SPDX License List; its text is not included here."
            if written not in (ref, name):
                text += f" The manifest writes {written!r}."
            if url:
                text += f" See {url}."
            out.append(
                ExtractedLicensingInfo(
                    license_id=ref,
                    extracted_text=text,
                    license_name=name or ref,
                    cross_references=[url] if url else [],
                    comment="Not on the SPDX License List as known to mofcheck; written as a LicenseRef.",
                )
            )
        return out


def _declared(release: Release, comp: ComponentResult, lics: _Licenses):
    from spdx_tools.spdx.model import SpdxNone

    text, none = declared_spdx(release, comp)
    if none:
        return SpdxNone()  # the manifest says: no license
    return lics.parse(text, license_path(release, comp))


def build(releases: list[Release], created=None):
    """The spdx-tools Document for the releases (one described package each)."""
    from spdx_tools.spdx.model import (
        Actor,
        ActorType,
        CreationInfo,
        Document,
        ExternalPackageRef,
        ExternalPackageRefCategory,
        Package,
        PackagePurpose,
        Relationship,
        RelationshipType,
        SpdxNoAssertion,
        SpdxNone,
    )

    created = created or created_at()
    lics = _Licenses()
    packages, relationships = [], []
    for n, rel in enumerate(releases, 1):
        meta = rel.meta
        rid = f"SPDXRef-Release{n}-{_idstring(rel.name)}"
        hf = _hf_url(str(meta.get("huggingface") or "").strip())
        repo = str(meta.get("repository") or "").strip()
        producer = str(meta.get("producer") or "").strip()
        refs = []
        purl = _huggingface_purl(hf)
        if purl:
            refs.append(ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", purl))
        dist, dist_path, dist_none = distribution_spdx(rel)
        packages.append(
            Package(
                spdx_id=rid,
                name=rel.name,
                download_location=_location(_url(repo) or _url(hf)),
                version=str(meta["version"]) if meta.get("version") else None,
                supplier=Actor(ActorType.ORGANIZATION, producer) if producer else SpdxNoAssertion(),
                files_analyzed=False,
                homepage=_url(hf) or _url(repo),
                license_concluded=SpdxNoAssertion(),  # each component has its own
                license_declared=SpdxNone() if dist_none else lics.parse(dist, dist_path),
                copyright_text=SpdxNoAssertion(),
                summary=f"AI model release: {rel.result.class_label}",
                comment=summary(rel),
                external_references=refs,
                primary_package_purpose=PackagePurpose.OTHER,
                release_date=release_date(meta.get("date")) if meta.get("date") else None,
            )
        )
        relationships.append(Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, rid))
        for c in rel.listed():
            cid = f"SPDXRef-Release{n}-Component{c.id}-{_idstring(c.name)}"
            concluded = lics.parse(c.license.expression, license_path(rel, c)) if c.license and c.license.expression else SpdxNoAssertion()
            cdef = rel.framework.component(c.name)
            where = component_path(rel, c)
            note = component_note(c) + (f"; component path: {where}" if where and isinstance(_location(where), SpdxNoAssertion) else "")
            packages.append(
                Package(
                    spdx_id=cid,
                    name=c.name,
                    download_location=_location(where),
                    files_analyzed=False,
                    license_concluded=concluded,
                    license_declared=_declared(rel, c, lics),
                    license_comment=(c.license.reason or None) if c.license else None,
                    copyright_text=SpdxNoAssertion(),
                    description=cdef.description if cdef else None,
                    comment=note,
                    primary_package_purpose=PackagePurpose.SOURCE if c.category == "code" else PackagePurpose.OTHER,
                )
            )
            relationships.append(Relationship(rid, RelationshipType.CONTAINS, cid))

    names = ", ".join(r.name for r in releases)
    seed = "|".join(f"{r.name}@{r.meta.get('version', '')}" for r in releases) + f"|{created.isoformat()}"
    info = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id="SPDXRef-DOCUMENT",
        name=f"{names} (Model Openness Framework)",
        document_namespace=f"https://spdx.org/spdxdocs/mofcheck-{_idstring(names)[:60]}-{uuid.uuid5(uuid.NAMESPACE_URL, seed)}",
        creators=[Actor(ActorType.TOOL, f"mofcheck-{__version__}")],
        created=created,
        document_comment="The MOF components of the release and their licenses as mofcheck verified them.",
    )
    return Document(info, packages=packages, relationships=relationships, extracted_licensing_info=lics.extracted())


def validate(document) -> list[str]:
    """spdx-tools' own validation messages (empty: valid SPDX 2.3)."""
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    return [m.validation_message for m in validate_full_spdx_document(document)]


def to_json(document) -> dict:
    """spdx-tools' JSON dict, with the 2.3 schema's spelling of the package-manager reference category."""
    from spdx_tools.spdx.jsonschema.document_converter import DocumentConverter

    data = DocumentConverter().convert(document)
    for pkg in data.get("packages", []):
        for ref in pkg.get("externalRefs", []):
            # spdx-tools writes the enum name PACKAGE_MANAGER; the 2.3 JSON schema only allows PACKAGE-MANAGER
            ref["referenceCategory"] = ref["referenceCategory"].replace("_", "-")
    return data


def dump(releases: list[Release], created=None) -> str:
    from ..errors import MofcheckError

    document = build(releases, created)
    problems = validate(document)
    if problems:  # a bug in this writer, never the user's input: say so plainly
        raise MofcheckError("the SPDX 2.3 document does not validate: " + "; ".join(problems[:3]))
    return json.dumps(escape.data(to_json(document)), indent=2, ensure_ascii=False) + "\n"
