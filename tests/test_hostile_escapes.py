"""Hostile repositories that try to make `mofcheck check` read outside the repository: symlinks (absolute,
relative, to a folder, loops), manifest paths that climb out, manifests and configuration that point out.

Each test puts a recognisable license text and a unique marker *outside* the repository, runs the real
command in every output format, and proves three things: no file outside was opened (an audit hook), the
outside license is never identified, and the marker never appears in any output. A control run with the
same text inside the repository shows the test could fail."""

from __future__ import annotations

import os
import shutil
import signal

import pytest

from .conftest import MIT_TEXT
from .hostile_trees import (
    check_all,
    copy_fixture,
    git,
    git_init,
    manifest_text,
    needs_git,
    opens_under,
    posix_only,
    write,
)

pytestmark = posix_only

MARKER = "MOFCHECK-OUTSIDE-MARKER-7f3a91"
# The MIT text (identified as MIT by its text); the marker rides along on the copyright line.
MIT = f"MIT License\n\nCopyright (c) 2024 {MARKER}\n\n{MIT_TEXT}"


@pytest.fixture
def outside(tmp_path):
    d = tmp_path / "outside"
    write(d, "LICENSE.txt", MIT)
    write(d, "secret.yml", manifest_text(name=MARKER))
    write(d, "LICENSES/MIT.txt", MIT)
    return d


def small_repo(root, *, use_git: bool):
    """A release with weights and a card but no license file of its own."""
    write(root, "mof.yml", manifest_text(components=[{"name": "Model architecture", "description": "code", "license": "Apache-2.0"}]))
    write(root, "model.py", "class Model: pass\n")
    write(root, "README.md", "# tiny\n\nA model card.\n")
    if use_git:
        git_init(root)
    return root


def licenses_found(o) -> set[str]:
    """Every license expression the report attributes to something."""
    out = set()
    for m in o.report["models"]:
        for c in m["components"]:
            lic = c.get("license") or {}
            out.add(lic.get("expression"))
            for e in c.get("evidence", []):
                out.add(e.get("detail"))
    return {x for x in out if x}


def assert_nothing_from_outside(o, hits):
    assert hits == [], f"opened outside the repository: {hits}"
    assert MARKER not in o.everything()
    assert not any("MIT" in x for x in licenses_found(o)), licenses_found(o)


def test_control_the_same_text_inside_is_read(tmp_path, outside):
    # Without this, the tests below could pass because MIT is never identified at all.
    root = small_repo(tmp_path / "repo", use_git=False)
    shutil.copy(outside / "LICENSE.txt", root / "LICENSE")
    with opens_under(root) as hits:
        o = check_all(root)
    assert hits, "the audit hook sees nothing: the escape tests would prove nothing"
    assert any("MIT" in x for x in licenses_found(o))


@pytest.mark.parametrize("use_git", [True, False], ids=["git", "walk"])
@pytest.mark.parametrize("target", ["absolute", "relative", "etc-passwd", "loop"])
def test_license_symlink_out_of_the_repository(tmp_path, outside, use_git, target):
    if use_git and shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    root.mkdir()
    link = {
        "absolute": str(outside / "LICENSE.txt"),
        "relative": "../outside/LICENSE.txt",
        "etc-passwd": "/etc/passwd",
        "loop": "LICENSE",  # LICENSE -> LICENSE
    }[target]
    os.symlink(link, root / "LICENSE")
    os.symlink("COPYING-B", root / "COPYING-A")
    os.symlink("COPYING-A", root / "COPYING-B")  # a two-link loop
    small_repo(root, use_git=use_git)
    with opens_under(outside, tmp_path / "etc") as hits:
        o = check_all(root)
    assert_nothing_from_outside(o, hits)
    assert "root:" not in o.everything()  # nothing of /etc/passwd
    why = "symlink loop" if target == "loop" else "symlink to a path outside the repository"
    escapes = {f["path"]: f for f in o.findings() if f["code"] == "repo.symlink-escape"}
    assert escapes["LICENSE"]["message"] == why and escapes["LICENSE"]["severity"] == "warning"
    assert escapes["COPYING-A"]["message"] == "symlink loop"
    assert o.code == 0  # a refused file is a finding, not a crash


@pytest.mark.parametrize("use_git", [True, False], ids=["git", "walk"])
def test_licenses_folder_that_is_a_symlink(tmp_path, outside, use_git):
    if use_git and shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = small_repo(tmp_path / "repo", use_git=False)
    os.symlink(outside / "LICENSES", root / "LICENSES")
    if use_git:
        git_init(root)
    with opens_under(outside) as hits:
        o = check_all(root)
    assert_nothing_from_outside(o, hits)
    assert ("repo.symlink-escape", "LICENSES") in o.codes()


def test_class1_fixture_with_its_licenses_folder_linked_from_outside(tmp_path):
    """The Class I fixture with LICENSES/ moved out and linked back: nothing in it is read, the finding
    says why, and the rest of the report still comes out (the manifest's global licenses still count:
    a license text in the repository is evidence, not a requirement)."""
    root = copy_fixture("class1-open-science", tmp_path / "repo")
    control = check_all(root, outdir=tmp_path / "o1")
    assert control.report["models"][0]["verified"]["class"] == 1
    away = tmp_path / "outside" / "LICENSES"
    away.parent.mkdir()
    shutil.move(root / "LICENSES", away)
    (away / "CC-BY-4.0.txt").write_text((away / "CC-BY-4.0.txt").read_text() + f"\n{MARKER}\n")
    os.symlink(away, root / "LICENSES")
    with opens_under(away) as hits:
        o = check_all(root, outdir=tmp_path / "o2")
    assert hits == [] and MARKER not in o.everything()
    assert ("repo.symlink-escape", "LICENSES") in o.codes()
    assert o.report["models"][0]["name"] == "Tern-1B" and o.code == 0


@pytest.mark.parametrize(
    "path, why",
    [
        ("../../etc/shadow", "path leaves the repository"),
        ("../outside/LICENSE.txt", "path leaves the repository"),
        ("/etc/shadow", "absolute path"),
        ("OUTSIDE_ABS", "absolute path"),
        ("docs/../../outside/LICENSES/MIT.txt", "path leaves the repository"),
        ("C:\\Windows\\win.ini", "absolute path"),
        ("escape.txt", "symlink to a path outside the repository"),
    ],
)
def test_manifest_paths_that_leave_the_repository(tmp_path, outside, path, why):
    root = tmp_path / "repo"
    if path == "OUTSIDE_ABS":
        path = str(outside / "LICENSE.txt")
    comps = [
        {"name": "Model architecture", "description": "code", "component_path": path, "license_path": path},
        {"name": "Model card", "description": "card", "component_path": path, "license": "CC-BY-4.0", "license_path": path},
    ]
    text = manifest_text(components=comps).replace(
        "distribution: {name: Apache-2.0, path: LICENSE}", "distribution: {name: Apache-2.0, path: " + __import__("json").dumps(path) + "}"
    )
    write(root, "mof.yml", text)
    write(root, "model.py", "x = 1\n")
    os.symlink(outside / "LICENSE.txt", root / "escape.txt")
    git_init(root)
    with opens_under(outside, tmp_path / "etc") as hits:
        o = check_all(root)
    assert_nothing_from_outside(o, hits)
    missing = [f for f in o.findings() if f["code"] == "evidence.path-missing"]
    assert {f["component"] for f in missing} == {"Model architecture", "Model card"}
    for f in missing:
        assert f["message"].endswith(f"({why})"), f["message"]
        assert f["path"] == "mof.yml" and f["line"]


@needs_git
@pytest.mark.parametrize("name", ["mof.yml", ".mof/evil.yml"])
def test_manifest_that_is_a_symlink_out_of_the_repository(tmp_path, outside, name):
    root = small_repo(tmp_path / "repo", use_git=False)
    (root / "mof.yml").unlink()
    (root / name).parent.mkdir(exist_ok=True)
    os.symlink(outside / "secret.yml", root / name)
    git_init(root)
    with opens_under(outside) as hits:
        o = check_all(root)
    assert hits == [], f"opened outside the repository: {hits}"
    assert MARKER not in o.everything()
    assert ("repo.symlink-escape", name) in o.codes()
    (bad,) = [f for f in o.findings() if f["code"] == "manifest.invalid"]
    assert bad["path"] == name and bad["message"] == "cannot read the manifest: symlink to a path outside the repository"
    assert o.code == 2


@needs_git
def test_configuration_cannot_name_a_manifest_outside_the_repository(tmp_path, outside):
    root = small_repo(tmp_path / "repo", use_git=False)
    write(root, ".mofcheck.toml", f'manifests = ["mof.yml", "../outside/secret.yml", "{outside / "secret.yml"}"]\n')
    git_init(root)
    with opens_under(outside) as hits:
        o = check_all(root)
    assert hits == [], f"opened outside the repository: {hits}"
    assert MARKER not in o.everything()
    assert [m["name"] for m in o.report["models"]] == ["tiny"]  # the one inside is still evaluated
    bad = {f["path"]: f["message"] for f in o.findings() if f["code"] == "manifest.invalid"}
    assert bad == {
        "../outside/secret.yml": "cannot read the manifest: path leaves the repository",
        str(outside / "secret.yml"): "cannot read the manifest: absolute path",
    }
    assert o.code == 2


@needs_git
def test_a_tracked_manifest_replaced_by_a_fifo_never_blocks(tmp_path):
    root = small_repo(tmp_path / "repo", use_git=True)
    git(root, "commit", "-qm", "x")
    (root / "mof.yml").unlink()
    os.mkfifo(root / "mof.yml")

    class Blocked(BaseException):  # not an OSError: nothing in mofcheck may swallow it
        pass

    def boom(*_):
        raise Blocked("mofcheck blocked opening a FIFO")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(10)
    try:
        o = check_all(root)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert o.code == 2  # the manifest cannot be used: an input error, said once, with the file
    (bad,) = [f for f in o.findings() if f["code"] == "manifest.invalid"]
    assert bad["path"] == "mof.yml" and "not a regular file" in bad["message"]


def test_an_output_file_planted_as_a_symlink_is_not_written_through(tmp_path, outside):
    """`mofcheck check --output report.json` in a checkout whose report.json links to a file elsewhere
    (a dotfile, a workflow): refused, the target unchanged."""
    from .conftest import run_cli

    root = small_repo(tmp_path / "repo", use_git=False)
    victim = outside / "LICENSE.txt"
    before = victim.read_bytes()
    os.symlink(victim, root / "report.json")
    git_init(root)
    run = run_cli("check", ".", "--format", "json", "--output", "report.json", cwd=root)
    assert run.code == 2
    assert run.err.strip() == "mofcheck: error: report.json: refusing to write through a symbolic link"
    assert victim.read_bytes() == before


def test_an_export_output_planted_as_a_symlink_is_not_written_through(tmp_path, outside):
    from .conftest import run_cli

    root = small_repo(tmp_path / "repo", use_git=False)
    victim = outside / "LICENSE.txt"
    before = victim.read_bytes()
    os.symlink(victim, root / "model.yml")
    git_init(root)
    run = run_cli("export", ".", "--format", "mot", "--output", "model.yml", cwd=root)
    assert run.code == 2 and "model.yml: refusing to write through a symbolic link" in run.err
    assert victim.read_bytes() == before
