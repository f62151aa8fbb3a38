"""License statements in README prose: sections, scoped sentences, labels, per-model tables, traps."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofcheck.evidence.cards import parse_card
from mofcheck.evidence.statements import find_statements, license_sections

FINAL = "Model parameters (Final)"
INTERMEDIATE = "Model parameters (Intermediate)"


def one(text: str, names=()):
    sts = find_statements(text, "README.md", names)
    assert len(sts) == 1, [(s.license_text, s.components) for s in sts]
    return sts[0]


def test_whisper_style_code_and_weights_mit():
    text = "# Speechy\n\n## License\n\nSpeechy's code and model weights are released under the MIT License. See [LICENSE](LICENSE) for further details.\n"
    s = one(text, ["speechy"])
    assert s.license_text == "MIT License"
    assert s.components == {"code", FINAL}
    assert s.line == 5 and s.section == "License" and s.path == "README.md"
    assert s.confidence >= 0.8 and not s.other_model


def test_grok_style_code_and_named_weights_apache():
    text = "# Rocky-1\n\nThe code and associated Rocky-1 weights in this release are licensed under the Apache 2.0 license.\n"
    s = one(text, ["rocky-1"])
    assert s.license_text == "Apache 2.0 license"
    assert s.components == {"code", FINAL}
    assert s.subject == "Rocky-1" and not s.other_model


def test_pythia_style_continuation_covers_models():
    text = (
        "# Suite\n\n## License\n\nAll code in this repository is released under the Apache License, Version 2.0. "
        "This license applies to all code in this repository, as well as the Suite models.\n"
    )
    sts = find_statements(text, "README.md", ["suite"])
    assert [s.license_text for s in sts] == ["Apache License, Version 2.0", "Apache License, Version 2.0"]
    assert sts[0].components == {"code"}
    assert sts[1].kind == "continuation" and FINAL in sts[1].components


def test_the_model_is_licensed_and_per_clause_scopes():
    assert one("The model is licensed under Apache 2.0.").components == {FINAL}
    sts = find_statements("The weights are released under CC-BY-NC-4.0, and the code under MIT.", "README.md")
    assert [(s.license_text, s.components) for s in sts] == [("CC-BY-NC-4.0", {FINAL}), ("MIT", {"code"})]
    s = one("The dataset is licensed under ODC-By.")
    assert (s.license_text, s.components) == ("ODC-By", {"Datasets"})
    s = one("Documentation is made available under CC-BY-4.0.")
    assert (s.license_text, s.components) == ("CC-BY-4.0", {"document"})
    s = one("Intermediate checkpoints are released under Apache-2.0.")
    assert s.components == {FINAL, INTERMEDIATE}


def test_mit_licensed_adjective():
    s = one("The code is MIT-licensed.")
    assert (s.license_text, s.components) == ("MIT", {"code"})


def test_gemma_style_readme_invents_no_weights_statement():
    text = (
        "# Gemmish\n\nGemmish is a family of open models built from research and technology.\n\n"
        "This repository contains the inference implementation and examples.\n\n"
        "## License\n\nThis project is licensed under the Apache 2.0 license. See LICENSE.\n"
    )
    sts = find_statements(text, "README.md", ["gemmish"])
    assert len(sts) == 1
    assert sts[0].components == {"repository"}
    assert not any(FINAL in s.components for s in sts)


def test_plain_readme_without_statements():
    assert find_statements("# Tool\n\nInstall with pip. Run it under Linux or macOS.\n", "README.md") == []


def test_llm_foundry_trap_statement_about_another_model():
    text = "# foundry\n\nThis repo contains code for training and finetuning models.\n\n## DBRX\n\nDBRX is licensed under the Databricks Open Model License.\n"
    s = one(text, ["llm-foundry", "foundry"])
    assert s.license_text == "Databricks Open Model License"
    assert s.subject == "DBRX" and s.other_model
    assert s.confidence < 0.4
    # without names nothing says it is another model, but the subject is still reported
    s2 = one(text)
    assert s2.subject == "DBRX" and not s2.other_model and s2.confidence >= 0.5


def test_negated_statement_is_dropped():
    assert find_statements("The weights are not released under an open source license.", "README.md") == []


def test_bold_label_and_plain_label_lines():
    text = "# M\n\n- **License:** [apache-2.0](LICENSE)\n- **Model License:** [More Information Needed]\n\nLicense: MIT\n"
    sts = find_statements(text, "README.md")
    assert [(s.license_text, s.kind, s.line, s.url) for s in sts] == [("apache-2.0", "label", 3, "LICENSE"), ("MIT", "label", 6, None)]
    assert sts[0].components == set()


def test_model_license_label_scopes_to_weights():
    s = one("**Model license:** CC-BY-4.0\n")
    assert s.components == {FINAL} and s.kind == "label"


def test_per_model_license_table():
    text = (
        "## Models\n\n| Model | Download | License |\n|---|---|---|\n"
        "| 7B v0.3 | [tar](https://example.org/7b.tar) | Apache 2.0 |\n"
        "| codestral-22B | [tar](https://example.org/c.tar) | [MNPL](https://example.org/mnpl) |\n"
    )
    sts = find_statements(text, "README.md", ["mistral-inference"])
    assert [(s.subject, s.license_text, s.line, s.kind) for s in sts] == [
        ("7B v0.3", "Apache 2.0", 5, "table"),
        ("codestral-22B", "MNPL", 6, "table"),
    ]
    assert all(s.components == {FINAL} and not s.other_model for s in sts)
    assert sts[1].url == "https://example.org/mnpl"


def test_license_sections_licensee_style():
    text = (
        "# Project\n\nIntro.\n\nLicence\n=======\n\nMIT, see LICENSE.\n\n## Usage\n\nRun it.\n\n"
        "## License and Copyright\n\nCopyright 2024.\n\n**License:** Apache-2.0\n"
    )
    secs = license_sections(text, "README.md")
    assert [(s.title, s.line, s.kind) for s in secs] == [("Licence", 5, "setext"), ("License and Copyright", 14, "atx"), ("License", 18, "label")]
    assert secs[0].end_line == 9 and "MIT" in secs[0].text
    assert secs[2].text == "Apache-2.0"


def test_license_in_section_is_more_confident():
    inside = one("# P\n\n## License\n\nThe model is licensed under Apache 2.0.\n")
    outside = one("# P\n\n## About\n\nThe model is licensed under Apache 2.0.\n")
    assert inside.confidence > outside.confidence


def test_accepts_a_parsed_card_and_crlf():
    card = parse_card("\ufeff# X\r\n\r\nThe code is released under the MIT License.\r\n", "README.md")
    s = one(card)
    assert s.line == 3 and s.license_text == "MIT License"


def test_long_license_names_are_bounded():
    s = one("The weights are released under the Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International License.")
    assert s.license_text == "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International License"
    for st_ in find_statements("The weights are released under the License " + "Very " * 50 + "Long License.", "README.md"):
        assert len(st_.license_text) <= 90


SENTENCES = st.lists(
    st.sampled_from(
        [
            "code",
            "weights",
            "model",
            "data",
            "released",
            "licensed",
            "under",
            "the",
            "MIT",
            "Apache 2.0",
            "license",
            "This license applies to",
            "not",
            ",",
            ".",
            " ",
            "\n",
            "**License:**",
            "| License |",
            "|---|",
            "DBRX",
            "#",
        ]
    )
    | st.text(max_size=5),
    max_size=80,
).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SENTENCES)
def test_arbitrary_prose_never_raises(text):
    for s in find_statements(text, "README.md", ["x"]):
        assert s.line >= 1 and 0 < s.confidence <= 1 and s.license_text
    license_sections(text, "README.md")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=500))
def test_arbitrary_bytes_never_raise(raw):
    text = raw.decode("utf-8", errors="replace")
    find_statements(text, "README.md")
    license_sections(text, "README.md")


def test_license_section_text_stops_at_next_heading():
    text = "---\nlicense: mit\n---\n\n# P\n\nLicense\n-------\n\n\nMIT, see LICENSE.\n\n### Third party\n\nOther.\n"
    (sec,) = license_sections(text, "README.md")
    assert (sec.line, sec.end_line, sec.text) == (7, 12, "MIT, see LICENSE.")


def test_license_given_as_a_link_keeps_its_target():
    s = one("All model weights are released under the [OpenMDW License](https://example.org/openmdw).")
    assert (s.license_text, s.url, s.components) == ("OpenMDW License", "https://example.org/openmdw", {FINAL})


def test_third_party_code_is_less_confident():
    own = one("Our code is released under the MIT License.")
    vendored = one("The tokenizer code is adapted from sentencepiece, which is released under the Apache 2.0 License.")
    assert vendored.confidence < own.confidence


def test_boilerplate_without_components():
    s = one('Licensed under the Apache License, Version 2.0 (the "License").')
    assert (s.license_text, s.components, s.confidence) == ("Apache License, Version 2.0", set(), 0.5)


def test_heuristics_name_real_components_and_compile():
    import re

    from mofcheck.evidence.cardmarkdown import rules
    from mofcheck.framework import load

    names = set(load().names())
    r = rules()
    for group in r["statements"]["components"]:
        for comp in group["components"]:
            assert comp in names or comp in {"code", "document", "repository"}, comp
    for kind in r["needs"].values():
        for need in kind.values():
            assert need["component"] in names, need
    for section in ("statements", "papers", "weights"):
        for key, value in r[section].items():
            if isinstance(value, str) and key not in ("max_license_chars",):
                re.compile(value)


def test_statement_inside_an_html_block():
    (s,) = find_statements('<p align="center">\nThe model weights are released under <b>CC-BY-4.0</b>.\n</p>\n', "README.md")
    assert (s.license_text, s.components, s.line) == ("CC-BY-4.0", {FINAL}, 2)


def test_statement_as_evidence():
    ev = one("# M\n\nDBRX is licensed under the Databricks Open Model License.\n", ["foundry"]).to_evidence()
    assert (ev.kind, ev.rule, ev.path, ev.line) == ("license-statement", "statement.sentence", "README.md", 3)
    assert "Databricks Open Model License" in ev.detail and "not this repository's model" in ev.detail


def test_model_as_object_of_code_is_not_the_weights():
    assert one("This repository contains the code to train the model; it is released under the MIT License.").components == {"code"}
    assert one("The code and the models are released under the MIT License.").components == {"code", FINAL}
    assert one("Our models are licensed under Apache 2.0.").components == {FINAL}


def _named_components_compiling_every_phrase(segment: str) -> set[str]:
    """named_components as it was before the needle gate: every phrase compiled and run."""
    import re

    from mofcheck.evidence.cardmarkdown import rules
    from mofcheck.evidence.statements import _component_words

    comps: set[str] = set()
    seg = segment
    weak = []
    for _needle, source, names, is_weak in _component_words():
        rx = re.compile(source, re.I)
        m = rx.search(seg)
        if not m:
            continue
        if is_weak:
            weak.append((m, names))
            continue
        comps.update(names)
        seg = rx.sub(lambda x: " " * len(x.group(0)), seg)
    coordinated = re.compile(rules()["statements"]["coordinated"], re.I)
    for m, names in weak:
        if "code" not in comps or coordinated.search(seg[: m.start()]):
            comps.update(names)
    return comps


_PHRASE_WORDS = ["model", "weights", "code", "pre", "trained", "data", "card", "this", "repo", "results", "paper", "and", "the", "Weights", "CODE"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(st.sampled_from(_PHRASE_WORDS), st.sampled_from([" ", "-", "  ", "\n", "ſ", "\u212a", "İ", "é", ", "]), st.text(max_size=3)),
        max_size=14,
    )
)
def test_the_needle_gate_names_the_same_components_as_trying_every_phrase(parts):
    from mofcheck.evidence.statements import named_components

    segment = "".join(parts)
    assert named_components(segment) == _named_components_compiling_every_phrase(segment)


def test_the_needle_gate_holds_on_non_ascii_case_folds():
    from mofcheck.evidence.statements import named_components

    # re.I matches the Kelvin sign for "k" and the long s for "s"; lower() does not fold them: such text
    # skips the gate.
    for segment in ("the ſcripts and weightſ", "the model checkpoint\u212a are here", "Weights and codé"):
        assert named_components(segment) == _named_components_compiling_every_phrase(segment)
