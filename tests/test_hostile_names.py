"""File names that are not UTF-8 are data: a committed `weights-\\xff\\xfe.safetensors` is shown as the text
`weights-\\xff\\xfe.safetensors` in every output (one escaping function, `escape.name`), and every output
stays valid UTF-8: no crash, no raw 0xFF byte, no lone surrogate."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from markdown_it import MarkdownIt

from mofcheck.report.escape import name as escape_name

from .hostile_trees import FORMATS, check_all, git, needs_git, posix_only, run_cli
from .test_github_command import actions, run, server  # noqa: F401 - fixtures

RAW = b"weights-\xff\xfe.safetensors"
SHOWN = "weights-\\xff\\xfe.safetensors"  # the text every format shows (backslashes are characters)
LICENSE_RAW = b"LICENSE-\xe9"  # latin-1 e-acute: not UTF-8 either

pytestmark = [needs_git, posix_only]


def _repo(root):
    """A real git repository whose only weights and one license file have names that are not UTF-8."""
    import shutil

    from .conftest import FIXTURES

    shutil.copytree(FIXTURES / "class3-open-model", root)
    os.remove(root / "model.safetensors")
    manifest = root / "mof.yml"  # the weights' path comes from the repository, not the manifest
    manifest.write_text(manifest.read_text().replace(", component_path: model.safetensors}", "}"))
    rootb = os.fsencode(root)
    with open(os.path.join(rootb, RAW), "wb") as fh:
        fh.write(b"\x00" * 64)
    with open(os.path.join(rootb, LICENSE_RAW), "wb") as fh:
        fh.write(b"Copyright (c) 2024 Example\n\nAll rights reserved. Not for any use.\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "names")
    assert RAW in subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    return root


def _valid_utf8(data: bytes, where: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        pytest.fail(f"{where}: not valid UTF-8: {e}")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text), where
    return text


def test_escape_name_is_one_rule():
    assert escape_name(os.fsdecode(RAW)) == SHOWN
    assert escape_name("plain/name.bin") == "plain/name.bin"
    assert escape_name("x\ud800y") == "x\\ud800y"  # a lone surrogate from elsewhere (a YAML escape)


def test_every_format_shows_the_same_escaped_name(tmp_path):
    root = _repo(tmp_path / "repo")
    o = check_all(root)
    assert o.code in (0, 1), o.err
    for fmt in FORMATS:
        _valid_utf8((tmp_path / f"out-repo/report.{fmt}").read_bytes(), fmt)
    assert SHOWN in _strings(o.report)  # the weights' evidence
    license_shown = "LICENSE-\\xe9"  # a finding's path: shown by every format
    assert license_shown in _strings(o.report)
    assert license_shown in o.out["text"]
    assert f"{license_shown}:1: info: [license.unidentified]" in o.out["lines"]
    assert f"file={license_shown},line=1," in o.out["github"]
    assert license_shown in MarkdownIt("commonmark").enable(["table"]).render(o.out["markdown"])
    sarif = json.loads(o.out["sarif"])
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"] for loc in r.get("locations", [])}
    assert any(license_shown in u or "LICENSE-%5Cxe9" in u for u in uris), uris


def _strings(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*map(_strings, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(_strings, value)) if value else set()
    return set()


def test_json_to_a_file_and_to_stdout_is_valid_utf8(tmp_path, python):
    root = _repo(tmp_path / "repo")
    r = run_cli("check", str(root), "--format", "json", "--output", str(tmp_path / "r.json"))
    assert r.code in (0, 1), r.err
    report = json.loads(_valid_utf8((tmp_path / "r.json").read_bytes(), "r.json"))
    assert SHOWN in _strings(report)
    # stdout in a C locale (the runner's default shell may have one): surrogateescape would write raw bytes
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": ""}
    proc = subprocess.run(
        [python, "-c", "import sys; from mofcheck.cli import main; sys.exit(main())", "check", str(root), "--format", "json"], capture_output=True, env=env
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert b"\xff" not in proc.stdout
    assert SHOWN in _strings(json.loads(_valid_utf8(proc.stdout, "stdout")))


@pytest.mark.parametrize("fmt", ["mot", "spdx", "spdx3"])
def test_exports_are_valid_utf8(tmp_path, fmt):
    root = _repo(tmp_path / "repo")
    out = tmp_path / f"export.{fmt}"
    r = run_cli("export", str(root), "--format", fmt, "--output", str(out))
    if r.code == 2 and "not installed" in r.err:
        pytest.skip(r.err)
    assert r.code == 0, r.err
    _valid_utf8(out.read_bytes(), fmt)


def test_badge_and_init_are_valid_utf8(tmp_path):
    root = _repo(tmp_path / "repo")
    r = run_cli("badge", str(root), "--format", "endpoint")
    assert r.code == 0, r.err
    _valid_utf8(r.out.encode("utf-8", "strict"), "badge")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    rawdir = os.fsencode(fresh)
    with open(os.path.join(rawdir, RAW), "wb") as fh:
        fh.write(b"\x00" * 64)
    (fresh / "README.md").write_text("# m\n\nlicense: apache-2.0\n")
    git(fresh, "init", "-q")
    git(fresh, "add", "-A")
    r = run_cli("init", str(fresh))
    assert r.code in (0, 1), r.err
    assert "Traceback" not in r.err and "internal error" not in r.err
    if (fresh / "mof.yml").exists():
        _valid_utf8((fresh / "mof.yml").read_bytes(), "mof.yml")


def test_github_front_writes_its_report_and_summary(actions, capsys, monkeypatch):  # noqa: F811
    ws = actions["repo"]
    rawdir = os.fsencode(ws)
    with open(os.path.join(rawdir, RAW), "wb") as fh:
        fh.write(b"\x00" * 64)
    git(ws, "init", "-q")
    git(ws, "add", "-A")
    code, out, err = run(capsys, "--no-status", "--no-comment")
    assert code in (0, 1), err
    assert "internal error" not in err
    _valid_utf8(out.encode("utf-8"), "annotations")
    summary = _valid_utf8(actions["summary"].read_bytes(), "summary")
    assert summary.strip()
    report = json.loads(_valid_utf8((actions["tmp"] / "temp" / "mofcheck-report.json").read_bytes(), "report"))
    assert report["models"]


def test_github_front_in_a_real_subprocess(tmp_path, python):
    root = _repo(tmp_path / "repo")
    summary = tmp_path / "summary.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "MOFCHECK_", "RUNNER_"))}
    env.update(LC_ALL="C", LANG="C", GITHUB_STEP_SUMMARY=str(summary), GITHUB_WORKSPACE=str(root), RUNNER_TEMP=str(tmp_path))
    proc = subprocess.run(
        [python, "-c", "import sys; from mofcheck.cli import main; sys.exit(main())", "github", "--no-status", "--no-comment", str(root)],
        capture_output=True,
        env=env,
        cwd=root,
    )
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    _valid_utf8(proc.stdout, "stdout")
    assert _valid_utf8(summary.read_bytes(), "summary").strip()
    assert json.loads(_valid_utf8((tmp_path / "mofcheck-report.json").read_bytes(), "report"))["models"]
    assert sys.platform != "win32"


def test_identify_json_names_the_file_in_valid_utf8(tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), LICENSE_RAW)
    with open(raw, "wb") as fh:
        fh.write(b"MIT License\n")
    r = run_cli("identify", "--format", "json", os.fsdecode(raw))
    assert r.code == 0, r.err
    (entry,) = json.loads(r.out)
    assert entry["path"].endswith("LICENSE-\\xe9")
    assert "\\udc" not in r.out
