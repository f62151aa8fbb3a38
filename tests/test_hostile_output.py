"""Output injection, end to end: a real repository whose file names, license title, manifest and card text
carry newlines, ANSI escapes, `::` workflow commands, `%0A`, HTML, Markdown links and images and @mentions,
checked by the real `mofcheck check` in every format at once.

- text: inert (no ESC, CR or other control byte in the output);
- github: every output line is one intended command (parsed as the Actions runner parses it);
- markdown: parsed with markdown-it-py: no link, image or HTML token comes from a hostile string, every
  table row keeps its column count, nobody is pinged;
- lines / sarif / json: one line per finding, valid JSON, no control bytes."""

from __future__ import annotations

import json
import os
import re

import pytest
from markdown_it import MarkdownIt

from .hostile_trees import check_all, git_init, manifest_text, posix_only, write
from .test_report_github import parse as parse_github

pytestmark = posix_only

ESC = "\x1b"
EVIL_HOST = "evil.example"
HOSTILE = (
    "T1 \x1b[31mRED\x1b[0m \x1b]0;title\x07 \x1b[2J"
    " ::error file=x::pwned ::set-output name=a::b %0A::add-mask::s %0D"
    f" <img src=x onerror=alert(1)> <script>alert(1)</script> [click](https://{EVIL_HOST}/a)"
    f" ![img](https://{EVIL_HOST}/i.png) <https://{EVIL_HOST}/auto> www.{EVIL_HOST} @octocat @github/security"
    " | cell | #1 \u202eRLO\u202c"
)
# A file name may not hold "/" or NUL; everything else goes.
HOSTILE_NAME = "evil\n::error file=y::name %0A | <b onmouseover=alert(1)>@octocat \x1b[31m [x](https:\\\\evil.example) ![i](x.png)"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("out") / "repo"
    # An unknown license whose first line is the title: LicenseRef-mofcheck-unknown-<hash>, titled with that line.
    license_text = HOSTILE + "\n\nYou may use this model only on Tuesdays. No other rights are granted.\n"
    write(root, "LICENSE", license_text)
    write(root, f"{HOSTILE_NAME}/LICENSE", license_text)  # a per-folder license under a hostile folder name
    write(root, f"{HOSTILE_NAME}/model.py", "x = 1\n")
    comps = [
        {"name": "Model architecture", "description": HOSTILE, "license": HOSTILE, "component_path": HOSTILE_NAME},
        {"name": "Model parameters (Final)", "description": "w", "license": "LicenseRef-" + "x" * 10, "component_path": "weights/" + HOSTILE_NAME},
        {"name": "Model card", "description": "c", "license": "CC-BY-4.0", "component_path": "README.md"},
    ]
    write(root, "mof.yml", manifest_text(name=HOSTILE, components=comps))
    write(root, f".mof/{HOSTILE_NAME}.yml", "release: [\n")  # a broken manifest with a hostile name
    write(root, "weights/model.safetensors", b"\x00" * 64)
    card = (
        f"---\nlicense: other\nlicense_name: {json.dumps(HOSTILE)}\nlicense_link: {json.dumps('https://' + EVIL_HOST + '/l')}\n---\n"
        f"# {HOSTILE}\n\n## License\n\nThe weights are released under {HOSTILE}.\n\n"
        f"## Training data\n\nWe trained on {HOSTILE}. The training code is at https://{EVIL_HOST}/code.\n"
    )
    write(root, "README.md", card)
    os.symlink("/etc/passwd", root / f"{HOSTILE_NAME}.txt")  # a finding whose path is hostile
    git_init(root)
    return check_all(root)


def test_the_hostile_strings_reach_the_report(hostile):
    """Control: the strings do arrive (otherwise the tests below prove nothing)."""
    data = json.dumps(hostile.report)
    # the unknown license (its first line names no license, so it is named by a hash) and its title
    assert "licenseref-mofcheck-unknown-" in data.lower() and "T1 \\u001b[31mRED" in data
    assert HOSTILE_NAME in hostile.report["findings"][0]["path"] or any(HOSTILE_NAME in (f.get("path") or "") for f in hostile.findings())
    assert any(m["name"] == HOSTILE for m in hostile.report["models"])
    assert hostile.code == 2  # the broken manifest


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
C0_C1 = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # JSON and SARIF are data: bidi marks stay, as data


@pytest.mark.parametrize("fmt", ["text", "lines", "markdown", "github", "sarif", "json"])
def test_no_control_bytes_in_any_output(hostile, fmt):
    out = hostile.out[fmt]
    assert ESC not in out and "\r" not in out and "\x07" not in out
    bad = (C0_C1 if fmt in ("json", "sarif") else CONTROL).search(out)
    assert bad is None, f"{fmt}: control character {bad.group()!r} at {bad.start()}: {out[max(0, bad.start() - 40) : bad.start() + 40]!r}"


def test_stderr_is_inert(hostile):
    err = hostile.err
    assert ESC not in err and "\r" not in err
    lines = err.splitlines()
    assert all(ln.startswith("mofcheck: error: ") for ln in lines), lines  # a newline in a name cannot start a line


def test_text_is_one_line_per_string(hostile):
    # No line of the terminal report starts with what came after a newline in a hostile string.
    for ln in hostile.out["text"].splitlines():
        assert not ln.lstrip().startswith(("::error", "::set-output", "::add-mask")), ln


def test_github_every_line_is_one_intended_command(hostile):
    out = hostile.out["github"]
    cmds = parse_github(out)  # asserts each line is exactly one well-formed command
    assert {c["cmd"] for c in cmds} <= {"error", "warning", "notice"}
    assert len(cmds) == len(hostile.findings())
    # the hostile text is carried as data, escaped, not obeyed
    assert any("::error file=x::pwned" in c["data"] for c in cmds)
    for ln in out.splitlines():
        assert not re.match(r"^::(set-output|add-mask|set-env|add-path|stop-commands|echo|debug|group|save-state)\b", ln)


ALLOWED_HTML = re.compile(r"^(<sub>|</sub>|<br>|<!-- mofcheck:[\w:-]+ -->\n?|<details>\n?|</details>\n?|<summary>|</summary>)$")


def _tokens(md: str):
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for tok in parser.parse(md):
        yield tok
        yield from tok.children or []


def test_markdown_has_no_links_images_or_html_from_hostile_text(hostile):
    md = hostile.out["markdown"]
    for tok in _tokens(md):
        assert tok.type != "image", tok
        if tok.type == "link_open":
            href = tok.attrGet("href") or ""
            assert EVIL_HOST not in href and not href.startswith(("javascript:", "data:")), href
        if tok.type in ("html_inline", "html_block"):
            assert ALLOWED_HTML.match(tok.content), tok.content
    assert "<img" not in md and "<script" not in md and "<b>" not in md


def test_markdown_tables_keep_their_shape_and_nobody_is_pinged(hostile):
    md = hostile.out["markdown"]
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        widths = {len(re.findall(r"<t[dh][ >]", row)) for row in re.findall(r"<tr>.*?</tr>", table, re.S)}
        assert len(widths) == 1, widths
    assert not re.search(r"@(?!\u200b)\w", md), re.search(r".{20}@(?!\u200b)\w.{20}", md)
    assert not re.search(r"(?<![\w`])#(?!\u200b)\d", md)
    assert "://" not in md.replace(":\u200b//", "") or all(h not in md for h in (EVIL_HOST + "/a", "www." + EVIL_HOST))
    assert f"www.{EVIL_HOST}" not in md


def test_lines_and_sarif(hostile):
    lines = hostile.out["lines"].splitlines()
    assert len(lines) == len(hostile.findings())
    sarif = json.loads(hostile.out["sarif"])
    assert sarif["version"] == "2.1.0"
