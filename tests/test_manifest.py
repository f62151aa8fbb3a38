"""Manifests: discovery, safe loading with positions, the MOT-format schema, and strict checks."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from ruamel.yaml import YAML

from mofcheck import framework, manifest
from mofcheck.errors import ManifestError

from .conftest import FIXTURES, shared_path

FW = framework.load()
BAD = FIXTURES / "bad-manifests"


def _expected_bad() -> dict[str, list]:
    return YAML(typ="safe").load((BAD / "expected.yaml").read_text())


@pytest.mark.parametrize("name", sorted(_expected_bad()))
def test_bad_manifest_exit_2_with_position(cli, name):
    line, col, fragment = _expected_bad()[name]
    run = cli("check", str(BAD), "--manifest", str(BAD / name), "--format", "json")
    assert run.code == 2
    assert "Traceback" not in run.err
    assert f"{name}:{line}:{col}: " in run.err, run.err
    assert fragment in run.err
    report = json.loads(run.out)
    (finding,) = [f for f in report["findings"] if f["code"] == "manifest.invalid"]
    assert finding["line"] == line and finding["severity"] == "error"


def test_every_bad_fixture_has_an_expectation():
    assert sorted(p.name for p in BAD.glob("*.yml")) == sorted(_expected_bad())


def test_python_tag_is_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"framework: {{name: x}}\nrelease: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ManifestError, match="tag"):
        manifest.parse(text, "m.yml", FW)
    assert not marker.exists()


def test_alias_bomb_is_bounded():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(ManifestError, match="alias bomb"):
        manifest.parse("\n".join(lines) + "\n", "bomb.yml", FW)


def test_deep_nesting_is_an_error_not_a_crash():
    text = "release: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(ManifestError) as exc:
        manifest.parse(text, "deep.yml", FW)
    assert "deep" in str(exc.value)


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbfframework: {name: 'Model Openness Framework', version: '1.0', date: '2024-12-15'}\r\nrelease: {name: A, producer: B, license: {}, components: []}\r\n",
        "framework: {name: 'Model Openness Framework', version: '1.0', date: '2024-12-15'}\nrelease: {name: A, producer: B, license: {}, components: []}\n".encode(
            "utf-16"
        ),
    ],
    ids=["utf8-bom-crlf", "utf16-bom"],
)
def test_encodings(tmp_path, raw):
    p = tmp_path / "mof.yml"
    p.write_bytes(raw)
    assert manifest.load_file(p, "mof.yml", FW).name == "A"


@pytest.mark.parametrize("raw,msg", [(b"release: \xff\xfe\x00bad", "NUL"), (b"name: \xc3\x28\n", "invalid UTF-8")])
def test_undecodable(tmp_path, raw, msg):
    p = tmp_path / "mof.yml"
    p.write_bytes(raw)
    with pytest.raises(ManifestError, match=msg):
        manifest.load_file(p, "mof.yml", FW)


def test_oversized_manifest(tmp_path):
    p = tmp_path / "mof.yml"
    p.write_bytes(b"# " + b"x" * (manifest.MAX_MANIFEST_BYTES + 10))
    with pytest.raises(ManifestError, match="larger than"):
        manifest.load_file(p, "mof.yml", FW)


def test_positions_and_inheritance():
    m = manifest.load_file(FIXTURES / "class2-open-tooling" / "mof.yml", "mof.yml", FW)
    ds = next(c for c in m.components if c.name == "Datasets")
    assert ds.license == "unlicensed" and ds.license_set and ds.line == 25
    arch = next(c for c in m.components if c.name == "Model architecture")
    assert arch.license is None and not arch.license_set
    assert m.global_licenses["data"].name == "CC-BY-4.0" and m.global_licenses["data"].line == 12


def test_discovery_order_and_mof_dir(tmp_path):
    (tmp_path / ".mof").mkdir()
    (tmp_path / ".github").mkdir()
    for rel in ("mof.yml", ".github/mof.yml", ".mof/b.yml", ".mof/a.yaml", ".mof/notes.txt"):
        (tmp_path / rel).write_text("x: 1\n")
    assert manifest.find_manifests(tmp_path) == ["mof.yml", ".github/mof.yml", ".mof/a.yaml", ".mof/b.yml"]
    listed = {"mof.yml", ".mof/b.yml"}  # a repository listing: untracked files never count
    assert manifest.find_manifests(tmp_path, listed) == ["mof.yml", ".mof/b.yml"]


# -- the project's schema accepts exactly what MOT's schema accepts --------------------------------


def _validators():
    mot = json.loads(shared_path("mot", "schema", "mof_schema.json").read_text())
    fc = jsonschema.Draft7Validator.FORMAT_CHECKER
    return jsonschema.Draft7Validator(mot, format_checker=fc), jsonschema.Draft7Validator(manifest.schema(), format_checker=fc)


def _mutations(doc: dict):
    """Variants of a valid document, valid and invalid, that probe every constraint of the schema."""
    yield doc
    rel = doc["release"]
    for key in ("framework", "release"):
        d = copy.deepcopy(doc)
        del d[key]
        yield d
    for key in ("name", "version", "date"):
        d = copy.deepcopy(doc)
        d["framework"].pop(key, None)
        yield d
    for key in list(rel):
        d = copy.deepcopy(doc)
        del d["release"][key]
        yield d
    for key, values in {
        "name": ["", 3, None, "x"],
        "version": [1, "1B"],
        "date": ["2025-02-30", "2025-01-01", "yesterday", 20250101],
        "type": ["", "language", "speech", None],
        "architecture": ["RNN", "rnn", "undisclosed", "mamba"],
        "treatment": ["pre-trained", "fine-tuned"],
        "origin": [5, ""],
        "producer": [None, "P"],
        "contact": [[], "c"],
        "license": [
            {},
            [],
            "MIT",
            {"distribution": {"name": None, "path": None}},
            {"distribution": {"name": 1}},
            {"data": "CC-BY-4.0"},
            {"other": {"x": 1}},
            {"code": {"name": "MIT", "path": 3}},
        ],
        "components": [[], "x", [{}] * 17, [{}] * 18, [{"name": 1}], [{"license": None}], [{"license": "MIT", "extra": 1}], ["Model card"]],
        "repository": [3, "https://github.com/x/y"],
    }.items():
        for v in values:
            d = copy.deepcopy(doc)
            d["release"][key] = v
            yield d
    for v in ["Model Openness Framework", "MOF", None]:
        d = copy.deepcopy(doc)
        d["framework"]["name"] = v
        yield d
    yield []
    yield "release"
    yield None


def _documents():
    loader = YAML(typ="safe")
    for p in sorted(shared_path("mot", "models").glob("*.yml")) + sorted(shared_path("mot", "Test_Data").glob("*.yml")):
        yield p.name, loader.load(p.read_text(encoding="utf-8"))
    for p in sorted(FIXTURES.rglob("*.yml")):
        if p.name != "expected.yaml":
            try:
                yield str(p.relative_to(FIXTURES)), loader.load(p.read_text(encoding="utf-8"))
            except Exception:  # a deliberately broken fixture: its YAML does not load at all
                continue


def test_schema_same_verdicts_as_mots():
    mot, ours = _validators()
    checked = 0
    for name, doc in _documents():
        variants = [doc] if not isinstance(doc, dict) or "release" not in doc or not isinstance(doc["release"], dict) else list(_mutations(doc))
        for v in variants:
            assert mot.is_valid(v) == ours.is_valid(v), (name, v)
            checked += 1
    assert checked > 5000


def test_all_mot_files_are_valid_under_our_schema():
    loader = YAML(typ="safe")
    for p in sorted(shared_path("mot", "models").glob("*.yml")):
        assert manifest.schema_errors(loader.load(p.read_text())) == [], p.name


def test_unknown_component_suggests_by_alias(cli):
    bad = FIXTURES / "bad-manifests"
    run = cli("check", str(bad), "--manifest", str(bad / "unknown-component.yml"), "--format", "json")
    assert "did you mean 'Datasets'?" in run.err
