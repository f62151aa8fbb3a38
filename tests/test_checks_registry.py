"""Every finding code the code can emit is registered in data/checks.yaml, and docs/checks.md is current."""

from __future__ import annotations

import re
import subprocess
import sys

from mofcheck.checks import load_checks

from .conftest import ROOT

_EMIT = re.compile(r"Finding\(\s*\n?\s*\"([a-z0-9]+\.[a-z0-9.-]+)\"", re.M)
_CONST = re.compile(r"^([A-Z_]+)\s*=\s*\"([a-z]+\.[a-z0-9-]+)\"", re.M)


def _emitted() -> set[str]:
    codes: set[str] = set()
    for p in (ROOT / "src" / "mofcheck").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        codes.update(_EMIT.findall(text))
        codes.update(v for _k, v in _CONST.findall(text) if "." in v)
    return codes


def test_every_emitted_code_is_registered():
    registered = set(load_checks())
    missing = sorted(c for c in _emitted() if c not in registered)
    assert missing == []


def test_checks_doc_is_generated_and_current():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_checks_doc.py"), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
