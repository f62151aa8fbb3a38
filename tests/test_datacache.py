"""data/yaml-cache.tsv: the packaged YAML criteria and the license index as JSON, never different from the YAML."""

from __future__ import annotations

import json
from importlib import resources

from ruamel.yaml import YAML

from mofcheck import datacache


def test_cache_is_built_from_the_current_yaml():
    """After editing a cached YAML file, run scripts/build_data_cache.py."""
    lines = resources.files("mofcheck.data").joinpath(datacache.CACHE).read_text("utf-8").splitlines()
    shipped = {key: json.loads(entry) for key, _, entry in (line.partition("\t") for line in lines)}
    assert shipped == datacache.build(), "stale: run scripts/build_data_cache.py"
    assert set(shipped) == set(datacache.FILES) | set(datacache.DERIVED)


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

    import pytest

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
