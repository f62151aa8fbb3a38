"""The release as a MOT registry file (lfai/model_openness_tool `models/*.yml`).

Every listed component carries its resolved license explicitly (the normalised SPDX expression in mof
mode, the text as MOT reads it in mot mode, `unlicensed` where there is none), so the file evaluates
the same wherever the globals would have resolved it. Written with ruamel's round-trip dumper, block
style with MOT's flow mappings for `framework` and the global licenses.
"""

from __future__ import annotations

import io
import re
from typing import Any

from .. import __version__
from ..manifest import GLOBAL_KEYS, UNLICENSED
from ..report.escape import name, terminal, undecodable
from . import Release, component_path, license_path, normalised_license

# release fields MOT's schema and importer know, in MOT's order
RELEASE_FIELDS = ("name", "version", "date", "type", "architecture", "treatment", "origin", "producer", "contact", "repository", "huggingface")

_ENUMS = {
    "type": {"", "language", "vision", "image", "audio", "video", "3d", "code", "multimodal", "other"},
    "architecture": {
        "",
        "transformer",
        "transformer decoder",
        "transformer encoder-decoder",
        "decoder",
        "encoder",
        "diffusion",
        "RNN",
        "CNN",
        "LSTM",
        "NeRF",
        "hybrid",
        "undisclosed",
        "other",
    },
    "treatment": {"pre-trained", "instruct fine-tuned", "chat fine-tuned"},
}


_PLAIN = re.compile(r"[A-Za-z0-9._+-]*")


def _flow_value(text: str):
    """Quote a value inside a flow mapping unless it is a bare token (ruamel cannot re-read `{path: https://x}`)."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    return text if _PLAIN.fullmatch(text) else SingleQuotedScalarString(text)


def component_license(release: Release, comp) -> str:
    lic = comp.license
    if lic is None or lic.expression is None:
        return UNLICENSED
    return lic.expression


def to_data(release: Release) -> Any:
    """The MOT document as ruamel CommentedMap/Seq (flow style where MOT's files use it)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    fw = release.framework
    meta = release.meta
    doc = CommentedMap()
    framework = CommentedMap([("name", _flow_value(fw.name)), ("version", fw.version), ("date", fw.date)])
    framework.fa.set_flow_style()
    doc["framework"] = framework

    rel = CommentedMap()
    for key in RELEASE_FIELDS:
        value = meta.get(key)
        if key == "name":
            value = release.name
        if not isinstance(value, str):
            if key == "producer":
                value = ""  # required by MOT's schema
            else:
                continue
        if key in _ENUMS and value not in _ENUMS[key]:
            continue
        rel[key] = value

    globals_ = CommentedMap()
    if release.manifest:
        for key in GLOBAL_KEYS:
            g = release.manifest.global_licenses.get(key)
            if g is None:
                continue
            name = normalised_license(g.name, "code" if key == "distribution" else key, release.mode) or ""
            entry = CommentedMap([("name", _flow_value(name)), ("path", _flow_value(g.path or ""))])
            entry.fa.set_flow_style()
            globals_[key] = entry
    rel["license"] = globals_

    comps = CommentedSeq()
    for c in release.listed():
        item = CommentedMap()
        item["name"] = c.name
        cdef = fw.component(c.name)
        if cdef is not None:
            item["description"] = cdef.description
        item["license"] = component_license(release, c)
        lp = license_path(release, c)
        if lp:
            item["license_path"] = lp
        cp = component_path(release, c)
        if cp:
            item["component_path"] = cp
        comps.append(item)
    rel["components"] = comps
    doc["release"] = rel
    return doc


def dump(release: Release) -> str:
    from ruamel.yaml import YAML

    y = YAML(typ="rt", pure=True)
    y.width = 4096  # never fold a description or URL
    y.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    origin = f" from {terminal(release.manifest.path, 1000)}" if release.manifest else ""
    buf.write(f"# Exported by mofcheck {__version__} ({release.mode} mode){origin}: {release.result.class_label}\n")
    y.dump(_names(to_data(release)), buf)
    return buf.getvalue()


def _names(node: Any) -> Any:
    """Every string in the document through `escape.name` (a file name that is not UTF-8), in place, so
    ruamel keeps its styles."""
    if isinstance(node, dict):
        for k in node:
            node[k] = _names(node[k])
    elif isinstance(node, list):
        node[:] = [_names(v) for v in node]
    elif isinstance(node, str) and undecodable(node):
        return type(node)(name(node))
    return node
