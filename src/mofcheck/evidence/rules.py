"""The component rules (data/evidence/components.yaml) every reader applies, compiled once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..licenses import classify_license


@lru_cache(maxsize=1)
def component_rules() -> dict[str, Any]:
    """components.yaml with its groups expanded and its patterns compiled (keys starting with `_`)."""
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
    data["_hub_card"] = expand(data["hub_card_self_covers"])
    data["_hub_dataset_card"] = expand(data["hub_dataset_card_self_covers"])
    data["_package"] = expand(data["package_license_covers"])
    data["_model_licenses"] = re.compile(data["model_licenses"], re.IGNORECASE)
    data["_model_license_title"] = re.compile(data["model_license_titles"], re.IGNORECASE)
    data["_model_license_covers"] = expand(data["model_license_covers"])
    data["_all"] = expand(groups)
    data["_expand"] = expand
    return data


@lru_cache(maxsize=1)
def source_rules() -> dict[str, Any]:
    """sources.yaml: what a link to each kind of remote source can back, and the hosts' conventions.
    Component groups (`code`, `weights`) are expanded; `_intermediate_ref` is compiled."""
    from ..datacache import load_yaml

    data = load_yaml("evidence/sources.yaml")
    expand = component_rules()["_expand"]
    for spec in data["readers"].values():
        spec["backs"] = expand(spec["backs"])
        if "card_license_covers" in spec:
            spec["card_license_covers"] = expand(spec["card_license_covers"])
    links = data["links"]
    for k, v in list(links.items()):
        if isinstance(v, list):
            links[k] = expand(v)
    links["component_companions"] = {k: expand(v) for k, v in links["component_companions"].items()}
    data["_intermediate_ref"] = re.compile(data["readers"]["hf-model"]["intermediate_ref"], re.IGNORECASE)
    return data


def license_expression(text: str) -> tuple[str | None, bool]:
    """(normalised expression, known) for a license string found in the evidence."""
    v = classify_license(text, "code", "mof")
    return v.expression, v.known


__all__ = ["component_rules", "source_rules", "license_expression"]
