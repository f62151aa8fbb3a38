"""What `mofcheck check` loads: the startup-cost decisions (docs/benchmarks.md) hold. Not timings: which
modules and data a small check imports, in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import FIXTURES

PROBE = """
import io, json, sys
from contextlib import redirect_stdout
from mofcheck.cli import main
with redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
from mofcheck.licenses import identify, refdb
from mofcheck.evidence.paths import load_patterns
pat = load_patterns()
print(json.dumps({
    "code": code,
    "modules": sorted(sys.modules),
    "bitmaps": "masks" in vars(refdb.db()) if refdb.db.cache_info().currsize else None,
    "reference": refdb.db().loaded() if refdb.db.cache_info().currsize else None,
    "compiled": sum("fullmatch" in vars(rx) for rx in pat.name_tests),
    "name_tests": len(pat.name_tests),
}))
"""


def probe(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_check_imports_only_what_it_needs():
    got = probe("check", str(FIXTURES / "class1-open-science"), "--no-config", "--format", "json")
    assert got["code"] == 0
    mods = set(got["modules"])
    assert "jsonschema" not in mods  # manifests are validated by mofcheck.schemacheck
    for lazy in ("badge", "export", "github", "identify", "init"):  # registered by import path
        assert f"mofcheck.cli.{lazy}" not in mods
    assert "rich" not in mods  # --format json renders no text
    # release safety ran (remote code, privacy), but with no pickle file the scanner was never imported
    assert "mofcheck.safety" in mods and "picklescan" not in mods and "mofcheck.safety.streams" not in mods
    assert "zipfile" not in mods
    # offline by default: nothing of the remote layer or the hosts' clients is even imported
    assert not {m for m in mods if m.split(".")[0] in ("huggingface_hub", "httpx2", "github", "defusedxml", "requests")}
    assert not {m for m in mods if m.startswith("mofcheck.remote")}
    assert got["bitmaps"] is False  # exact license matches never read the word-set bitmaps
    # ... nor the heads, the vocabulary or the texts, and only the records of the references they matched
    assert not any(got["reference"][part] for part in ("heads", "vocab", "texts"))
    assert 0 < got["reference"]["records"] <= 6
    assert 0 < got["compiled"] < got["name_tests"]  # path regexes compile on first use


EXACT = """
import json, sys
from mofcheck.licenses import identify, refdb
from mofcheck.licenses.normalize import normalize, text_hash
text = identify.read_bounded(sys.argv[1])
got = identify.identify_text(text)
store = refdb.db()
print(json.dumps({
    "license": got.license,
    "match": got.match,
    "loaded": store.loaded(),
    "same_text": len(store.exact[text_hash(" ".join(normalize(text).tokens))]),
    "members": -(-len(store) // refdb.BLOCK),
}))
"""


def test_an_exact_license_match_reads_only_the_index_and_its_own_records():
    out = subprocess.run([sys.executable, "-c", EXACT, str(FIXTURES / "class1-open-science" / "LICENSE")], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert (got["license"], got["match"]) == ("Apache-2.0", "exact")
    loaded = got["loaded"]
    # the heads, the vocabulary, the bitmaps and the texts are for similarity matching: an exact match reads none
    assert (loaded["heads"], loaded["vocab"], loaded["bitmaps"], loaded["texts"]) == (False, False, False, False)
    # the records of the references with this text (their names, titles and first words), one member each at most
    assert loaded["records"] == got["same_text"] and 0 < loaded["members"] <= loaded["records"] < got["members"]


def test_help_lists_every_command_with_its_description():
    out = subprocess.run([sys.executable, "-m", "mofcheck", "--help"], capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    for cmd, words in {
        "badge": "Make a badge",
        "export": "export its release",
        "github": "GitHub Actions",
        "identify": "Identify license files",
        "init": "draft MOT-format manifest",
    }.items():
        line = next(line for line in out.stdout.splitlines() if f" {cmd} " in line)
        assert words in line, line
