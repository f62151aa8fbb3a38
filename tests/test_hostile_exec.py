"""mofcheck never executes repository content: a repository whose git config, hooks, setup.py, conftest,
notebooks, modules named like mofcheck's own dependencies and sitecustomize would each create a marker
file if run or imported. `mofcheck check`, `badge`, `export --format mot` and `github` (against an API
on 127.0.0.1 that refuses) run as real subprocesses from inside the repository (cwd = the repository, as
in a workflow step or the pre-commit hook, whose entry is `mofcheck check`); no marker may appear."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MIT_TEXT
from .hostile_trees import git, git_init, manifest_text, needs_git, posix_only, write

pytestmark = [posix_only, needs_git]

TOKEN = "ghs_H0stileTestT0ken0123456789abcdef"
# Modules mofcheck (or Python at start-up) imports: a repository file of the same name must never shadow them.
SHADOWS = ["sitecustomize.py", "usercustomize.py", "rich.py", "cyclopts.py", "jsonschema.py", "typing_extensions.py",
           "markdown_it/__init__.py", "ruamel/__init__.py", "license_expression.py", "mofcheck/__init__.py", "github/__init__.py",
           "yaml.py", "json.py", "re.py"]  # fmt: skip


def _evil(marker_dir: Path, name: str) -> str:
    # only `os` (imported before any of these could shadow it): the payload must work wherever it lands
    return f"import os; os.close(os.open({str(marker_dir / name)!r}, os.O_CREAT | os.O_WRONLY, 0o644))\n"


@pytest.fixture(scope="module")
def evil_repo(tmp_path_factory):
    base = tmp_path_factory.mktemp("exec")
    markers = base / "markers"
    markers.mkdir()
    root = base / "repo"
    hook = write(base, "evil.sh", f'#!/bin/sh\ntouch \'{markers}/git-\'"$(basename "$0")"\nexit 0\n')
    hook.chmod(0o755)
    write(root, "mof.yml", manifest_text(components=[{"name": "Model architecture", "description": "code", "license": "MIT"}]))
    write(root, "LICENSE", "MIT License\n\n" + MIT_TEXT)  # the whole text: a bare title would contradict the manifest
    write(root, "README.md", "---\nlicense: mit\n---\n# tiny\n\n```python\n" + _evil(markers, "readme-code") + "```\n")
    write(root, "setup.py", _evil(markers, "setup.py"))
    write(root, "conftest.py", _evil(markers, "conftest.py"))
    write(root, "model.py", _evil(markers, "model.py"))
    write(root, "__main__.py", _evil(markers, "__main__.py"))
    write(root, "noxfile.py", _evil(markers, "noxfile.py"))
    write(root, "Makefile", f"all:\n\ttouch {markers}/make\n")
    write(root, "pyproject.toml", '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "evil_backend"\n[tool.mofcheck]\nmode = "mof"\n')
    write(root, "evil_backend.py", _evil(markers, "evil_backend.py"))
    nb = {"cells": [{"cell_type": "code", "source": [_evil(markers, "notebook")], "metadata": {}, "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    write(root, "train.ipynb", json.dumps(nb))
    for rel in SHADOWS:
        write(root, rel, _evil(markers, "shadow-" + rel.replace("/", "_")))
    write(root, ".gitattributes", "* filter=evil diff=evil\n*.safetensors filter=lfs diff=lfs merge=lfs -text\n")
    write(root, "model.safetensors", b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 10\n")
    git_init(root, commit=True)
    hooks = root / "evilhooks"
    hooks.mkdir()
    for name in ("post-checkout", "post-index-change", "reference-transaction", "pre-commit", "post-commit", "fsmonitor-watchman"):
        shutil.copy(hook, hooks / name)
        shutil.copy(hook, root / ".git" / "hooks" / name)
    for key, value in [
        ("core.fsmonitor", str(hook)),
        ("core.hooksPath", str(hooks)),
        ("core.sshCommand", str(hook)),
        ("core.pager", str(hook)),
        ("core.editor", str(hook)),
        ("core.askPass", str(hook)),
        ("filter.evil.clean", str(hook)),
        ("filter.evil.smudge", str(hook)),
        ("filter.evil.process", str(hook)),
        ("filter.lfs.smudge", str(hook)),
        ("filter.lfs.process", str(hook)),
        ("diff.evil.textconv", str(hook)),
        ("diff.external", str(hook)),
        ("credential.helper", "!" + str(hook)),
        ("safe.directory", "*"),
        ("core.untrackedCache", "true"),
        ("include.path", str(base / "included.cfg")),
    ]:
        git(root, "config", key, value)
    write(base, "included.cfg", f"[core]\n\tfsmonitor = {hook}\n")
    return root, markers


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on exit: connections are refused


def _mofcheck(root: Path, *args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("mofcheck")
    if not exe.exists():
        pytest.skip(f"the mofcheck console script is not installed beside {sys.executable}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "MOFCHECK_", "RUNNER_", "PYTHON"))}
    env.update(env_extra or {})
    return subprocess.run([str(exe), *args], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_control_plain_git_would_run_the_config(evil_repo, tmp_path):
    """Without mofcheck's lockdown, git in this repository runs the planted fsmonitor (so the test below
    can fail)."""
    root, markers = evil_repo
    scratch = tmp_path / "copy"
    shutil.copytree(root, scratch, symlinks=True)
    subprocess.run(["git", "status", "--short"], cwd=scratch, env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)}, capture_output=True)
    ran = sorted(p.name for p in markers.iterdir())
    assert ran, "the control failed: this git runs none of the planted commands"
    for p in markers.iterdir():
        p.unlink()


def test_control_python_m_from_the_repository_would_import_its_files(evil_repo):
    """`python -m` puts the working directory first on sys.path, so a shadowing module runs; the console
    script (what the action and the hook use) does not. This is why SECURITY.md says to run `mofcheck`."""
    root, markers = evil_repo
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    subprocess.run([sys.executable, "-m", "mofcheck", "--version"], cwd=root, env=env, capture_output=True, timeout=60)
    assert any(p.name.startswith("shadow-") for p in markers.iterdir()), "the control failed: nothing shadowed"
    for p in markers.iterdir():
        p.unlink()


@pytest.mark.parametrize(
    "args",
    [
        ["check", "."],
        ["check", ".", "--format", "json", "--mode", "mot"],
        ["badge", "."],
        ["export", ".", "--format", "mot"],
        ["identify", "LICENSE"],
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_commands_never_run_repository_content(evil_repo, args):
    root, markers = evil_repo
    before = sorted(p.name for p in markers.iterdir())
    assert before == [], f"a control left markers: {before}"
    run = _mofcheck(root, *args)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode in (0, 1), (run.returncode, run.stderr)
    assert sorted(p.name for p in markers.iterdir()) == []


def test_github_front_never_runs_repository_content_nor_prints_the_token(evil_repo, tmp_path):
    root, markers = evil_repo
    (tmp_path / "out.txt").write_text("")
    (tmp_path / "summary.md").write_text("")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 3, "head": {"sha": "a" * 40, "repo": {"full_name": "evil/fork"}},
                                                  "base": {"sha": "b" * 40, "repo": {"full_name": "acme/x"}}},
                                 "repository": {"full_name": "acme/x"}}))  # fmt: skip
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "acme/x",
        "GITHUB_SHA": "c" * 40,
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_API_URL": f"http://127.0.0.1:{_closed_port()}",
        "GITHUB_WORKSPACE": str(root),
        "GITHUB_OUTPUT": str(tmp_path / "out.txt"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_TOKEN": TOKEN,
        "MOFCHECK_RETRY_SCALE": "0",
        "MOFCHECK_GITHUB_TIMEOUT": "2",
    }
    run = _mofcheck(root, "github", env_extra=env)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 0, run.stderr  # publishing failures never change the verdict
    assert sorted(p.name for p in markers.iterdir()) == []
    stdout = run.stdout.replace(f"::add-mask::{TOKEN}\n", "")  # the runner consumes its own mask command
    for text in (stdout, run.stderr, (tmp_path / "out.txt").read_text(), (tmp_path / "summary.md").read_text()):
        assert TOKEN not in text


def test_the_github_context_repr_never_shows_the_token():
    from mofcheck.github import env as gh_env

    ctx = gh_env.read_context({"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": "acme/x"})
    assert ctx.token == TOKEN
    assert TOKEN not in repr(ctx) and TOKEN not in str(ctx)
