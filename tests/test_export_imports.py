"""`mofcheck check` (and registering the export command) never loads the heavy export or GitHub libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("spdx_tools", "spdx_python_model", "github")

MANIFEST = """\
framework: {name: 'Model Openness Framework', version: '1.0', date: '2024-12-15'}
release:
  name: Tiny-LM
  producer: Example Lab
  license:
    distribution: {name: Apache-2.0, path: ''}
  components:
    - {name: 'Model architecture'}
    - {name: 'Model card', license: CC-BY-4.0}
"""

PROBE = """
import io, json, sys
from contextlib import redirect_stdout
from mofcheck.cli import main
with redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
print(json.dumps({"code": code, "heavy": heavy}))
""".replace("HEAVY", repr(list(HEAVY)))


def _probe(*args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_check_imports_no_heavy_library(tmp_path: Path):
    (tmp_path / "mof.yml").write_text(MANIFEST, encoding="utf-8")
    for fmt in ("text", "json"):
        got = _probe("check", str(tmp_path), "--format", fmt)
        assert got["code"] in (0, 1) and got["heavy"] == [], got


def test_the_probe_sees_an_export_load_spdx_tools(tmp_path: Path):
    # the same probe does see the library when a command really uses it
    (tmp_path / "mof.yml").write_text(MANIFEST, encoding="utf-8")
    got = _probe("export", str(tmp_path), "--format", "spdx", "--output", str(tmp_path / "out.json"))
    assert got["code"] == 0 and "spdx_tools" in got["heavy"] and "spdx_python_model" not in got["heavy"]
