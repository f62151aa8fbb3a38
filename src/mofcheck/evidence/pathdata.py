"""Loading the path patterns (`data/evidence/patterns.yaml`, or a tuned copy).

`expand_patterns` turns the YAML document into plain JSON-able data: macros and globs expanded, every
regex checked. The packaged patterns are read in that form from the data cache (datacache.py, key
`evidence/patterns`), where the build added each regex's needles (see pathmatch); when patterns.yaml was
edited since, the entry is ignored and the YAML expanded instead, without needles (the same result, slower).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import data, datacache
from ..errors import ConfigError
from .pathmatch import Patterns, build_patterns

FORMAT = 2
KEY = "evidence/patterns"  # the packaged patterns' entry in the data cache (datacache.DERIVED)


def _expand(text: str, macros: dict[str, str]) -> str:
    for _ in range(5):  # macros may use macros
        new = re.sub(r"\$\{(\w+)\}", lambda m: macros.get(m.group(1), m.group(0)), text)
        if new == text:
            break
        text = new
    if "${" in text:
        raise ConfigError(f"unknown macro in pattern {text!r}")
    return text


def _compile(raw: Any, where: str, macros: dict[str, str], case: bool) -> list[Any] | None:
    """[pattern, flags] of a checked regex, or None."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise ConfigError(f"{where}: a pattern must be a string")
    try:
        rx = re.compile(_expand(raw, macros), 0 if case else re.IGNORECASE)
    except re.error as e:
        raise ConfigError(f"{where}: bad regex {raw!r}: {e}") from None
    return [rx.pattern, int(rx.flags)]


def _rule(kind: str, spec: Any, rid: str, macros: dict[str, str]) -> dict[str, Any]:
    if not isinstance(spec, dict) or not ({"name", "dir", "path", "glob"} & spec.keys()):
        raise ConfigError(f"patterns: {rid}: a rule needs name, dir, path or glob")
    case = bool(spec.get("case", False))
    path_rx = spec.get("path")
    if "glob" in spec:
        from ..repo import glob_to_regex

        path_rx = glob_to_regex(spec["glob"])
    weight = float(spec.get("weight", 1.0))
    if not 0.0 <= weight <= 1.0:
        raise ConfigError(f"patterns: {rid}: weight must be between 0 and 1")
    return {
        "kind": kind,
        "id": str(spec.get("id", rid)),
        "weight": weight,
        "name": _compile(spec.get("name"), rid, macros, case),
        "dir": _compile(spec.get("dir"), rid, macros, case),
        "path": _compile(path_rx, rid, macros, case),
    }


def expand_patterns(data: dict[str, Any]) -> dict[str, Any]:
    """Check and expand a patterns document (the shape of data/evidence/patterns.yaml) into plain data,
    the form `pathmatch.build_patterns` reads."""
    if not isinstance(data, dict) or not isinstance(data.get("kinds"), dict):
        raise ConfigError("patterns: expected a mapping with `kinds`")
    macros = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
    kinds: dict[str, str] = {}
    rules: list[dict[str, Any]] = []
    excludes: dict[str, list[dict[str, Any]]] = {}
    for kind, spec in data["kinds"].items():
        spec = spec or {}
        kinds[str(kind)] = str(spec.get("description", ""))
        for i, r in enumerate(spec.get("rules") or []):
            rules.append(_rule(kind, r, f"{kind}.{i}", macros))
        ex = [_rule(kind, r, f"{kind}.exclude.{i}", macros) for i, r in enumerate(spec.get("exclude") or [])]
        if ex:
            excludes[str(kind)] = ex
    ignore = [_rule("ignore", r, f"ignore.{i}", macros) for i, r in enumerate(data.get("ignore") or [])]
    vend = data.get("vendored") or {}
    nested = vend.get("nested_project")
    if nested:
        nested = dict(nested)
        nested["not_dir_names"] = _compile(nested.get("not_dir_names"), "vendored.nested_project", macros, False)
    return {
        "format": FORMAT,
        "kinds": kinds,
        "rules": rules,
        "excludes": excludes,
        "ignore": ignore,
        "vendored_dir": _compile(vend.get("dir_names"), "vendored.dir_names", macros, False),
        "submodules_vendored": bool(vend.get("submodules", True)),
        "nested": nested or None,
        "digit_blind": bool(data.get("digit_blind", True)),
    }


def parse_patterns(data: dict[str, Any]) -> Patterns:
    """Compile a patterns document (the shape of data/evidence/patterns.yaml)."""
    return build_patterns(expand_patterns(data))


def packaged_document() -> dict[str, Any]:
    """The packaged patterns.yaml, expanded (datacache's builder for `evidence/patterns`; the cache build adds
    the needles)."""
    return expand_patterns(load_yaml(data.text("evidence/patterns.yaml")))


def load_yaml(text: str) -> dict[str, Any]:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(text)


@lru_cache(maxsize=8)
def _load_cached(path: str | None) -> Patterns:
    if path is None:
        return build_patterns(datacache.load(KEY))
    p = Path(path)
    if p.stat().st_size > 4 * 1024 * 1024:
        raise ConfigError(f"{path}: patterns file too large")
    return parse_patterns(load_yaml(p.read_text("utf-8")))


def load_patterns(path: str | Path | None = None) -> Patterns:
    """The compiled patterns: the packaged ones, or a tuned copy at `path`. Cached."""
    return _load_cached(None if path is None else str(path))
