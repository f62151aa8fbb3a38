"""data/yaml-cache.tsv: the packaged YAML criteria, the license index and the expanded path patterns as JSON,
never different from the YAML."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import pytest
from ruamel.yaml import YAML

from mofcheck import datacache

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))  # the build-time steps (datacache.Derived.finish)


def test_cache_is_built_from_the_current_yaml():
    """After editing a cached YAML file, run scripts/build_data_cache.py."""
    lines = resources.files("mofcheck.data").joinpath(datacache.CACHE).read_text("utf-8").splitlines()
    shipped = {key: json.loads(entry) for key, _, entry in (line.partition("\t") for line in lines)}
    assert shipped == datacache.build(), "stale: run scripts/build_data_cache.py"
    assert set(shipped) == set(datacache.FILES) | set(datacache.DERIVED)


def test_the_build_script_finds_the_cache_current():
    """The one build script checks every entry (the YAML files, the license index, the path patterns)."""
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_data_cache.py"), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_the_build_step_runs_only_when_the_cache_is_built(monkeypatch):
    """A derived entry's `finish` (the path patterns' needles) is in the built entry, not in the data rebuilt at
    runtime from a stale entry; a build that cannot import it fails instead of writing an entry without it."""
    key = "evidence/patterns"
    assert datacache.DERIVED[key].finish == "pattern_needles:with_needles"
    built = datacache.build()[key]["data"]
    assert built["needles"] and built["dir_needles"]
    real = datacache.checksum
    monkeypatch.setattr(datacache, "checksum", lambda raw: real(raw) + 1)
    rebuilt = datacache.load(key)
    assert "needles" not in rebuilt and "dir_needles" not in rebuilt
    assert rebuilt == {k: v for k, v in built.items() if k not in ("needles", "dir_needles")}
    monkeypatch.setattr(datacache, "checksum", real)
    monkeypatch.setitem(datacache.DERIVED, key, datacache.DERIVED[key]._replace(finish="no_such_build_step:finish"))
    with pytest.raises(ModuleNotFoundError, match="no_such_build_step"):
        datacache.build()


def test_each_key_finds_its_own_line_only():
    """Lines are found by `key<TAB>` at a line start: the first and last keys are found, and the tail of a key
    ("index" of "licenses/index", "yaml" of "checks.yaml") is no key."""
    keys = [*datacache.FILES, *datacache.DERIVED]
    for key in (keys[0], keys[-1]):
        assert datacache.stored(key)[0], key
    for tail in ("index", "yaml", "s.yaml", ""):
        assert datacache.stored(tail) == (False, None)


def test_load_yaml_equals_the_yaml_and_is_a_fresh_object():
    for rel in datacache.FILES:
        text = resources.files("mofcheck.data").joinpath(rel).read_text("utf-8")
        got = datacache.load_yaml(rel)
        assert got == YAML(typ="safe").load(text)
        got["_changed_by_a_caller"] = 1
        assert "_changed_by_a_caller" not in datacache.load_yaml(rel)


def test_a_stale_entry_is_ignored(monkeypatch):
    rel = datacache.FILES[0]
    real = datacache.checksum
    monkeypatch.setattr(datacache, "checksum", lambda text: real(text) + 1)  # as if the YAML had been edited
    calls = []
    yaml = datacache._yaml
    monkeypatch.setattr(datacache, "_yaml", lambda text: calls.append(1) or yaml(text))
    assert datacache.load_yaml(rel) == yaml(resources.files("mofcheck.data").joinpath(rel).read_text("utf-8"))
    assert calls  # the YAML was parsed, not the cache used


def test_data_json_cannot_carry_is_refused(monkeypatch):
    import datetime as dt

    monkeypatch.setattr(datacache, "_yaml", lambda text: {"date": dt.date(2025, 1, 1)})
    with pytest.raises(ValueError, match="does not survive JSON"):
        datacache.build()


def test_derived_data_is_rebuilt_when_its_sources_change(monkeypatch):
    """The license index is cached like a YAML file: a stale entry is ignored and the index built again."""
    from mofcheck.licenses import table

    ok, cached = datacache.stored("licenses/index")
    assert ok and cached["licenses"]["MIT"]
    real = datacache.checksum
    monkeypatch.setattr(datacache, "checksum", lambda text: real(text) + 1)
    assert datacache.stored("licenses/index") == (False, None)
    built = []
    monkeypatch.setattr(table, "build_index_from_yaml", lambda folder: built.append(folder) or ({"licenses": {}}, []))
    assert datacache.load("licenses/index") == {"licenses": {}} and built
