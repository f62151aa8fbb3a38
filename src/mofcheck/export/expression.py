"""License text -> an expression every SPDX validator accepts, plus the LicenseRefs it had to invent.

An id the SPDX license list (as license-expression knows it) does not hold becomes `LicenseRef-<slug>`;
a text that is not an expression at all (MOT's `Apache 2.0`, `Component not include`) becomes one
LicenseRef for the whole text. The refs map back to the words the manifest used, so the SPDX writers can
describe them (hasExtractedLicensingInfos, CustomLicense).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_TOKEN = re.compile(r"\(|\)|[^\s()]+")
_OPS = {"and": "AND", "or": "OR", "with": "WITH"}
_REF = re.compile(r"^LicenseRef-[A-Za-z0-9.\-]+$", re.IGNORECASE)


@dataclass
class SpdxLicense:
    expression: str
    refs: dict[str, str] = field(default_factory=dict)  # LicenseRef id -> the name as the manifest wrote it


@lru_cache(maxsize=1)
def _licensing():
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def slug_ref(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9.\-]+", "-", text.strip().replace("+", "-plus")).strip("-.")
    return f"LicenseRef-{s[:64] or 'unknown'}"


def _symbol(token: str, after_with: bool, refs: dict[str, str]) -> str:
    lic = _licensing()
    known = lic.known_symbols.get(token) or lic.known_symbols_lowercase.get(token.lower())
    if known is not None and bool(getattr(known, "is_exception", False)) == after_with:
        return known.key
    if _REF.match(token):
        ref = "LicenseRef-" + token[len("LicenseRef-") :]
        refs.setdefault(ref, token)
        return ref
    if after_with:
        raise ValueError(token)  # an unknown exception: no AdditionRef in SPDX 2.3
    ref = slug_ref(token)
    refs.setdefault(ref, token)
    return ref


def _well_formed(tokens: list[str]) -> bool:
    """expr := term ((AND|OR) term)* ; term := '(' expr ')' | id [WITH id]."""
    pos = 0

    def term() -> bool:
        nonlocal pos
        if pos < len(tokens) and tokens[pos] == "(":
            pos += 1
            if not expr() or pos >= len(tokens) or tokens[pos] != ")":
                return False
            pos += 1
            return True
        if pos >= len(tokens) or tokens[pos] in ("(", ")", "AND", "OR", "WITH"):
            return False
        pos += 1
        if pos < len(tokens) and tokens[pos] == "WITH":
            pos += 1
            if pos >= len(tokens) or tokens[pos] in ("(", ")", "AND", "OR", "WITH"):
                return False
            pos += 1
        return True

    def expr() -> bool:
        nonlocal pos
        if not term():
            return False
        while pos < len(tokens) and tokens[pos] in ("AND", "OR"):
            pos += 1
            if not term():
                return False
        return True

    return expr() and pos == len(tokens)


def to_spdx(text: str) -> SpdxLicense:
    """An SPDX-valid expression for `text` (ids canonicalised, unknown ids as LicenseRefs)."""
    refs: dict[str, str] = {}
    out: list[str] = []
    try:
        after_with = False
        for tok in _TOKEN.findall(text):
            if tok in "()":
                out.append(tok)
            elif tok.lower() in _OPS:
                out.append(_OPS[tok.lower()])
                after_with = tok.lower() == "with"
                continue
            else:
                out.append(_symbol(tok, after_with, refs))
            after_with = False
        if not _well_formed(out):
            raise ValueError(text)
    except ValueError:
        ref = slug_ref(text)
        return SpdxLicense(ref, {ref: text})
    expression = " ".join(out).replace("( ", "(").replace(" )", ")")
    return SpdxLicense(expression, refs)


def describe(ref: str, written: str, url: str | None) -> tuple[str, str | None]:
    """(name, URL) for a LicenseRef: mofcheck's license table when it knows the ref, else the manifest's words."""
    from ..licenses import table

    known = table.get(ref)
    if known is not None:
        return known.name or written or ref, known.url or url
    return written or ref, url
