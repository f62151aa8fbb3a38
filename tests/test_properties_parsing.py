"""Property tests: manifest and front-matter parsing on arbitrary and YAML-shaped input never crash; the
only failure is the documented ManifestError (with a line when it has one) or a `card.*` finding.

Front matter on arbitrary text and bytes is also covered by tests/test_frontmatter.py
(test_arbitrary_text_never_raises, test_arbitrary_bytes_never_raise); SPDX expressions by
tests/test_licenses_spdx.py. These add YAML-shaped input (anchors, aliases, tags, flow and block
collections, odd scalars) and whole manifests."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofcheck import framework, manifest
from mofcheck.errors import ManifestError
from mofcheck.evidence.frontmatter import split_front_matter

FW = framework.load()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of YAML: structure, anchors/aliases/tags, MOT keys and values, odd scalars.
TOKENS = [
    "\n", "  ", "    ", "- ", ": ", ":", "-", "---\n", "...\n", "{", "}", "[", "]", ", ", "#", "'", '"', "|", ">",
    "&a ", "*a", "&b ", "*b", "!!python/object/apply:os.system ['true']", "!!str ", "!!binary ", "!!set ", "!Ref ",
    "? ", "<<: *a", "%YAML 1.1\n", "framework", "release", "name", "license", "components", "component_path",
    "distribution", "code", "data", "document", "Model card", "Model architecture", "MIT", "unlicensed", "null",
    "~", "true", "0x1F", "1e999", ".nan", "2024-13-45", "12:30:00", "\t", "\ufeff", "\x00", "\x85", "\u2028", "é",
]  # fmt: skip
yamlish = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


def _parse_or_documented_error(text: str):
    try:
        m = manifest.parse(text, "m.yml", FW)
    except ManifestError as exc:
        assert exc.path == "m.yml" and exc.message
        assert exc.line is None or exc.line >= 1
        assert exc.column is None or exc.column >= 1
        return None
    assert isinstance(m.data, dict) and all(FW.component(c.name) for c in m.components)
    return m


@SETTINGS
@given(st.binary(max_size=600))
def test_manifest_bytes_never_crash(raw):
    try:
        text = manifest.decode(raw, "m.yml")
    except ManifestError:
        return
    _parse_or_documented_error(text)


@SETTINGS
@given(yamlish)
def test_yaml_shaped_manifests_never_crash(text):
    _parse_or_documented_error(text)


json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=25)


@SETTINGS
@given(
    st.fixed_dictionaries(
        {"framework": json_values, "release": st.fixed_dictionaries({"name": json_values, "license": json_values, "components": json_values})},
        optional={"extra": json_values},
    )
)
def test_manifest_shaped_documents_with_wrong_types_never_crash(doc):
    # JSON is YAML: every value in the wrong place, of the wrong type
    _parse_or_documented_error(json.dumps(doc))


@SETTINGS
@given(yamlish, st.sampled_from(["\n", "\r\n", "\r"]), st.text(max_size=80))
def test_yaml_shaped_front_matter_never_crashes(fm, eol, body):
    card = f"---{eol}{fm}{eol}---{eol}{body}"
    out = split_front_matter(card, "README.md")
    assert out.data is None or isinstance(out.data, dict)
    assert isinstance(out.body, str)
    for f in out.findings:
        assert f.code.startswith("card.") and f.path == "README.md" and (f.line is None or f.line >= 1)


# ---------------------------------------------------------------------------------------- evidence lock


def _a_lock_document() -> dict:
    """A lock as `mofcheck resolve` writes it: one Hub source with items, a REUSE-style license with a
    pattern, a finding and a link (built through the real classes, then written as JSON)."""
    from mofcheck.evidence.items import EvidenceSet, LicenseSource, Link
    from mofcheck.lock import Lock, LockedSource
    from mofcheck.model import Evidence, Finding
    from mofcheck.repo.globs import reuse_paths

    url = "https://huggingface.co/org/m/blob/abc"
    ev = EvidenceSet()
    ev.found_for("Model card").add(Evidence("card", "card.model-card", "a card", f"{url}/README.md", 1, 0.9), remote=f"{url}/README.md")
    ev.licenses.append(
        LicenseSource("MIT", "MIT", "reuse", f"{url}/REUSE.toml", 3, frozenset({"Datasets"}), url, 4, "REUSE.toml", 1.0, reuse_paths(["data/**"]))
    )
    ev.findings.append(Finding.of("lock.stale", "m", None))
    ev.links.append(Link("arxiv", "2402.00838", "https://arxiv.org/abs/2402.00838", frozenset({"Research paper"}), f"{url}/README.md"))
    src = LockedSource("hf-model", "org/m", "https://huggingface.co/org/m", "abc", "2026-12-01T00:00:00Z", evidence=ev)
    lock = Lock()
    lock.sources[src.key] = src
    return json.loads(lock.to_json())


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(node, at=()):
    yield at
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*at, i))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_lock_with_any_value_anywhere_in_its_evidence_never_raises(data):
    """The lock is repository content and its schema leaves the evidence loose: whatever replaces any
    part of it, reading the lock gives a lock or a finding, never an exception."""
    from mofcheck.lock import parse

    doc = _a_lock_document()
    evidence = doc["sources"]["hf-model:org/m"]["evidence"]
    where = data.draw(st.sampled_from(list(_paths(evidence))[1:]))
    node = evidence
    for k in where[:-1]:
        node = node[k]
    node[where[-1]] = data.draw(_JSON)
    lock, findings = parse(json.dumps(doc))
    assert lock is not None or findings
