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


def test_severity_comes_from_the_registry_only():
    """Call sites name a finding's code, never its severity: Finding.of takes it from checks.yaml."""
    import ast
    from pathlib import Path

    import pytest

    import mofcheck
    from mofcheck.checks import load_checks, severity
    from mofcheck.model import Finding

    checks = load_checks()
    assert Finding.of("license.conflict", "m").severity == checks["license.conflict"]["severity"] == "error"
    assert Finding.of("waiver.new", "m").severity == "warning"
    assert Finding.of("waiver.new", "m", when="counted").severity == "info"
    with pytest.raises(KeyError):
        severity("no.such-code")
    literal = {"ERROR": "error", "WARNING": "warning", "INFO": "info"}
    src = Path(mofcheck.__file__).parent
    direct = []
    for p in src.rglob("*.py"):
        for n in ast.walk(ast.parse(p.read_text())):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "Finding":
                sev = n.args[1] if len(n.args) > 1 else next((k.value for k in n.keywords if k.arg == "severity"), None)
                if isinstance(sev, (ast.Constant, ast.IfExp)) or (isinstance(sev, ast.Name) and sev.id in literal):
                    direct.append(f"{p.relative_to(src).as_posix()}:{n.lineno}")
            # nor does any helper take one: no call passes ERROR / WARNING / INFO (the repository layer's
            # notes once did)
            if isinstance(n, ast.Call):
                for arg in [*n.args, *(k.value for k in n.keywords)]:
                    if isinstance(arg, ast.Name) and arg.id in literal:
                        direct.append(f"{p.relative_to(src).as_posix()}:{n.lineno}")
    # a direct Finding(...) only passes a severity it was given (a stored finding read back), never its own
    assert direct == []
