"""Hostile YAML, end to end: alias bombs, deep nesting, duplicate keys, object-constructing tags, non-string
scalars, a manifest that is a list or a scalar; in a manifest beside a good one (the good one is still
evaluated, exit 2, file:line:col on stderr) and in a card's front matter (a finding with the line, the
release still judged). Nothing is constructed: a tag that would run a command leaves no marker."""

from __future__ import annotations

import pytest

from .hostile_trees import check_all, git_init, manifest_text, write

BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10))


def _bad_manifests(marker) -> dict[str, tuple[str, int | None, int | None, str]]:
    """name -> (text, line, column, what the message says)."""
    good = manifest_text(name="evil")
    return {
        "alias-bomb": (BOMB, None, None, "alias bomb"),
        "deep-nesting": ("release: " + "[" * 5000 + "]" * 5000 + "\n", None, None, "deep"),
        "duplicate-key": (good.replace("  version: '1'\n", "  version: '1'\n  version: '2'\n"), 5, 3, "duplicate key 'version' (first at line 4)"),
        "python-tag": (good.replace("  producer: Example", f"  producer: !!python/object/apply:os.system ['touch {marker}']"), 9, 13, "YAML tag"),
        "python-name-tag": (good.replace("  producer: Example", "  producer: !!python/name:os.system"), 9, 13, "YAML tag"),
        "custom-tag": (good.replace("  producer: Example", "  producer: !Ref x"), 9, 13, "YAML tag '!Ref' is not allowed"),
        "set-tag": (good.replace("  producer: Example", "  producer: !!set {a, b}"), 9, 13, "YAML tag"),
        "list": ("- framework: x\n- release: y\n", 1, 1, "the manifest is a list"),
        "scalar": ("just a string\n", 1, 1, "the manifest is a scalar"),
        "empty": ("", 1, 1, "the manifest is empty"),
        "int-name": (good.replace('  name: "evil"', "  name: 123"), 3, 9, "release.name: must be string, not int; quote it: '123'"),
        "date-version": (good.replace("  date: '2025-01-01'", "  date: 2025-01-01"), 5, 9, "quote it: '2025-01-01'"),
        "float-license": (
            manifest_text(components=[{"name": "Model architecture", "description": "c"}]).replace('description: "c"}', 'description: "c", license: 1.0}'),
            14,
            None,
            "must be string, not float",
        ),
        "list-path": (
            manifest_text(components=[{"name": "Model architecture", "description": "c"}]).replace(
                'description: "c"}', 'description: "c", component_path: [a, b]}'
            ),
            14,
            None,
            "must be string",
        ),
        "syntax": (good + "  : : [\n", 15, 3, "YAML error: did not find expected key"),
    }


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    base = tmp_path_factory.mktemp("yaml")
    marker = base / "pwned"
    out = {}
    for name, (text, line, col, says) in _bad_manifests(marker).items():
        root = base / name
        write(root, ".mof/a-good.yml", manifest_text(name="good"))
        write(root, ".mof/b-bad.yml", text)
        write(root, "model.py", "x = 1\n")
        git_init(root)
        out[name] = (check_all(root), line, col, says)
    assert not marker.exists(), "a YAML tag ran a command"
    return out


@pytest.mark.parametrize("name", sorted(_bad_manifests("m")))
def test_a_broken_manifest_beside_a_good_one(results, name):
    o, line, col, says = results[name]
    assert o.code == 2
    assert [m["name"] for m in o.report["models"]] == ["good"]  # the rest of the report still comes out
    (bad,) = [f for f in o.findings() if f["code"] == "manifest.invalid"]
    assert bad["path"] == ".mof/b-bad.yml" and bad["severity"] == "error"
    assert says in bad["message"], bad["message"]
    where = ".mof/b-bad.yml" + (f":{line}" if line else "") + (f":{col}" if col else "")
    err = [ln for ln in o.err.splitlines() if ln.startswith("mofcheck: error: ")]
    assert len(err) == 1 and err[0].startswith(f"mofcheck: error: {where}"), err
    if line:
        assert bad["line"] == line
    # every format says it
    assert ".mof/b-bad.yml" in o.out["text"] and ".mof/b-bad.yml" in o.out["markdown"]
    assert any(ln.startswith("::error file=.mof/b-bad.yml") for ln in o.out["github"].splitlines())


# ------------------------------------------------------------------------------------ card front matter


def _cards(marker) -> dict[str, tuple[str, int, str]]:
    """name -> (front matter body, file line of the finding, what the message says)."""
    return {
        "alias-bomb": (BOMB, 1, "alias bomb"),
        "deep-nesting": ("tags: " + "[" * 5000 + "]" * 5000 + "\n", 2, "nested more than 64 levels deep"),  # the nested node, line 2
        "duplicate-key": ("license: mit\nlicense: apache-2.0\n", 3, "duplicate key 'license'"),
        "python-tag": (f"license: !!python/object/apply:os.system ['touch {marker}']\n", 2, "YAML tag"),
        "list": ("- license: mit\n", 2, "the front matter is a list"),
        "scalar": ("just words\n", 2, "not a mapping"),
        "syntax": ("license: [mit\n", 3, "not valid YAML"),
    }


@pytest.fixture(scope="module")
def card_results(tmp_path_factory):
    base = tmp_path_factory.mktemp("cards")
    marker = base / "pwned"
    out = {}
    for name, (fm, line, says) in _cards(marker).items():
        root = base / name
        write(root, "README.md", f"---\n{fm}---\n# Model\n\nA card.\n")
        write(root, "weights/model.safetensors", b"\x00" * 64)
        git_init(root)
        out[name] = (check_all(root), line, says)
    assert not marker.exists(), "a YAML tag ran a command"
    return out


@pytest.mark.parametrize("name", sorted(_cards("m")))
def test_hostile_front_matter_is_a_finding_and_the_release_is_still_judged(card_results, name):
    o, line, says = card_results[name]
    assert o.code == 0  # a card is evidence, not input: a warning, not exit 2
    bad = [f for f in o.findings() if f["code"] == "card.front-matter-invalid"]
    assert len(bad) == 1, o.codes()
    assert bad[0]["path"] == "README.md" and bad[0]["line"] == line and says in bad[0]["message"], bad[0]
    assert o.report["models"] and o.report["models"][0]["components"]


def test_duplicate_key_message_names_the_file_line(card_results):
    o, _, _ = card_results["duplicate-key"]
    (bad,) = [f for f in o.findings() if f["code"] == "card.front-matter-invalid"]
    assert "(first at line 2)" in bad["message"]


def test_alias_bomb_error_has_a_position(cli, tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    p = tmp_path / "bomb.yml"
    p.write_text("\n".join(lines) + "\n")
    run = cli("check", str(tmp_path), "--manifest", str(p), "--manifest-only")
    assert run.code == 2 and "bomb.yml:1:" in run.err and "alias bomb" in run.err
