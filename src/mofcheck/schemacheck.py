"""A small JSON Schema (draft 7) validator for the keywords mofcheck's own schemas use.

`mofcheck check` validates every manifest, and importing jsonschema costs more than the rest of a small
check. The MOT-format manifest schema uses a handful of keywords; this module implements exactly those,
with jsonschema's error order and messages, and refuses (returns None from `compile_schema`) any schema
that uses something else, so the caller falls back to jsonschema. tests/test_schemacheck.py proves it
equivalent to jsonschema on MOT's registry, the fixtures and thousands of mutated documents.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Keywords that only annotate, or that can never fail with the values the check below allows.
_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "definitions", "$comment", "examples", "default"})
_CHECKED = frozenset(
    {"type", "required", "properties", "enum", "minLength", "format", "items", "maxItems", "minItems", "minProperties", "additionalProperties", "$ref"}
)
_TYPES = {"object": dict, "array": list, "string": str}
_RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # jsonschema's `date` format check


@dataclass
class SchemaError:
    """The parts of a jsonschema ValidationError that mofcheck reads."""

    absolute_path: tuple[Any, ...]
    validator: str
    validator_value: Any
    instance: Any
    message: str


def _is_type(instance: Any, name: str) -> bool:
    if name == "null":
        return instance is None
    return isinstance(instance, _TYPES[name])


def _supported(node: Any, root: dict[str, Any]) -> bool:
    if not isinstance(node, dict):
        return False
    for key, value in node.items():
        if key in _ANNOTATIONS:
            continue
        if key not in _CHECKED:
            return False
        if key == "$ref":
            if len(node) != 1 or _resolve(value, root) is None:  # draft 7: $ref siblings are ignored; keep it simple
                return False
        elif key == "type":
            names = value if isinstance(value, list) else [value]
            if not names or any(n not in _TYPES and n != "null" for n in names):
                return False
        elif key == "format" and value != "date":
            return False
        elif key == "additionalProperties" and value is not True:
            return False
        elif key in ("minItems", "minProperties") and value != 0:
            return False
        elif key in ("maxItems", "minLength") and not (type(value) is int and value >= 1):
            return False
        elif key == "enum" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return False
        elif key == "required" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return False
        elif key == "properties" and not (isinstance(value, dict) and all(_supported(s, root) for s in value.values())):
            return False
        elif key == "items" and not _supported(value, root):
            return False
    return True


def _resolve(ref: Any, root: dict[str, Any]) -> dict[str, Any] | None:
    if not isinstance(ref, str) or not ref.startswith("#/definitions/"):
        return None
    target = (root.get("definitions") or {}).get(ref[len("#/definitions/") :])
    return target if isinstance(target, dict) else None


class Validator:
    """iter_errors(instance) yields SchemaErrors in jsonschema's order."""

    def __init__(self, schema: dict[str, Any]):
        self.schema = schema

    def iter_errors(self, instance: Any) -> Iterator[SchemaError]:
        yield from self._errors(self.schema, instance, ())

    def _errors(self, schema: dict[str, Any], inst: Any, path: tuple[Any, ...]) -> Iterator[SchemaError]:
        for key, value in schema.items():
            if key == "$ref":
                yield from self._errors(_resolve(value, self.schema), inst, path)  # type: ignore[arg-type]
            elif key == "type":
                names = value if isinstance(value, list) else [value]
                if not any(_is_type(inst, n) for n in names):
                    reprs = ", ".join(repr(n) for n in names)
                    yield SchemaError(path, key, value, inst, f"{inst!r} is not of type {reprs}")
            elif key == "required":
                if isinstance(inst, dict):
                    for prop in value:
                        if prop not in inst:
                            yield SchemaError(path, key, value, inst, f"{prop!r} is a required property")
            elif key == "properties":
                if isinstance(inst, dict):
                    for prop, sub in value.items():
                        if prop in inst:
                            yield from self._errors(sub, inst[prop], path + (prop,))
            elif key == "enum":
                if all(not each == inst for each in value):  # string values: jsonschema's equal() is ==
                    yield SchemaError(path, key, value, inst, f"{inst!r} is not one of {value!r}")
            elif key == "minLength":
                if isinstance(inst, str) and len(inst) < value:
                    message = "should be non-empty" if value == 1 else "is too short"
                    yield SchemaError(path, key, value, inst, f"{inst!r} {message}")
            elif key == "maxItems":
                if isinstance(inst, list) and len(inst) > value:
                    yield SchemaError(path, key, value, inst, f"{inst!r} is too long")
            elif key == "items":
                if isinstance(inst, list):
                    for i, item in enumerate(inst):
                        yield from self._errors(value, item, path + (i,))
            elif key == "format":
                if isinstance(inst, str) and not _is_date(inst):
                    yield SchemaError(path, key, value, inst, f"{inst!r} is not a {value!r}")


def _is_date(text: str) -> bool:
    if not _RE_DATE.fullmatch(text):
        return False
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def compile_schema(schema: dict[str, Any]) -> Validator | None:
    """A Validator for `schema`, or None when it uses a keyword (or value) this module does not implement."""
    if not isinstance(schema, dict) or not _supported(schema, schema):
        return None
    return Validator(schema)
