"""Licenses no package ships (issue 9, part 3): OpenMDW-1.1 as its owner publishes it, kept as text; the
Mistral MRL / MNPL and the Falcon 3 license kept as fingerprints. Each is identified as itself, and an
edited copy is "X, modified" from the right version, never open."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mofcheck.licenses import identify as ident
from mofcheck.licenses import refdb, table
from mofcheck.licenses.identify import identify_text

from .test_identify import run

DATA = Path(ident.__file__).resolve().parent.parent / "data" / "licenses"
OWNER = json.loads((DATA / "owner-texts.json").read_text("utf-8"))["licenses"]
MDW = next(item["text"] for item in OWNER if item["id"] == "LicenseRef-OpenMDW-1.1")
MDW_ID = "LicenseRef-OpenMDW-1.1"


def is_open(lid: str | None) -> bool:
    entry = table.lookup(lid) if lid else None
    return bool(entry and entry.open)


def markdown(text: str) -> str:
    """The text as a README-style Markdown page: heading, bold terms, a rule, a bulleted list."""
    paras = text.strip().split("\n\n")
    out = ["# " + paras[0].strip(), "---"]
    for para in paras[1:]:
        para = para.replace('"Model Materials"', '**"Model Materials"**')
        para = re.sub(r" \((\d)\) ", r"\n- (\1) ", para) if para.startswith("YOU ARE SOLELY") else para
        out.append(para)
    return "\n\n".join(out) + "\n"


def test_owner_texts_carry_their_source():
    assert {item["id"] for item in OWNER} >= {MDW_ID}
    for item in OWNER:
        source = item["source"]
        assert set(source) == {"repo", "path", "commit", "retrieved", "terms"}
        assert re.fullmatch(r"[0-9a-f]{40}", source["commit"]) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", source["retrieved"])
        assert table.get(item["id"]) is not None and item["name"] == table.get(item["id"]).name
    db = refdb.db()
    owned = [i for i in range(len(db)) if db.ref(i)["source"] == "owner"]
    assert sorted(refdb.canonical(i) for i in owned) == sorted(item["id"] for item in OWNER)


def test_openmdw_1_1_is_itself_and_open_for_every_component():
    r = identify_text(MDW)
    assert (r.license, r.match, r.modified) == (MDW_ID, "exact", False)
    assert table.get(MDW_ID).open and table.get(MDW_ID).kinds == ("code", "data", "document")
    assert table.lookup("OpenMDW-1.1").id == MDW_ID and table.lookup("openmdw-1.1").id == MDW_ID
    # 1.0 and 1.1 differ by two words ("or copyright"): each stays its own version
    v10 = MDW.replace("version 1.1 (OpenMDW-1.1)", "version 1.0 (OpenMDW-1.0)").replace("infringe any patent or copyright, then", "infringe any patent, then")
    assert identify_text(v10).license == "OpenMDW-1.0"


@pytest.mark.parametrize("shape", ["markdown", "crlf-wrapped", "notice"])
def test_openmdw_1_1_formatted_copies(shape):
    import textwrap

    if shape == "markdown":
        text = markdown(MDW)
    elif shape == "crlf-wrapped":
        text = "\r\n\r\n".join(textwrap.fill(p, 100) for p in MDW.split("\n\n"))
    else:
        text = "Copyright 2026 Example Labs\n\n" + MDW
    r = identify_text(text)
    assert r.license == MDW_ID and not r.modified, (shape, r.to_dict())


@pytest.mark.parametrize(
    "edit",
    [
        ("free of charge, to deal", "free of charge, for non-commercial purposes only, to deal", "non-commercial"),
        ("without restriction, including", "without restriction except for companies, including", "companies"),
        (
            "USE THEREOF OR OTHER DEALINGS THEREIN.",
            "USE THEREOF OR OTHER DEALINGS THEREIN.\n\nYou may not use the Model Materials to train other models.",
            "train",
        ),
    ],
)
@pytest.mark.parametrize("shape", ["plain", "markdown"])
def test_openmdw_1_1_edited_is_modified_from_1_1(edit, shape):
    old, new, marker = edit
    assert old in MDW
    text = MDW.replace(old, new, 1)
    text = markdown(text) if shape == "markdown" else text
    r = identify_text(text)
    assert r.modified and r.base == MDW_ID and r.license == "LicenseRef-mofcheck-modified-OpenMDW-1.1", r.to_dict()
    assert not is_open(r.license)
    at = next(n for n, line in enumerate(text.splitlines(), 1) if marker in line)
    assert any(d.line <= at <= d.end_line for d in r.differences if d.kind != "title"), (r.to_dict(), at)
    assert all(d.kind != "title" for d in r.differences)  # the title names 1.1: no edit there


def test_openmdw_1_1_cli(tmp_path):
    plain = tmp_path / "LICENSE"
    plain.write_text(MDW, encoding="utf-8")
    edited = tmp_path / "LICENSE.md"
    edited.write_text(markdown(MDW.replace("to deal in", "for research only, to deal in")), encoding="utf-8")
    done = run("--format", "json", str(plain), str(edited))
    assert done.returncode == 0, done.stderr
    first, second = json.loads(done.stdout)
    assert (first["license"], first["match"]) == (MDW_ID, "exact")
    assert (second["license"], second["match"], second["base"]) == ("LicenseRef-mofcheck-modified-OpenMDW-1.1", "modified", MDW_ID)


def test_ai_licenses_known_by_fingerprint_only():
    data = json.loads((DATA / "fingerprints.json").read_text("utf-8"))
    by_id = {item["id"]: item for item in data["licenses"]}
    for lid, title in [
        ("LicenseRef-Mistral-MRL", "mistral ai research license"),
        ("LicenseRef-Mistral-MNPL", "mistral ai nonproduction license"),
        ("LicenseRef-TII-Falcon-3", "falcon 3 tii falcon license"),
    ]:
        item = by_id[lid]
        assert not table.get(lid).open and item["n"] > 1000 and "text" not in item
        assert item["cut"].startswith(title), item["cut"]
    # MRL and MNPL share most of their words: each keeps its own hash
    assert by_id["LicenseRef-Mistral-MRL"]["hash"] != by_id["LicenseRef-Mistral-MNPL"]["hash"]
    # a short text that only names them is not either license
    r = identify_text("Mistral AI Research License\n\nYou shall only use the Mistral Models for Research Purposes.\n")
    assert r.license != "LicenseRef-Mistral-MRL" or r.match != "exact"
