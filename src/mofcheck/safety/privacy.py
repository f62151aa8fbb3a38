"""Privacy documentation: whether the release's data documentation says anything about personal data.

The data documentation is what mofcheck already counts as the Data card (evidence/cardtext.py): a data card
with content, or a model card whose training-data section has content. The words and section titles
are data (data/evidence/cards.yaml, `privacy`). A template stub never counts; nothing is invented when
there is no data documentation at all (one note says so).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..evidence.cardmarkdown import rules as card_rules
from ..evidence.cards import DATA_CARD, MODEL_CARD
from .result import Privacy

MAX_TERMS = 5


@lru_cache(maxsize=1)
def _terms() -> re.Pattern[str]:
    return re.compile(card_rules()["privacy"]["terms"], re.IGNORECASE)


def _training_sections(card) -> list[Any]:
    spec = card_rules()["needs"][MODEL_CARD]["training_data"]
    return [s for s in card.find_sections(spec.get("exact", ()), spec.get("contains", ())) if not s.stub and s.kind != "label"]


def _privacy_sections(card) -> list[Any]:
    spec = card_rules()["privacy"]["sections"]
    return [s for s in card.find_sections(spec.get("exact", ()), spec.get("contains", ())) if not s.stub and s.kind != "label"]


def _mentions(card, ranges: list[tuple[int, int]] | None) -> tuple[list[str], int | None]:
    """Privacy terms in the card's text (within `ranges` of original lines when given), skipping stub
    sections: (terms, line of the first)."""
    terms: list[str] = []
    first = None
    text = card.text
    for m in _terms().finditer(text):
        line = text.count("\n", 0, m.start()) + 1 + card.line_offset
        if ranges is not None and not any(a <= line <= b for a, b in ranges):
            continue
        sec = card.section_at(line)
        if sec is not None and sec.stub:
            continue
        word = " ".join(m.group(0).lower().split())
        if word not in terms:
            terms.append(word)
        first = first or line
        if len(terms) >= MAX_TERMS:
            break
    return terms, first


def check(cards: Iterable[Any], is_vendored=lambda p: False) -> Privacy:
    documents: list[dict[str, Any]] = []
    documented = False
    for card in cards:
        if is_vendored(card.path):
            continue
        if card.kind == DATA_CARD:
            if not card.data_documentation().present:
                continue
            terms, line = _mentions(card, None)
            doc = {"path": card.path, "line": line or (card.front_matter.start_line or 1), "kind": "data card", "terms": terms}
        else:
            sections = _training_sections(card)
            if not sections:
                continue
            ranges = [(s.line, s.end_line) for s in sections]
            terms, line = _mentions(card, ranges)
            titled = _privacy_sections(card)
            if titled and not terms:
                terms, line = [titled[0].title], titled[0].line
            doc = {"path": card.path, "line": line or sections[0].line, "kind": "training-data section", "terms": terms}
        documents.append(doc)
        documented = documented or bool(doc["terms"])
    if not documents:
        return Privacy("not-checked")
    return Privacy("documented" if documented else "undocumented", documents)
