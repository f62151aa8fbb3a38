"""MOT parity: in `--mode mot`, class and progress equal MOT's for its 273 models and 27 test files."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from mofcheck import evaluate, framework, manifest

from .conftest import shared_path

FW = framework.load()


def _evaluate(path: Path, mode: str = "mot"):
    m = manifest.load_file(path, path.name, FW)
    return evaluate.evaluate_manifest(m, FW, mode)


def _expected_models() -> list[dict]:
    with open(shared_path("mot", "expected.tsv"), newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_mot_models_parity():
    rows = _expected_models()
    assert len(rows) == 273
    mismatches = []
    for row in rows:
        r = _evaluate(shared_path("mot", "models", row["file"]))
        want = (int(row["class"]), *(float(row[f"progress_class{c}"]) for c in (1, 2, 3)))
        got = (r.cls, *(r.standing.progress[c] for c in (1, 2, 3)))
        if want[0] != got[0] or any(abs(a - b) > 1e-4 for a, b in zip(want[1:], got[1:])):
            mismatches.append((row["file"], want, got))
        assert abs(r.total_progress - float(row["total_progress"])) < 1e-4, row["file"]
    assert mismatches == []


def test_mot_class_distribution():
    """14 Class I, 1 Class II, 16 Class III, 242 none (mof-and-mot.md §9)."""
    counts = {0: 0, 1: 0, 2: 0, 3: 0}
    for row in _expected_models():
        counts[_evaluate(shared_path("mot", "models", row["file"])).cls] += 1
    assert counts == {1: 14, 2: 1, 3: 16, 0: 242}


def _test_data_expected() -> dict[str, dict]:
    text = shared_path("mot", "Test_Data", "expected_results.json").read_text(encoding="utf-8")
    data = json.loads(re.sub(r",(\s*[}\]])", r"\1", text))  # MOT's file has trailing commas
    return {m["release"]["name"]: m["classification"] for m in data["models"]}


def test_mot_test_data_parity():
    expected = _test_data_expected()
    files = sorted(shared_path("mot", "Test_Data").glob("*.yml"))
    assert len(files) == 27
    for f in files:
        r = _evaluate(f)
        want = expected[r.name]
        assert r.cls == want["class"], f.name
        for c in ("1", "2", "3"):
            assert r.standing.progress[int(c)] == pytest.approx(float(want["progress"][c]), abs=1e-9), (f.name, c)
        assert r.class_label == want["label"]


def test_mot_mode_via_cli_json(cli):
    path = shared_path("mot", "models", "Pythia-1B.yml")
    run = cli("check", "--manifest", str(path), "--mode", "mot", "--format", "json")
    assert run.code == 0, run.err
    model = json.loads(run.out)["models"][0]
    assert model["class"] == 1 and model["class_label"] == "Class I - Open Science Model"
    assert model["progress"] == {"1": 100.0, "2": 100.0, "3": 100.0}
