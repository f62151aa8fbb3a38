"""Planted links on the paths a workflow names: the checked PATH, `--output`, `badge --write`. The checkout
controls every component of those paths below the workspace (GITHUB_WORKSPACE, else the current folder),
so each component is checked, not only the last: a link out of the workspace is refused (exit 2), nothing
outside is read or written, and no folder is created outside."""

from __future__ import annotations

import os

import pytest

from .hostile_trees import git_init, manifest_text, posix_only, run_cli, write
from .test_github_command import actions, run, server  # noqa: F401 - fixtures

pytestmark = posix_only
MARKER = "OUTSIDE-RELEASE-7f3a"


@pytest.fixture
def ws(tmp_path, monkeypatch):
    """A workspace (the current folder, no GITHUB_WORKSPACE) with a real release, and a folder outside it
    holding another release and a README with badge markers."""
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    ws = tmp_path / "ws"
    write(ws, "models/real/mof.yml", manifest_text("inside-release"))
    write(ws, "models/real/LICENSE", "Apache License\nVersion 2.0, January 2004\n")
    outside = tmp_path / "outside"
    write(outside, "mof.yml", manifest_text(MARKER))
    write(outside, "README.md", "# Outside\n\n<!-- mofcheck-badge:start -->\n<!-- mofcheck-badge:end -->\n")
    os.symlink(outside, ws / "models" / "a")  # models/a -> outside
    os.symlink("real", ws / "models" / "b")  # models/b -> models/real: stays inside, allowed
    os.symlink(outside, ws / "reports")
    os.symlink(outside, ws / "docs")
    git_init(ws, commit=True)
    monkeypatch.chdir(ws)
    return ws, outside


def _snapshot(d):
    return {p.relative_to(d): p.read_bytes() for p in d.rglob("*") if p.is_file()}


@pytest.mark.parametrize("path", ["models/a", "models/a/", "models/a/mof.yml", "models/a/../a", "./models/a/."])
def test_a_checked_path_through_a_planted_link_is_refused(ws, path):
    root, outside = ws
    r = run_cli("check", path, "--format", "json")
    assert r.code == 2, r.out
    assert MARKER not in r.out + r.err
    assert "symbolic link models/a;" in r.err and "outside the workspace" in r.err


def test_an_absolute_checked_path_inside_the_workspace_is_checked_the_same(ws):
    root, _ = ws
    r = run_cli("check", str(root / "models" / "a"))
    assert r.code == 2 and MARKER not in r.out


def test_an_upper_component_that_is_a_link_is_refused_too(ws, tmp_path):
    root, outside = ws
    (outside / "deep").mkdir()
    write(outside, "deep/mof.yml", manifest_text(MARKER))
    os.symlink(outside, root / "vendor")
    r = run_cli("check", "vendor/deep")
    assert r.code == 2 and MARKER not in r.out and "vendor" in r.err


def test_control_a_link_that_stays_inside_and_a_path_outside_the_workspace_are_checked(ws):
    root, outside = ws
    r = run_cli("check", "models/b", "--format", "json")
    assert r.code == 0, r.err
    assert "inside-release" in r.out
    r = run_cli("check", str(outside), "--format", "json")  # named outside the workspace: the caller's choice
    assert r.code == 0 and MARKER in r.out


@pytest.mark.parametrize("target", ["reports/r.json", "reports/new/r.json", "./reports/r.json"])
def test_output_through_a_planted_folder_link_is_refused(ws, target):
    root, outside = ws
    before = _snapshot(outside)
    r = run_cli("check", "models/real", "--format", "json", "--output", target)
    assert r.code == 2
    assert "refusing to write through a symbolic link" in r.err and "reports" in r.err
    assert _snapshot(outside) == before
    assert not (outside / "new").exists() and not (outside / "r.json").exists()


def test_export_output_through_a_planted_folder_link_is_refused(ws):
    root, outside = ws
    before = _snapshot(outside)
    r = run_cli("export", "models/real", "--format", "mot", "--output", "reports/model.yml")
    assert r.code == 2 and "symbolic link" in r.err
    assert _snapshot(outside) == before


def test_badge_write_through_a_planted_folder_link_is_refused(ws):
    root, outside = ws
    before = _snapshot(outside)
    r = run_cli("badge", "models/real", "--write", "docs/README.md")
    assert r.code == 2 and "symbolic link" in r.err and "docs" in r.err
    assert _snapshot(outside) == before
    assert not list(outside.glob("mof-badge*"))


def test_control_outputs_inside_the_workspace_are_written(ws):
    root, _ = ws
    r = run_cli("check", "models/real", "--format", "json", "--output", "out/sub/r.json")
    assert r.code == 0, r.err
    assert (root / "out" / "sub" / "r.json").is_file()
    write(root, "README.md", "# T\n")
    r = run_cli("badge", "models/real", "--write", "README.md")
    assert r.code == 0, r.err
    assert "mofcheck-badge" in (root / "README.md").read_text()


def test_github_front_refuses_a_planted_path(actions, capsys, tmp_path):  # noqa: F811
    ws = actions["repo"]
    outside = tmp_path / "outside-gh"
    write(outside, "mof.yml", manifest_text(MARKER))
    os.symlink(outside, ws / "linked")
    code, out, err = run(capsys, "--no-status", "--no-comment", "linked")
    assert code == 2
    assert MARKER not in out + err
    assert "linked" in err and "symbolic link" in err
