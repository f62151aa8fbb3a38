"""A fixture copied into a temporary git repository, and `mofcheck check --format json` over it."""

from __future__ import annotations

import json
import shutil

from .conftest import FIXTURES, git


def copy_fixture(tmp_path, fixture: str = "class3-open-model"):
    r = tmp_path / "r"
    shutil.copytree(FIXTURES / fixture, r)
    return r


def check_git(cli, r, *args):
    """(run, report or None) for `check` on `r` once everything in it is added to a new git repository."""
    git(r, "init", "-q")
    git(r, "add", "-A")
    run = cli("check", str(r), "--format", "json", "--no-config", *args)
    return run, (json.loads(run.out) if run.out.strip().startswith("{") else None)
