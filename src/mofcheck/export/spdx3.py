"""The release as an SPDX 3.0.1 JSON-LD document (Core, Software, AI, Dataset and licensing profiles).

The model is an `ai_AIPackage` (the document's root element) that `contains` one package per listed
MOF component: `dataset_DatasetPackage` for datasets and evaluation data (also `trainedOn` /
`testedOn`), `software_Package` for everything else with the purpose that fits (source, model, data,
documentation). Each component has `hasConcludedLicense` (the verified expression, or NoAssertion) and
`hasDeclaredLicense` (the manifest's words, None for `unlicensed`, or NoAssertion) relationships to
`simplelicensing_LicenseExpression` elements; LicenseRefs map to `expandedlicensing_CustomLicense`s.
Written with the SPDX project's generated bindings (spdx-python-model), imported only here.
"""

from __future__ import annotations

import json
import re
import uuid

from .. import __version__
from ..framework import Framework
from ..model import ComponentResult
from ..report import escape
from . import Release, component_note, component_path, created_at, declared_spdx, distribution_spdx, license_path, release_date, summary
from .expression import describe, to_spdx

NS = "https://spdx.org/rdf/3.0.1/terms/"
NONE_LICENSE = NS + "ExpandedLicensing/NoneLicense"
NOASSERTION_LICENSE = NS + "ExpandedLicensing/NoAssertionLicense"
DATASETS = {"datasets": "trainedOn", "evaluation-data": "testedOn"}  # component role -> SPDX relationship
WEIGHTS = ("final-weights", "intermediate-weights")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._\-]+", "-", text).strip("-") or "x"


def _url(value: str | None) -> str | None:
    return value if value and re.match(r"^https?://[^\s]+$", value) else None


def _hf_url(value: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9][\w.\-]*/[\w.\-]+", value or ""):
        return f"https://huggingface.co/{value}"
    return value


class _Builder:
    def __init__(self, base: str, created):
        from spdx_python_model import v3_0_1 as spdx

        self.spdx = spdx
        self.base = base
        self.elements: list = []
        self.licenses: dict[str, object] = {}  # expression -> LicenseExpression element
        self.custom: dict[str, object] = {}  # LicenseRef id -> CustomLicense element
        self.relationships = 0
        self.orgs: dict[str, object] = {}
        self.ci = spdx.CreationInfo(_id="_:creationinfo", specVersion="3.0.1", created=created)
        agent = spdx.SoftwareAgent(_id=self.iri("agent/mofcheck"), name=f"mofcheck {__version__}", creationInfo=self.ci)
        tool = spdx.Tool(_id=self.iri("tool/mofcheck"), name=f"mofcheck-{__version__}", creationInfo=self.ci)
        self.ci.createdBy = [agent]
        self.ci.createdUsing = [tool]
        self.elements += [agent, tool]

    def iri(self, local: str) -> str:
        return f"{self.base}#{local}"

    def add(self, obj):
        self.elements.append(obj)
        return obj

    def relate(self, frm, kind: str, to: list, comment: str | None = None):
        spdx = self.spdx
        self.relationships += 1
        rel = spdx.Relationship(
            _id=self.iri(f"relationship-{self.relationships}"),
            creationInfo=self.ci,
            from_=frm,
            relationshipType=getattr(spdx.RelationshipType, kind),
            to=to,
        )
        if comment:
            rel.comment = comment
        return self.add(rel)

    def license(self, text: str | None, url: str | None, *, none: bool = False):
        """A LicenseExpression element (shared between components), or the None/NoAssertion individual."""
        spdx = self.spdx
        if none:
            return NONE_LICENSE
        if not text:
            return NOASSERTION_LICENSE
        lic = to_spdx(text)
        if lic.expression in self.licenses:
            return self.licenses[lic.expression]
        entries = []
        for ref, name in sorted(lic.refs.items()):
            custom = self.custom.get(ref)
            if custom is None:
                title, see = describe(ref, name, url)
                see = _url(see)
                custom = spdx.expandedlicensing_CustomLicense(
                    _id=self.iri(ref),
                    creationInfo=self.ci,
                    name=title,
                    simplelicensing_licenseText=f"The license {title!r}, not on the SPDX License List; its text is not included here."
                    + (f" The manifest writes {name!r}." if name not in (ref, title) else "")
                    + (f" See {see}." if see else ""),
                )
                if see:
                    custom.expandedlicensing_seeAlso = [see]
                self.custom[ref] = self.add(custom)
            entries.append(spdx.DictionaryEntry(key=ref, value=custom._id))
        element = spdx.simplelicensing_LicenseExpression(
            _id=self.iri(f"license-{len(self.licenses) + 1}"),
            creationInfo=self.ci,
            simplelicensing_licenseExpression=lic.expression,
        )
        if entries:
            element.simplelicensing_customIdToUri = entries
        self.licenses[lic.expression] = self.add(element)
        return element


def _data_use(fw: Framework, name: str) -> str | None:
    """trainedOn / testedOn for a dataset component, else None."""
    return next((use for r, use in DATASETS.items() if fw.role(r) == name), None)


def _package_for(b: _Builder, fw: Framework, comp: ComponentResult, iri: str):
    spdx = b.spdx
    purpose = spdx.software_SoftwarePurpose
    if _data_use(fw, comp.name):
        pkg = spdx.dataset_DatasetPackage(_id=iri, creationInfo=b.ci, name=comp.name)
        pkg.software_primaryPurpose = purpose.data
        pkg.dataset_datasetType = [spdx.dataset_DatasetType.other]  # required; MOF says nothing about the kind
        return pkg
    pkg = spdx.software_Package(_id=iri, creationInfo=b.ci, name=comp.name)
    if comp.category == "code":
        pkg.software_primaryPurpose = purpose.source
    elif comp.name in fw.role_names(*WEIGHTS):
        pkg.software_primaryPurpose = purpose.model
    elif comp.category == "data":
        pkg.software_primaryPurpose = purpose.data
    else:
        pkg.software_primaryPurpose = purpose.documentation
    return pkg


def _model_package(b: _Builder, rel: Release, n: int):
    spdx = b.spdx
    meta = rel.meta
    pkg = spdx.ai_AIPackage(_id=b.iri(f"release-{n}-{_slug(rel.name)}"), creationInfo=b.ci, name=rel.name)
    pkg.software_primaryPurpose = spdx.software_SoftwarePurpose.model
    pkg.summary = f"AI model release: {rel.result.class_label}"
    pkg.comment = summary(rel)
    if meta.get("version"):
        pkg.software_packageVersion = str(meta["version"])
    hf = _url(_hf_url(str(meta.get("huggingface") or "").strip()))
    repo = _url(str(meta.get("repository") or "").strip())
    if repo or hf:
        pkg.software_downloadLocation = repo or hf
    if hf:
        pkg.software_homePage = hf
        m = re.fullmatch(r"https?://huggingface\.co/([A-Za-z0-9][\w.\-]*)/([\w.\-]+)/?", hf)
        if m:
            pkg.software_packageUrl = f"pkg:huggingface/{m.group(1)}/{m.group(2)}"
    when = release_date(meta.get("date")) if meta.get("date") else None
    if when:
        pkg.releaseTime = when
    kinds = [str(meta[k]) for k in ("architecture", "type") if meta.get(k) and meta.get(k) != "undisclosed"]
    if kinds:
        pkg.ai_typeOfModel = kinds
    if meta.get("treatment"):
        pkg.ai_informationAboutTraining = str(meta["treatment"])
    producer = str(meta.get("producer") or "").strip()
    if producer:
        oid = b.iri(f"organization-{_slug(producer)}")
        org = b.orgs.get(oid)  # two releases of one producer share it
        if org is None:
            org = b.orgs[oid] = b.add(spdx.Organization(_id=oid, creationInfo=b.ci, name=producer))
        pkg.suppliedBy = org
        pkg.originatedBy = [org]
    return pkg


def build(releases: list[Release], created=None):
    """(SHACLObjectSet, SpdxDocument) for the releases."""
    from spdx_python_model import v3_0_1 as spdx

    created = created or created_at()
    names = ", ".join(r.name for r in releases)
    seed = "|".join(f"{r.name}@{r.meta.get('version', '')}" for r in releases) + f"|{created.isoformat()}"
    base = f"https://spdx.org/spdxdocs/mofcheck-{_slug(names)[:60]}-{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"
    b = _Builder(base, created)
    roots = []
    for n, rel in enumerate(releases, 1):
        model = b.add(_model_package(b, rel, n))
        roots.append(model)
        dist, dist_path, dist_none = distribution_spdx(rel)
        if dist or dist_none:
            b.relate(model, "hasDeclaredLicense", [b.license(dist, dist_path, none=dist_none)], "release.license.distribution")
        parts = []
        for c in rel.listed():
            pkg = _package_for(b, rel.framework, c, b.iri(f"release-{n}-component-{c.id}-{_slug(c.name)}"))
            cdef = rel.framework.component(c.name)
            if cdef:
                pkg.description = cdef.description
            pkg.comment = component_note(c)
            where = component_path(rel, c)
            if _url(where):
                pkg.software_downloadLocation = where
            elif where:
                pkg.software_sourceInfo = f"component path: {where}"
            b.add(pkg)
            parts.append(pkg)
            lp = license_path(rel, c)
            concluded = c.license.expression if c.license and c.license.expression else None
            b.relate(pkg, "hasConcludedLicense", [b.license(concluded, lp)], (c.license.reason or None) if c.license else None)
            declared, unlicensed = declared_spdx(rel, c)
            b.relate(pkg, "hasDeclaredLicense", [b.license(declared, lp, none=unlicensed)])
            if _data_use(rel.framework, c.name):
                b.relate(model, _data_use(rel.framework, c.name), [pkg])
        if parts:
            b.relate(model, "contains", parts)

    profiles = spdx.ProfileIdentifierType
    doc = spdx.SpdxDocument(
        _id=b.iri("document"),
        creationInfo=b.ci,
        name=f"{names} (Model Openness Framework)",
        comment="The MOF components of the release and their licenses as mofcheck verified them.",
        profileConformance=[
            profiles.core,
            profiles.software,
            profiles.simpleLicensing,
            profiles.expandedLicensing,
            profiles.ai,
            profiles.dataset,
        ],
        rootElement=roots,
        element=list(b.elements),
    )
    objects = spdx.SHACLObjectSet([doc, *b.elements])
    return objects, doc


def to_json(objects) -> dict:
    from spdx_python_model import v3_0_1 as spdx

    return spdx.JSONLDSerializer().serialize_data(objects)


def dump(releases: list[Release], created=None) -> str:
    objects, _ = build(releases, created)
    return json.dumps(escape.data(to_json(objects)), indent=2, ensure_ascii=False) + "\n"
