"""markdown: job summary / sticky comment; structure, escaping of hostile text, fitting to a byte limit."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from mofcheck.report import render

from .conftest import shared_path
from .test_report_helpers import big_report, hostile_report, real_report, write_repo

ZWSP = "\u200b"


def html(text: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


def tables(text: str) -> list[list[int]]:
    """Cells per row of each rendered table."""
    out = []
    for t in re.findall(r"<table>.*?</table>", html(text), re.S):
        out.append([len(re.findall(r"<t[dh][ >]", row)) for row in re.findall(r"<tr>.*?</tr>", t, re.S)])
    return out


def test_real_report(tmp_path):
    write_repo(tmp_path)
    out = render("markdown", real_report(tmp_path))
    assert "\n### ❌ Tiny: Unclassified\n" in out
    assert "\nManifest: mof.yml\n" in out
    progress, verdicts, components = tables(out)
    assert progress == [5, 5]
    assert verdicts == [3] * 4  # header + G7, OSAID, EU AI Act
    assert "| G7 label | ❌ no label |" in out and "An indicator, not legal advice" in out
    assert components == [5] * 18  # header + 17 MOF components
    assert "| Model parameters \\(Final\\) | III | ❌ not open | llama3 |" in out
    assert "| Data card | III | ❌ unlicensed | unlicensed |" in out
    assert "\n#### To reach Class III\n" in out
    assert out.index("component.unlicensed") < out.index("license.unknown`, 2)")
    assert "- mof.yml:27: Model parameters \\(Final\\): license 'llama3' is not open" in out


def test_mot_corpus_class_one():
    path = shared_path("mot", "models", "Pythia-1B.yml")
    out = render("markdown", real_report(path.parent, [path]))
    assert "### ✅ Pythia\\-1B: Class I - Open Science Model" in out or "### ✅ Pythia-1B: Class I - Open Science Model" in out
    assert "| **result** | Class I | 100% ✅ | 100% ✅ | 100% ✅ |" in out
    assert "Class I is the highest class" in out
    assert "ℹ️ **info: An open license of the wrong kind**" in out


def test_marker_comes_first_and_is_hidden():
    out = render("markdown", hostile_report(), marker="mofcheck:sticky")
    assert out.startswith("<!-- mofcheck:sticky -->\n")
    assert "mofcheck:sticky" not in re.sub(r"<!--.*?-->", "", html(out))
    assert not render("markdown", hostile_report()).startswith("<!--")


def test_hostile_text_stays_text():
    out = render("markdown", hostile_report())
    rendered = html(out)
    for tag in ("<a ", "<img", "<script", "<em>it", "<strong>bold", "<code>code", "<h1", "<h2>evil", "<s>", "<del>"):
        assert tag not in rendered, tag
    assert "<!--" not in rendered  # the hostile comment opener is shown, not obeyed
    # every table row keeps its column count: no `|` or newline broke out of a cell
    for t in tables(out):
        assert len(set(t)) == 1, t
    # no pings, references or autolinks in the raw Markdown
    assert not re.search(r"@(?!\u200b)", out)
    assert not re.search(r"#(?!\u200b)\d", out)
    assert "://" not in out and "www." not in out
    assert "\x1b" not in out and "\r" not in out
    # and the text is still readable
    text = rendered.replace(ZWSP, "")
    assert "&lt;img src=x onerror=alert(1)&gt;" in text and "[x](http://evil)" in text and "@octocat" in text


def test_waivers_and_declared_vs_verified():
    out = render("markdown", hostile_report())
    assert "\n#### Waivers\n" in out and "(expires 2030-01-01)" in out
    assert "❌ not open (waived)" in out
    assert "| declared (manifest) | Class III | 100% ✅ | 60% | 20% |" in out
    assert "| verified (evidence) | none | 50% | 0% | 0% |" in out
    report = hostile_report()
    del report["models"][0]["verified"]
    report["models"][0]["components"][0]["waiver"] = None
    out = render("markdown", report)
    assert "declared (manifest)" not in out and "Waivers" not in out


FINDING_LINE = re.compile(r"^- weights/part-(\d{5})\.safetensors:(\d+): finding number (\d+) about a component$")


def _shown(out: str) -> list[int]:
    nums = []
    for line in out.splitlines():
        if line.startswith("- weights/"):
            m = FINDING_LINE.match(line)
            assert m, f"a finding was cut: {line!r}"
            nums.append(int(m[3]))
    return nums


def test_truncation_to_a_comment_is_honest():
    limit = 64 * 1024
    out = render("markdown", big_report(5000), limit=limit)
    assert len(out.encode("utf-8")) <= limit
    m = re.search(r"\n… (\d+) more findings not shown \(see the job summary or the JSON report\)\.\n$", out)
    assert m, out[-300:]
    shown = _shown(out)
    assert len(shown) + int(m[1]) == 5000 and len(shown) > 300
    # most severe first: errors (i % 3 == 0) are shown before any warning is
    sev = [n % 3 for n in shown]
    assert sev == sorted(sev)
    assert "| Model parameters \\(Final\\) |" in out and "#### To reach Class III" in out


def test_job_summary_limit_shows_everything():
    out = render("markdown", big_report(5000), limit=1_000_000, more_where="the JSON report")
    assert len(_shown(out)) == 5000 and "not shown" not in out


def test_small_limits_drop_whole_rows_and_say_so():
    report = hostile_report()
    for limit in (3000, 2000, 1200):
        out = render("markdown", report, limit=limit, more_where="the JSON report")
        assert len(out.encode("utf-8")) <= limit
        assert re.search(r"\n… .* not shown \(see the JSON report\)\.\n$", out), out[-200:]
        for t in tables(out):
            assert len(set(t)) == 1
    out = render("markdown", report, limit=2000)
    m = re.search(r"… (.*) not shown", out)
    assert "finding" in m[1]
    # the headline of every release survives
    assert "Unclassified" in render("markdown", report, limit=1200)


def test_absurdly_small_limit_still_bounded():
    out = render("markdown", big_report(50), limit=200)
    assert len(out.encode("utf-8")) <= 200 and "not shown" in out


def test_many_releases_never_leave_orphan_rows():
    import copy

    report = hostile_report()
    model = report["models"][0]
    report["models"] = []
    for i in range(60):
        m = copy.deepcopy(model)
        m["name"] = f"release-{i:02d}"
        report["models"].append(m)
    out = render("markdown", report, limit=12_000)
    assert len(out.encode("utf-8")) <= 12_000
    heads = re.findall(r"^### ❌ release-(\d\d): ", out, re.M)
    m = re.search(r"… (\d+) more releases, ", out)
    assert m and len(heads) + int(m[1]) == 60 and heads == [f"{i:02d}" for i in range(len(heads))]
    # every component table, plan and findings block sits under a release that is shown
    blocks = re.split(r"^### ", out, flags=re.M)
    assert "| Component |" not in blocks[0] and "#### Findings" not in blocks[0]
    for block in blocks[1:]:
        assert block.startswith("❌ release-") or block.startswith("Findings not tied")


def test_no_limit():
    out = render("markdown", big_report(3000), limit=None)
    assert len(_shown(out)) == 3000 and len(out.encode("utf-8")) > 65_000 and "not shown" not in out
