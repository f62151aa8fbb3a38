"""SPDX expression reading: round trips and the OR / AND laws, as hypothesis properties; robustness."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofcheck.licenses import spdx, table
from mofcheck.licenses.classify import classify_mof
from mofcheck.licenses.spdx import Leaf, LicenseParseError, Op

CURRENT = sorted(lic.id for lic in table.all_licenses() if not lic.deprecated)
EXCEPTIONS = ["Classpath-exception-2.0", "LLVM-exception", "GCC-exception-3.1", "Autoconf-exception-3.0"]
KINDS = st.sampled_from(table.KINDS)
ids = st.sampled_from(CURRENT)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _flatten(op: str, args: list) -> Op:
    out: list = []
    for a in args:
        out.extend(a.args if isinstance(a, Op) and a.op == op else [a])
    return Op(op, tuple(out))


leaf = st.builds(lambda i, x: Leaf(i, x), ids, st.one_of(st.none(), st.sampled_from(EXCEPTIONS)))
trees = st.recursive(
    leaf,
    lambda children: st.builds(_flatten, st.sampled_from(["AND", "OR"]), st.lists(children, min_size=2, max_size=3)),
    max_leaves=8,
)


def _mangle_case(text: str, data) -> str:
    return "".join(c.swapcase() if data.draw(st.booleans(), label="swap") else c for c in text)


@FAST
@given(trees)
def test_render_parse_round_trip(tree):
    text = tree.render()
    expr = spdx.parse(text)
    assert expr.tree == tree
    assert expr.text == text
    assert spdx.parse(expr.text).text == text  # normalising is idempotent


flat_trees = st.builds(
    _flatten,
    st.just("OR"),
    st.lists(st.one_of(leaf, st.builds(_flatten, st.just("AND"), st.lists(leaf, min_size=2, max_size=3))), min_size=1, max_size=3),
)


@FAST
@given(flat_trees)
def test_fast_path_agrees_with_license_expression(tree):
    """Paren-free expressions skip the library (import cost); both readings must agree."""
    if isinstance(tree, Op) and len(tree.args) == 1:
        tree = tree.args[0]
    text = " OR ".join(a.render() for a in tree.args) if isinstance(tree, Op) and tree.op == "OR" else tree.render()
    assert "(" not in text  # AND binds tighter than OR: no parentheses needed
    assert spdx.parse(text).tree == tree
    assert spdx._with_library(text, []).tree == tree


def test_paren_free_expressions_do_not_need_the_library():
    notes: list[str] = []
    assert spdx._flat("mit OR apache 2.0 AND gpl-2.0+ WITH classpath-exception-2.0", notes) == Op(
        "OR",
        (
            Leaf("MIT"),
            Op("AND", (Leaf("Apache-2.0"), Leaf("GPL-2.0-or-later", "Classpath-exception-2.0"))),
        ),
    )
    assert spdx._flat("MIT OR foo", []) is None  # unknown part: the library decides
    assert spdx._flat("MIT OR OR Apache-2.0", []) is None
    assert spdx._flat("MIT WITH a WITH b", []) is None


@FAST
@given(trees, st.data())
def test_round_trip_ignores_case_and_spacing(tree, data):
    text = tree.render().replace("(", "( ").replace(" AND ", "  and ")
    assert spdx.parse(_mangle_case(text, data)).tree == tree


@FAST
@given(ids, ids, KINDS)
def test_or_is_open_iff_one_side_is(a, b, kind):
    left, right = classify_mof(a, kind), classify_mof(b, kind)
    either = classify_mof(f"{a} OR {b}", kind)
    assert either.open == (left.open or right.open)
    assert either.type_appropriate == (left.type_appropriate or right.type_appropriate)
    if either.open:
        assert either.chosen in (a, b)
        chosen = classify_mof(either.chosen, kind)
        assert chosen.open and chosen.type_appropriate == either.type_appropriate


@FAST
@given(ids, ids, KINDS)
def test_and_is_open_iff_both_sides_are(a, b, kind):
    left, right = classify_mof(a, kind), classify_mof(b, kind)
    both = classify_mof(f"{a} AND {b}", kind)
    assert both.open == (left.open and right.open)
    assert both.type_appropriate == (left.type_appropriate and right.type_appropriate)


@FAST
@given(ids, st.sampled_from(EXCEPTIONS), KINDS)
def test_with_is_judged_by_the_base(a, exc, kind):
    base, withx = classify_mof(a, kind), classify_mof(f"{a} WITH {exc}", kind)
    assert (withx.open, withx.type_appropriate) == (base.open, base.type_appropriate)


TOKENS = st.sampled_from(
    [
        "MIT",
        "apache-2.0",
        "AND",
        "OR",
        "WITH",
        "and",
        "(",
        ")",
        "LicenseRef-x",
        "+",
        ",",
        "llama3.1",
        "Apache 2.0",
        "GPL-2.0+",
        "DocumentRef-a:LicenseRef-b",
        ":",
        "-",
        "/",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(TOKENS, max_size=12).map(" ".join)))
def test_arbitrary_text_never_raises_anything_else(text):
    try:
        expr = spdx.parse(text)
    except LicenseParseError:
        pass
    else:
        for lf in spdx.leaves(expr.tree):
            assert lf.id in (table.NOASSERTION, table.NONE) or table.get(lf.id) or not lf.known
    for kind in table.KINDS:
        r = classify_mof(text, kind)
        assert isinstance(r.open, bool) and isinstance(r.reason, str)


def test_unknown_words_become_valid_license_refs():
    assert spdx.slug_ref("Component not included!") == "LicenseRef-Component-not-included"
    assert spdx.slug_ref("???") == "LicenseRef-unknown"
    assert spdx.parse("Foo-1.0 OR MIT").text == "LicenseRef-Foo-1.0 OR MIT"
    assert spdx.parse("DocumentRef-spdx:LicenseRef-mine").text == "DocumentRef-spdx:LicenseRef-mine"


@pytest.mark.parametrize("bad", [None, 42, b"MIT", ["MIT"]])
def test_non_text_is_a_parse_error(bad):
    with pytest.raises(LicenseParseError):
        spdx.parse(bad)


def test_parse_error_is_a_value_error():
    with pytest.raises(ValueError):
        spdx.parse("(" * 2000)
