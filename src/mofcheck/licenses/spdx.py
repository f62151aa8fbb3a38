"""Read a declared license as an SPDX expression: ids in any case, Hugging Face ids, aliases, free text.

`parse(text)` returns an `Expression`: a small tree of `Leaf` / `Op` nodes whose leaves carry canonical
ids from the license table, and its normalised rendering. Deprecated ids are replaced (`GPL-3.0` ->
`GPL-3.0-only`), `LicenseRef-*` ids are kept, unknown words become `LicenseRef-<slug>` (unknown).
The only exception it raises is `LicenseParseError` (too long, control characters, broken syntax).

Speed (`mofcheck check` has 150 ms in all): single ids and paren-free expressions whose ids are all
known (`MIT OR Apache-2.0`, `GPL-2.0-only WITH Classpath-exception-2.0`) are read through the table's
case-insensitive index without importing license_expression (~8 ms). Anything else uses
`license_expression.Licensing()` built with no symbols (cheap: no Aho-Corasick automaton over ~2 000
keys, unlike `get_spdx_licensing()`): its tokenizer gives the structure, the table resolves the ids.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from . import table

MAX_LENGTH = 1000  # longer "expressions" are pasted license texts or garbage, not identifiers
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REF = re.compile(r"^(DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+$", re.IGNORECASE)
_KEYWORDS = {"and", "or", "with"}


class LicenseParseError(ValueError):
    """The declared license cannot be read as a license expression (too long, garbage, broken syntax)."""


# NamedTuples, not dataclasses: a frozen dataclass costs ~1 ms to define, a NamedTuple ~0.1 ms.
class Leaf(NamedTuple):
    id: str  # canonical id, LicenseRef-..., NOASSERTION or NONE
    exception: str | None = None  # the WITH exception, canonical when known
    known: bool = True  # in the license table

    def render(self) -> str:
        return f"{self.id} WITH {self.exception}" if self.exception else self.id


class Op(NamedTuple):
    op: str  # "AND" | "OR"
    args: tuple  # of Leaf / Op

    def render(self) -> str:
        parts = []
        for a in self.args:
            s = a.render()
            parts.append(f"({s})" if isinstance(a, Op) and a.op != self.op else s)
        return f" {self.op} ".join(parts)


Node = Leaf | Op


class Expression(NamedTuple):
    tree: Node
    text: str  # normalised rendering
    notes: tuple[str, ...] = ()  # how the declared text was read (aliases, HF ids, deprecated ids)

    @property
    def known(self) -> bool:
        return all(leaf.known for leaf in leaves(self.tree))


def leaves(node: Node) -> list[Leaf]:
    if isinstance(node, Leaf):
        return [node]
    out: list[Leaf] = []
    for a in node.args:
        out.extend(leaves(a))
    return out


def _addition_ref(text: str) -> str:
    return "AdditionRef-" + slug_ref(text)[len("LicenseRef-") :]


def slug_ref(text: str) -> str:
    """A valid `LicenseRef-` idstring naming free text (letters, digits, `.` and `-` only)."""
    s = re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-.")[:60].strip("-.")
    return f"LicenseRef-{s or 'unknown'}"


@lru_cache(maxsize=1)
def _licensing():
    from license_expression import Licensing

    return Licensing()


def parse(text: str) -> Expression:
    """Parse and normalise a declared license. Raises only `LicenseParseError`."""
    if not isinstance(text, str):
        raise LicenseParseError(f"license must be text, not {type(text).__name__}")
    return _parse(text)


@lru_cache(maxsize=2048)
def _parse(text: str) -> Expression:
    if len(text) > MAX_LENGTH:
        raise LicenseParseError(f"license expression too long ({len(text)} characters, at most {MAX_LENGTH})")
    if _CONTROL.search(text):
        raise LicenseParseError("license expression contains control characters")
    stripped = " ".join(text.split())
    if not stripped:
        raise LicenseParseError("empty license expression")
    if not re.search(r"[A-Za-z0-9]", stripped):
        raise LicenseParseError("no license id in the text")
    notes: list[str] = []

    # The whole text first: HF ids, aliases and names may contain spaces or look like operators.
    whole = _resolve(stripped, notes)
    if whole is not None:
        return Expression(whole, whole.render(), tuple(notes))
    slashed = _slash_or(stripped, notes)
    if slashed is not None:
        return Expression(slashed, slashed.render(), tuple(notes))
    if not re.search(r"[\s()]", stripped) and stripped.lower() not in _KEYWORDS:
        # one unknown word: no need to load the parser
        leaf = _symbol(stripped, notes)
        return Expression(leaf, leaf.render(), tuple(notes))
    flat = _flat(stripped, notes)
    if flat is not None:
        return Expression(flat, flat.render(), tuple(dict.fromkeys(notes)))
    return _with_library(stripped, notes)


def _with_library(stripped: str, notes: list[str]) -> Expression:
    try:
        parsed = _licensing().parse(stripped)
    except Exception as e:  # license_expression raises several types (and IndexError on "()")
        if _is_free_text(stripped):
            return _free_text(stripped)
        from license_expression import ExpressionError

        detail = f": {_short(str(e))}" if isinstance(e, ExpressionError) and str(e) else ""
        raise LicenseParseError(f"not a valid license expression{detail}") from None
    if parsed is None:
        raise LicenseParseError("empty license expression")
    tree = _convert(parsed, notes)
    if all(not leaf.known for leaf in leaves(tree)) and isinstance(tree, Op) and _lowercase_ops_only(stripped):
        return _free_text(stripped)  # "research and commercial use" is prose, not an expression
    return Expression(tree, tree.render(), tuple(dict.fromkeys(notes)))


def _flat(s: str, notes: list[str]) -> Node | None:
    """`A OR B AND C WITH X` without parentheses, every id known: split by precedence (WITH > AND > OR)
    without importing license_expression (~8 ms). Anything else goes to the library."""
    if "(" in s or ")" in s:
        return None
    sub: list[str] = []
    ors: list[Node] = []
    for or_part in _split_kw(s.split(" "), "or"):
        ands: list[Node] = []
        for and_part in _split_kw(or_part, "and"):
            pieces = _split_kw(and_part, "with")
            if not all(pieces) or len(pieces) > 2:
                return None
            base = _resolve(" ".join(pieces[0]), sub)
            if base is None or (isinstance(base, Leaf) and base.id in (table.NOASSERTION, table.NONE)):
                return None
            if len(pieces) == 2:
                exc = table.exception_id(" ".join(pieces[1]))
                if exc is None or not isinstance(base, Leaf):
                    return None
                if base.exception is None:
                    base = Leaf(base.id, exception=exc, known=base.known)
            ands.append(base)
        if not ands:
            return None
        ors.append(ands[0] if len(ands) == 1 else Op("AND", tuple(ands)))
    notes.extend(sub)
    return ors[0] if len(ors) == 1 else Op("OR", tuple(ors))


def _split_kw(words: list[str], kw: str) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for w in words:
        if w.lower() == kw:
            out.append([])
        else:
            out[-1].append(w)
    if any(not part for part in out):
        return [[]]  # a dangling or doubled operator: let the library report it
    return out


def _slash_or(s: str, notes: list[str]) -> Node | None:
    """`MIT/Apache-2.0` (old Cargo style) means `MIT OR Apache-2.0`, when every part is a known license."""
    if "/" not in s or "(" in s or ")" in s:
        return None
    parts: list[Node] = []
    sub: list[str] = []
    for piece in s.split("/"):
        node = _resolve(piece.strip(), sub) if piece.strip() else None
        if node is None or (isinstance(node, Leaf) and node.id in (table.NOASSERTION, table.NONE)):
            return None
        parts.append(node)
    if len(parts) < 2:
        return None
    notes.extend(sub)
    notes.append(f"'/' in {s!r} read as OR")
    return Op("OR", tuple(parts))


def _short(s: str) -> str:
    return s if len(s) <= 120 else s[:117] + "..."


def _is_free_text(s: str) -> bool:
    """Words that failed to parse but are not broken syntax: no parentheses, no dangling operator."""
    if "(" in s or ")" in s or not re.search(r"[A-Za-z]", s):
        return False
    words = s.split()
    return words[0].lower() not in _KEYWORDS and words[-1].lower() not in _KEYWORDS


def _lowercase_ops_only(s: str) -> bool:
    ops = [w for w in re.split(r"[\s()]+", s) if w.lower() in _KEYWORDS]
    return bool(ops) and all(w == w.lower() for w in ops)


def _free_text(s: str) -> Expression:
    leaf = Leaf(slug_ref(s), known=False)
    return Expression(leaf, leaf.id, (f"{s!r} is not a license id or expression",))


def _resolve(key: str, notes: list[str]) -> Node | None:
    """A single id / alias / HF id / name -> a node with canonical ids, or None when not in the table."""
    up = key.upper()
    if up in (table.NOASSERTION, table.NONE):
        return Leaf(up)
    lid = table.resolve_id(key)
    if lid is None:
        return None
    if lid == table.NOASSERTION:
        notes.append(f"{key!r} means no license is asserted (NOASSERTION)")
        return Leaf(lid)
    lic = table.get(lid)
    if lic is not None and lic.deprecated and lic.replaced_by:
        notes.append(f"{lid} is a deprecated SPDX id, read as {lic.replaced_by}")
        sub = _replacement(lic.replaced_by)
        return sub
    if lid.lower() != key.lower():
        notes.append(f"{key!r} read as {lid}")
    return Leaf(lid)


@lru_cache(maxsize=64)
def _replacement(expr: str) -> Node:
    """Replacement of a deprecated id: an id, or `id WITH exception` (ids from the table, never deprecated)."""
    base, _, exc = expr.partition(" WITH ")
    return Leaf(base, exception=exc or None)


def _convert(node, notes: list[str]) -> Node:
    from license_expression import AND, OR, LicenseSymbol, LicenseWithExceptionSymbol

    if isinstance(node, LicenseWithExceptionSymbol):
        base = _symbol(node.license_symbol.key, notes)
        exc_written = node.exception_symbol.key
        exc = table.exception_id(exc_written)
        if exc is None:
            notes.append(f"unknown license exception {exc_written!r}")
            exc = exc_written if re.fullmatch(r"[A-Za-z0-9.\-:]+", exc_written) else _addition_ref(exc_written)
        if isinstance(base, Leaf) and base.exception is None:
            return Leaf(base.id, exception=exc, known=base.known)
        return base  # a deprecated "GPL-2.0-with-x-exception WITH y": keep the replacement's own exception
    if isinstance(node, LicenseSymbol):
        return _symbol(node.key, notes)
    if isinstance(node, (AND, OR)):
        op = "AND" if isinstance(node, AND) else "OR"
        args: list[Node] = []
        for a in node.args:
            c = _convert(a, notes)
            if isinstance(c, Op) and c.op == op:
                args.extend(c.args)  # (A AND B) AND C == A AND B AND C
            else:
                args.append(c)
        return Op(op, tuple(args))
    raise LicenseParseError(f"unexpected expression part {type(node).__name__}")


def _symbol(key: str, notes: list[str]) -> Node:
    node = _resolve(key, notes)
    if node is not None:
        return node
    if _REF.match(key):
        return Leaf(key, known=False)
    ref = slug_ref(key)
    notes.append(f"{key!r} is not a known license id (kept as {ref})")
    return Leaf(ref, known=False)
