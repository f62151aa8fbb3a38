"""The curated license table: data/licenses/licenses.yaml (+ hf-ids.yaml), read through its lookup index.

licenses.yaml is the reviewed source; the index (`build_index_from_yaml`) is cached in data/yaml-cache.tsv
(datacache.py, scripts/build_data_cache.py), because ruamel needs over a second for the YAML and the
index takes ~24 ms to build, while reading it takes a few. Lookups are case-insensitive.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

DATA = Path(__file__).resolve().parent.parent / "data" / "licenses"
KINDS = ("code", "data", "document")
# SPDX special values: no assertion made / explicitly no license.
NOASSERTION, NONE = "NOASSERTION", "NONE"
SPDX_URL = "https://spdx.org/licenses/{}.html"
# The id identification gives an edited license text (LicenseRef-mofcheck-modified-MIT): never open.
MODIFIED_PREFIX = "LicenseRef-mofcheck-modified-"

_DEFAULTS: dict[str, Any] = {
    "name": "",
    "osi": False,
    "fsf": False,
    "open": False,
    "kinds": [],
    "restrictive": False,
    "reason": "",
    "deprecated": False,
    "replaced_by": None,
    "ambiguous": False,
    "aliases": [],
    "scancode_keys": [],
    "url": None,
}


class License(NamedTuple):  # a NamedTuple: far cheaper to define at import than a dataclass
    id: str
    name: str
    osi: bool
    fsf: bool
    open: bool
    kinds: tuple[str, ...]
    restrictive: bool
    reason: str
    deprecated: bool
    replaced_by: str | None
    ambiguous: bool
    aliases: tuple[str, ...]
    scancode_keys: tuple[str, ...]
    url: str | None

    def appropriate_for(self, kind: str) -> bool:
        return self.open and kind in self.kinds

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["kinds"], d["aliases"], d["scancode_keys"] = list(self.kinds), list(self.aliases), list(self.scancode_keys)
        return d


def norm_key(text: str) -> str:
    """Lookup key: lower case, runs of whitespace collapsed."""
    return " ".join(text.split()).lower()


@lru_cache(maxsize=1)
def _index() -> dict[str, Any]:
    from .. import datacache

    return datacache.load("licenses/index")  # built by index_from_yaml when the YAML changed since


def index_from_yaml() -> dict[str, Any]:
    """The runtime index from the packaged YAML (datacache's builder for `licenses/index`), its keys
    sorted as they always were."""
    import json

    return json.loads(json.dumps(build_index_from_yaml(DATA)[0], sort_keys=True))


@cache
def get(lid: str) -> License | None:
    """The entry with exactly this canonical id."""
    raw = _index()["licenses"].get(lid)
    if raw is None:
        return None
    d = {**_DEFAULTS, **raw}
    if "url" not in raw and not lid.startswith("LicenseRef-"):
        d["url"] = SPDX_URL.format(lid)
    return License(id=lid, **{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


def resolve_id(text: str) -> str | None:
    """Canonical id (or NOASSERTION) for an id, alias, Hugging Face id, ScanCode key or name; any case."""
    return _index()["lookup"].get(norm_key(text))


def lookup(text: str) -> License | None:
    """The table entry for an id or any alias (case-insensitive). Deprecated ids give their own entry."""
    lid = resolve_id(text)
    return get(lid) if lid else None


def from_scancode(key: str) -> License | None:
    """The entry for a ScanCode license key (e.g. `bsd-new`, `llama-2-license-2023`)."""
    lid = _index()["scancode"].get(key.lower())
    return get(lid) if lid else None


def hf_ids() -> dict[str, str]:
    """Hugging Face `license:` id -> canonical id."""
    return dict(_index()["hf"])


def exception_id(text: str) -> str | None:
    """Canonical SPDX exception id for a `WITH` operand (case-insensitive), or None."""
    return _index()["exceptions"].get(text.lower())


def spdx_list_version() -> str:
    return _index()["spdx_list_version"]


def all_licenses() -> list[License]:
    return [get(lid) for lid in sorted(_index()["licenses"], key=str.lower)]  # type: ignore[misc]


def licenses_for(kind: str) -> list[License]:
    """Current (non-deprecated) licenses that are open and the right kind for `kind`."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    return [lic for lic in all_licenses() if not lic.deprecated and lic.appropriate_for(kind)]


# --- building the index from the YAML sources (build script and tests; never on the hot path) ------------

_REF_RE = re.compile(r"^LicenseRef-[A-Za-z0-9.\-]+$")


def load_yaml_sources(folder: Path = DATA) -> tuple[dict[str, Any], dict[str, Any]]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    lic = yaml.load((folder / "licenses.yaml").read_text("utf-8"))
    hf = yaml.load((folder / "hf-ids.yaml").read_text("utf-8"))
    return lic, hf


def build_index_from_yaml(folder: Path = DATA, sources: tuple[dict[str, Any], dict[str, Any]] | None = None) -> tuple[dict[str, Any], list[str]]:
    """The runtime index (cached as `licenses/index`) and a list of problems (key clashes, bad references)."""
    lic_doc, hf_doc = sources or load_yaml_sources(folder)
    licenses: dict[str, dict[str, Any]] = lic_doc["licenses"]
    hf: dict[str, str] = dict(hf_doc["ids"])
    problems: list[str] = []

    compact: dict[str, dict[str, Any]] = {}
    for lid, e in licenses.items():
        compact[lid] = {k: v for k, v in e.items() if k in _DEFAULTS and v != _DEFAULTS[k]}
        if compact[lid].get("url") == SPDX_URL.format(lid):
            del compact[lid]["url"]  # rebuilt by get(): saves a tenth of the index

    lookup: dict[str, str] = {}
    blocked: set[str] = set()

    def level(pairs: list[tuple[str, str]], what: str) -> None:
        seen: dict[str, str] = {}
        for key, lid in pairs:
            k = norm_key(key)
            if not k or k in lookup or k in blocked:
                continue
            if k in seen and seen[k] != lid:
                problems.append(f"{what} {key!r} names both {seen[k]} and {lid}: dropped")
                blocked.add(k)
                continue
            seen[k] = lid
        for k, lid in seen.items():
            if k not in blocked:
                lookup[k] = lid

    current = [lid for lid, e in licenses.items() if not e.get("deprecated")]
    level([(lid, lid) for lid in current], "id")
    level([(lid, lid) for lid, e in licenses.items() if e.get("deprecated")], "deprecated id")
    level(list(hf.items()), "Hugging Face id")
    level([(a, lid) for lid, e in licenses.items() for a in e.get("aliases") or []], "alias")
    level([(s, lid) for lid, e in licenses.items() for s in e.get("scancode_keys") or []], "ScanCode key")
    level([(licenses[lid]["name"], lid) for lid in current if licenses[lid].get("name")], "name")
    level([(e["name"], lid) for lid, e in licenses.items() if e.get("deprecated") and e.get("name")], "name")

    scancode: dict[str, str] = {}
    for lid, e in licenses.items():
        for s in e.get("scancode_keys") or []:
            if s.lower() in scancode and scancode[s.lower()] != lid:
                problems.append(f"ScanCode key {s!r} in both {scancode[s.lower()]} and {lid}")
            scancode[s.lower()] = lid
    for hid, lid in hf.items():
        if lid != NOASSERTION and lid not in licenses:
            problems.append(f"Hugging Face id {hid!r} maps to {lid!r}, which is not in licenses.yaml")
    for lid in licenses:
        if lid.startswith("LicenseRef-") and not _REF_RE.match(lid):
            problems.append(f"{lid!r} is not a valid SPDX LicenseRef idstring")
    exceptions = {x.lower(): x for x in (lic_doc.get("exceptions") or {})}
    index = {
        "version": lic_doc["version"],
        "spdx_list_version": str(lic_doc["spdx_list_version"]),
        "licenses": compact,
        "lookup": lookup,
        "scancode": scancode,
        "hf": hf,
        "exceptions": exceptions,
    }
    return index, problems
