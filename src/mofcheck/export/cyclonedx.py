"""The release as a CycloneDX 1.6 ML-BOM (JSON).

Each release is a `machine-learning-model` component with a `modelCard`: `modelParameters` name the
architecture (and the component that holds its code) and refer to the dataset components by bom-ref;
`considerations` carry the model card's uses and limitations. Every listed MOF component is a nested
component with its own license (the verified expression, `acknowledgement: concluded`): datasets and
evaluation data are `data` components, weights are `machine-learning-model` components, code is an
`application`, documents are `file`s. The MOF class, the verdicts beside it and each component's status go
in `mofcheck:*` properties.

cyclonedx-python-lib does not model `modelCard` (11.x), so the JSON is built here as plain data; the tests
validate it with that library's strict JSON validator for 1.6 on every fixture.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from .. import __version__
from ..framework import Framework
from ..model import ComponentResult
from . import Release, component_path, created_at, declared_spdx, distribution_spdx, roman

DATASETS = ("datasets", "evaluation-data")  # component roles
WEIGHTS = ("final-weights", "intermediate-weights")
CONSIDERATIONS = {"uses": "useCases", "limitations": "technicalLimitations"}  # model card need -> modelCard field
MAX_CARD_BYTES = 1024 * 1024
MAX_TEXT = 600


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._\-]+", "-", text).strip("-") or "x"


def _url(value: str | None) -> str | None:
    return value if value and re.match(r"^https?://\S+$", value) else None


def _prop(name: str, value: Any) -> dict[str, str]:
    return {"name": f"mofcheck:{name}", "value": str(value)}


def _licenses(expression: str | None) -> list[dict[str, Any]] | None:
    if not expression:
        return None
    return [{"expression": expression, "acknowledgement": "concluded"}]


def _component_type(fw: Framework, c: ComponentResult) -> str:
    if c.name in fw.role_names(*DATASETS):
        return "data"
    if c.name in fw.role_names(*WEIGHTS):
        return "machine-learning-model"
    if c.category == "code":
        return "application"
    return "data" if c.category == "data" else "file"


def _reference_type(fw: Framework, c: ComponentResult, url: str) -> str:
    if c.name == fw.role("model-card"):
        return "model-card"
    if c.category == "code":
        return "vcs" if url.startswith("https://github.com/") else "source-distribution"
    if c.category == "document":
        return "documentation"
    return "distribution"


def _component(rel: Release, c: ComponentResult, ref: str) -> dict[str, Any]:
    out: dict[str, Any] = {"type": _component_type(rel.framework, c), "bom-ref": ref, "name": c.name}
    cdef = rel.framework.component(c.name)
    if cdef:
        out["description"] = cdef.description
    lic = _licenses(c.license.expression if c.license else None)
    if lic:
        out["licenses"] = lic
    where = component_path(rel, c)
    if _url(where):
        out["externalReferences"] = [{"type": _reference_type(rel.framework, c, where), "url": where}]
    props = [
        _prop("mof-component", c.name),
        _prop("mof-category", c.category),
        _prop("mof-class", roman(c.cls)),
        _prop("status", c.status),
        _prop("reason", c.reason),
    ]
    if where and not _url(where):
        props.append(_prop("path", where))
    declared, none = declared_spdx(rel, c)
    if declared or none:
        props.append(_prop("declared-license", "NONE" if none else declared))
    out["properties"] = props
    if c.name in rel.framework.role_names(*DATASETS):
        data: dict[str, Any] = {"type": "dataset", "name": c.name}
        if _url(where):
            data["contents"] = {"url": where}
        out["data"] = [data]
    return out


def _card_considerations(rel: Release, root: str | None) -> dict[str, list[str]]:
    """useCases and technicalLimitations from the model card's sections (bounded read, never raising)."""
    card = rel.result.component(rel.framework.role("model-card"))
    if card is None or root is None:
        return {}
    path = component_path(rel, card)
    if not path or _url(path):
        return {}
    try:
        from ..evidence.cardmarkdown import rules
        from ..evidence.cards import parse_card
        from ..repo import Repo

        res = Repo.open(root).read_text(path, MAX_CARD_BYTES)
        if res.text is None:
            return {}
        parsed = parse_card(res.text, path)
        needs = rules()["needs"]["model_card"]
    except Exception:  # noqa: BLE001 - a card we cannot read only leaves the considerations out
        return {}
    out: dict[str, list[str]] = {}
    for need, field in CONSIDERATIONS.items():
        spec = needs.get(need) or {}
        texts = []
        for s in parsed.find_sections(spec.get("exact", ()), spec.get("contains", ())):
            text = " ".join(s.text.split())
            if text and not s.stub:
                texts.append(text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "...")
        if texts:
            out[field] = texts[:5]
    return out


def _model(rel: Release, n: int, root: str | None) -> tuple[dict[str, Any], list[str]]:
    meta = rel.meta
    ref = f"release-{n}-{_slug(rel.name)}"
    comp: dict[str, Any] = {"type": "machine-learning-model", "bom-ref": ref, "name": rel.name}
    if meta.get("version"):
        comp["version"] = str(meta["version"])
    producer = str(meta.get("producer") or "").strip()
    if producer:
        comp["supplier"] = {"name": producer}
    comp["description"] = f"AI model release: {rel.result.class_label} (Model Openness Framework {rel.framework.version})"
    dist, _path, none = distribution_spdx(rel)
    if dist and not none:
        comp["licenses"] = [{"expression": dist, "acknowledgement": "declared"}]
    refs = []
    hf = str(meta.get("huggingface") or "").strip()
    if hf and not hf.startswith("http") and re.fullmatch(r"[\w.\-]+/[\w.\-]+", hf):
        hf = f"https://huggingface.co/{hf}"
    m = re.fullmatch(r"https?://huggingface\.co/([A-Za-z0-9][\w.\-]*)/([\w.\-]+)/?", hf)
    if m:
        comp["purl"] = f"pkg:huggingface/{m.group(1)}/{m.group(2)}"
    if _url(hf):
        refs.append({"type": "distribution", "url": hf})
    repo = str(meta.get("repository") or "").strip()
    if _url(repo):
        refs.append({"type": "vcs", "url": repo})
    if refs:
        comp["externalReferences"] = refs

    parts, datasets, arch = [], [], None
    for c in rel.listed():
        cref = f"{ref}-component-{c.id}-{_slug(c.name)}"
        parts.append(_component(rel, c, cref))
        if c.name in rel.framework.role_names(*DATASETS):
            datasets.append({"ref": cref})
        if c.name == rel.framework.role("architecture"):
            arch = (cref, component_path(rel, c))
    params: dict[str, Any] = {}
    kind = str(meta.get("type") or "").strip()
    if kind and kind != "undisclosed":
        params["task"] = kind
    family = str(meta.get("architecture") or "").strip()
    if family and family != "undisclosed":
        params["architectureFamily"] = family
    if arch is not None:
        params["modelArchitecture"] = (family or "model architecture") + (f" (code: {arch[1]})" if arch[1] else "")
    if datasets:
        params["datasets"] = datasets
    card: dict[str, Any] = {"bom-ref": f"{ref}-model-card"}
    if params:
        card["modelParameters"] = params
    considerations = _card_considerations(rel, root)
    if considerations:
        card["considerations"] = considerations
    r = rel.result
    props = [_prop("mof-class", r.standing.cls), _prop("mof-class-label", r.class_label)]
    props += [_prop(f"mof-progress-class-{roman(k)}", f"{v:.1f}") for k, v in sorted(r.standing.progress.items(), reverse=True)]
    if arch is not None:
        props.append(_prop("architecture-ref", arch[0]))
    v = r.verdicts or {}
    if "g7" in v:
        props.append(_prop("g7-label", v["g7"].get("label")))
    if "osaid" in v:
        props.append(_prop("osaid-1.0", "meets" if v["osaid"].get("meets") else "does not meet"))
    if "eu_ai_act" in v:
        props.append(
            _prop(
                "eu-ai-act-53-2",
                "exemption candidate (indicator, not legal advice)" if v["eu_ai_act"].get("open_source_exemption_candidate") else "not a candidate",
            )
        )
    card["properties"] = props
    comp["modelCard"] = card
    if parts:
        comp["components"] = parts
    return comp, [p["bom-ref"] for p in parts]


def build(releases: list[Release], created=None, root: str | None = None) -> dict[str, Any]:
    created = created or created_at()
    seed = "|".join(f"{r.name}@{r.meta.get('version', '')}" for r in releases) + f"|{created.isoformat()}"
    models, deps = [], []
    for n, rel in enumerate(releases, 1):
        comp, parts = _model(rel, n, root)
        models.append(comp)
        deps.append({"ref": comp["bom-ref"], "dependsOn": parts})
        deps.extend({"ref": p} for p in parts)
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'mofcheck:' + seed)}",
        "version": 1,
        "metadata": {
            "timestamp": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tools": {"components": [{"type": "application", "name": "mofcheck", "version": __version__}]},
            "properties": [_prop("framework", f"{releases[0].framework.name} {releases[0].framework.version}"), _prop("mode", releases[0].mode)],
        },
        "components": models,
        "dependencies": deps,
    }


def dump(releases: list[Release], created=None, root: str | None = None) -> str:
    return json.dumps(build(releases, created, root), indent=2, ensure_ascii=False) + "\n"
