"""Releases spread across GitHub, the Hugging Face Hub and arXiv, followed by `mofcheck resolve` and
`check --online` with the real clients pointed at local stand-ins; the lock; the offline check from it.

The checked repository holds what a code repository holds (a manifest, code, a README); the weights,
cards and datasets live on the Hub stand-in, the paper on the arXiv stand-in.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from mofcheck.lock import LOCK_PATH

from .conftest import FIXTURES, git

APACHE = (FIXTURES / "class3-open-model" / "LICENSE").read_text()
CODE = {
    "openlm/model.py": 'class OpenLM:\n    """The transformer."""\n',
    "openlm/generate.py": "def generate(prompt):\n    return prompt\n",
    "eval/evaluate.py": "def evaluate():\n    pass\n",
    "eval/data/tasks.jsonl": '{"q": "1+1", "a": "2"}\n',
    "data_prep/prepare_data.py": "def prepare():\n    pass\n",
    "scripts/train.py": "def train():\n    pass\n",
    "LICENSE": APACHE,
}

OPEN = """\
framework: {name: Model Openness Framework, version: '1.0', date: '2024-12-15'}
release:
  name: OpenLM-7B
  producer: Open Lab
  repository: https://github.com/open-lab/openlm
  huggingface: https://huggingface.co/open-lab/OpenLM-7B
  license:
    distribution: {name: Apache-2.0}
    data: {name: CC-BY-4.0}
    document: {name: CC-BY-4.0}
  components:
    - {name: Model architecture}
    - {name: Model parameters (Final), license: Apache-2.0}
    - {name: Model parameters (Intermediate), license: Apache-2.0}
    - {name: Model card, license: Apache-2.0}
    - {name: Data card}
    - {name: Evaluation results, license: Apache-2.0}
    - {name: Training code}
    - {name: Inference code}
    - {name: Evaluation code}
    - {name: Evaluation data, license: Apache-2.0}
    - {name: Datasets, component_path: 'https://huggingface.co/datasets/open-lab/open-corpus'}
    - {name: Data preprocessing code}
    - {name: Research paper, component_path: 'https://arxiv.org/abs/2401.99901'}
"""


def repo(tmp_path: Path, manifest: str, files: dict[str, str] | None = None, commit: bool = True) -> Path:
    root = tmp_path / "release"
    for rel, text in {**CODE, **(files or {}), "mof.yml": manifest}.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    if commit:
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "release")
    return root


def check(cli, root: Path, *extra: str) -> tuple[int, dict]:
    run = cli("check", str(root), "--format", "json", "--no-config", *extra)
    assert "Traceback" not in run.err, run.err
    return run.code, json.loads(run.out)


def status(report: dict, name: str) -> dict:
    return next(c for c in report["models"][0]["components"] if c["name"] == name)


def resolve(cli, root: Path) -> dict:
    run = cli("resolve", str(root))
    assert run.code == 0, run.err
    git(root, "add", LOCK_PATH)  # the lock counts once committed or staged, like every other file
    return json.loads((root / LOCK_PATH).read_text())


def test_open_release_is_class_i_from_its_hosts(cli, tmp_path, standins):
    root = repo(tmp_path, OPEN)
    code, offline = check(cli, root)
    assert offline["models"][0]["verified"]["class"] == 0  # nothing looked at yet: the weights are elsewhere
    assert any(f["code"] == "remote.unresolved" for f in offline["findings"])

    lock = resolve(cli, root)
    assert set(lock["sources"]) >= {"hf-model:open-lab/OpenLM-7B", "hf-dataset:open-lab/open-corpus", "arxiv:2401.99901", "github:open-lab/openlm"}
    hub = lock["sources"]["hf-model:open-lab/OpenLM-7B"]
    assert hub["revision"] == "3dcf3c3d04995b87d676db674ca36eb8289f7fc8" and hub["license"] == "apache-2.0"
    assert all(len(t["sha256"]) == 64 and "text" not in t for t in hub["texts"])  # hashes, not copies

    code, report = check(cli, root)
    m = report["models"][0]
    assert m["verified"]["class"] == 1, [(c["name"], c["status"], c["reason"]) for c in m["components"] if not c["status"].startswith("met")]
    weights = status(report, "Model parameters (Final)")
    assert weights["remote"]["source"] == "hf-model" and weights["remote"]["revision"].startswith("3dcf3c3d")
    assert weights["remote"]["age_days"] == 0
    assert status(report, "Model parameters (Intermediate)")["status"].startswith("met")
    paper = status(report, "Research paper")
    assert paper["status"] == "met" and paper["remote"]["source"] == "arxiv"
    assert not any(f["code"] == "remote.unresolved" for f in report["findings"])


def test_check_from_the_lock_is_offline(cli, tmp_path, standins, monkeypatch):
    root = repo(tmp_path, OPEN)
    resolve(cli, root)
    for server in standins.servers:
        server.stop()
    code, report = check(cli, root)
    assert report["models"][0]["verified"]["class"] == 1


def test_online_resolves_in_memory_and_writes_nothing(cli, tmp_path, standins):
    root = repo(tmp_path, OPEN)
    code, report = check(cli, root, "--online")
    assert report["models"][0]["verified"]["class"] == 1
    assert not (root / LOCK_PATH).exists()


def test_llama_style_release_is_not_open_and_says_why(cli, tmp_path, standins):
    manifest = OPEN.replace("open-lab/openlm", "llamalike/llamalike-models").replace("open-lab/OpenLM-7B", "llamalike/Llamalike-3.1-8B")
    code, report = check(cli, repo(tmp_path, manifest.replace("Apache-2.0}", "LicenseRef-Llama-3.1-Community}")), "--online")
    weights = status(report, "Model parameters (Final)")
    assert weights["status"] in ("restrictive", "conflict"), weights
    assert "Llama" in json.dumps(weights["evidence"])
    assert any(f["code"] == "remote.gated" for f in report["findings"])


def test_openwashing_manifest_conflicts_with_the_hub_card(cli, tmp_path, standins):
    manifest = (
        OPEN.replace("open-lab/openlm", "washco/openwash")
        .replace("open-lab/OpenLM-7B", "washco/OpenWash-7B")
        .replace("{name: Model parameters (Final), license: Apache-2.0}", "{name: Model parameters (Final), license: CC-BY-4.0}")
    )
    code, report = check(cli, repo(tmp_path, manifest), "--online")
    weights = status(report, "Model parameters (Final)")
    assert weights["status"] == "conflict", weights
    conflict = next(f for f in report["models"][0]["findings"] if f["code"] == "license.conflict" and f["component"] == weights["name"])
    assert "huggingface" in conflict["path"] or "127.0.0.1" in conflict["path"]
    assert report["models"][0]["verified"]["class"] == 0


def test_a_dead_host_never_loses_the_verdict(cli, tmp_path, standins, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", standins.dead_url)
    code, report = check(cli, repo(tmp_path, OPEN), "--online", "--budget", "20")
    assert report["models"][0]["class_label"]  # the verdict is printed
    unreachable = [f for f in report["findings"] if f["code"] == "remote.unreachable"]
    assert unreachable and all(f["severity"] == "warning" for f in unreachable)
    assert code == 0  # the exit code comes from the gate, not from the network


def test_a_stale_lock_is_reported_online(cli, tmp_path, standins):
    manifest = OPEN.replace("open-lab/openlm", "movingco/moving").replace("open-lab/OpenLM-7B", "movingco/Moving-1B")
    root = repo(tmp_path, manifest)
    resolve(cli, root)
    standins.move("moving")
    code, report = check(cli, root, "--online")
    codes = {f["code"] for f in report["findings"]}
    assert "lock.license-changed" in codes or "lock.stale" in codes
    # online, the host decides and the (now stale) lock's evidence is not used (SECURITY.md): the Hub
    # moved its weights to cc-by-nc-4.0; offline, the lock still pins apache-2.0
    online = status(report, "Model parameters (Final)")
    assert not online["status"].startswith("met"), online
    assert "cc-by-nc-4.0" in json.dumps(online["evidence"]).lower()
    _, offline = check(cli, root)
    assert status(offline, "Model parameters (Final)")["status"].startswith("met")


def test_a_forged_lock_cannot_speak_for_the_repository(cli, tmp_path, standins):
    root = repo(tmp_path, OPEN)
    lock = resolve(cli, root)
    hub = lock["sources"]["hf-model:open-lab/OpenLM-7B"]
    hub["evidence"]["licenses"].append(
        {"kind": "host", "path": "LICENSE", "covers": ["Training code"], "scope": "", "expression": "MIT", "declared": "MIT", "specificity": 9}
    )
    (root / LOCK_PATH).write_text(json.dumps(lock))
    git(root, "add", LOCK_PATH)
    code, report = check(cli, root)
    assert any(f["code"] == "lock.invalid" for f in report["findings"])
    assert "MIT" not in json.dumps(status(report, "Training code")["evidence"])


def test_a_broken_lock_is_a_finding_not_a_crash(cli, tmp_path):
    root = repo(tmp_path, OPEN, {LOCK_PATH: "{not json"})
    code, report = check(cli, root)
    assert any(f["code"] == "lock.invalid" for f in report["findings"])
    assert report["models"][0]["class_label"]


@pytest.mark.parametrize("pattern", ["(", "(a|a)*b" + "|x" * 10_000, "(?P<n>a)(?P=n)"])
def test_a_planted_lock_pattern_is_a_finding_not_a_crash(cli, tmp_path, standins, pattern):
    """A lock is repository content: a REUSE-style `pattern` in it that is no regex, too large, or not
    linear (a backreference) costs its source, never the verdict; patterns are RE2, never `re`."""
    root = repo(tmp_path, OPEN)
    lock = resolve(cli, root)
    hub = lock["sources"]["hf-model:open-lab/OpenLM-7B"]
    hub["evidence"]["licenses"].append({"kind": "reuse", "path": "REUSE.toml", "covers": ["Datasets"], "pattern": pattern, "expression": "MIT"})
    (root / LOCK_PATH).write_text(json.dumps(lock))
    git(root, "add", LOCK_PATH)
    code, report = check(cli, root)
    assert code in (0, 1), report
    bad = [f["message"] for f in report["findings"] if f["code"] == "lock.invalid"]
    assert any("hf-model:open-lab/OpenLM-7B" in m and "ignored" in m and "b'" not in m for m in bad), bad
    assert report["models"][0]["class_label"]


def test_the_offline_check_never_opens_a_socket(cli, tmp_path, monkeypatch):
    root = repo(tmp_path, OPEN)

    def refuse(*a, **k):
        raise AssertionError("the offline check opened a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    code, report = check(cli, root)
    assert report["models"][0]["name"] == "OpenLM-7B"


def test_lock_schema_is_published(cli):
    run = cli("schema", "lock")
    assert run.code == 0 and json.loads(run.out)["title"] == "mofcheck evidence lock"


def test_init_from_the_hub_drafts_the_release_then_resolve_and_check_agree(cli, tmp_path, standins):
    root = tmp_path / "draft"
    run = cli("init", str(root), "--from", "hf:open-lab/OpenLM-7B")
    assert run.code == 0, run.err
    from mofcheck import framework
    from mofcheck.manifest import parse

    m = parse((root / "mof.yml").read_text(), "mof.yml", framework.load())
    listed = {c.name: c for c in m.components}
    assert m.huggingface == "https://huggingface.co/open-lab/OpenLM-7B"
    assert listed["Model parameters (Final)"].license == "Apache-2.0"
    assert listed["Datasets"].license == "CC-BY-4.0" and "open-corpus" in listed["Datasets"].component_path
    assert listed["Research paper"].component_path.startswith("https://arxiv.org/abs/2401.99901")
    assert "Model parameters (Intermediate)" in listed
    assert "Training code" not in listed  # nothing on the Hub shows it: never invented
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    resolve(cli, root)
    code, report = check(cli, root)
    declared, verified = report["models"][0]["declared"]["class"], report["models"][0]["verified"]["class"]
    assert declared == verified == 0  # Class III needs the architecture code, which the Hub repo lacks
    assert all(c["status"] in ("met", "met_with_warning") for c in report["models"][0]["components"] if c["listed"])


def test_init_from_something_that_is_not_a_release_is_a_usage_error(cli, tmp_path, standins):
    run = cli("init", str(tmp_path / "x"), "--from", "https://example.org/model")
    assert run.code == 2 and "not a Hugging Face, GitHub or arXiv release" in run.err


def test_the_github_front_follows_links_by_default(cli, tmp_path, standins, monkeypatch):
    """`mofcheck github` (what the Action runs) is online by default, within its budget; --no-online reads
    only the repository and its lock."""
    root = repo(tmp_path, OPEN)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    for k, v in {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(root),
        "GITHUB_EVENT_NAME": "push",
        "RUNNER_TEMP": str(temp),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "out.txt"),
    }.items():
        monkeypatch.setenv(k, v)
    for name in ("GITHUB_TOKEN", "MOFCHECK_GITHUB_TOKEN", "GITHUB_EVENT_PATH"):
        monkeypatch.delenv(name, raising=False)
    report_file = temp / "mofcheck-report.json"
    cli("github", str(root), "--no-status", "--no-comment", "--no-config", "--budget", "30")
    report = json.loads(report_file.read_text())
    assert report["models"][0]["verified"]["class"] == 1
    assert status(report, "Research paper")["remote"]["source"] == "arxiv"
    cli("github", str(root), "--no-status", "--no-comment", "--no-config", "--no-online")
    report = json.loads(report_file.read_text())
    assert report["models"][0]["verified"]["class"] == 0
    assert any(f["code"] == "remote.unresolved" for f in report["findings"])
    assert not (root / LOCK_PATH).exists()  # online runs resolve in memory: nothing is written


def test_text_and_markdown_name_each_host_revision_and_age(cli, tmp_path, standins):
    root = repo(tmp_path, OPEN)
    resolve(cli, root)
    text = cli("check", str(root), "--no-config").out
    assert "evidence from the release's hosts:" in text and "verified (evidence): Class I" in text
    assert "Research paper: arxiv https://arxiv.org/abs/2401.99901v2 (fetched today)" in text
    markdown = cli("check", str(root), "--no-config", "--format", "markdown").out
    assert "**From the release's hosts:**" in markdown and "3dcf3c3d04995b87d676db674ca36eb8289f7fc8" in markdown
