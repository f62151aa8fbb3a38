"""Evidence from text: model cards, data cards, READMEs (front matter, sections, statements, papers).

Glue between the repository and the text parsers (cards, statements, papers): which files to read, and
what each parsed fact means for which MOF component. The parsers never raise; neither does this.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import INFO, WARNING, Evidence, Finding

if TYPE_CHECKING:
    from .collect import RepoEvidence

CARD_READ_LIMIT = 1024 * 1024
MAX_TEXT_FILES = 40
MIN_STATEMENT_CONFIDENCE = 0.5
# References in a card point at a component published elsewhere: weights on the Hub, a dataset page.
_WEIGHT_REFS = {"hf_model", "from_pretrained", "torrent", "download_script", "weights_url"}
_INTERMEDIATE_REFS = {"intermediate_table", "intermediate_phrase", "intermediate_revision"}


def _text_files(ev: "RepoEvidence") -> list[tuple[str, str]]:
    """(path, kind) of the cards and READMEs to read, most relevant first, bounded in number."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for kind in ("model_card", "data_card", "readme"):
        for m in ev.index.matches(kind):
            p = m.file.path
            if p in seen or m.file.lfs:
                continue
            if kind == "readme" and p.count("/") > 2:
                continue
            seen.add(p)
            out.append((p, kind))
    return out[:MAX_TEXT_FILES]


@lru_cache(maxsize=1)
def _kept_unknown() -> re.Pattern[str]:
    from .collect import rules

    return re.compile(rules()["statement_unknown_kept"], re.IGNORECASE)


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
    from .collect import _normalise

    expr, known = _normalise(text)
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
        e, k = _normalise(v)
        if k:
            return e, k
    return expr, known


def _named_in_table(st, ev: "RepoEvidence", folder: str) -> bool:
    """A per-model license table row names a license mofcheck does not know (mistral-inference's MNPL):
    keep it, as not open, unless the cell only points at a license file in the repository."""
    if st.kind != "table" or re.search(r"\bsee\b", st.license_text, re.IGNORECASE):
        return False
    return not (st.url and "://" not in st.url and ev.repo.resolve(st.url.split("#", 1)[0].strip(), base=folder))


def _check_linked_file(ev: "RepoEvidence", src, url: str, folder: str) -> None:
    """A statement whose license links a license file in the repository must name what that file holds."""
    from ..verify import agrees

    target = ev.repo.resolve(url.split("#", 1)[0].strip(), base=folder) if url and "://" not in url else None
    if not target:
        return
    for other in ev.licenses:
        if other.kind == "license-file" and other.path == target and other.expression:
            if not agrees(other.expression, src.expression or src.declared):
                ev.findings.append(
                    Finding(
                        "license.sources-disagree",
                        WARNING,
                        f"{src.path}:{src.line} says {src.declared!r} ({src.expression}) and links {target}, but {target} holds {other.expression}",
                        src.path,
                        src.line,
                        hint=f"make the statement name the license in {target}, or link the right file",
                    )
                )
            return


def collect_text_evidence(ev: "RepoEvidence", model_names: tuple[str, ...] = ()) -> None:
    from .cards import DATA_CARD, MODEL_CARD, parse_card
    from .collect import Found, LicenseSource, _normalise, rules
    from .papers import TECHNICAL_REPORT, find_papers
    from .statements import _components, find_statements

    r = rules()
    expand = r["_expand"]

    def found(name: str) -> Found:
        return ev.found.setdefault(name, Found())

    names = tuple(n for n in model_names if n) + (ev.repo.root.resolve().name,)
    for path, _kind in _text_files(ev):
        res = ev.repo.read_text(path, limit=CARD_READ_LIMIT)
        if not res.ok or not res.text:
            continue
        if res.truncated:
            ev.findings.append(Finding("evidence.truncated", INFO, f"{path}: read only the first {CARD_READ_LIMIT // 1024} KiB", path, None))
        card = parse_card(res.text, path)
        ev.findings.extend(card.findings)
        folder = path.rpartition("/")[0]

        if card.kind == MODEL_CARD:
            score = card.score(MODEL_CARD)
            found("Model card").add(
                Evidence("card", "card.model-card", f"model card ({score:.0%} of the model card sections)", path, card.front_matter.start_line or 1, 0.6 + 0.35 * score),
                path=path,
            )
            for need, st in card.completeness(MODEL_CARD).items():
                if st.stub:
                    ev.findings.append(
                        Finding("card.section-stub", INFO, f"{path}: the {st.section or need} section is a template stub", path, st.line)
                    )
        if card.kind == DATA_CARD:
            found("Data card").add(Evidence("card", "card.data-card", "data card", path, card.front_matter.start_line or 1, 0.9), path=path)
        else:
            dd = card.data_documentation()
            if dd.present:
                found("Data card").add(
                    Evidence("card", "card.training-data-section", dd.note or f"{dd.section} section documents the data", path, dd.line, 0.7), path=path
                )
        for res_ in card.eval_results():
            found("Evaluation results").add(res_.to_evidence(), path=path)
        for ref in card.dataset_refs():
            found("Datasets").add(ref.to_evidence(), url=ref.target)
        for ref in card.weights_refs() if card.kind != DATA_CARD else ():  # a dataset card's downloads are data
            target = "Model parameters (Intermediate)" if ref.kind in _INTERMEDIATE_REFS else "Model parameters (Final)"
            if ref.kind in _WEIGHT_REFS or ref.kind in _INTERMEDIATE_REFS:
                found(target).add(ref.to_evidence(), url=f"{path}#{ref.line}:{ref.target}")

        # The card's license (front matter) is the model's (a dataset card's: the data's).
        lic = card.license()
        text = lic.license
        if text and text.lower() == "other":
            text = lic.license_name
            if lic.license_link and not lic.license_link.startswith(("http://", "https://")):
                if ev.repo.resolve(lic.license_link.strip(), base=folder) is None:
                    ev.findings.append(
                        Finding("card.license-link-missing", WARNING, f"{path}: license_link {lic.license_link!r} is not a file in the repository", path, lic.license_link_line)
                    )
        if text and text.lower() not in ("unknown",):
            expr, _ = _normalise(text)
            covers = r["_dataset_card"] if card.kind == DATA_CARD else r["_card"]
            ev.licenses.append(LicenseSource(expr, text, "card", path, lic.line, covers, folder, 2, "card front matter `license:`", 0.9))

        # License statements in prose: "code and model weights are released under the MIT License".
        for st in find_statements(card, path, names + _title_name(card)):
            if st.other_model or st.confidence < MIN_STATEMENT_CONFIDENCE:
                continue
            comps = {"code" if c == "repository" else c for c in st.components}
            covers = expand(comps)
            if not covers and st.kind == "label" and card.kind == MODEL_CARD and not _components(st.text):
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
            target = "Technical report" if p.kind == TECHNICAL_REPORT else "Research paper"
            found(target).add(p.to_evidence(), url=p.url or f"{path}#{p.line}")
