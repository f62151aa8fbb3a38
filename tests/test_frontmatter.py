"""Front matter split the Hugging Face way: line numbers, hostile and broken input, never an exception."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofcheck.evidence.frontmatter import MAX_FRONT_MATTER_CHARS, split_front_matter

HF_CARD = """---
license: apache-2.0
language:
- en
datasets:
- bigcode/starcoderdata
tags:
- code
---

# Model card

Body text.
"""


def codes(fm):
    return [f.code for f in fm.findings]


def test_hf_card_front_matter_keys_lines_and_body():
    fm = split_front_matter(HF_CARD, "README.md")
    assert fm.data == {"license": "apache-2.0", "language": ["en"], "datasets": ["bigcode/starcoderdata"], "tags": ["code"]}
    assert (fm.start_line, fm.end_line) == (1, 9)
    assert fm.positions == {"license": 2, "language": 3, "datasets": 5, "tags": 7}
    assert fm.line_of("datasets", 0) == 6
    assert fm.findings == []
    assert fm.body.startswith("\n# Model card")
    # body line n is original line n + offset
    body_line = fm.body.split("\n").index("# Model card") + 1
    assert body_line + fm.body_line_offset == HF_CARD.split("\n").index("# Model card") + 1


def test_no_front_matter_is_all_body():
    fm = split_front_matter("# Title\n\n---\n\ntext\n", "README.md")
    assert fm.data is None and fm.start_line is None and fm.body_line_offset == 0
    assert fm.body == "# Title\n\n---\n\ntext\n"
    assert fm.findings == []


def test_alpaca_style_unclosed_dashes_is_a_warning_and_all_body():
    text = "---\n\n# Stanford Alpaca Model Card\n\n## Model details\n\nSome details.\n"
    fm = split_front_matter(text, "model_card.md")
    assert fm.data is None
    assert codes(fm) == ["card.front-matter-unclosed"]
    assert fm.findings[0].line == 1 and fm.findings[0].severity == "warning"
    assert fm.body == text and fm.body_line_offset == 0


def test_leading_blank_lines_allowed_before_opening():
    fm = split_front_matter("\n\n---\nlicense: mit\n---\nbody\n", "README.md")
    assert fm.start_line == 3 and fm.end_line == 5
    assert fm.positions == {"license": 4}
    assert fm.body == "body\n"


def test_closing_line_may_have_trailing_spaces_and_closes_at_first():
    fm = split_front_matter("---\na: 1\n---  \nb\n---\n", "README.md")
    assert fm.data == {"a": 1} and fm.end_line == 3
    assert fm.body == "b\n---\n"


def test_empty_front_matter_is_empty_mapping():
    fm = split_front_matter("---\n---\n# T\n", "README.md")
    assert fm.data == {} and fm.end_line == 2 and fm.findings == []


def test_bloom_sized_front_matter_is_read_whole():
    widgets = "".join(f"- text: 'example prompt number {i} with enough words to be long'\n  example_title: ex{i}\n" for i in range(95))
    text = "---\nlicense: bigscience-bloom-rail-1.0\nlanguage:\n- ak\nwidget:\n" + widgets + "pipeline_tag: text-generation\n---\n\n# BLOOM\n"
    assert text.count("\n") > 195 and len(text) > 6000
    fm = split_front_matter(text, "README.md")
    assert fm.findings == []
    assert fm.data["license"] == "bigscience-bloom-rail-1.0"
    assert len(fm.data["widget"]) == 95
    assert fm.positions["pipeline_tag"] == text.split("\n").index("pipeline_tag: text-generation") + 1
    assert fm.body.strip() == "# BLOOM"


def test_crlf_and_bom_keep_line_numbers():
    text = "\ufeff---\r\nlicense: mit\r\ntags:\r\n- a\r\n---\r\n# Title\r\n"
    fm = split_front_matter(text, "README.md")
    assert fm.data == {"license": "mit", "tags": ["a"]}
    assert fm.positions == {"license": 2, "tags": 3}
    assert fm.end_line == 5
    assert fm.body == "# Title\n"


def test_invalid_yaml_is_a_finding_with_the_line():
    text = "---\nlicense: mit\ntags: [a, b\nlanguage: en\n---\n# Body\n"
    fm = split_front_matter(text, "README.md")
    assert fm.data is None
    assert codes(fm) == ["card.front-matter-invalid"]
    f = fm.findings[0]
    assert f.path == "README.md" and f.line is not None and 3 <= f.line <= 5
    assert "manifest" not in f.message
    assert fm.body == "# Body\n"  # the block was metadata, even if broken


def test_duplicate_key_reports_the_second_line():
    fm = split_front_matter("---\nlicense: mit\nlicense: apache-2.0\n---\n", "README.md")
    assert codes(fm) == ["card.front-matter-invalid"]
    assert fm.findings[0].line == 3


def test_yaml_list_or_scalar_is_not_a_mapping():
    fm = split_front_matter("---\n- license: mit\n- other\n---\nbody\n", "README.md")
    assert fm.data is None and codes(fm) == ["card.front-matter-invalid"]
    assert "list" in fm.findings[0].message
    fm = split_front_matter("---\n42\n---\nbody\n", "README.md")
    assert fm.data is None and codes(fm) == ["card.front-matter-invalid"]


def test_prose_between_two_rules_stays_in_the_body():
    text = "---\n\nThis is an introduction paragraph, not YAML at all.\n\n---\n\n## Usage\n"
    fm = split_front_matter(text, "README.md")
    assert fm.data is None
    assert fm.body == text and fm.body_line_offset == 0  # nothing lost


def test_tags_are_rejected_not_constructed():
    fm = split_front_matter("---\nlicense: !!python/object/apply:os.system ['echo pwned']\n---\n", "README.md")
    assert fm.data is None and codes(fm) == ["card.front-matter-invalid"]
    assert fm.findings[0].line == 2


def test_dates_become_strings():
    fm = split_front_matter("---\nreleased: 2024-02-01\n---\n", "README.md")
    assert fm.data == {"released": "2024-02-01"}


def test_alias_bomb_is_bounded():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    text = "---\n" + "\n".join(lines) + "\n---\nbody\n"
    t = time.perf_counter()
    fm = split_front_matter(text, "README.md")
    assert time.perf_counter() - t < 10
    assert fm.data is None and codes(fm) == ["card.front-matter-invalid"]


def test_oversized_front_matter_is_skipped_with_a_finding():
    big = "---\n" + "k: " + "x" * (MAX_FRONT_MATTER_CHARS + 10) + "\n---\n# After\n"
    fm = split_front_matter(big, "README.md")
    assert fm.data is None and codes(fm) == ["card.front-matter-too-large"]
    assert fm.body == "# After\n"


def test_non_string_input_does_not_raise():
    fm = split_front_matter(None, "README.md")  # type: ignore[arg-type]
    assert fm.data is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("-\n\r \t:abc#[]{}&*!|>'\"\ufeff")) | st.characters(), max_size=400))
def test_arbitrary_text_never_raises(text):
    fm = split_front_matter(text, "README.md")
    assert isinstance(fm.body, str)
    assert fm.data is None or isinstance(fm.data, dict)
    for f in fm.findings:
        assert f.code.startswith("card.") and (f.line is None or f.line >= 1)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(raw):
    fm = split_front_matter(b"---\n".decode() + raw.decode("utf-8", errors="replace"), "README.md")
    assert isinstance(fm.body, str)


def test_a_few_aliases_are_fine():
    fm = split_front_matter("---\nbase: &b [x]\nother: *b\n---\n", "README.md")
    assert fm.data == {"base": ["x"], "other": ["x"]} and fm.findings == []
