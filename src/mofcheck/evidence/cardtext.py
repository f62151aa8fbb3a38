"""Evidence from text: model cards, data cards, READMEs (front matter, sections, statements, papers).

Glue between the repository and the text parsers (cards, statements, papers): which files to read, and
what each parsed fact means for which MOF component. The parsers never raise; neither does this.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..framework import role
from ..licenses.agree import agrees
from ..model import Evidence, Finding
from . import links
from .cards import DATA_CARD, MODEL_CARD, parse_card
from .items import EvidenceSet, Found, LicenseSource
from .papers import TECHNICAL_REPORT, find_papers
from .refjudge import FINAL, INTERMEDIATE, LOW, CardRefs
from .rules import component_rules, license_expression, source_rules
from .statements import find_statements, named_components

CARD_READ_LIMIT = 1024 * 1024
MAX_TEXT_FILES = 40
MIN_STATEMENT_CONFIDENCE = 0.5
# References in a card point at a component published elsewhere: weights on the Hub, a dataset page.
_WEIGHT_REFS = {"hf_model", "from_pretrained", "torrent", "download_script", "weights_url"}
_INTERMEDIATE_REFS = {"intermediate_table", "intermediate_phrase", "intermediate_revision"}


_TEXT_NAME = re.compile(r"[^/]+\.(?:md|markdown|mdx|rst|txt|adoc|org)|(?:readme|datasheet|model[-_ ]?card)[^/.]*", re.I)  # prose
_KIND_ORDER = {"model_card": 0, "data_card": 1, "readme": 2}


def _text_files(ev: EvidenceSet) -> list[tuple[str, str]]:
    """(path, kind) of the cards and READMEs to read, shallowest first (the root README always), bounded
    in number. Only prose: a datasets cache's dataset_info.json is not a card."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for kind in ("model_card", "data_card", "readme"):
        for m in ev.index.matches(kind):
            p = m.file.path
            if p in seen or m.file.lfs or not _TEXT_NAME.fullmatch(m.file.name):
                continue
            if kind == "readme" and p.count("/") > 2:
                continue
            seen.add(p)
            out.append((p, kind))
    out.sort(key=lambda pk: (pk[0].count("/"), _KIND_ORDER[pk[1]], pk[0]))
    return out[:MAX_TEXT_FILES]


_CODE_INTRO = re.compile(r"\bthis\s+(?:package|module|library|folder|directory)\s+(?:contains|provides|implements|holds)\b|\bdata[-\s]loading\b", re.I)
_TRAINING_TITLE = re.compile(r"train|corpus|corpora|mixture|pre-?training", re.I)
_EVAL_INTRO = re.compile(r"\b(?:evaluat\w*|benchmark\w*|test\s+(?:set|split)s?)\b", re.I)
_TRAIN_INTRO = re.compile(r"\b(?:train\w*|pre-?train\w*|fine-?tun\w*)\b", re.I)


def _data_card_confidence(card) -> tuple[float, str]:
    """How sure a file read as a data card is one: dataset card front matter or datasheet sections make
    it one; a README in data/ with no such section (a "moved to the Hub" note, token counts) or one that
    documents evaluation sets is only possibly one."""
    from .cardmarkdown import rules as card_rules

    dataset_keys = set(card_rules()["kind_keys"]["dataset"])
    if dataset_keys & set(card.metadata):
        return 0.9, "data card (dataset card front matter)"
    dd = card.data_documentation()
    about_data = [n for need, n in card.completeness(DATA_CARD).items() if n.present and need not in ("preprocessing", "license")]
    intro = card.text[:1500]
    if _EVAL_INTRO.search(intro) and not _TRAIN_INTRO.search(intro):
        return 0.4, "documents evaluation data, not the training data"
    if _CODE_INTRO.search(intro):
        return 0.4, "documents data-loading code, not a dataset"
    if dd.present and about_data:  # "Data preprocessing tools" documents tools, not a dataset
        return 0.85, f"data card ({dd.note})" if dd.note else "data card"
    return 0.4, "named or placed like a data card, but no data card section has content"


@lru_cache(maxsize=1)
def _kept_unknown() -> re.Pattern[str]:
    return re.compile(component_rules()["statement_unknown_kept"], re.IGNORECASE)


# Greedy name ending in a non-space: the lazy `.+?\s+` was quadratic over a long value full of spaces.
_TRAILING_WORD = re.compile(r"^(?:the\s+(?!\s))?(?P<name>.*\S)\s+(?:licen[cs]e|terms)\s*$", re.IGNORECASE)
_CC_SPACED = re.compile(r"\bCC(?:[\s-]+(?:BY|NC|SA|ND))+(?=[\s-]+\d)", re.IGNORECASE)
_TITLE_CUT = re.compile(r"(?:[:|(\u2013\u2014]|\s-\s).*$")  # no leading \s*: quadratic over a run of spaces


def _title_name(card) -> tuple[str, ...]:
    """The card's first top-level heading names its own model ("# Shrike-1: open weights" -> Shrike-1)."""
    title = next((s.title for s in card.sections if s.level == 1 and s.kind != "label"), "")
    name = _TITLE_CUT.sub("", title).strip()
    return (name,) if 0 < len(name) <= 40 else ()


def statement_license(text: str) -> tuple[str | None, bool]:
    """(expression, known) for a license named in prose: "Apache 2.0 license", "CC BY NC 4.0" included."""
    expr, known = license_expression(text)
    if known:
        return expr, known
    variants = []
    m = _TRAILING_WORD.match(text.strip())
    if m:
        variants.append(m.group("name"))
    for v in [text.strip(), *variants]:
        if _CC_SPACED.search(v):
            variants.append(_CC_SPACED.sub(lambda c: re.sub(r"[\s-]+", "-", c.group(0)), v))
    for v in variants:
        e, k = license_expression(v)
        if k:
            return e, k
    return expr, known


def _named_in_table(st, ev: EvidenceSet, folder: str) -> bool:
    """A per-model license table row names a license mofcheck does not know (mistral-inference's MNPL):
    keep it, as not open, unless the cell only points at a license file in the repository."""
    if st.kind != "table" or re.search(r"\bsee\b", st.license_text, re.IGNORECASE):
        return False
    return not (st.url and "://" not in st.url and ev.repo.resolve(st.url.split("#", 1)[0].strip(), base=folder))


def _check_linked_file(ev: EvidenceSet, src, url: str, folder: str) -> None:
    """A statement whose license links a license file in the repository must name what that file holds."""
    target = ev.repo.resolve(url.split("#", 1)[0].strip(), base=folder) if url and "://" not in url else None
    if not target:
        return
    for other in ev.licenses:
        if other.kind == "license-file" and other.path == target and other.expression:
            if not agrees(other.expression, src.expression or src.declared):
                ev.findings.append(
                    Finding.of(
                        "license.sources-disagree",
                        f"{src.path}:{src.line} says {src.declared!r} ({src.expression}) and links {target}, but {target} holds {other.expression}",
                        src.path,
                        src.line,
                        hint=f"make the statement name the license in {target}, or link the right file",
                    )
                )
            return


def _link(ev: EvidenceSet, target: str, kind: str, path: str, line: int | None, confidence: float, bare: str) -> None:
    """A card reference that a reader can follow, backing what its kind says (sources.yaml)."""
    link = links.make(target, source_rules()["links"].get(kind, frozenset()), path, line, f"card.ref.{kind}", confidence, bare_hf=bare)
    if link is not None and (link.backs or kind == "base_model"):
        ev.links.append(link)


def collect_text_evidence(ev: EvidenceSet, model_names: tuple[str, ...] = ()) -> None:
    r = component_rules()
    expand = r["_expand"]

    def found(name: str) -> Found:
        return ev.found_for(name)

    names = tuple(n for n in model_names if n) + (ev.repo.name,)
    for path, _kind in _text_files(ev):
        res = ev.repo.read_text(path, limit=CARD_READ_LIMIT)
        if not res.ok or not res.text:
            continue
        if res.truncated:
            ev.findings.append(Finding.of("evidence.truncated", f"{path}: read only the first {CARD_READ_LIMIT // 1024} KiB", path, None))
        card = parse_card(res.text, path)
        ev.cards[path] = card
        ev.findings.extend(card.findings)
        folder = path.rpartition("/")[0]

        if card.kind == MODEL_CARD:
            score = card.score(MODEL_CARD)
            found(role("model-card")).add(
                Evidence(
                    "card",
                    "card.model-card",
                    f"model card ({score:.0%} of the model card sections)",
                    path,
                    card.front_matter.start_line or 1,
                    0.6 + 0.35 * score,
                ),
                path=path,
            )
            for need, st in card.completeness(MODEL_CARD).items():
                if st.stub:
                    ev.findings.append(Finding.of("card.section-stub", f"{path}: the {st.section or need} section is a template stub", path, st.line))
        data_card_conf, note = 0.0, ""
        if card.kind == DATA_CARD:
            conf, note = _data_card_confidence(card)
            if conf > 0.5 and folder and ev.repo.get(f"{folder}/__init__.py") is not None:
                conf, note = 0.4, "documents the data-loading code of a Python package, not a dataset"
            data_card_conf = conf
            found(role("data-card")).add(Evidence("card", "card.data-card", note, path, card.front_matter.start_line or 1, conf), path=path)
        else:
            dd = card.data_documentation()
            if dd.present:
                # a model card's Training Data section documents the data; a repository README's
                # "Datasets" section is as often about fine-tuning examples or the data tools
                named = bool(card.front_matter.data) or bool(re.search(r"model[-_ ]?card", path.rsplit("/", 1)[-1], re.I))
                conf = 0.7 if card.kind == MODEL_CARD and (named or _TRAINING_TITLE.search(dd.section or "")) else 0.4
                found(role("data-card")).add(
                    Evidence("card", "card.training-data-section", dd.note or f"{dd.section} section documents the data", path, dd.line, conf), path=path
                )
        # results and papers in an example or a fine-tuning recipe for users (ChatGLM's ptuning/) are
        # that recipe's, not the release's
        user_example = bool(re.search(r"(?:^|/)(?:examples?|tutorials?|recipes|notebooks?|demos?|ptuning|p-tuning|finetune|finetuning|lora|peft)/", path, re.I))
        for res_ in card.eval_results():
            e = res_.to_evidence()
            found(role("evaluation-results")).add(replace(e, confidence=LOW) if user_example else e, path=path)
        weight_refs = card.weights_refs() if card.kind != DATA_CARD else []  # a dataset card's downloads are data
        dataset_refs = card.dataset_refs()
        judge = CardRefs(card, weight_refs + dataset_refs, names)
        for ref in dataset_refs:
            j = judge.dataset(ref, data_card_conf >= 0.5, card.kind == DATA_CARD and "evaluation" in note)
            e = ref.to_evidence()
            found(role("datasets")).add(replace(e, confidence=j.confidence, detail=f"{e.detail}; {j.why}" if j.why else e.detail), url=ref.target)
            _link(ev, ref.target, ref.kind, path, ref.line, j.confidence, "hf-dataset")
        for ref in weight_refs:
            if ref.kind not in _WEIGHT_REFS and ref.kind not in _INTERMEDIATE_REFS:
                continue
            j = judge.weights(ref, INTERMEDIATE if ref.kind in _INTERMEDIATE_REFS else FINAL)
            if j.component is None:
                continue
            e = ref.to_evidence()
            e = replace(e, confidence=j.confidence, detail=f"{e.detail}; {j.why}" if j.why else e.detail)
            found(j.component).add(e, url=f"{path}#{ref.line}:{ref.target}")
            if ref.kind in ("hf_model", "from_pretrained"):  # the judged confidence: a base model is not followed as the weights
                _link(ev, ref.target, ref.kind, path, ref.line, j.confidence, "hf-model")
        base_model = card.metadata.get("base_model")
        for bm in base_model if isinstance(base_model, list) else [base_model]:
            if isinstance(bm, str) and bm.strip():
                _link(ev, bm, "base_model", path, card.front_matter.positions.get("base_model"), 0.9, "hf-model")

        # The card's license (front matter) is the model's (a dataset card's: the data's).
        lic = card.license()
        text = lic.license
        if text and text.lower() == "other":
            text = lic.license_name
            if lic.license_link and not lic.license_link.startswith(("http://", "https://")):
                if ev.repo.resolve(lic.license_link.strip(), base=folder) is None:
                    ev.findings.append(
                        Finding.of(
                            "card.license-link-missing",
                            f"{path}: license_link {lic.license_link!r} is not a file in the repository",
                            path,
                            lic.license_link_line,
                        )
                    )
        if text and text.lower() not in ("unknown",):
            expr, _ = license_expression(text)
            covers = r["_dataset_card"] if card.kind == DATA_CARD else r["_card"]
            ev.licenses.append(LicenseSource(expr, text, "card", path, lic.line, covers, folder, 2, "card front matter `license:`", 0.9))
            if path.rpartition("/")[2] in r["hub_card_names"]:  # the Hub's convention: the card is under it too
                itself = r["_hub_dataset_card"] if card.kind == DATA_CARD else r["_hub_card"]
                ev.licenses.append(
                    LicenseSource(
                        expr,
                        text,
                        "card",
                        path,
                        lic.line,
                        itself,
                        path,
                        2,
                        "card front matter `license:` (a Hub repository's README is its card, under its license)",
                        0.9,
                    )
                )

        # License statements in prose: "code and model weights are released under the MIT License".
        for st in find_statements(card, path, names + _title_name(card)):
            if st.other_model or st.confidence < MIN_STATEMENT_CONFIDENCE:
                continue
            comps = {"code" if c == "repository" else c for c in st.components}
            covers = expand(comps)
            if not covers and st.kind == "label" and card.kind == MODEL_CARD and not named_components(st.text):
                covers = r["_card"]  # a model card's bare `License:` line is the model's license
            if not covers:
                continue
            expr, known = statement_license(st.license_text)
            if not known and not (_kept_unknown().search(st.license_text) or _named_in_table(st, ev, folder)):
                continue  # "the community license in LICENSE-MODEL": the file itself says which
            src = LicenseSource(expr, st.license_text, "statement", path, st.line, covers, folder, 3, f"stated in {path}: {st.text[:120]}", st.confidence)
            ev.licenses.append(src)
            if st.url:
                _check_linked_file(ev, src, st.url, folder)

        # Papers and technical reports: citation blocks, badges, links near "paper" / "technical report".
        for p in find_papers(card, path):
            target = role("technical-report") if p.kind == TECHNICAL_REPORT else role("research-paper")
            e = p.to_evidence()
            if user_example:
                e = replace(e, confidence=min(e.confidence, LOW))
            found(target).add(e, url=p.url or f"{path}#{p.line}")
            ref = p.url or (f"arxiv:{p.arxiv_id}" if p.arxiv_id else None)
            if ref:
                link = links.make(ref, frozenset({target}), path, p.line, f"paper.{p.rule}", e.confidence)
                if link is not None:
                    ev.links.append(link)
