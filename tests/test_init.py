"""`mofcheck init`: drafts and updates of MOT-format manifests on real git repositories in tmp dirs."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mofcheck import framework
from mofcheck.check import CheckOptions, run
from mofcheck.evaluate import evaluate_manifest
from mofcheck.manifest import parse, schema_errors

from .conftest import FIXTURES, run_cli

GIT = ["git", "-c", "user.name=mofcheck tests", "-c", "user.email=tests@example.org", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo: Path, *args: str) -> None:
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, env=env)


def commit(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "step")


def make_repo(tmp_path: Path, fixture: str, keep_manifest: bool = False, drop: tuple[str, ...] = ()) -> Path:
    repo = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, repo)
    for rel in (() if keep_manifest else ("mof.yml",)) + drop:
        p = repo / rel
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    git(repo, "init", "-q")
    commit(repo)
    return repo


def names(text: str) -> list[str]:
    return [c.name for c in parse(text, "mof.yml", framework.load()).components]


def init(repo: Path, *args: str):
    return run_cli("init", str(repo), *args)


# --------------------------------------------------------------------------------------------------


def test_draft_is_a_valid_manifest_with_evidence_and_todos(tmp_path):
    repo = make_repo(tmp_path, "class3-open-model")
    r = init(repo)
    assert r.code == 0, r.err
    text = (repo / "mof.yml").read_text()
    m = parse(text, "mof.yml", framework.load())  # mofcheck's strict checks
    from ruamel.yaml import YAML

    assert schema_errors(YAML(typ="safe").load(text)) == []  # the MOT-format schema
    assert m.data["framework"] == {"name": "Model Openness Framework", "version": "1.0", "date": "2024-12-15"}
    rel = m.release
    assert rel["name"] == "Wren-3B"  # the README's title
    assert f"date: '{dt.date.today().isoformat()}'" in text
    assert rel["producer"] == "" and "# mofcheck: TODO: producer" in text
    assert rel["license"]["code"] == {"name": "Apache-2.0", "path": "LICENSE"}
    assert rel["license"]["data"] == {"name": "CDLA-Permissive-2.0", "path": "LICENSE-MODEL"}
    assert names(text) == [
        "Model architecture",
        "Model parameters (Final)",
        "Evaluation results",
        "Model card",
        "Data card",
        "Technical report",
        "Inference code",
    ]
    comps = {c.name: c for c in m.components}
    weights = comps["Model parameters (Final)"]
    assert weights.component_path == "model.safetensors" and not weights.license_set  # inherits release.license.data
    assert comps["Model card"].license == "unlicensed"
    assert "# mofcheck: evidence: model.safetensors (weights as a Git LFS pointer" in text
    assert "rule paths.weights.sharded, confidence 0.95" in text
    assert "# mofcheck: TODO: no license for the model card" in text
    assert "# mofcheck: not found in the repository: Training code," in text
    assert "(add them if they are published elsewhere, with component_path: URL)" in text
    assert "wrote mof.yml" in r.err


def test_declared_equals_verified_after_init(tmp_path):
    repo = make_repo(tmp_path, "class1-open-science")
    assert init(repo).code == 0
    commit(repo)
    report = run(CheckOptions(path=repo, use_config=True))
    (model,) = report.models
    assert model.manifest == "mof.yml"
    assert model.declared.cls == model.verified.cls
    fw = framework.load()
    from mofcheck.manifest import load_file

    declared = evaluate_manifest(load_file(repo / "mof.yml", "mof.yml", fw), fw)
    listed = [c for c in model.components if c.listed]
    assert len(listed) == 16
    for c in listed:
        assert declared.component(c.name).status == c.status, c.name
    assert not [f for f in model.findings if f.code in ("license.conflict", "evidence.path-missing", "evidence.declared-only")]


def test_second_run_is_byte_identical(tmp_path):
    repo = make_repo(tmp_path, "spdx-expressions")
    assert init(repo).code == 0
    first = (repo / "mof.yml").read_bytes()
    r = init(repo)
    assert r.code == 0 and "up to date" in r.err
    assert (repo / "mof.yml").read_bytes() == first
    commit(repo)  # a tracked manifest is no evidence of anything
    assert init(repo).code == 0
    assert (repo / "mof.yml").read_bytes() == first


def test_user_edits_and_comments_survive(tmp_path):
    repo = make_repo(tmp_path, "class3-open-model")
    assert init(repo).code == 0
    path = repo / "mof.yml"
    text = path.read_text()
    card = "    - name: Model card\n      description: Model details including performance metrics, intended use, and limitations\n      license: unlicensed\n"
    assert card in text
    edited = text.replace(
        card,
        "    # reviewed by legal, 2026-01\n"
        + card.replace("license: unlicensed", "license: CC-BY-4.0  # the card says so").replace("- name: Model card", "- name: 'Model card'"),
    )
    edited = edited.replace("producer: ''", "producer: Example Weights Inc")
    path.write_text(edited)
    assert init(repo).code == 0
    after = path.read_text()
    assert "    # reviewed by legal, 2026-01\n    - name: 'Model card'\n" in after
    assert "license: CC-BY-4.0  # the card says so\n" in after
    assert "producer: Example Weights Inc\n" in after
    assert "TODO: producer" not in after and "TODO: no license for the model card" not in after
    assert after.count("# mofcheck: evidence: MODEL_CARD.md (model card file)") == 1
    assert init(repo).code == 0
    assert path.read_text() == after


def test_new_weights_are_added_with_their_evidence(tmp_path):
    repo = make_repo(tmp_path, "class3-open-model", drop=("model.safetensors",))
    assert init(repo).code == 0
    path = repo / "mof.yml"
    assert "Model parameters (Final)" not in names(path.read_text())
    path.write_text(path.read_text().replace("  components:\n", "  components:  # keep this list short\n"))
    weights = repo / "weights"
    weights.mkdir()
    shutil.copy(FIXTURES / "class3-open-model" / "model.safetensors", weights / "model.safetensors")
    commit(repo)
    r = init(repo)
    assert r.code == 0 and "added: Model parameters (Final)" in r.err
    text = path.read_text()
    m = parse(text, "mof.yml", framework.load())
    assert names(text)[-1] == "Model parameters (Final)"
    assert m.components[-1].component_path == "weights/model.safetensors"
    assert "  components:  # keep this list short\n" in text
    block = text.split("# mofcheck: evidence: weights/model.safetensors")[1].split("\n- ")[0]
    assert "rule paths.weights.sharded" in block
    assert init(repo).code == 0 and path.read_text() == text


def test_update_keeps_flow_style_quotes_and_header(tmp_path):
    repo = make_repo(tmp_path, "class3-open-model", keep_manifest=True)
    path = repo / "mof.yml"
    original = path.read_text()
    line = "    - {name: 'Inference code', component_path: wren/generate.py}\n"
    path.write_text(original.replace(line, ""))
    commit(repo)
    assert init(repo).code == 0
    text = path.read_text()
    assert text.startswith("# Open weights with documentation: Class III.")
    assert "framework: {name: 'Model Openness Framework', version: '1.0', date: '2024-12-15'}\n" in text
    assert "    - {name: 'Model architecture', component_path: wren/model.py}\n" in text
    added = [ln for ln in text.splitlines() if "'Inference code'" in ln]
    assert added and added[0].startswith("    - {name: 'Inference code', description: 'Code used for running the model")
    # Nothing but mofcheck's comments and the new component differ from the user's file.
    kept = [ln for ln in text.splitlines() if not ln.lstrip().startswith("# mofcheck:") and "'Inference code'" not in ln]
    assert kept == original.replace(line, "").splitlines()
    assert init(repo).code == 0 and path.read_text() == text


@pytest.mark.parametrize(
    "broken",
    [
        "release: [\n",
        "framework: {name: 'Model Openness Framework', version: '1.0', date: '2024-12-15'}\nrelease:\n  name: x\n  producer: ''\n  license: {}\n  components:\n    - {name: 'Model weights'}\n",
    ],
)
def test_broken_manifest_exits_2_and_is_untouched(tmp_path, broken):
    repo = make_repo(tmp_path, "class3-open-model")
    (repo / "mof.yml").write_text(broken)
    proc = subprocess.run([sys.executable, "-m", "mofcheck", "init", str(repo)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "mof.yml:" in proc.stderr and "not rewriting" in proc.stderr
    assert (repo / "mof.yml").read_text() == broken


def test_dry_run_and_diff_write_nothing(tmp_path):
    repo = make_repo(tmp_path, "class3-open-model")
    r = init(repo, "--dry-run")
    assert r.code == 0 and r.out.startswith("framework: {name: 'Model Openness Framework'")
    assert not (repo / "mof.yml").exists()
    r = init(repo, "--diff")
    assert r.code == 0 and "+++ mof.yml" in r.out and "+    - name: Model card" in r.out
    assert not (repo / "mof.yml").exists()
    assert not [p for p in repo.iterdir() if p.name.endswith(".tmp")]


def test_symlinked_output_out_of_the_repository_is_refused(tmp_path):
    repo = make_repo(tmp_path, "class3-open-model")
    outside = tmp_path / "outside.yml"
    outside.write_text("secret: 1\n")
    (repo / "mof.yml").symlink_to(outside)
    r = init(repo)
    assert r.code == 2 and "leads out of the repository" in r.err
    assert outside.read_text() == "secret: 1\n"
    assert (repo / "mof.yml").is_symlink()


def test_options_name_producer_output(tmp_path):
    repo = make_repo(tmp_path, "unlicensed")
    out = repo / ".github" / "mof.yml"
    r = init(repo, "--name", "Plover-2B-v2", "--producer", "Example Lab", "--output", str(out))
    assert r.code == 0, r.err
    text = out.read_text()
    rel = parse(text, ".github/mof.yml", framework.load()).release
    assert rel["name"] == "Plover-2B-v2" and rel["producer"] == "Example Lab"
    assert "TODO: producer" not in text
    # With no --output, the manifest the repository already has is the one updated.
    assert init(repo).code == 0
    assert not (repo / "mof.yml").exists() and out.read_text() == text


def test_front_matter_model_name_and_links(tmp_path):
    repo = tmp_path / "checkout"
    repo.mkdir()
    (repo / "README.md").write_text(
        "---\nlicense: cc-by-4.0\nmodel_name: Kite-7B\n---\n# Kite\n\nCode: https://github.com/example/kite-7b and "
        "https://github.com/huggingface/transformers. Weights: https://huggingface.co/example/Kite-7B.\n"
    )
    (repo / "model.safetensors").write_bytes(b"\0" * 64)
    git(repo, "init", "-q")
    commit(repo)
    assert init(repo).code == 0
    rel = parse((repo / "mof.yml").read_text(), "mof.yml", framework.load()).release
    assert rel["name"] == "Kite-7B"
    assert rel["repository"] == "https://github.com/example/kite-7b"
    assert rel["huggingface"] == "https://huggingface.co/example/Kite-7B"


def test_crlf_manifest_keeps_its_line_endings(tmp_path):
    repo = make_repo(tmp_path, "class3-open-model", keep_manifest=True)
    path = repo / "mof.yml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert init(repo).code == 0
    data = path.read_bytes()
    assert b"# mofcheck: evidence:" in data and data.count(b"\n") == data.count(b"\r\n")


def test_mot_sample_layout_and_comments_survive_an_update(tmp_path):
    from .conftest import shared_path

    sample = shared_path("mot", "schema", "sample_model.yml").read_text()
    inference = "    -\n      name: 'Inference code'\n      description: 'Code used for running the model to make predictions'\n"
    assert inference in sample
    repo = make_repo(tmp_path, "class3-open-model")
    (repo / "mof.yml").write_text(sample.replace(inference, ""))
    r = init(repo)
    assert r.code == 0 and "added: Inference code" in r.err
    text = (repo / "mof.yml").read_text()
    assert "      license: unlicensed # Component is included, but has no license.\n" in text
    # The user's comment on an item's content stays with that item; mofcheck's lines go below it.
    assert (
        "      description: 'Code used for training the model'\n      # Omitted license implies inheritance from release/license/code\n    # mofcheck: TODO: the repository shows no evaluation code"
        in text
    )
    # The global `code: MIT` differs from the file's header license, so the license is written out.
    added = text.split("- name: 'Inference code'\n")[1]
    assert added.startswith(
        "      description: 'Code used for running the model to make predictions'\n      license: Apache-2.0\n      license_path: wren/generate.py\n"
    )
    assert "TODO: no license for the model architecture (the repository says Apache-2.0 in wren/model.py:1)" in text
    assert init(repo).code == 0 and (repo / "mof.yml").read_text() == text


def test_empty_component_list_grows_in_block_style(tmp_path):
    repo = make_repo(tmp_path, "class3-open-model")
    head = "framework: {name: 'Model Openness Framework', version: '1.0', date: '2024-12-15'}\nrelease:\n  name: Wren-3B\n  producer: Example Weights Inc\n  license: {}\n"
    (repo / "mof.yml").write_text(head + "  components: []\n")
    assert init(repo).code == 0
    text = (repo / "mof.yml").read_text()
    assert text.startswith(head + "  components:\n    # mofcheck: evidence: wren/model.py")
    comps = {c.name: c for c in parse(text, "mof.yml", framework.load()).components}
    # No globals in the file: every license is written out, from the repository's own sources.
    assert comps["Model architecture"].license == "Apache-2.0" and comps["Model architecture"].license_path == "wren/model.py"
    assert comps["Model parameters (Final)"].license == "CDLA-Permissive-2.0" and comps["Model parameters (Final)"].license_path == "LICENSE-MODEL"


def test_a_repository_without_a_model_gets_a_note(tmp_path):
    repo = tmp_path / "lib"
    repo.mkdir()
    shutil.copy(FIXTURES / "class3-open-model" / "LICENSE", repo / "LICENSE")
    (repo / "train.py").write_text("# SPDX-License-Identifier: Apache-2.0\nimport torch\n")
    git(repo, "init", "-q")
    commit(repo)
    r = init(repo, "--dry-run")
    assert r.code == 0 and "shows no weights and no model card" in r.err
    assert not (repo / "mof.yml").exists()
