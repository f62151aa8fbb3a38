"""Component roles live in the framework file: code asks for a role, never names a component."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mofcheck import framework

SRC = Path(framework.__file__).parent


def test_every_role_names_a_component():
    fw = framework.load()
    assert set(fw.roles.values()) <= set(fw.names())
    assert fw.role("final-weights") == "Model parameters (Final)"
    assert {c.name for c in fw.components if c.use_policy} == set(fw.role_names("final-weights", "intermediate-weights"))
    with pytest.raises(KeyError, match="no component for the role"):
        fw.role("no-such-role")


def test_no_component_name_in_code():
    names = framework.load().names()
    rx = re.compile("|".join(re.escape(f'"{n}"') for n in names) + r'|startswith\("Model')
    hits = [
        f"{p.relative_to(SRC)}:{i}"
        for p in SRC.rglob("*.py")
        for i, line in enumerate(p.read_text().splitlines(), 1)
        if rx.search(line.split("  # ")[0]) and not line.lstrip().startswith("#")
    ]
    assert hits == []
