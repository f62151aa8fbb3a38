"""Badges: choice of class and message (MOT's labels and colours), shields URL and endpoint JSON, SVG,
and the README marker block (idempotent, touches nothing else)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mofcheck import badge as b
from mofcheck.check import CheckOptions, run
from mofcheck.errors import MofcheckError

from .conftest import run_cli

CLASS3 = ["Model architecture", "Model parameters (Final)", "Model card", "Data card", "Evaluation results", "Technical report"]
CLASS2 = CLASS3 + ["Training code", "Inference code", "Evaluation code", "Evaluation data"]
CLASS1 = CLASS2 + ["Datasets", "Data preprocessing code", "Model parameters (Intermediate)", "Research paper"]


def mot_manifest(name: str, components: list[str], license: str = "Apache-2.0") -> str:
    """A small MOT-format manifest (models/*.yml shape) listing `components` under one distribution license."""
    lines = [
        "framework:",
        "  name: 'Model Openness Framework'",
        "  version: '1.0'",
        "  date: '2024-12-15'",
        "release:",
        f"  name: {name}",
        "  version: 1B",
        "  date: '2025-01-01'",
        "  type: language",
        "  architecture: transformer",
        f"  origin: {name}",
        "  producer: Example Lab",
        "  contact: ''",
        "  license:",
        "    distribution:",
        f"      name: {license}",
        "      path: LICENSE",
        "  components:",
    ]
    for c in components:
        lines += [f"    - name: '{c}'", "      description: 'released'"]
    return "\n".join(lines) + "\n"


def report_for(tmp_path: Path, components: list[str], name: str = "tiny-lm") -> dict:
    (tmp_path / "mof.yml").write_text(mot_manifest(name, components), encoding="utf-8")
    return run(CheckOptions(path=tmp_path, mode="mot")).to_dict()


# ------------------------------------------------------------------------------------- which badge


@pytest.mark.parametrize(
    ("components", "label", "message", "color"),
    [
        (CLASS1, "Class I - Open Science Model", "Qualified", "4c1"),
        (CLASS2, "Class II - Open Tooling Model", "Qualified", "4c1"),
        (CLASS3, "Class III - Open Model", "Qualified", "4c1"),
        (CLASS3[:2], "Class III - Open Model", "In progress (33%)", "76b1c9"),
        (CLASS3[:4], "Class III - Open Model", "In progress (67%)", "76b1c9"),
        (["Sample model outputs"], "Class III - Open Model", "Not met", "9ba0a2"),
    ],
)
def test_repository_badge_is_highest_class_or_class_iii_progress(tmp_path, components, label, message, color):
    (badge,) = b.badges(report_for(tmp_path, components))
    assert (badge.label, badge.message, badge.color) == (label, message, color)
    assert badge.model == "tiny-lm"


def test_per_class_badge_like_mot(tmp_path):
    report = report_for(tmp_path, CLASS2)
    assert b.badges(report, cls=3)[0].message == "Qualified"
    assert b.badges(report, cls=2)[0].message == "Qualified"
    one = b.badges(report, cls=1)[0]  # 10 of 14 included
    assert (one.label, one.message, one.status) == ("Class I - Open Science Model", "In progress (71%)", b.IN_PROGRESS)
    none = b.badges(report_for(tmp_path, CLASS3[:3]), cls=2)[0]  # Class II shows 0 until Class III is met
    assert (none.message, none.color) == ("Not met", "9ba0a2")


def test_labels_are_the_frameworks(tmp_path):
    from mofcheck import framework

    fw = framework.load()
    report = report_for(tmp_path, CLASS3)
    assert {c: b.class_label(c, report) for c in (1, 2, 3)} == {c: fw.label(c) for c in (1, 2, 3)}


@pytest.mark.parametrize(("p", "shown"), [(0.5, 1), (2.5, 3), (33.333333, 33), (66.666667, 67), (71.428571, 71), (99.4, 99)])
def test_percent_rounds_half_away_from_zero_like_php(p, shown):
    assert b._percent(p) == shown


def test_waivers_are_counted_for_the_class_shown(tmp_path):
    report = report_for(tmp_path, CLASS2)
    comps = {c["name"]: c for c in report["models"][0]["components"]}
    comps["Training code"]["waiver"] = {"reason": "code released on request", "expires": None}
    assert b.badges(report)[0].message == "Qualified, 1 waiver"
    comps["Model card"]["waiver"] = {"reason": "card in the paper", "expires": None}
    assert b.badges(report)[0].message == "Qualified, 2 waivers"
    assert b.badges(report, cls=3)[0].message == "Qualified, 1 waiver"  # the Class II waiver is not Class III's
    comps["Datasets"]["waiver"] = {"reason": "licensed data", "expires": None}  # Class I: not the Class II badge's
    assert b.badges(report)[0].message == "Qualified, 2 waivers"


def test_waiver_from_the_configuration_shows_on_the_badge(tmp_path):
    # Class II minus Evaluation data, waived in .mofcheck.toml: Class II counts, and the badge says why
    (tmp_path / "mof.yml").write_text(mot_manifest("tiny-lm", [c for c in CLASS2 if c != "Evaluation data"]), encoding="utf-8")
    r = run_cli("badge", str(tmp_path), "--mode", "mot")
    assert r.code == 0 and "Class%20III%20--%20Open%20Model-Qualified-4c1" in r.out, r.err
    (tmp_path / ".mofcheck.toml").write_text('[[waiver]]\ncomponent = "Evaluation data"\nreason = "benchmark owner forbids redistribution"\n', encoding="utf-8")
    r = run_cli("badge", str(tmp_path), "--mode", "mot")
    assert r.code == 0, r.err
    assert r.out.startswith("![MOF Class II - Open Tooling Model: Qualified, 1 waiver](")
    assert "Qualified%2C%201%20waiver-4c1" in r.out


def test_several_releases_and_model_selection(tmp_path):
    (tmp_path / ".mof").mkdir()
    (tmp_path / ".mof" / "base.yml").write_text(mot_manifest("tiny-base", CLASS2), encoding="utf-8")
    (tmp_path / ".mof" / "chat.yml").write_text(mot_manifest("tiny-chat", CLASS3[:3]), encoding="utf-8")
    report = run(CheckOptions(path=tmp_path, mode="mot")).to_dict()
    assert [(x.model, x.message) for x in b.badges(report)] == [("tiny-base", "Qualified"), ("tiny-chat", "In progress (50%)")]
    assert [x.model for x in b.badges(report, model="TINY-CHAT")] == ["tiny-chat"]
    with pytest.raises(MofcheckError, match="no release named 'nope'.*'tiny-base', 'tiny-chat'"):
        b.badges(report, model="nope")
    with pytest.raises(MofcheckError, match="no release"):
        b.badges({"models": [], "framework": {"version": "1.0"}})


# --------------------------------------------------------------------------------------- formats

SAMPLE = b.Badge("m", 3, b.IN_PROGRESS, "Class III - Open_Model", "In progress (33%)")


def _shields_decode(part: str) -> str:
    """shields' own reading of a static-badge path segment: `--` is '-', `__` is '_', `_` is a space."""
    out, i, s = [], 0, unquote(part)
    while i < len(s):
        if s.startswith("--", i) or s.startswith("__", i):
            out.append(s[i])
            i += 2
        else:
            out.append(" " if s[i] == "_" else s[i])
            i += 1
    return "".join(out)


def _shields_split(path: str) -> list[str]:
    """Split a static-badge path as shields does: a lone '-' separates, `--` is a literal dash."""
    parts, cur, i = [], "", 0
    while i < len(path):
        if path.startswith("--", i):
            cur, i = cur + "--", i + 2
        elif path[i] == "-":
            parts.append(cur)
            cur, i = "", i + 1
        else:
            cur, i = cur + path[i], i + 1
    return [*parts, cur]


def test_static_url_uses_shields_escaping():
    url = b.static_url(SAMPLE)
    assert url == "https://img.shields.io/badge/Class%20III%20--%20Open__Model-In%20progress%20%2833%25%29-76b1c9"
    label, message, color = _shields_split(url.removeprefix("https://img.shields.io/badge/"))
    assert (_shields_decode(label), _shields_decode(message), color) == ("Class III - Open_Model", "In progress (33%)", "76b1c9")


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda t: not t.startswith("-")  # shields itself cannot tell `a` + `-b` from `a-` + `b`
)


@given(_text, _text)
@settings(max_examples=200, deadline=None)
def test_static_url_round_trips_through_shields_rules(label, message):
    badge = b.Badge("m", 3, b.QUALIFIED, label, message)
    path = b.static_url(badge).removeprefix("https://img.shields.io/badge/")
    assert "/" not in path and "?" not in path and "#" not in path
    parts = _shields_split(path)
    assert [_shields_decode(x) for x in parts[:2]] == [label, message] and parts[2] == "4c1"


ENDPOINT_SCHEMA = {  # shields' services/endpoint-common.js, strict: unknown keys are rejected
    "type": "object",
    "required": ["schemaVersion", "label", "message"],
    "additionalProperties": False,
    "properties": {
        "schemaVersion": {"const": 1},
        "label": {"type": "string"},
        "message": {"type": "string", "minLength": 1},
        "color": {"type": "string"},
        "labelColor": {"type": "string"},
        "isError": {"type": "boolean"},
        "namedLogo": {"type": "string"},
        "logoSvg": {"type": "string"},
        "logoColor": {"type": "string"},
        "logoWidth": {"type": "integer"},
        "style": {"type": "string"},
        "cacheSeconds": {"type": "integer", "minimum": 0},
    },
}


def test_endpoint_json_has_only_shields_keys():
    data = json.loads(b.endpoint_json(SAMPLE))
    jsonschema.validate(data, ENDPOINT_SCHEMA)
    assert data == {"schemaVersion": 1, "label": "Class III - Open_Model", "message": "In progress (33%)", "color": "76b1c9"}


def test_svg_is_well_formed_with_mot_colours_and_fitting_widths():
    pytest.importorskip("genbadge", reason="the 'badge' extra (genbadge) is not installed")
    ns = {"s": "http://www.w3.org/2000/svg"}
    widths = {}
    for label, message, status in [
        ("Class I - Open Science Model", "Qualified", b.QUALIFIED),
        ("Class II - Open Tooling Model", "Qualified, 2 waivers", b.QUALIFIED),
        ("Class III - Open Model", "In progress (83%)", b.IN_PROGRESS),
        ("Class III - Open Model", "Not met", b.NOT_MET),
    ]:
        svg = b.render_svg(b.Badge("m", 3, status, label, message))
        root = ET.fromstring(svg)
        rects = root.findall("./s:g/s:rect", ns)
        left, right = float(rects[0].get("width")), float(rects[1].get("width"))
        assert rects[0].get("fill") == "#555" and rects[1].get("fill") == "#" + b.COLORS[status]
        assert float(root.get("width")) == left + right and root.get("height") == "20"
        texts = root.findall("./s:g/s:text", ns)
        assert [t.text for t in texts] == [label, label, message, message]
        # the text is drawn at its measured length, and the box leaves padding around it
        assert left >= float(texts[0].get("textLength")) / 10 + 8
        assert right >= float(texts[2].get("textLength")) / 10 + 8
        widths[(label, message)] = left
        assert b.render_svg(b.Badge("m", 3, status, label, message)) == svg  # deterministic
    assert widths[("Class II - Open Tooling Model", "Qualified, 2 waivers")] > widths[("Class I - Open Science Model", "Qualified")]
    assert widths[("Class I - Open Science Model", "Qualified")] > widths[("Class III - Open Model", "Not met")]


def test_svg_text_cannot_break_the_xml():
    pytest.importorskip("genbadge", reason="the 'badge' extra (genbadge) is not installed")
    ET.fromstring(b.render_svg(b.Badge("m", 3, b.QUALIFIED, 'a<b & "c">', "Qualified")))


# ------------------------------------------------------------------------------------ README block

LINE = "![MOF badge](https://img.shields.io/badge/x-y-4c1)"
BLOCK = f"{b.START}\n{LINE}\n{b.END}"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("# Tiny LM\n\nA model.\n", f"# Tiny LM\n\n{BLOCK}\n\nA model.\n"),
        ("# Tiny LM", f"# Tiny LM\n\n{BLOCK}"),  # no final newline: still none
        ("Intro line\n\n## Usage\nrun it\n", f"Intro line\n\n## Usage\n\n{BLOCK}\nrun it\n"),
        ("Tiny LM\n=======\n\ntext\n", f"Tiny LM\n=======\n\n{BLOCK}\n\ntext\n"),  # setext heading
        ("no heading here\n", f"{BLOCK}\n\nno heading here\n"),
        ("", f"{BLOCK}\n"),
        (
            "---\nlicense: apache-2.0\ntags:\n- x\n---\n\n# Tiny LM\nbody\n",  # HF front matter is not a heading
            f"---\nlicense: apache-2.0\ntags:\n- x\n---\n\n# Tiny LM\n\n{BLOCK}\nbody\n",
        ),
        ("```md\n# not a heading\n```\n# Real\n", f"```md\n# not a heading\n```\n# Real\n\n{BLOCK}\n"),
    ],
)
def test_readme_insertion_after_first_heading(before, after):
    assert b.update_readme(before, [LINE]) == after
    assert b.update_readme(after, [LINE]) == after


def test_readme_update_replaces_only_the_block_and_keeps_crlf():
    text = f"# T\r\n\r\n{b.START}\r\nold badge\r\nsecond old line\r\n{b.END}\r\n\r\nbody  \r\nend"
    new = b.update_readme(text, [LINE, "two"])
    assert new == f"# T\r\n\r\n{b.START}\r\n{LINE}\r\ntwo\r\n{b.END}\r\n\r\nbody  \r\nend"
    assert b.update_readme(new, [LINE, "two"]) == new


def test_readme_markers_in_code_fences_are_documentation_not_a_block():
    doc = f"# T\n\n~~~\n{b.START}\n{b.END}\n~~~\n"
    new = b.update_readme(doc, [LINE])
    assert new.startswith(f"# T\n\n{BLOCK}\n\n~~~\n{b.START}\n{b.END}\n~~~\n")


@pytest.mark.parametrize("text", [f"# T\n{b.START}\nx\n", f"# T\n{b.END}\n{b.START}\n", f"{b.START}\n{b.END}\n{b.START}\n{b.END}\n"])
def test_readme_broken_markers_are_an_error_with_a_line(text):
    with pytest.raises(MofcheckError) as exc:
        b.update_readme(text, [LINE], "README.md")
    assert exc.value.path == "README.md" and exc.value.line >= 1


@given(st.lists(st.sampled_from(["# H", "text", "\n", "\r\n", "   ", "```", "---", "==", "<!-- x -->"]), max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_readme_update_is_idempotent_and_only_adds_the_block(text):
    once = b.update_readme(text, [LINE])
    assert b.update_readme(once, [LINE]) == once
    added = {b.START, LINE, b.END}
    assert [x for x in text.splitlines() if x.strip()] == [x for x in once.splitlines() if x.strip() and x not in added]
    if text:
        assert once.endswith("\n") == text.endswith("\n")


# ----------------------------------------------------------------------------------------- the CLI


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "mof.yml").write_text(mot_manifest("tiny-lm", CLASS2), encoding="utf-8")
    (tmp_path / "README.md").write_bytes(b"# Tiny LM\r\n\r\nA small model.")  # CRLF, no final newline
    return tmp_path


def test_cli_write_readme_is_idempotent_and_exit_code_signals_change(repo):
    readme = repo / "README.md"
    r = run_cli("badge", str(repo), "--mode", "mot", "--write", str(readme), "--exit-nonzero-on-change")
    assert r.code == 1, r.err
    first = readme.read_bytes()
    assert first.startswith(b"# Tiny LM\r\n\r\n" + b.START.encode() + b"\r\n![MOF Class II - Open Tooling Model: Qualified](")
    assert first.endswith(b.END.encode() + b"\r\n\r\nA small model.")
    assert b"\n" not in first.replace(b"\r\n", b"")
    r = run_cli("badge", str(repo), "--mode", "mot", "--write", str(readme), "--exit-nonzero-on-change")
    assert (r.code, readme.read_bytes()) == (0, first)
    # without the hook flag, writing is a success
    (repo / "mof.yml").write_text(mot_manifest("tiny-lm", CLASS3), encoding="utf-8")
    r = run_cli("badge", str(repo), "--mode", "mot", "--write", str(readme))
    assert r.code == 0 and b"Class%20III%20--%20Open%20Model-Qualified-4c1" in readme.read_bytes()
    assert "wrote" in r.err


def test_cli_svg_write_links_the_svg_relative_to_the_readme(repo):
    pytest.importorskip("genbadge", reason="the 'badge' extra (genbadge) is not installed")
    docs = repo / "docs"
    docs.mkdir()
    (docs / "README.md").write_text("# Docs\n", encoding="utf-8")
    out = repo / "assets" / "mof.svg"
    r = run_cli(
        "badge", str(repo), "--mode", "mot", "--format", "svg", "--output", str(out), "--write", str(docs / "README.md"), "--link", "https://example.org/mof"
    )
    assert r.code == 0, r.err
    assert ET.fromstring(out.read_text(encoding="utf-8")).get("height") == "20"
    assert (docs / "README.md").read_text(encoding="utf-8") == (
        f"# Docs\n\n{b.START}\n[![MOF Class II - Open Tooling Model: Qualified](../assets/mof.svg)](https://example.org/mof)\n{b.END}\n"
    )
    # default SVG path: beside the README
    r = run_cli("badge", str(repo), "--mode", "mot", "--format", "svg", "--write", str(repo / "README.md"), "--exit-nonzero-on-change")
    assert r.code == 1 and (repo / "mof-badge.svg").is_file()
    assert "](mof-badge.svg)" in (repo / "README.md").read_text(encoding="utf-8")
    assert run_cli("badge", str(repo), "--mode", "mot", "--format", "svg", "--write", str(repo / "README.md"), "--exit-nonzero-on-change").code == 0


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("url", "https://img.shields.io/badge/Class%20II%20--%20Open%20Tooling%20Model-Qualified-4c1\n"),
        ("markdown", "![MOF Class II - Open Tooling Model: Qualified](https://img.shields.io/badge/Class%20II%20--%20Open%20Tooling%20Model-Qualified-4c1)\n"),
    ],
)
def test_cli_stdout_formats(repo, fmt, expected):
    r = run_cli("badge", str(repo), "--mode", "mot", "--format", fmt)
    assert (r.code, r.out) == (0, expected)


def test_cli_endpoint_to_file(repo):
    out = repo / "badge.json"
    assert run_cli("badge", str(repo), "--mode", "mot", "--format", "endpoint", "--output", str(out)).code == 0
    jsonschema.validate(json.loads(out.read_text(encoding="utf-8")), ENDPOINT_SCHEMA)


def test_cli_several_releases(tmp_path):
    (tmp_path / ".mof").mkdir()
    (tmp_path / ".mof" / "a.yml").write_text(mot_manifest("tiny base", CLASS2), encoding="utf-8")
    (tmp_path / ".mof" / "b.yml").write_text(mot_manifest("tiny-chat", ["Sample model outputs"]), encoding="utf-8")
    r = run_cli("badge", str(tmp_path), "--mode", "mot")
    assert r.code == 0 and r.out.splitlines() == [
        "![MOF tiny base: Class II - Open Tooling Model: Qualified](https://img.shields.io/badge/tiny%20base%3A%20Class%20II%20--%20Open%20Tooling%20Model-Qualified-4c1)",
        "![MOF tiny-chat: Class III - Open Model: Not met](https://img.shields.io/badge/tiny--chat%3A%20Class%20III%20--%20Open%20Model-Not%20met-9ba0a2)",
    ]
    r = run_cli("badge", str(tmp_path), "--mode", "mot", "--format", "endpoint")
    assert r.code == 2 and "--model" in r.err
    r = run_cli("badge", str(tmp_path), "--mode", "mot", "--format", "endpoint", "--output", str(tmp_path / "out.json"))
    assert r.code == 2 and "{model}" in r.err
    r = run_cli("badge", str(tmp_path), "--mode", "mot", "--format", "endpoint", "--output", str(tmp_path / "b" / "{model}.json"))
    assert r.code == 0
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["tiny-base.json", "tiny-chat.json"]
    r = run_cli("badge", str(tmp_path), "--mode", "mot", "--format", "endpoint", "--model", "tiny-chat")
    assert r.code == 0 and json.loads(r.out)["label"] == "Class III - Open Model"


def test_cli_input_errors_exit_2_and_touch_nothing(tmp_path):
    (tmp_path / "README.md").write_text("# T\n", encoding="utf-8")
    r = run_cli("badge", str(tmp_path), "--write", str(tmp_path / "README.md"))
    assert r.code == 2 and "no release" in r.err
    (tmp_path / "mof.yml").write_text("release: [unclosed\n", encoding="utf-8")
    r = run_cli("badge", str(tmp_path), "--write", str(tmp_path / "README.md"))
    assert r.code == 2 and "mof.yml" in r.err
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# T\n"


def test_cli_refuses_symlinked_readme_and_endpoint_with_write(repo):
    outside = repo.parent / f"{repo.name}-outside.md"
    outside.write_text("# Outside\n", encoding="utf-8")
    (repo / "LINKED.md").symlink_to(outside)
    r = run_cli("badge", str(repo), "--mode", "mot", "--write", str(repo / "LINKED.md"))
    assert r.code == 2 and "symbolic link" in r.err
    assert outside.read_text(encoding="utf-8") == "# Outside\n"
    r = run_cli("badge", str(repo), "--mode", "mot", "--format", "endpoint", "--write", str(repo / "README.md"))
    assert r.code == 2 and "https" in r.err
    r = run_cli("badge", str(repo), "--mode", "mot", "--write", str(repo / "MISSING.md"))
    assert r.code == 2 and not (repo / "MISSING.md").exists()


def test_badge_module_does_not_import_the_svg_library_at_import_time():
    import subprocess
    import sys

    code = "import sys, mofcheck.badge, mofcheck.cli; print('genbadge' in sys.modules, 'PIL' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ})
    assert out.stdout.split() == ["False", "False"]
