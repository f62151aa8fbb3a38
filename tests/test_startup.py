"""What `mofcheck check` loads: the startup-cost decisions (docs/benchmarks.md) hold. Not timings: which
modules and data a small check imports, in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import FIXTURES, ROOT

LICENSE_VARIANTS = ROOT / "tests" / "data" / "license-variants"

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
    "members": len(json.loads(refdb.read("index.json.gz"))["members"]) - 1,
}))
"""


def test_an_exact_license_match_reads_only_the_index_and_its_own_records():
    out = subprocess.run([sys.executable, "-c", EXACT, str(FIXTURES / "class1-open-science" / "LICENSE")], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert (got["license"], got["match"]) == ("Apache-2.0", "exact")
    loaded = got["loaded"]
    # the heads, the vocabulary, the bitmaps and the texts are for similarity matching: an exact match reads none
    assert (loaded["heads"], loaded["vocab"], loaded["bitmaps"], loaded["texts"], loaded["text_members"]) == (False, False, False, 0, 0)
    # the records of the references with this text (their names, titles and first words), one member each at most
    assert loaded["records"] == got["same_text"] and 0 < loaded["members"] <= loaded["records"] < got["members"]


SIMILAR = """
import json, sys
from mofcheck.licenses import identify, refdb
store = refdb.db()
asked, diffed = set(), set()  # the references whose text was read; those diffed against the file
tokens, ref_grams = store.tokens, identify.ref_grams
def spy_tokens(index):
    asked.add(index)
    return tokens(index)
def spy_grams(index):
    diffed.add(index)
    return ref_grams(index)
store.tokens, identify.ref_grams = spy_tokens, spy_grams
got = identify.identify_text(identify.read_bounded(sys.argv[1]) if sys.argv[1] != "-" else sys.stdin.read())
index = json.loads(refdb.read("index.json.gz"))
offsets, block = index["texts"], index["text_block"]
members = {i // block for i in asked}
print(json.dumps({
    "license": got.license,
    "match": got.match,
    "base": got.base,
    "loaded": store.loaded(),
    "asked": sorted(asked),
    "diffed": sorted(diffed),
    "asked_members": len(members),
    "asked_bytes": sum(offsets[m + 1] - offsets[m] for m in members),
    "members": len(offsets) - 1,
}))
"""


def similar(path: str, stdin: str | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", SIMILAR, path], input=stdin, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("name", "license", "match"),
    [
        # an edited Apache-2.0 (the patent clause removed): the close candidates by word sets are diffed
        ("generated/nearmiss-apache-nopatent.txt", "LicenseRef-mofcheck-modified-Apache-2.0", "modified"),
        # Apache-2.0, then a CC BY-NC notice: the licenses after the first are searched for by their first words
        ("handwritten/code-apache-weights-ccbync.md", "Apache-2.0", "similar"),
    ],
)
def test_a_similarity_match_reads_only_the_texts_it_diffs(name, license, match):
    got = similar(str(LICENSE_VARIANTS / name))
    assert (got["license"], got["match"]) == (license, match)
    loaded = got["loaded"]
    # a text is read only to be diffed (candidates are filtered and ordered by their stored word counts)
    assert loaded["bitmaps"] and got["asked"] == got["diffed"] and 0 < loaded["texts"] == len(got["asked"]) <= 16
    # ... and only its member is read and decompressed, not the 343 members of the 2,743 texts
    assert (loaded["text_members"], loaded["text_bytes"]) == (got["asked_members"], got["asked_bytes"])
    assert loaded["text_members"] < got["members"] / 20


def test_a_license_stub_reads_no_text():
    # the two-line stub bench/bench_hook.py commits: no reference to diff against, no text read
    got = similar("-", "Apache License\nVersion 2.0, January 2004\n")
    assert (got["license"], got["match"]) == ("LicenseRef-apache-license", "none")
    assert (got["loaded"]["texts"], got["loaded"]["text_members"], got["loaded"]["text_bytes"], got["asked"]) == (0, 0, 0, [])


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
