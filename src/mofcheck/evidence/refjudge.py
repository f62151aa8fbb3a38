"""What a link in a card backs, judged from where it sits.

A card links many models and datasets that are not the release's own: the base model it was fine-tuned
from, models it is compared with, quantisations by others, models trained with a framework, the
benchmarks it was evaluated on, a dataset used as a documentation example. `cards.Card.weights_refs` and
`dataset_refs` find the links; this module decides, from the link's line, its section titles, the card's
other links and the release's name, which component each backs and how sure that is. Below the
`possible_below` floor (components.yaml) an item is shown as "possible" and never counts.

Measured on the labelled real repositories (docs/real-repositories.md); the words are data
(cards.yaml `references`).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any, NamedTuple

from ..framework import role
from .cardmarkdown import normalise_title, rules, title_matches
from .cards import Card, Reference

FINAL, INTERMEDIATE, METADATA, DATASETS = (role(r) for r in ("final-weights", "intermediate-weights", "metadata", "datasets"))
LOW = 0.45  # under the "possible" floor
_USER_DIRS = re.compile(r"(?:^|/)(?:examples?|colabs?|notebooks?|tutorials?|recipes|cookbooks?|demos?)/", re.I)
_HUB_REFS = ("hf_model", "from_pretrained")
# /datasets/<owner>/<name>/resolve/<revision>/<path>.png (or a legacy <name> alone): the repository id's
# segments hold no "/" and the file path is bounded, so each start scans a bounded stretch (linear)
_MEDIA_FILE = re.compile(r"/datasets/(?:[^\s\"')/]+/){1,2}(?:resolve|blob)/[^\s\"')]{1,1000}\.(?:png|jpe?g|gif|webp|wav|mp3|flac|mp4|pdf)\b", re.I)


class Judged(NamedTuple):
    component: str | None  # None: the link backs nothing
    confidence: float
    why: str  # appended to the evidence detail when the judgement changed something


@lru_cache(maxsize=1)
def _rx() -> dict[str, Any]:
    r = rules()["references"]
    w = rules()["weights"]
    return {
        "hub_id": re.compile(r["hub_id"]),
        "not_weights": re.compile(r["not_weights_name"], re.I),
        "metadata": re.compile(r["metadata_name"], re.I),
        "intermediate": re.compile(r["intermediate_name"], re.I),
        "third_party": frozenset(o.lower() for o in r["third_party_orgs"]),
        "other": re.compile(r["other_model_context"], re.I),
        "third_party_context": re.compile(r["third_party_context"], re.I),
        "other_sections": tuple(r["other_sections"]),
        "training": re.compile(r["training_context"], re.I),
        "eval": re.compile(r["eval_context"], re.I),
        "example": re.compile(r["example_context"], re.I),
        "archive": re.compile(w["archive_url"], re.I),
        "model_words": re.compile(w["model_url_words"], re.I),
        "data_url": re.compile(w["data_url"], re.I),
    }


def weights_url(url: str) -> float | None:
    """The confidence that a direct file URL is weights (None: it is data, not weights)."""
    rx = _rx()
    if rx["data_url"].search(url):
        return None
    if rx["archive"].search(url) and not rx["model_words"].search(url):
        return LOW  # a tarball or .bin: as often a benchmark or a cache as weights
    return 0.8


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[*_(])")


def _block(card: Card, ref: Reference):
    return next((b for b in card.blocks if b.line <= ref.line <= max(b.end_line, b.line) and b.kind != "table"), None)


def _sentence(card: Card, ref: Reference) -> str:
    """The sentence (or table row) the link sits in: its paragraph cut at sentence ends around it."""
    block = _block(card, ref)
    if block is None or not block.text:
        return ref.text or ""
    text = block.text
    tail = ref.target.rsplit("/", 1)[-1] if "/" in ref.target else ref.target
    at = text.find(tail) if tail else -1
    if at < 0:
        return ref.text or ""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    start = max(max(s for s in starts if s <= at), at - 200)  # a header of badges is no sentence: a window
    end = min(next((s for s in starts if s > at), len(text)), at + len(tail) + 200)
    return text[start:end]


def _titles(card: Card, line: int) -> list[str]:
    return [s.key for s in card.sections_at(line)]


def _in_other_section(card: Card, line: int) -> bool:
    other = _rx()["other_sections"]
    return any(title_matches(k, other, other) for k in _titles(card, line))


def _own_tokens(card: Card, names: tuple[str, ...]) -> set[str]:
    """Words of the release's name (the repository folder, the card's first heading) of 4+ characters."""
    title = next((s.title for s in card.sections if s.level == 1 and s.kind != "label"), "")
    out: set[str] = set()
    for n in (*names, title):
        out.update(t for t in re.split(r"[^a-z0-9]+", normalise_title(n).replace(" ", "-")) if len(t) >= 4)
    return out


class CardRefs:
    """The judgement context of one card: its Hub links' organisations, its base model, the release's name."""

    def __init__(self, card: Card, refs: list[Reference], names: tuple[str, ...] = ()):
        self.card = card
        self.own = _own_tokens(card, names)
        ids = {r.target for r in refs if r.kind in _HUB_REFS and _rx()["hub_id"].fullmatch(r.target)}
        orgs = Counter(i.split("/", 1)[0].lower() for i in ids)
        self.many_orgs = len(orgs) >= 3
        top = orgs.most_common(1)
        self.main_org = top[0][0] if top and top[0][1] * 2 >= len(ids) and top[0][1] >= 2 else None
        base = card.metadata.get("base_model")
        self.base = {str(b).lower() for b in (base if isinstance(base, list) else [base]) if isinstance(b, str)}
        self.user_dir = bool(_USER_DIRS.search("/" + (card.path or "")))

    def _named_own(self, hub_id: str) -> bool:
        low = hub_id.lower()
        return any(t in low for t in self.own)

    def weights(self, ref: Reference, component: str) -> Judged:
        rx = _rx()
        conf = ref.confidence
        if component == INTERMEDIATE:
            return Judged(component, LOW if self.user_dir else conf, "")
        if ref.kind in _HUB_REFS:
            if not rx["hub_id"].fullmatch(ref.target):
                return Judged(None, 0.0, "")  # "./", "/path/to/model", "<path_to_weights>": no link at all
            org, name = ref.target.lower().split("/", 1)
            if rx["metadata"].search(name):
                return Judged(METADATA, 0.6, "the repository holds training logs or optimizer states, not weights")
            if rx["not_weights"].search(name):
                return Judged(component, 0.3, "the repository holds a tokenizer or a classifier, not the model's weights")
            if rx["intermediate"].search(name):
                return Judged(INTERMEDIATE, conf, "the repository's name says intermediate checkpoints")
            if ref.target.lower() in self.base:
                return Judged(component, 0.3, "the card's base_model: the model it was fine-tuned from")
            if org in rx["third_party"]:
                return Judged(component, 0.3, "a quantisation or conversion published by someone else")
            if self.many_orgs and org != self.main_org and not self._named_own(ref.target):
                return Judged(component, LOW, "another organisation's model among several linked")
        elif ref.kind == "weights_url":
            c = weights_url(ref.target)
            if c is None:
                return Judged(None, 0.0, "")
            conf = min(conf, c)
        if self.user_dir:
            return Judged(component, LOW, "linked from an example for users")
        if _in_other_section(self.card, ref.line):
            return Judged(component, LOW, "the link sits among others' models or work")
        sentence = _sentence(self.card, ref)
        if rx["third_party_context"].search(sentence):
            return Judged(component, LOW, "the link names someone else's build of a model")
        named_own = ref.kind in _HUB_REFS and self._named_own(ref.target)
        if not named_own and rx["other"].search(sentence):
            return Judged(component, LOW, "the link names a base model, a comparison or someone else's model")
        return Judged(component, conf, "")

    def dataset(self, ref: Reference, data_card: bool, eval_doc: bool = False) -> Judged:
        if ref.kind == "front_matter":
            return Judged(DATASETS, ref.confidence, "")
        rx = _rx()
        if eval_doc:
            return Judged(DATASETS, 0.3, "linked from a document about evaluation data")
        context = " ".join([_sentence(self.card, ref), *(_titles(self.card, ref.line))])
        if rx["eval"].search(context):
            return Judged(DATASETS, 0.3, "an evaluation set, not training data")
        one_file = _MEDIA_FILE.search(ref.text or "")  # ".../resolve/main/yosemite.png": a snippet's input file
        if self.user_dir or one_file or rx["example"].search(context) or _in_other_section(self.card, ref.line):
            return Judged(DATASETS, 0.4, "an example or another project's data")
        if data_card or rx["training"].search(context):
            return Judged(DATASETS, ref.confidence, "")
        return Judged(DATASETS, LOW, "linked without saying it trained the model")


__all__ = ["CardRefs", "Judged", "weights_url", "LOW"]
