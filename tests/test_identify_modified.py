"""An edited open license is never the plain license: "X, modified", not open, with the lines that differ.

The reproductions of issue 9, the same end to end through `mofcheck check`, and two property tests over
every open license text mofcheck ships: a random insertion of ordinary words never keeps the plain id,
and the unedited text (another notice, re-wrapped, re-indented) always does.
"""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofcheck.licenses import refdb, table
from mofcheck.licenses.explain import CONNECTOR_WORDS, GENERIC_TITLE, NAME_GLUE
from mofcheck.licenses.identify import identify_text

from .conftest import FIXTURES, MIT_TEXT, git, run_cli
from .test_identify import sample

APACHE = sample("handwritten/apache-no-appendix.txt")
CC_BY = sample("generated/cc-by-4.0-0.txt")


def is_open(lid: str | None) -> bool:
    entry = table.lookup(lid) if lid else None
    return bool(entry and entry.open)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


REPRODUCTIONS = [
    (
        "apache-banks",
        "Apache-2.0",
        APACHE.replace("hereby grants to You a perpetual", "hereby grants to You (excluding banks and insurers) a perpetual", 1),
        "excluding banks and insurers",
    ),
    ("mit-student", "MIT", MIT_TEXT.replace("any person", "any student"), "any student"),
    ("mit-canada", "MIT", MIT_TEXT.replace("any person", "any person in Canada"), "in Canada"),
    ("mit-companies", "MIT", MIT_TEXT + "\nCompanies are excluded.\n", "Companies are excluded."),
    ("mit-no-sale", "MIT", MIT_TEXT + "\nYou cannot sell copies of the Software.\n", "You cannot sell copies"),
    (
        "apache-hyphens",
        "Apache-2.0",
        APACHE.replace("copyright license to reproduce,", "copyright license for non-commercial-research-purposes-only to reproduce,", 1),
        "non-commercial-research-purposes-only",
    ),
    (
        "ccby-nc-title",
        "CC-BY-4.0",
        CC_BY.replace("Attribution 4.0 International", "Attribution-NonCommercial 4.0 International", 1),
        "Attribution-NonCommercial",
    ),
]


@pytest.mark.parametrize("name,plain,text,needle", REPRODUCTIONS, ids=[r[0] for r in REPRODUCTIONS])
def test_an_edited_open_license_is_that_license_modified(name, plain, text, needle):
    assert needle in text  # the edit is there
    r = identify_text(text)
    assert r.license != plain and not is_open(r.license)
    assert (r.match, r.base, r.license) == ("modified", plain, "LicenseRef-mofcheck-modified-" + plain)
    assert r.modified and r.differences
    assert line_of(text, needle) in {d.line for d in r.differences}


def test_the_unedited_texts_are_still_the_plain_licenses():
    for text, plain in [(APACHE, "Apache-2.0"), (MIT_TEXT, "MIT"), (CC_BY, "CC-BY-4.0")]:
        r = identify_text(text)
        assert (r.license, r.modified, r.differences) == (plain, False, [])


def test_copyright_line_that_says_more_is_compared():
    r = identify_text("Copyright (c) 2024 Acme, excluding banks and insurers\n\n" + MIT_TEXT)
    assert r.modified and r.differences[0].line == 1
    r = identify_text("Copyright (c) 2024 Acme Labs, Inc. <legal@acme.example>\nAll rights reserved.\n\n" + MIT_TEXT)
    assert (r.license, r.match) == ("MIT", "exact")


# --- end to end: a manifest that declares the license, a LICENSE that edits it -----------------------------


def _repo(tmp_path, edit):
    repo = tmp_path / "release"
    shutil.copytree(FIXTURES / "class3-open-model", repo)
    path = repo / "LICENSE"
    path.write_text(edit(path.read_text("utf-8")), encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "release")
    return repo


def test_check_refuses_a_declared_license_whose_text_is_edited(tmp_path):
    clean = run_cli("check", str(_repo(tmp_path / "a", lambda t: t)), "--no-config", "--min-class", "3")
    assert clean.code == 0, clean.out
    repo = _repo(tmp_path / "b", lambda t: t.replace("hereby grants to You a perpetual", "hereby grants to You (excluding banks and insurers) a perpetual"))
    run = run_cli("check", str(repo), "--no-config", "--min-class", "3", "--format", "json")
    assert run.code == 1, run.out
    report = json.loads(run.out)
    model = report["models"][0]
    arch = next(c for c in model["components"] if c["name"] == "Model architecture")
    assert arch["status"] not in ("met", "met_with_warning")
    assert "LICENSE holds an edited text" in arch["reason"]
    findings = report["findings"] + [f for m in report["models"] for f in m["findings"]]
    modified = [f for f in findings if f["code"] == "license.modified"]
    assert modified and modified[0]["path"] == "LICENSE" and modified[0]["line"] == 67
    assert "excluding banks and insurers" in modified[0]["message"]
    assert any(f["code"] == "gate.min-class" for f in findings)


# --- properties over every open license text mofcheck ships ------------------------------------------------


def _open_texts() -> list[tuple[int, str]]:
    store = refdb.db()
    out = []
    for index in range(len(store)):
        if store.fingerprint(index) is not None or store.exception[index]:
            continue
        lid = refdb.canonical(index)
        if is_open(lid) and len(store.tokens(index)) >= 30:
            out.append((index, lid))
    return out


OPEN_TEXTS = _open_texts()
# Ordinary words: none of them is a name glue word, a generic title word or a word of a note between licenses
# (those are the allowed words of the variable parts they may fill), nor a number or a list letter.
ORDINARY = [
    w
    for w in (
        "students banks insurers canada excluded forbidden weekends purple violin harbour mountain elephant basket "
        "tuesday nobody except revoked penalty carbon athletes doctors farming gambling tobacco nuclear crypto "
        "recipes orchestra village teachers pilots charity museum lottery"
    ).split()
    if w not in NAME_GLUE | GENERIC_TITLE | CONNECTOR_WORDS
]


def _same_text(index: int) -> set[str]:
    store = refdb.db()
    key = store.hashes[index]
    return {refdb.canonical(i) for i in store.exact.get(key, [index])}


def _as_file(tokens: list[str], width: int) -> str:
    return textwrap.fill(" ".join(tokens), width, break_long_words=False, break_on_hyphens=False)


def test_open_texts_are_many():
    assert len(OPEN_TEXTS) > 300
    assert {"MIT", "Apache-2.0", "BSD-3-Clause", "CC-BY-4.0", "CC0-1.0", "GPL-3.0-only"} <= {lid for _, lid in OPEN_TEXTS}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(OPEN_TEXTS), st.floats(0, 1), st.lists(st.sampled_from(ORDINARY), min_size=1, max_size=4), st.integers(40, 120))
def test_an_insertion_of_ordinary_words_never_keeps_the_plain_license(item, where, words, width):
    index, lid = item
    tokens = refdb.db().tokens(index)
    at = int(where * len(tokens))
    text = _as_file(tokens[:at] + words + tokens[at:], width)
    r = identify_text(text)
    assert r.license not in _same_text(index), (lid, at, words, r)
    assert not (is_open(r.license) and all(is_open(a) for a in r.appended)), (lid, at, words, r)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(OPEN_TEXTS),
    st.integers(30, 140),
    st.sampled_from(["", "    ", "> ", "\t"]),
    st.sampled_from(
        [
            "",
            "Copyright (c) 2024 Example Labs\n\n",
            "Copyright 2019-2023 Jane Q. Developer <jane@example.org>\nAll rights reserved.\n\n",
            "(c) 2021 The Contoso Authors\n\n",
        ]
    ),
    st.booleans(),
)
def test_the_unedited_text_keeps_the_plain_license(item, width, indent, notice, crlf):
    index, lid = item
    text = notice + _as_file(refdb.db().tokens(index), width)
    text = "\n".join(indent + line if line else line for line in text.split("\n"))
    if crlf:
        text = text.replace("\n", "\r\n")
    r = identify_text(text)
    assert r.license in _same_text(index) | {lid}, (lid, width, indent, notice, r)
    assert not r.modified


def test_insertion_sweep_over_common_open_licenses():
    """Deterministic companion of the property test: every position class in the common licenses."""
    bad = []
    for lid in [
        "MIT",
        "Apache-2.0",
        "BSD-3-Clause",
        "BSD-2-Clause",
        "ISC",
        "CC-BY-4.0",
        "CC0-1.0",
        "MPL-2.0",
        "Unlicense",
        "0BSD",
        "Zlib",
        "CDLA-Permissive-2.0",
    ]:
        for index in [i for i, l in OPEN_TEXTS if l == lid][:2]:
            tokens = refdb.db().tokens(index)
            for at in sorted({0, 1, 5, len(tokens) // 3, len(tokens) // 2, len(tokens) - 3, len(tokens)}):
                r = identify_text(_as_file(tokens[:at] + ["students", "only"] + tokens[at:], 80))
                if r.license in _same_text(index) or is_open(r.license):
                    bad.append((lid, at, r.license))
    assert not bad, bad
