"""A release that declares more than it verifies says so in every headline: text, markdown and badge."""

from __future__ import annotations

import json

import pytest

from mofcheck.report.headline import claim_gap, headline

from .conftest import FIXTURES

GAP = "declares Class III · verified: none"


@pytest.mark.parametrize(
    ("declared", "verified", "want"),
    [(3, 0, "declares Class III · verified: none"), (1, 3, "declares Class I · verified: Class III"), (2, 2, None), (3, 1, None), (0, 0, None)],
)
def test_claim_gap(declared, verified, want):
    assert claim_gap({"declared": {"class": declared}, "verified": {"class": verified}}) == want


def test_no_gap_without_a_verified_part():  # MOT mode judges the manifest alone: nothing to compare
    assert claim_gap({"declared": {"class": 3}}) is None
    assert headline({"class": 3, "class_label": "Class III - Open Model", "declared": {"class": 3}}) == "Class III - Open Model"


def test_openwashing_headlines(cli):
    path = str(FIXTURES / "openwashing")
    text = cli("check", path, "--no-config").out
    assert f"Unclassified · {GAP}" in text.splitlines()[3]
    markdown = cli("check", path, "--no-config", "--format", "markdown").out
    assert f"### ❌ Magpie-2B: Unclassified · {GAP}" in markdown
    badge = json.loads(cli("badge", path, "--format", "endpoint").out)
    assert badge["message"].endswith(GAP)


def test_a_release_that_backs_its_claim_has_no_gap(cli):
    path = str(FIXTURES / "class1-open-science")
    markdown = cli("check", path, "--no-config", "--format", "markdown").out
    assert "declares" not in markdown and "### ✅" in markdown
    assert "declares" not in json.loads(cli("badge", path, "--format", "endpoint").out)["message"]


def test_possible_items_are_shown_and_not_counted(cli):
    path = str(FIXTURES / "class3-open-model")
    report = json.loads(cli("check", path, "--no-config", "--format", "json").out)
    (report_comp,) = [c for c in report["models"][0]["components"] if c["name"] == "Technical report"]
    # met by the report's PDF; the README sentence that mentions a report is seen but is not evidence
    assert report_comp["possible"] and ("README.md", 4) not in {(e["path"], e["line"]) for e in report_comp["evidence"]}
    text = cli("check", path, "--no-config").out
    assert "seen, not counted:" in text and "Technical report: possible README.md:4" in text
    markdown = cli("check", path, "--no-config", "--format", "markdown").out
    assert "**Seen, not counted:**" in markdown and "Technical report: possible README.md:4" in markdown
