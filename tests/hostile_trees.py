"""Helpers for the hostile-input tests: build repositories in tmp folders, run the real `mofcheck check`
in every output format at once, and watch which files the process opens (a Python audit hook)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import FIXTURES, GIT_ENV, git, run_cli  # noqa: F401

FORMATS = ("json", "markdown", "github", "sarif", "lines")  # text goes to stdout

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
posix_only = pytest.mark.skipif(os.name != "posix", reason="needs POSIX symlinks and FIFOs")

MANIFEST_HEAD = """\
framework: {name: 'Model Openness Framework', version: '1.0', date: '2024-12-15'}
release:
  name: %s
  version: '1'
  date: '2025-01-01'
  type: language
  architecture: transformer
  origin: ''
  producer: Example
  contact: ''
  license:
    distribution: {name: Apache-2.0, path: LICENSE}
  components:
"""


def manifest_text(name: str = "tiny", components: list[dict] | None = None) -> str:
    """A valid MOT-format manifest; components as flow mappings (values JSON-quoted)."""
    comps = components if components is not None else [{"name": "Model architecture", "description": "code"}]
    lines = [MANIFEST_HEAD % json.dumps(name)]
    for c in comps:
        lines.append("    - {" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in c.items()) + "}\n")
    return "".join(lines)


def write(root: Path, rel: str, data: str | bytes = "x\n") -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        p.write_bytes(data)
    else:
        p.write_text(data, encoding="utf-8")
    return p


def git_init(root: Path, commit: bool = False) -> Path:
    git(root, "init", "-q")
    git(root, "add", "-A")
    if commit:
        git(root, "commit", "-qm", "x")
    return root


def copy_fixture(name: str, dest: Path) -> Path:
    shutil.copytree(FIXTURES / name, dest, symlinks=True)
    return dest


@dataclass
class Outputs:
    code: int
    out: dict[str, str]  # format -> rendered text ("text" is what went to stdout)
    err: str

    @property
    def report(self) -> dict:
        return json.loads(self.out["json"])

    def everything(self) -> str:
        return "\n".join([*self.out.values(), self.err])

    def findings(self) -> list[dict]:
        r = self.report
        return [*r["findings"], *(f for m in r["models"] for f in m["findings"])]

    def codes(self) -> set[tuple[str, str | None]]:
        return {(f["code"], f.get("path")) for f in self.findings()}


def check_all(path: Path, *args: str, outdir: Path | None = None) -> Outputs:
    """`mofcheck check PATH ARGS` once, every format written: json/markdown/github/sarif/lines to files, text
    to stdout."""
    outdir = outdir or path.parent / f"out-{path.name}"
    outdir.mkdir(parents=True, exist_ok=True)
    fmt_args: list[str] = []
    for f in FORMATS:
        fmt_args += ["--format", f, "--output", str(outdir / f"report.{f}")]
    run = run_cli("check", str(path), *args, *fmt_args, "--format", "text")
    assert "Traceback" not in run.err, run.err
    out = {f: (outdir / f"report.{f}").read_text(encoding="utf-8") for f in FORMATS}
    out["text"] = run.out
    return Outputs(run.code, out, run.err)


# ------------------------------------------------------------------------------------ file watching

_watch_lock = threading.Lock()
_watched: list[tuple[str, list[str]]] = []  # (prefix, hits)
_hook_installed = False


def _audit(event: str, args: tuple) -> None:
    if event != "open" or not _watched or not args:
        return
    p = args[0]
    if isinstance(p, int):
        return
    try:
        s = os.fsdecode(p)
    except TypeError:
        return
    full = os.path.realpath(s) if os.path.isabs(s) else os.path.realpath(os.path.join(os.getcwd(), s))
    for prefix, hits in _watched:
        if s.startswith(prefix) or full.startswith(prefix):
            hits.append(s)


@contextmanager
def opens_under(*dirs: Path):
    """Record every file this process opens (builtins.open, os.open, io) under `dirs`. Audit hooks cannot
    be removed, so one hook is installed once and consults a list."""
    global _hook_installed
    with _watch_lock:
        if not _hook_installed:
            sys.addaudithook(_audit)
            _hook_installed = True
    hits: list[str] = []
    entries = [(os.path.realpath(d) + os.sep, hits) for d in dirs] + [(str(d) + os.sep, hits) for d in dirs]
    _watched.extend(entries)
    try:
        yield hits
    finally:
        for e in entries:
            _watched.remove(e)
