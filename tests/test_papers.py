"""The project's own paper / technical report: citation blocks, badges, context words; not related work."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofcheck.evidence.papers import (
    RESEARCH_PAPER,
    TECHNICAL_REPORT,
    classify_pdf_name,
    find_papers,
    scan_papers,
)

RELATED_WORK_AND_BIBTEX = """# mini-inference

Minimal code to run our models. We support fine-tuning with
[LoRA](https://arxiv.org/abs/2106.09685), and the sliding window follows
[Longformer](https://arxiv.org/abs/2004.05150).

## Citation

If you use this work, please cite:

```bibtex
@misc{mini2024,
  title         = {Mini: A Small Open Model},
  author        = {Doe, Jane and Roe, Rick},
  year          = {2024},
  eprint        = {2401.02385},
  archivePrefix = {arXiv},
  primaryClass  = {cs.CL}
}
```
"""


def test_related_work_arxiv_links_are_not_the_paper_but_bibtex_is():
    papers = find_papers(RELATED_WORK_AND_BIBTEX, "README.md")
    assert len(papers) == 1
    p = papers[0]
    assert (p.kind, p.url, p.arxiv_id, p.rule) == (RESEARCH_PAPER, "https://arxiv.org/abs/2401.02385", "2401.02385", "bibtex")
    assert RELATED_WORK_AND_BIBTEX.split("\n")[p.line - 1].startswith("@misc{")
    assert p.text == "Mini: A Small Open Model" and p.confidence >= 0.85


def test_granite_placeholder_and_commented_link_do_not_count():
    text = (
        "# granite-x\n\nA family of models.\n\n"
        "<!-- Read the [technical report](https://arxiv.org/abs/2405.04324) -->\n"
        "Details are in our [technical report](URL).\n"
    )
    scan = scan_papers(text, "README.md")
    assert scan.papers == []
    assert [(f.code, f.line, f.severity) for f in scan.findings] == [("paper.placeholder-link", 6, "info")]


def test_badge_counts_license_badge_does_not():
    text = (
        "[![arXiv](https://img.shields.io/badge/arXiv-2305.10403-b31b1b.svg)](https://arxiv.org/abs/2305.10403)\n"
        "[![License](https://img.shields.io/badge/License-Apache_2.0-blue.svg)](LICENSE)\n"
        "[![HF](https://img.shields.io/badge/%F0%9F%A4%97-Models-yellow)](https://huggingface.co/org)\n"
    )
    papers = find_papers(text, "README.md")
    assert [(p.rule, p.url, p.line, p.kind) for p in papers] == [("badge", "https://arxiv.org/abs/2305.10403", 1, RESEARCH_PAPER)]


def test_html_badge():
    text = '<p align="center"><a href="https://arxiv.org/abs/2402.00838"><img src="https://img.shields.io/badge/paper-arXiv-red" alt="paper"></a></p>\n'
    papers = find_papers(text, "README.md")
    assert [(p.url, p.kind) for p in papers] == [("https://arxiv.org/abs/2402.00838", RESEARCH_PAPER)]


def test_technical_report_link_text_and_pdf_link():
    text = (
        "# Q\n\n- Read the [Q technical report](https://example.org/q-tech.pdf).\n"
        "- Our [paper](https://openreview.net/forum?id=abc) was published at ICLR.\n"
        "- [Blog post](https://example.org/blog) and [demo](https://example.org/demo).\n"
    )
    papers = {p.url: p for p in find_papers(text, "README.md")}
    assert set(papers) == {"https://example.org/q-tech.pdf", "https://openreview.net/forum?id=abc"}
    assert papers["https://example.org/q-tech.pdf"].kind == TECHNICAL_REPORT
    assert papers["https://openreview.net/forum?id=abc"].kind == RESEARCH_PAPER
    assert papers["https://example.org/q-tech.pdf"].line == 3


def test_link_in_the_same_sentence_as_paper_words():
    text = "For details on training, see the paper at https://arxiv.org/pdf/2310.06825v1.pdf. Unrelated: https://arxiv.org/abs/1706.03762\n"
    papers = find_papers(text, "README.md")
    assert [(p.arxiv_id, p.rule) for p in papers] == [("2310.06825", "sentence")]


def test_paper_section_and_arxiv_id_text():
    text = "# M\n\n## Paper\n\nhttps://arxiv.org/abs/2403.08295\n\n## Citation\n\nTinyM, arXiv:2401.02385, 2024.\n"
    papers = {p.arxiv_id: p for p in find_papers(text, "README.md")}
    assert set(papers) == {"2403.08295", "2401.02385"}
    assert papers["2403.08295"].rule == "section" and papers["2401.02385"].rule == "arxiv-id"


def test_tech_report_section_title_makes_a_technical_report():
    text = "# M\n\n## Technical Report\n\n- https://arxiv.org/abs/2407.10671\n"
    (p,) = find_papers(text, "README.md")
    assert p.kind == TECHNICAL_REPORT and p.line == 5


def test_bibtex_report_kinds_doi_and_dedupe():
    text = (
        "## Citation\n\n```\n@article{qwen,\n  title={Qwen Technical Report},\n  journal={arXiv preprint arXiv:2309.16609},\n  year={2023}\n}\n"
        "@inproceedings{x, title={Y}, doi={10.18653/v1/2023.acl-long.1}}\n```\n\n"
        "[![arXiv](https://img.shields.io/badge/arXiv-2309.16609-red)](https://arxiv.org/abs/2309.16609v2)\n"
    )
    papers = find_papers(text, "README.md")
    by = {p.arxiv_id or p.doi: p for p in papers}
    assert set(by) == {"2309.16609", "10.18653/v1/2023.acl-long.1"}
    assert by["2309.16609"].kind == TECHNICAL_REPORT  # the title says so, the badge does not matter
    assert by["2309.16609"].line == 4
    assert by["10.18653/v1/2023.acl-long.1"].url == "https://doi.org/10.18653/v1/2023.acl-long.1"


def test_bibtex_eprint_only_without_url():
    text = "```\n@misc{tiny, title={Tiny}, eprint={2401.02385}, archivePrefix={arXiv}}\n```\n"
    (p,) = find_papers(text, "README.md")
    assert p.url == "https://arxiv.org/abs/2401.02385" and p.rule == "bibtex"


def test_reference_style_link():
    text = "See the [technical report][tr] for details.\n\n[tr]: https://example.org/report.pdf\n"
    (p,) = find_papers(text, "README.md")
    assert (p.url, p.kind) == ("https://example.org/report.pdf", TECHNICAL_REPORT)


def test_bug_report_is_not_a_report():
    assert find_papers("Please report bugs at https://github.com/org/repo/issues.\n", "README.md") == []


def test_classify_pdf_name():
    assert classify_pdf_name("QWEN_TECHNICAL_REPORT.pdf") == TECHNICAL_REPORT
    assert classify_pdf_name("docs/tech-report.PDF") == TECHNICAL_REPORT
    assert classify_pdf_name("paper.pdf") == RESEARCH_PAPER
    assert classify_pdf_name("assets/2401.02385v1.pdf") == RESEARCH_PAPER
    assert classify_pdf_name("figures/architecture.pdf") is None
    assert classify_pdf_name("paper.md") is None


MD = st.lists(
    st.sampled_from(
        [
            "[",
            "]",
            "(",
            ")",
            "![",
            "](",
            "https://arxiv.org/abs/2401.02385",
            "URL",
            "paper",
            "technical report",
            "@misc{",
            "eprint={",
            "}",
            "```",
            "\n",
            " ",
            "<!--",
            "-->",
            "<a href='",
            "'>",
            "</a>",
            "## Citation\n",
            "arXiv:",
        ]
    )
    | st.text(max_size=5),
    max_size=80,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MD)
def test_arbitrary_markdown_never_raises(text):
    scan = scan_papers(text, "README.md")
    for p in scan.papers:
        assert p.kind in (RESEARCH_PAPER, TECHNICAL_REPORT) and p.line >= 1 and 0 < p.confidence <= 1


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=500))
def test_arbitrary_bytes_never_raise(raw):
    scan_papers(raw.decode("utf-8", errors="replace"), "README.md")
    classify_pdf_name(raw.decode("utf-8", errors="replace"))


def test_paper_as_evidence():
    (p,) = find_papers(RELATED_WORK_AND_BIBTEX, "README.md")
    ev = p.to_evidence()
    assert (ev.kind, ev.rule, ev.line) == ("paper", "paper.bibtex", p.line)
    assert ev.detail == "research paper: https://arxiv.org/abs/2401.02385"
