"""Evidence collection over small real repositories (plain folders, listed by the bounded walk).

Each test builds the few files one rule needs and checks which license source or component evidence
the collector derives from them; the fixture repositories (tests/test_fixtures.py) hold the same rules
against whole repositories.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mofcheck.evidence.cardtext import statement_license
from mofcheck.parts import repository_license
from mofcheck.readers.local import read as collect
from mofcheck.repo import Repo

from .conftest import FIXTURES
from .fixture_repos import check_git, copy_fixture

MIT = (FIXTURES / "unclassified" / "LICENSE").read_text()
APACHE = (FIXTURES / "class3-open-model" / "LICENSE").read_text()
CDLA = (FIXTURES / "class3-open-model" / "LICENSE-MODEL").read_text()
RAIL = (FIXTURES / "card-license-disagrees" / "LICENSE").read_text()
LFS = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "a" * 64 + "\nsize 123456789\n"
FINAL = "Model parameters (Final)"


def build(root: Path, files: dict[str, str | bytes]):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return collect(Repo.open(root))


def weights_license(ev, paths=()):
    src, _ = repository_license(FINAL, list(paths), ev)
    return src.expression if src else None


def codes(ev) -> list[str]:
    return sorted(f.code for f in ev.findings)


@pytest.mark.parametrize(
    "text, expr",
    [
        ("Apache 2.0 license", "Apache-2.0"),
        ("the MIT License", "MIT"),
        ("CC BY NC 4.0", "CC-BY-NC-4.0"),
        ("CDLA-Permissive-2.0 license", "CDLA-Permissive-2.0"),
        ("CC-BY-4.0 license", "CC-BY-4.0"),
    ],
)
def test_statement_license_reads_names_as_written_in_prose(text, expr):
    assert statement_license(text) == (expr, True)


def test_statement_license_leaves_unknown_names_unknown():
    expr, known = statement_license("Model License")
    assert not known and expr and expr.startswith("LicenseRef-")


def test_root_license_covers_code_only(tmp_path):
    ev = build(tmp_path, {"LICENSE": APACHE, "model.safetensors": LFS, "src/model.py": "x = 1\n"})
    assert weights_license(ev, ["model.safetensors"]) is None
    src, _ = repository_license("Model architecture", ["src/model.py"], ev)
    assert src.expression == "Apache-2.0"


def test_root_model_license_covers_the_weights(tmp_path):
    # an OpenRAIL text as the only LICENSE licenses the model, not just the code
    ev = build(tmp_path, {"LICENSE": RAIL, "model.safetensors": LFS})
    assert weights_license(ev, ["model.safetensors"]) == "LicenseRef-CreativeML-OpenRAIL-M"


def test_statement_linking_a_license_file_that_says_otherwise(tmp_path):
    card = "# X model card\n\n## Model Details\n\n- **License:** [Proprietary](LICENSE)\n"
    ev = build(tmp_path, {"LICENSE": RAIL, "MODEL_CARD.md": card, "model.safetensors": LFS})
    assert "license.sources-disagree" in codes(ev)
    # the card's bare License line is the model's license
    assert weights_license(ev, ["model.safetensors"]) == "LicenseRef-Proprietary"


def test_statement_linking_the_license_file_it_names_is_fine(tmp_path):
    readme = "# X\n\n## License\n\nThe code is released under the [MIT License](LICENSE).\n"
    ev = build(tmp_path, {"LICENSE": MIT, "README.md": readme})
    assert "license.sources-disagree" not in codes(ev)


def test_unknown_statement_is_dropped_unless_it_says_not_open(tmp_path):
    card = "# X model card\n\n## Model Details\n\n**License:** the Example Community License\n"
    ev = build(tmp_path, {"MODEL_CARD.md": card, "model.safetensors": LFS})
    assert weights_license(ev, ["model.safetensors"]) is None
    card = "# X model card\n\n## Model Details\n\n**License:** proprietary, all rights reserved\n"
    ev = build(tmp_path, {"MODEL_CARD.md": card, "model.safetensors": LFS})
    assert weights_license(ev, ["model.safetensors"]).startswith("LicenseRef-")


def test_reuse_sidecar_and_markdown_header(tmp_path):
    ev = build(
        tmp_path,
        {
            "model.safetensors": LFS,
            "model.safetensors.license": "SPDX-FileCopyrightText: 2025 X\n\nSPDX-License-Identifier: CDLA-Permissive-2.0\n",
            "MODEL_CARD.md": "<!-- SPDX-License-Identifier: CC-BY-4.0 -->\n\n# X model card\n\n## Model Details\n\nA model.\n",
        },
    )
    assert weights_license(ev, ["model.safetensors"]) == "CDLA-Permissive-2.0"
    card, _ = repository_license("Model card", ["MODEL_CARD.md"], ev)
    assert card.expression == "CC-BY-4.0" and card.kind == "spdx-header"
    assert "license.unidentified" not in codes(ev)  # the sidecar is not a license text


def test_weights_urls_in_code(tmp_path):
    init = '_MODELS = {\n    "base": "https://cdn.example.org/models/abc/base.pt",\n}\nDOCS = "https://example.org/docs"\n'
    ev = build(tmp_path, {"pkg/__init__.py": init, "tests/test_x.py": 'U = "https://cdn.example.org/t.pt"\n'})
    found = ev.found[FINAL]
    assert found.urls == ["https://cdn.example.org/models/abc/base.pt"]
    assert found.evidence[0].path == "pkg/__init__.py" and found.evidence[0].line == 2


def test_dataset_card_download_script_is_not_weights(tmp_path):
    card = "---\npretty_name: D\ntask_categories: [text-generation]\n---\n# D\n\nRun `python scripts/download_data.py`.\n"
    ev = build(tmp_path, {"README.md": card, "scripts/download_data.py": "x = 1\n"})
    assert not ev.found[FINAL].present


def test_card_title_names_its_own_model(tmp_path):
    # "Shrike-1 weights" is the repository's own model: the folder name is not the only own name
    readme = "# Shrike-1: open weights\n\n## License\n\nThe code and associated Shrike-1 weights are licensed under the Apache 2.0 license.\n"
    ev = build(tmp_path / "some-folder", {"README.md": readme, "checkpoints/README.md": "put ckpt-0 here\n"})
    srcs = [s for s in ev.licenses if s.kind == "statement" and FINAL in s.covers]
    assert [s.expression for s in srcs] == ["Apache-2.0"]
    assert not ev.found.get("Model parameters (Intermediate)") or not ev.found["Model parameters (Intermediate)"].present


def test_weights_folder_with_license_and_readme_is_not_vendored(tmp_path):
    ev = build(tmp_path, {"LICENSE": MIT, "weights/LICENSE": CDLA, "weights/README.md": "# weights\n", "weights/model.safetensors": LFS})
    assert ev.index.vendored_roots == []
    assert weights_license(ev, ["weights/model.safetensors"]) == "CDLA-Permissive-2.0"


# --------------------------------------------------------------------------------------------------
# What the fixture repositories must never report (the golden test checks statuses, not licenses)


@pytest.mark.parametrize("name", ["weights-never-mentioned", "card-only-weights-license", "vendored-code"])
def test_root_apache_or_mit_never_licenses_the_weights(name):
    ev = collect(Repo.open(FIXTURES / name))
    found = ev.found[FINAL]
    assert weights_license(ev, found.paths) not in ("Apache-2.0", "MIT")


@pytest.mark.parametrize(
    "name, expr", [("weights-statement-mit", "MIT"), ("weights-statement-apache", "Apache-2.0"), ("folder-license", "CDLA-Permissive-2.0")]
)
def test_weights_license_stated_in_prose_or_folder(name, expr):
    ev = collect(Repo.open(FIXTURES / name))
    assert weights_license(ev, ev.found[FINAL].paths) == expr


def test_bibtex_eprint_is_the_paper_and_related_work_is_not():
    ev = collect(Repo.open(FIXTURES / "paper-citation"))
    urls = ev.found["Research paper"].urls + ev.found.get("Technical report", ev.found["Research paper"]).urls
    assert any("2601.02385" in u for u in urls)
    assert not any("2106.09685" in u or "2203.15556" in u for u in urls)


def test_component_path_escapes_are_never_read(cli):
    import json

    run = cli("check", str(FIXTURES / "path-escapes"), "--format", "json", "--no-config")
    report = json.loads(run.out)
    for m in report["models"]:
        for c in m["components"]:
            for e in c["evidence"]:
                assert not (e["path"] or "").startswith(("/", "..", "~", "C:")), e


def test_per_model_license_table_keeps_unknown_licenses_as_not_open(tmp_path):
    readme = (
        "# X\n\nWeights: https://example.org/x-7b.tar and https://example.org/x-22b.tar\n\n## License\n\n"
        "| Model | License |\n|---|---|\n| X-7B | Apache-2.0 |\n| X-22B | X Non-Production License |\n| X-70B | [Model License](LICENSE-MODEL) |\n"
    )
    ev = build(tmp_path, {"README.md": readme, "LICENSE-MODEL": CDLA})
    stated = sorted(s.expression for s in ev.licenses if s.kind == "statement")
    assert stated == ["Apache-2.0", "LicenseRef-X-Non-Production-License"]  # the linked file speaks for itself
    assert not statement_license("X Non-Production License")[1]


def test_unknown_root_license_titled_as_a_model_license_covers_the_weights(tmp_path):
    text = "Example Open Model License\n\nYou may use the model weights for any purpose except to improve other models.\n"
    ev = build(tmp_path, {"LICENSE": text, "model.safetensors": LFS})
    assert weights_license(ev, ["model.safetensors"]).startswith("LicenseRef-")
    ev = build(tmp_path / "b", {"LICENSE": MIT, "model.safetensors": LFS})
    assert weights_license(ev, ["model.safetensors"]) is None


def test_model_card_license_line_naming_components_is_not_read_as_the_weights_license(tmp_path):
    card = "# X model card\n\n## Model Details\n\n**License:** Apache-2.0 (code) - see LICENSE-MODEL for the weights\n"
    ev = build(tmp_path, {"MODEL_CARD.md": card, "model.safetensors": LFS})
    assert weights_license(ev, ["model.safetensors"]) != "Apache-2.0"


def test_reuse_toml_annotations_license_the_paths_they_name(tmp_path):
    reuse = (
        'version = 1\n\n[[annotations]]\npath = ["ckpt/**", "*.json"]\nSPDX-License-Identifier = "CDLA-Permissive-2.0"\n\n'
        '[[annotations]]\npath = "src/**"\nprecedence = "override"\nSPDX-License-Identifier = "MIT"\n'
    )
    ev = build(
        tmp_path,
        {"REUSE.toml": reuse, "ckpt/step-1000/model.safetensors": LFS, "src/model.py": "# SPDX-License-Identifier: Apache-2.0\n"},
    )
    src, _ = repository_license("Model parameters (Intermediate)", ["ckpt/step-1000/model.safetensors"], ev)
    assert (src.expression, src.path, src.line) == ("CDLA-Permissive-2.0", "REUSE.toml", 3)
    src, _ = repository_license("Model architecture", ["src/model.py"], ev)
    assert src.expression == "MIT"  # override beats the file's own header
    assert repository_license("Model metadata", ["config.json"], ev)[0].expression == "CDLA-Permissive-2.0"
    assert not repository_license("Model metadata", ["sub/config.json"], ev)[1]  # `*` does not cross folders


# REUSE.toml globs as reuse-tool reads them (REUSE 3.x): `?` and `[` are literal, `**/` also matches at
# the root, `\*` is a literal star.
REUSE_GLOBS = [
    ("weights/*.safetensors", ["weights/a.safetensors"], ["weights/x/a.safetensors", "a.safetensors"]),
    ("data/**", ["data/a/b/c.txt", "data/x"], ["dat/x", "data"]),
    ("**/*.bin", ["a/b/c.bin", "c.bin"], ["c.bin.txt"]),
    ("file?.txt", ["file?.txt"], ["file1.txt"]),
    ("[ab].md", ["[ab].md"], ["a.md"]),
    ("a\\*b", ["a*b"], ["ab/"]),
    ("a***/b", ["a/x/b", "axb"], ["b"]),
]


@pytest.mark.parametrize(("glob", "yes", "no"), REUSE_GLOBS)
def test_reuse_toml_globs_match_as_reuse_tool_reads_them(glob, yes, no):
    from mofcheck.repo.globs import reuse_paths

    rx = reuse_paths([glob])
    assert [p for p in yes if not rx.fullmatch(p)] == []
    assert [p for p in no if rx.fullmatch(p)] == []


def test_reuse_toml_globs_agree_with_reuse_tool():
    """A differential test against the reference implementation, when it is installed (the benchmarks'
    environment has it: `pip install reuse`)."""
    import random

    reuse = pytest.importorskip("reuse.global_licensing", reason="reuse-tool is not installed (pip install reuse)")
    from mofcheck.repo.globs import reuse_paths

    rnd = random.Random(7)
    glob_chars = ["*", "*", "/", "\\", "a", "b", ".", "?", "[", " ", "é"]
    path_chars = ["a", "b", "/", ".", "?", "*", "\\", "[", " ", "ab", "é"]
    differ = []
    for _ in range(3000):
        globs = sorted({"".join(rnd.choice(glob_chars) for _ in range(rnd.randint(1, 9))) for _ in range(rnd.randint(1, 2))})
        ref = reuse.AnnotationsItem(paths=set(globs), spdx_expressions=set())._paths_regex
        ours = reuse_paths(globs)
        for _ in range(5):
            path = "".join(rnd.choice(path_chars) for _ in range(rnd.randint(0, 9)))
            if bool(ref.match(path)) != bool(ours.fullmatch(path)):
                differ.append((globs, path))
    assert differ == []


def test_reuse_toml_that_is_not_toml_is_a_finding(tmp_path):
    ev = build(tmp_path, {"REUSE.toml": "[[annotations]\npath = 1\n"})
    assert "license.unreadable" in codes(ev)


# The Hub's convention (issue: Hugging Face repositories on disk): README.md's front-matter license covers
# the repository's weights and the README itself, which is the card; a more specific file says otherwise.
HUB_CARD = "---\nlicense: apache-2.0\n---\n# Finch-1B\n\n## Model Details\n\nA 1B model.\n\n## Uses\n\nResearch.\n\n## Training Data\n\nWeb text.\n"


def card_license(ev, path):
    src, _ = repository_license("Model card", [path], ev)
    return src.expression if src else None


def test_hub_readme_license_covers_its_card_and_the_weights(tmp_path):
    ev = build(tmp_path, {"README.md": HUB_CARD, "model.safetensors": LFS})
    assert card_license(ev, "README.md") == "Apache-2.0"
    assert weights_license(ev, ["model.safetensors"]) == "Apache-2.0"


def test_hub_readme_license_does_not_cover_another_card_file(tmp_path):
    ev = build(tmp_path, {"README.md": HUB_CARD, "MODEL_CARD.md": HUB_CARD.split("---\n", 2)[2]})
    assert card_license(ev, "MODEL_CARD.md") is None


def test_a_card_file_with_front_matter_licenses_the_weights_only(tmp_path):
    ev = build(tmp_path, {"MODEL_CARD.md": HUB_CARD, "model.safetensors": LFS})
    assert weights_license(ev, ["model.safetensors"]) == "Apache-2.0"
    assert card_license(ev, "MODEL_CARD.md") is None


def test_a_docs_license_file_says_otherwise_for_the_card(tmp_path):
    docs = (FIXTURES / "data-card-stub" / "LICENSE-DOCS").read_text()
    ev = build(tmp_path, {"README.md": HUB_CARD, "LICENSE-DOCS": docs})
    assert card_license(ev, "README.md") == "CC-BY-4.0"


def test_a_page_about_licenses_is_not_a_license(cli, tmp_path):
    r = copy_fixture(tmp_path)
    (r / "docs").mkdir()
    (r / "docs" / "licenses.md").write_text("# Licenses\n\nThis page explains which licenses apply to which part of Wren.\n")
    (r / "wren-technical-report.pdf").rename(r / "docs" / "wren-technical-report.pdf")
    (r / "mof.yml").write_text((r / "mof.yml").read_text().replace("wren-technical-report.pdf", "docs/wren-technical-report.pdf"))
    run, report = check_git(cli, r)
    assert report["models"][0]["class"] == 3, [f["message"] for f in report["models"][0]["findings"]]
