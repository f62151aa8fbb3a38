"""escape: Markdown and GitHub workflow-command escaping of untrusted text."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from mofcheck.report.escape import (
    html_comment,
    markdown,
    markdown_cell,
    terminal,
    workflow_data,
    workflow_property,
)

from .test_report_helpers import HOSTILE

ZWSP = "\u200b"


def html(text: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_renders_as_one_plain_paragraph(text):
    out = html("- " + markdown(text))
    assert out.count("<li>") == 1 and "<ul>" in out
    for tag in ("<a ", "<img", "<script", "<em>", "<strong>", "<code>", "<s>", "<del>", "<h", "<table", "<!--", "<br"):
        assert tag not in out, (text, out)
    assert "\n" not in markdown(text) and "\r" not in markdown(text)


def test_markdown_keeps_the_visible_text():
    import html as h
    import re

    text = "a <b> & [c](d) *e* @f #1 `g`"
    shown = h.unescape(re.sub(r"<[^>]+>", "", html(markdown(text)))).replace(ZWSP, "").strip()
    assert shown == text


def test_markdown_breaks_mentions_references_and_autolinks():
    assert markdown("@octocat") == f"@{ZWSP}octocat"
    assert f"\\#{ZWSP}12" in markdown("fixes #12")
    assert f"GH-{ZWSP}7" in markdown("GH-7")
    assert f"https:{ZWSP}//evil" in markdown("https://evil")
    assert f"www{ZWSP}.evil.com" in markdown("www.evil.com")
    assert "@" + ZWSP in markdown("mail me@evil.com")


def test_markdown_escapes_html_and_link_syntax():
    assert markdown("<img src=x>") == "&lt;img src=x&gt;"
    assert markdown("a&b") == "a&amp;b"
    assert markdown("[x](y)") == "\\[x\\]\\(y\\)"
    assert markdown("![i]") == "\\!\\[i\\]"
    assert markdown("a\\*b") == "a\\\\\\*b"  # a backslash cannot undo the next escape


def test_markdown_block_starts_and_controls():
    assert markdown("- x") == "\\- x"
    assert markdown("1. x") == "1\\. x"
    assert markdown("1.5") == "1.5"
    assert markdown("\x1b[31mred") == "\\\\x1b\\[31mred"
    assert markdown("a\u202eb") == "a\\\\u202eb"  # bidi override shown, not obeyed
    assert markdown("x" * 600).endswith("…") and len(markdown("x" * 600)) == 500


def test_markdown_cell_cannot_break_a_table():
    row = "| " + markdown_cell("a | b") + " | " + markdown_cell("c\nd | e") + " |"
    table = "| h1 | h2 |\n| --- | --- |\n" + row + "\n"
    out = html(table)
    assert out.count("<td>") == 2 and out.count("<tr>") == 2
    assert markdown_cell("") == " "


def test_html_comment_cannot_close_early():
    c = html_comment("mofcheck --> <b>x</b> --!>")
    assert c.startswith("<!-- ") and c.endswith(" -->") and c.count("-->") == 1 and "<b>" not in c
    assert html_comment("mofcheck:comment") == "<!-- mofcheck:comment -->"


def test_workflow_escapes_follow_actions_toolkit():
    assert workflow_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert workflow_data("a:b,c") == "a:b,c"
    assert workflow_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert workflow_data("%0A") == "%250A"  # a literal %0A stays literal after the runner unescapes


def test_terminal_is_unchanged():
    assert terminal("a\nb\x1b[0m") == "a\\nb\\x1b[0m"
