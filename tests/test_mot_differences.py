"""Every documented difference between `mof` and `mot` mode has a fixture whose verdicts show it."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import FIXTURES, ROOT

DIFF = FIXTURES / "mot-differences"
CASES = sorted(p.name for p in DIFF.glob("*.yml"))
_CLASS = {"none": 0, "3": 3, "2": 2, "1": 1}


def _expected(path):
    text = path.read_text()
    m = re.search(r"^# expected: mof Class (\w+), mot Class (\w+)$", text, re.M)
    status = re.search(r"^# status: (.+): mof (\w+), mot (\w+)$", text, re.M)
    return _CLASS[m.group(1)], _CLASS[m.group(2)], status.groups() if status else None


def _model(cli, path, *mode):
    run = cli("check", str(DIFF), "--manifest", str(path), "--format", "json", "--manifest-only", "--no-config", *mode)
    assert run.code == 0, run.err
    return json.loads(run.out)["models"][0]


@pytest.mark.parametrize("name", CASES)
def test_difference(cli, name):
    path = DIFF / name
    mof_cls, mot_cls, status = _expected(path)
    mof, mot = _model(cli, path), _model(cli, path, "--mode", "mot")
    assert (mof["class"], mot["class"]) == (mof_cls, mot_cls)
    if status:
        comp, mof_status, mot_status = status
        get = lambda m: next(c["status"] for c in m["components"] if c["name"] == comp)  # noqa: E731
        assert (get(mof), get(mot)) == (mof_status, mot_status)
    if mof_cls != mot_cls:  # the default mode says where MOT would differ
        assert any(f["code"] == "mot.difference" for f in mof["findings"])


def test_every_fixture_is_documented():
    doc = (ROOT / "docs" / "mot-differences.md").read_text()
    for name in CASES:
        assert f"fixtures/mot-differences/{name}" in doc, name
