"""`mofcheck audit` of a registry of MOT-format files, with the real clients pointed at the local stand-ins
for the Hugging Face Hub, arXiv and GitHub (tests/standins): declared class against the class the release's
own hosts back, the shared fetches, the cache, the resumable state and the output formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .test_resolve import OPEN

WASH = """\
framework: {name: Model Openness Framework, version: '1.0', date: '2024-12-15'}
release:
  name: OpenWash-7B
  producer: WashCo
  repository: https://github.com/washco/openwash
  huggingface: https://huggingface.co/washco/OpenWash-7B
  license:
    distribution: {name: MIT}
    data: {name: CC-BY-4.0}
    document: {name: CC-BY-4.0}
  components:
    - {name: Model architecture, license: MIT}
    - {name: Model parameters (Final), license: CC-BY-4.0}
    - {name: Model card, license: CC-BY-4.0}
    - {name: Data card, license: CC-BY-4.0}
    - {name: Evaluation results, license: CC-BY-4.0}
    - {name: Technical report, component_path: 'https://arxiv.org/abs/2409.99903', license: CC-BY-4.0}
"""


def registry(tmp_path: Path) -> Path:
    reg = tmp_path / "models"
    reg.mkdir()
    (reg / "openlm.yml").write_text(OPEN)
    (reg / "openwash.yml").write_text(WASH)
    (reg / "broken.yml").write_text("release: [not, a, mapping\n")
    (reg / "notes.txt").write_text("not a manifest\n")
    return reg


def audit(cli, *args: str) -> tuple[int, dict]:
    run = cli("audit", *args, "--format", "json")
    assert "Traceback" not in run.err and run.out, (run.code, run.err)
    return run.code, json.loads(run.out)


def test_audit_holds_each_release_to_its_hosts(cli, tmp_path, standins):
    reg = registry(tmp_path)
    code, out = audit(cli, str(reg), "--no-cache")
    assert code == 0
    rows = {Path(r["file"]).name: r for r in out["releases"]}
    assert set(rows) == {"openlm.yml", "openwash.yml", "broken.yml"}  # *.yml only
    assert rows["broken.yml"]["error"] and out["summary"]["errors"] == 1

    wash = rows["openwash.yml"]
    assert wash["declared"] == 3 and wash["verified"] == 0  # the Hub says llama3.1: the weights are not open
    assert "Model parameters (Final)" in wash["overclaimed"]
    assert {s["key"] for s in wash["sources"]} >= {"hf-model:washco/OpenWash-7B", "arxiv:2409.99903"}
    assert all(s["ok"] for s in wash["sources"])

    # the GitHub repository holds only its training code: the architecture and inference code it declares
    # are not backed, while the Hub weights, the paper and the training code are
    lm = rows["openlm.yml"]
    assert lm["declared"] == 1 and lm["verified"] == 0
    assert {"Model architecture", "Inference code"} <= set(lm["overclaimed"])
    assert not {"Model parameters (Final)", "Research paper", "Training code", "Datasets"} & set(lm["overclaimed"])
    assert out["summary"]["declared_above_verified"] == 2


def test_a_warm_cache_asks_the_hosts_nothing_and_state_resumes(cli, tmp_path, standins):
    reg, cache, state = registry(tmp_path), tmp_path / "cache", tmp_path / "state.jsonl"
    _, first = audit(cli, str(reg), "--cache", str(cache))
    before = sum(len(s.requests) for s in standins.servers)
    assert before > 0
    _, warm = audit(cli, str(reg), "--cache", str(cache))
    assert sum(len(s.requests) for s in standins.servers) == before  # every source came from the cache
    assert [(r["file"], r["verified"]) for r in warm["releases"]] == [(r["file"], r["verified"]) for r in first["releases"]]

    _, once = audit(cli, str(reg), "--no-cache", "--state", str(state))
    lines = state.read_text().splitlines()
    assert len(lines) == 3
    asked = sum(len(s.requests) for s in standins.servers)
    _, again = audit(cli, str(reg), "--no-cache", "--state", str(state))
    assert sum(len(s.requests) for s in standins.servers) == asked  # unchanged files are not audited again
    assert len(state.read_text().splitlines()) == 4  # only the broken file (an error) is tried again
    assert [r["verified"] for r in again["releases"]] == [r["verified"] for r in once["releases"]]


def test_audit_text_csv_and_markdown(cli, tmp_path, standins):
    reg = registry(tmp_path)
    (reg / "formula.yml").write_text(WASH.replace("name: OpenWash-7B", "name: '=HYPERLINK(\"http://x\")'"))
    cache = ["--cache", str(tmp_path / "cache")]
    text = cli("audit", str(reg), *cache).out
    assert "openwash.yml" in text and "declare a better class than their hosts back" in text
    rows = list(csv.DictReader(io.StringIO(cli("audit", str(reg), *cache, "--format", "csv").out)))
    names = {r["file"].rsplit("/", 1)[-1]: r for r in rows}
    assert names["openwash.yml"]["declared"] == "III" and names["openwash.yml"]["verified"] == "none"
    assert names["formula.yml"]["name"].startswith("'=")  # a spreadsheet will not run it
    md = cli("audit", str(reg), *cache, "--format", "markdown").out
    assert md.startswith("## mofcheck audit") and "| openwash.yml |" in md and "**none**" in md
