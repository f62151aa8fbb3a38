"""checks: the finding registry loader."""

from __future__ import annotations

from importlib import resources

from ruamel.yaml import YAML

from mofcheck.checks import check_info, load_checks


def test_load_checks_has_every_code_in_file_order():
    raw = YAML(typ="safe", pure=True).load(resources.files("mofcheck.data").joinpath("checks.yaml").read_text("utf-8"))
    checks = load_checks()
    assert list(checks) == list(raw["checks"])
    for code, entry in checks.items():
        assert entry["severity"] in ("error", "warning", "info"), code
        assert entry["short"], code  # the title every renderer shows


def test_load_checks_returns_a_fresh_copy():
    a = load_checks()
    a["license.restrictive"]["short"] = "changed"
    a.pop("manifest.invalid")
    b = load_checks()
    assert b["license.restrictive"]["short"] != "changed" and "manifest.invalid" in b


def test_check_info_unknown_code_is_none():
    assert check_info("no.such-check") is None
    assert check_info("license.restrictive")["severity"] == "warning"
