"""Hostile encodings, end to end: license texts in UTF-16 (with BOM), Latin-1 (invalid UTF-8), with mixed
line endings; binary files and NUL bytes under license-like names; cards and manifests in odd encodings.
A readable text is still identified; an unreadable one is a finding, never a crash or mojibake in output."""

from __future__ import annotations

import pytest

from .hostile_trees import check_all, git_init, manifest_text, write
from .test_hostile_escapes import MIT

MIT_PLAIN = MIT.replace("MOFCHECK-OUTSIDE-MARKER-7f3a91", "Ünïcödé Authors")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def _repo(root, files: dict[str, bytes]):
    write(root, "mof.yml", manifest_text(components=[{"name": "Model architecture", "description": "code"}]))
    write(root, "model.py", "x = 1\n")
    for rel, data in files.items():
        write(root, rel, data)
    git_init(root)
    return root


def license_sources(o) -> dict[str, str]:
    """path -> expression, from the repository evidence in the report."""
    out = {}
    for m in o.report["models"]:
        for c in m["components"]:
            for e in c.get("evidence", []):
                if e.get("kind") == "license-file":
                    out[e["path"]] = e["detail"]
    return out


@pytest.mark.parametrize(
    "data",
    [
        MIT_PLAIN.encode("utf-16"),  # BOM + UTF-16-LE
        b"\xfe\xff" + MIT_PLAIN.encode("utf-16-be"),
        b"\xef\xbb\xbf" + MIT_PLAIN.encode(),
        MIT_PLAIN.encode("latin-1"),  # invalid UTF-8
        MIT_PLAIN.replace("\n", "\r\n", 7).replace("\n\n", "\r\r", 2).encode(),  # CRLF, CR and LF mixed
    ],
    ids=["utf16-le-bom", "utf16-be-bom", "utf8-bom", "latin1", "mixed-line-endings"],
)
def test_license_text_in_an_odd_encoding_is_still_identified(tmp_path, data):
    o = check_all(_repo(tmp_path / "repo", {"LICENSE": data}))
    assert o.code == 1  # the default gate: the text contradicts the manifest (license.conflict)
    assert license_sources(o)["LICENSE"].startswith("'MIT License' -> MIT; identified by its text")
    assert ("license.conflict", "LICENSE") in o.codes()  # the manifest says Apache-2.0: the text was read
    assert "\ufffd" not in o.everything() and "Ã" not in o.everything()  # no mojibake reaches the report


@pytest.mark.parametrize(
    "name, data",
    [
        ("LICENSE", PNG),
        ("LICENSE.md", b"MIT License\x00\x00\x00" + bytes(range(256))),
        ("COPYING", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200),
        ("LICENSES/MIT.txt", b"\x00" * 4096),
    ],
)
def test_binary_files_with_license_names_are_findings(tmp_path, name, data):
    o = check_all(_repo(tmp_path / "repo", {name: data}))
    assert o.code == 0
    (f,) = [f for f in o.findings() if f["code"] == "license.unreadable"]
    assert f["path"] == name and f["message"] == f"{name}: a binary file (NUL bytes), not a license text"
    assert "\x00" not in o.everything() and "PNG" not in o.everything()


def test_utf16_card_with_front_matter(tmp_path):
    card = "---\nlicense: cc-by-4.0\n---\n# Model card\r\n\r\nWeights: see below.\n"
    o = check_all(_repo(tmp_path / "repo", {"MODEL_CARD.md": card.encode("utf-16"), "weights/model.safetensors": b"\x00" * 64}))
    assert o.code == 0
    card_c = next(c for c in o.report["models"][0]["components"] if c["name"] == "Model card")
    assert any(e.get("path") == "MODEL_CARD.md" for e in card_c["evidence"])


def test_invalid_utf8_card_is_read_as_latin1_without_a_crash(tmp_path):
    o = check_all(_repo(tmp_path / "repo", {"README.md": b"---\nlicense: mit\n---\n# Mod\xe8le \xff\xfe\n\nCaf\xe9.\n"}))
    assert o.code == 0 and o.report["models"]


@pytest.mark.parametrize(
    "data, says",
    [
        (manifest_text().encode("utf-16"), None),  # UTF-16 with a BOM is fine
        (b"\xef\xbb\xbf" + manifest_text().replace("\n", "\r\n").encode(), None),
        (manifest_text().encode().replace(b"producer: Example", b"producer: Ex\xe9mple"), "mof.yml:9:1: invalid UTF-8; save the manifest as UTF-8"),
        (manifest_text().encode().replace(b"producer: Example", b"producer: Ex\x00mple"), "mof.yml: the manifest contains NUL bytes"),
        (PNG, "mof.yml: the manifest contains NUL bytes"),
    ],
    ids=["utf16", "utf8-bom-crlf", "latin1", "nul", "png"],
)
def test_manifest_encodings(tmp_path, data, says):
    root = tmp_path / "repo"
    write(root, "mof.yml", data)
    write(root, "model.py", "x = 1\n")
    git_init(root)
    o = check_all(root)
    if says is None:
        assert o.code == 0 and [m["name"] for m in o.report["models"]] == ["tiny"]
    else:
        assert o.code == 2 and f"mofcheck: error: {says}" in o.err, o.err
