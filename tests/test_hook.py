"""The pre-commit hooks: the manifest itself, its `files` trigger, and the real thing (pre-commit try-repo /
run on throw-away git repositories).

The real-thing tests install mofcheck into pre-commit's own environment from this repository's HEAD commit
(pre-commit clones `repo` at `rev`), so they test what is committed; the environment is built once per
session (shared PRE_COMMIT_HOME) and needs PyPI for the dependencies; they skip when it is unreachable.
MOFCHECK_HOOK_REV=<commit> tests another commit than HEAD.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_badge import CLASS2, CLASS3, mot_manifest

ROOT = Path(__file__).resolve().parents[1]
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"


def load_hooks() -> dict[str, dict]:
    from ruamel.yaml import YAML

    with open(HOOKS_FILE, encoding="utf-8") as f:
        data = YAML(typ="safe", pure=True).load(f.read(64 * 1024))
    return {h["id"]: h for h in data}


# ----------------------------------------------------------------------------------- the manifest


def test_manifest_validates_with_pre_commit():
    out = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(HOOKS_FILE)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_hooks_judge_the_whole_release_offline():
    hooks = load_hooks()
    assert set(hooks) == {"mofcheck", "mofcheck-badge"}
    for h in hooks.values():
        assert h["language"] == "python"
        assert h["pass_filenames"] is False  # a whole-repo verdict: the file list is only a trigger
        assert h["require_serial"] is True
        assert not h.get("always_run")
        assert "http" not in h["entry"] and "--network" not in h["entry"]
    assert hooks["mofcheck"]["entry"] == "mofcheck check"
    assert hooks["mofcheck-badge"]["entry"].split() == ["mofcheck", "badge", "--write", "README.md", "--exit-nonzero-on-change"]


GOOD = [
    # manifests
    "mof.yml",
    "mof.yaml",
    ".mof.yml",
    ".github/mof.yml",
    ".mof/base.yml",
    ".mof/chat.yaml",
    # licenses
    "LICENSE",
    "LICENSE.txt",
    "LICENSE.md",
    "LICENSE-MIT",
    "license",
    "Licence.md",
    "COPYING",
    "COPYING.LESSER",
    "LICENSES/Apache-2.0.txt",
    "weights/LICENSES/CC-BY-4.0.txt",
    "MODEL LICENSE.txt",
    "LLAMA 2 COMMUNITY LICENSE AGREEMENT.md",
    "docs/LICENSE (1).txt",
    "USE_POLICY.md",
    "USAGE_POLICY.md",
    "data/LICENSE",
    "NOTICE",
    # cards
    "README.md",
    "README",
    "readme.rst",
    "README_zh.md",
    "docs/README.md",
    "MODEL_CARD.md",
    "model-card.md",
    "docs/ModelCard.md",
    "modelcard.md",
    "DATA_CARD.md",
    "dataset_card.md",
    "datasheet.md",
    "docs/datasheet-for-data.md",
    # config and metadata
    ".mofcheck.toml",
    "pyproject.toml",
    "CITATION.cff",
    "config.json",
    "checkpoints/final/config.json",
    # what shows the components: weights, code roots, requirements, papers, results, data
    "weights/model.safetensors",
    "model-00001-of-00002.safetensors",
    "pytorch_model.bin",
    "src/model.py",
    "tern/modeling_tern.py",
    "train.py",
    "scripts/pretrain_gpt.py",
    "generate.py",
    "eval/run_eval.sh",
    "notebooks/eval.ipynb",
    "prepare_data.py",
    "requirements.txt",
    "REUSE.toml",
    ".eval_results/mmlu.yaml",
    "paper.pdf",
    "docs/tech-report.pdf",
    "refs.bib",
    "data/train.jsonl",
    "datasets/eval/x.parquet",
    # release safety: pickle files are scanned; remote code (auto_map configs, custom modeling code)
    "model.pkl",
    "sklearn/model.joblib",
    "arrays.npy",
    "checkpoints/last.ckpt",
    "tokenizer_config.json",
    "configuration_tern.py",
    "tokenization_tern.py",
]
BAD = [
    "docs/index.md",
    "mof.yml.bak",
    "sub/mof.yml",
    ".mof/sub/x.yml",
    ".mof/notes.txt",
    "setup.cfg",
    "generation_config.json",
    "config.yaml",
    "sub/pyproject.toml",
    "scorecard.py",
    "cardinal.txt",
    "src/licensing.py",
    "src/utils.py",
    "CHANGELOG.md",
    ".github/workflows/ci.yml",
    "tests/test_utils.py",
    "docs/usage.md",
    "Makefile",
]


@pytest.mark.parametrize("path", GOOD)
def test_files_trigger_matches_relevant_paths(path):
    for h in load_hooks().values():
        assert re.search(h["files"], path), f"{h['id']}: {path} should trigger the hook"


@pytest.mark.parametrize("path", BAD)
def test_files_trigger_ignores_other_paths(path):
    for h in load_hooks().values():
        assert not re.search(h["files"], path), f"{h['id']}: {path} should not trigger the hook"


def test_every_manifest_location_the_check_reads_triggers_the_hook():
    from mofcheck.manifest import MANIFEST_DIR, MANIFEST_NAMES

    pattern = load_hooks()["mofcheck"]["files"]
    for name in [*MANIFEST_NAMES, f"{MANIFEST_DIR}/x.yml", f"{MANIFEST_DIR}/x.yaml"]:
        assert re.search(pattern, name), name


# ------------------------------------------------------------------------------- the real thing

GIT = ["git", "-c", "user.name=mofcheck tests", "-c", "user.email=tests@example.org", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


class HookRepos:
    """Throw-away git repositories whose .pre-commit-config.yaml uses this repository at `rev`."""

    def __init__(self, base: Path, home: Path, rev: str):
        self.base, self.home, self.rev = base, home, rev

    def make(self, name: str, files: dict[str, str], untracked: dict[str, str] | None = None, args: dict[str, list[str]] | None = None) -> Path:
        repo = self.base / name
        repo.mkdir()
        self.git(repo, "init", "-q")
        cfg = ["repos:", f"- repo: {ROOT}", f"  rev: {self.rev}", "  hooks:"]
        for hook, hook_args in (args or {"mofcheck": [], "mofcheck-badge": []}).items():
            cfg += [f"  - id: {hook}", f"    args: [{', '.join(repr(a) for a in hook_args)}]"]
        files = {".pre-commit-config.yaml": "\n".join(cfg) + "\n", **files}
        for rel, text in files.items():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            (repo / rel).write_text(text, encoding="utf-8")
        self.git(repo, "add", "-A")
        self.git(repo, "commit", "-q", "-m", "fixture")
        for rel, text in (untracked or {}).items():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            (repo / rel).write_text(text, encoding="utf-8")
        return repo

    def git(self, repo: Path, *args: str) -> str:
        return subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, text=True, env=_env(self.home)).stdout

    def pre_commit(self, repo: Path, *args: str) -> subprocess.CompletedProcess:
        out = subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, capture_output=True, text=True, env=_env(self.home), timeout=600)
        text = out.stdout + out.stderr
        if out.returncode == 3 or "An unexpected error has occurred" in text:
            offline = (
                "Could not fetch URL",
                "Temporary failure in name resolution",
                "No matching distribution",
                "NewConnectionError",
                "Network is unreachable",
            )
            if any(s in text for s in offline):
                pytest.skip("pre-commit could not install mofcheck's dependencies (PyPI unreachable)")
            pytest.fail(f"pre-commit crashed:\n{text}")
        return out


@pytest.fixture(scope="session")
def hook_repos(tmp_path_factory) -> HookRepos:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    try:
        rev = subprocess.run(
            ["git", "rev-parse", os.environ.get("MOFCHECK_HOOK_REV", "HEAD")], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
        subprocess.run(["git", "cat-file", "-e", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT, check=True, capture_output=True)
    except (subprocess.CalledProcessError, OSError):
        pytest.skip("needs the project as a git repository with .pre-commit-hooks.yaml committed (pre-commit installs from a commit)")
    repos = HookRepos(tmp_path_factory.mktemp("hook-repos"), tmp_path_factory.mktemp("pre-commit-home"), rev)
    # build pre-commit's environment once; a HEAD that does not even import is another change's work in progress
    smoke = repos.make("smoke", {"mof.yml": mot_manifest("smoke", CLASS3), "LICENSE": LICENSE}, args={"mofcheck": []})
    out = repos.pre_commit(smoke, "run", "mofcheck", "--all-files")
    if re.search(r"^(ModuleNotFoundError|ImportError): .*mofcheck", out.stdout, re.M):
        pytest.skip(f"the committed HEAD {rev[:12]} does not import: {out.stdout.strip().splitlines()[-1]}")
    return repos


LICENSE = "Apache License\nVersion 2.0, January 2004\n"
README = "# Tiny LM\n\nA small language model.\n"


def _output(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout + proc.stderr


@pytest.mark.slow
def test_try_repo_runs_both_hooks(hook_repos):
    """`pre-commit try-repo` (its own throw-away store, so it builds an environment: one call only)."""
    repo = hook_repos.make("try", {"mof.yml": mot_manifest("tiny-lm", CLASS3), "LICENSE": LICENSE, "README.md": README})
    out = hook_repos.pre_commit(repo, "try-repo", str(ROOT), "--ref", hook_repos.rev, "--all-files")
    assert re.search(r"^mofcheck \(Model Openness Framework class\)\.+Passed$", out.stdout, re.M), _output(out)
    assert re.search(r"^mofcheck badge .*\.+Failed$", out.stdout, re.M), _output(out)
    assert "files were modified by this hook" in out.stdout and out.returncode == 1
    text = (repo / "README.md").read_text(encoding="utf-8")
    # default mode (try-repo takes no args): the repository's evidence decides the class, not only the manifest
    assert re.match(
        r"# Tiny LM\n\n<!-- mofcheck-badge:start -->\n!\[MOF Class I{1,3} - [A-Za-z ]+: (Qualified|In progress \(\d+%\)|Not met)(?: · declares Class I{1,3} · verified: (?:none|Class I{1,3}))?\]\(https://img\.shields\.io/badge/[^)\s]+\)\n<!-- mofcheck-badge:end -->\n\nA small language model\.\n\Z",
        text,
    ), text


@pytest.mark.slow
def test_broken_manifest_fails_the_hook(hook_repos):
    bad = hook_repos.make("broken", {"mof.yml": "release: [unclosed\n", "LICENSE": LICENSE}, args={"mofcheck": []})
    out = hook_repos.pre_commit(bad, "run", "mofcheck", "--all-files")
    assert out.returncode == 1 and "- exit code: 2" in out.stdout and "mof.yml" in out.stdout, _output(out)


@pytest.mark.slow
def test_min_class_gate_through_config_args(hook_repos):
    args = {"mofcheck": ["--mode", "mot", "--min-class", "2"]}
    files = {"LICENSE": LICENSE, "README.md": README}
    good = hook_repos.make("gate-ok", {**files, "mof.yml": mot_manifest("tiny-lm", CLASS2)}, args=args)
    out = hook_repos.pre_commit(good, "run", "mofcheck", "--all-files")
    assert out.returncode == 0 and "Passed" in out.stdout, _output(out)
    low = hook_repos.make("gate-low", {**files, "mof.yml": mot_manifest("tiny-lm", CLASS3)}, args=args)
    out = hook_repos.pre_commit(low, "run", "mofcheck", "--all-files")
    assert out.returncode == 1 and "Failed" in out.stdout, _output(out)
    assert "Class III - Open Model is below Class II" in out.stdout


@pytest.mark.slow
def test_runs_only_when_a_relevant_file_is_staged(hook_repos):
    args = {"mofcheck": ["--mode", "mot", "--min-class", "2"]}
    repo = hook_repos.make("trigger", {"mof.yml": mot_manifest("tiny-lm", CLASS2), "LICENSE": LICENSE, "notes.txt": "x\n", "train.py": ""}, args=args)
    (repo / "notes.txt").write_text("y\n", encoding="utf-8")
    hook_repos.git(repo, "add", "notes.txt")
    out = hook_repos.pre_commit(repo, "run", "mofcheck")
    assert out.returncode == 0 and re.search(r"\(no files to check\)Skipped", out.stdout), _output(out)
    # a staged manifest that drops the release below the gate: the hook runs and fails
    (repo / "mof.yml").write_text(mot_manifest("tiny-lm", CLASS3), encoding="utf-8")
    hook_repos.git(repo, "add", "mof.yml")
    out = hook_repos.pre_commit(repo, "run", "mofcheck")
    assert out.returncode == 1 and "below Class II" in out.stdout, _output(out)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["mof", "mot"])
def test_untracked_manifest_is_ignored(hook_repos, mode):
    repo = hook_repos.make(
        f"untracked-{mode}",
        {".mof/base.yml": mot_manifest("tiny-base", CLASS2), "LICENSE": LICENSE, "README.md": README},
        untracked={".mof/draft.yml": "release: [not even yaml\n"},  # an input error (exit 2) if it were read
        args={"mofcheck": ["--mode", mode]},
    )
    out = hook_repos.pre_commit(repo, "run", "mofcheck", "--all-files", "--verbose")  # show output on success too
    assert "tiny-base" in out.stdout, _output(out)
    assert "draft.yml" not in out.stdout and "- exit code: 2" not in out.stdout, _output(out)


@pytest.mark.slow
def test_badge_fixer_through_config(hook_repos):
    args = {"mofcheck-badge": ["--mode", "mot"]}
    repo = hook_repos.make("badge", {"mof.yml": mot_manifest("tiny-lm", CLASS2), "LICENSE": LICENSE, "README.md": "Intro\n\n## Usage\nrun\n"}, args=args)
    first = hook_repos.pre_commit(repo, "run", "mofcheck-badge", "--all-files")
    assert first.returncode == 1 and "files were modified by this hook" in first.stdout, _output(first)
    after = (repo / "README.md").read_bytes()
    assert b"Class%20II%20--%20Open%20Tooling%20Model-Qualified-4c1" in after
    hook_repos.git(repo, "add", "README.md")
    second = hook_repos.pre_commit(repo, "run", "mofcheck-badge", "--all-files")
    assert second.returncode == 0, _output(second)
    assert (repo / "README.md").read_bytes() == after
