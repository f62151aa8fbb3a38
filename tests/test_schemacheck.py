"""schemacheck (the manifest validator `mofcheck check` uses) gives exactly jsonschema's errors: same paths,
keywords, messages and order, on MOT's registry, the fixtures and thousands of mutated documents."""

from __future__ import annotations

import copy
import datetime as dt
import random

from ruamel.yaml import YAML

from mofcheck import manifest
from mofcheck.schemacheck import Validator, compile_schema

from .conftest import FIXTURES, SHARED


def _errors(validator, doc):
    return [(tuple(e.absolute_path), e.validator, e.validator_value, e.message, manifest._schema_message(e)) for e in validator.iter_errors(doc)]


def _corpus() -> list[tuple[str, object]]:
    loader = YAML(typ="safe")
    paths = sorted(FIXTURES.rglob("*.yml")) + sorted(FIXTURES.rglob("mof.yaml"))
    if (SHARED / "mot").is_dir():  # MOT's 273 registry files and its test files, when the corpus is here
        paths += sorted((SHARED / "mot" / "models").glob("*.yml")) + sorted((SHARED / "mot" / "Test_Data").glob("*.yml"))
    out = []
    for p in paths:
        if p.name == "expected.yaml":
            continue
        text = p.read_text(encoding="utf-8")
        try:
            out.append((str(p), loader.load(text)))
        except Exception:  # a deliberately broken fixture
            continue
        try:  # and as mofcheck itself loads it (round-trip parser, plain types)
            out.append((f"{p} (load_text)", manifest.load_text(text, p.name)[0]))
        except Exception:
            pass
    return out


CORPUS = _corpus()

# Values of every kind a YAML document can hold, and near misses of the schema's constraints.
ODD = [
    None,
    True,
    False,
    0,
    1,
    -3,
    2.5,
    float("inf"),
    "",
    " ",
    "x",
    "MIT",
    "2025-01-01",
    "2025-02-30",
    "2025-1-1",
    "2025-01-01\n",
    "２０２５-01-01",
    "20250101",
    dt.date(2025, 1, 1),
    dt.datetime(2025, 1, 1, 12, 0),
    [],
    [1],
    ["a", None],
    {},
    {"name": "MIT"},
    {"name": None, "path": None},
    {"name": 1, "path": []},
    "Model Openness Framework",
    "language",
    "Language",
    "transformer",
    "RNN",
    "pre-trained",
    "unlicensed",
    [{}] * 17,
    [{}] * 18,
    [{"name": "Model card", "license": 3}],
    {"distribution": {"name": 5}},
    {"data": "CC-BY-4.0"},
]


def _slots(doc, path=()):
    """Every (container, key) in the document, so a mutation can hit any depth."""
    if isinstance(doc, dict):
        for k in list(doc):
            yield doc, k
            yield from _slots(doc[k], path + (k,))
    elif isinstance(doc, list):
        for i in range(len(doc)):
            yield doc, i
            yield from _slots(doc[i], path + (i,))


def _mutate(doc, rng: random.Random):
    d = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 4)):
        slots = list(_slots(d))
        if not slots:
            return rng.choice(ODD)
        container, key = rng.choice(slots)
        r = rng.random()
        if r < 0.55:
            container[key] = copy.deepcopy(rng.choice(ODD))
        elif r < 0.75:
            del container[key]
        elif r < 0.9 and isinstance(container, dict):
            container[rng.choice(["name", "license", "date", "type", "extra", "components", "path", 7])] = copy.deepcopy(rng.choice(ODD))
        elif isinstance(container, list):
            container.extend(copy.deepcopy(container) * rng.randint(1, 3))
    return d


def test_the_manifest_schema_is_handled_without_jsonschema():
    assert isinstance(manifest._validator(), Validator)


def test_same_errors_as_jsonschema_on_the_corpus():
    ours, ref = manifest._validator(), manifest.reference_validator()
    for name, doc in CORPUS:
        assert _errors(ours, doc) == _errors(ref, doc), name
    assert len(CORPUS) > (500 if (SHARED / "mot").is_dir() else 20)


def test_same_errors_as_jsonschema_on_mutated_documents():
    ours, ref = manifest._validator(), manifest.reference_validator()
    rng = random.Random(20250101)
    docs = [d for _, d in CORPUS if isinstance(d, dict)]
    assert docs
    invalid = checked = 0
    for _ in range(4000):
        doc = _mutate(rng.choice(docs), rng)
        expected = _errors(ref, doc)
        assert _errors(ours, doc) == expected, doc
        invalid += bool(expected)
        checked += 1
    assert checked == 4000 and invalid > 2000  # the mutations do reach the constraints


def test_schema_errors_sorted_like_before():
    doc = {"release": {"name": "", "date": "2025-13-01", "components": [{"name": 1}] * 18, "type": "speech"}, "framework": {}}
    errs = manifest.schema_errors(doc)
    ref = sorted(
        ((tuple(e.absolute_path), manifest._schema_message(e)) for e in manifest.reference_validator().iter_errors(doc)), key=lambda e: [str(p) for p in e[0]]
    )
    assert errs == ref and len(errs) > 5


def test_unsupported_schemas_fall_back():
    assert compile_schema({"type": "object", "patternProperties": {"x": {}}}) is None
    assert compile_schema({"type": "integer"}) is None
    assert compile_schema({"format": "email"}) is None
    assert compile_schema({"additionalProperties": False}) is None
    assert compile_schema({"$ref": "#/definitions/nope"}) is None
    assert compile_schema({"properties": {"a": {"minItems": 2}}}) is None
    assert compile_schema({"type": "object", "required": ["a"]}) is not None
