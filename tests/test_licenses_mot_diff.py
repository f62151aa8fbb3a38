"""Our MOF-mode table against MOT's effective license lists (../shared/mot/effective-licenses.tsv).

Every difference must be a documented one (docs/licenses.md, "Differences from MOT's license lists"):
the exact lists are asserted, so a new difference fails here until it is documented.
"""

from __future__ import annotations

import csv

import pytest

from mofcheck.licenses.classify import classify_mof

from .conftest import ROOT, shared_path

# Open in our table, not in MOT, grouped by the documented reason.
OPEN_ONLY_HERE = {
    # MOT bug: the right id, but missing from OPEN_DATA_LICENSES (it lists the non-SPDX ODC-PDDL-1.0)
    "PDDL-1.0",
    # MOT bug: listed as type-appropriate, never open
    "CC-PDDC",
    "FreeBSD-DOC",
    # open content / data licenses MOT does not know
    "GFDL-1.1-no-invariants-only",
    "GFDL-1.1-no-invariants-or-later",
    "GFDL-1.2-no-invariants-only",
    "GFDL-1.2-no-invariants-or-later",
    "GFDL-1.3-no-invariants-only",
    "GFDL-1.3-no-invariants-or-later",
    "CC-BY-SA-3.0-DE",
    "CC-BY-SA-3.0-IGO",
    "OGL-UK-1.0",
    "DL-DE-BY-2.0",
    "DL-DE-ZERO-2.0",
    "etalab-2.0",
    "NLOD-1.0",
    "NLOD-2.0",
    "O-UDA-1.0",
    "OGDL-Taiwan-1.0",
    # deprecated GPL-x-with-y-exception ids: normalised to `GPL-x WITH y` and judged by the GPL
    "GPL-2.0-with-autoconf-exception",
    "GPL-2.0-with-bison-exception",
    "GPL-2.0-with-classpath-exception",
    "GPL-2.0-with-font-exception",
    "GPL-2.0-with-GCC-exception",
    "GPL-3.0-with-autoconf-exception",
    # FSF verdict carried from the deprecated id to its replacement
    "AGPL-1.0-only",
    "AGPL-1.0-or-later",
    "BSD-2-Clause-Views",
    "zlib-acknowledgement",
    # OSI-approved in SPDX 3.29, not in MOT's older SPDX list
    "BSD-3-Clause-Open-MPI",
    "CDDL-1.1",
    "CNRI-Python-GPL-Compatible",
    "curl",
    "Python-2.0.1",
    "W3C-20150513",
}
# Open in MOT, not here: none.
OPEN_ONLY_IN_MOT: set[str] = set()
# (id, kind) MOT treats as open and type-appropriate, we treat as open only (a warning).
APPROPRIATE_ONLY_IN_MOT = {("Apache-1.0", "code")}  # not OSI-approved: code means OSI-approved here


@pytest.fixture(scope="module")
def mot_rows() -> list[dict]:
    with open(shared_path("mot", "effective-licenses.tsv"), newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_mot_open_licenses_are_open_here(mot_rows):
    assert len(mot_rows) > 600
    missing = {r["license_id"] for r in mot_rows if r["mot_open"] == "True" and not classify_mof(r["license_id"], "code").open}
    assert missing == OPEN_ONLY_IN_MOT


def test_licenses_open_only_here_are_the_documented_ones(mot_rows):
    extra = {r["license_id"] for r in mot_rows if r["mot_open"] != "True" and classify_mof(r["license_id"], "code").open}
    assert extra == OPEN_ONLY_HERE


def test_mot_type_appropriate_licenses_are_appropriate_here(mot_rows):
    lost = set()
    for r in mot_rows:
        if r["mot_open"] != "True":
            continue
        for kind in filter(None, r["type_appropriate_for"].split(",")):
            if not classify_mof(r["license_id"], kind).type_appropriate:
                lost.add((r["license_id"], kind))
    assert lost == APPROPRIATE_ONLY_IN_MOT


def test_differences_are_documented():
    doc = (ROOT / "docs" / "licenses.md").read_text("utf-8")
    section = doc.split("## Differences from MOT's license lists", 1)[1]
    for lid in [
        "PDDL-1.0",
        "CDLA-Sharing-1.0",
        "ODC-By-1.0",
        "ODbL-1.0",
        "MulanPSL-1.0",
        "C-UDA-1.0",
        "CC-PDDC",
        "FreeBSD-DOC",
        "CC0-1.0",
        "Apache-1.0",
        "AGPL-1.0-only",
        "GFDL",
        "curl",
    ]:
        assert lid in section, lid
