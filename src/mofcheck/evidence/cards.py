"""Model cards, data cards and READMEs read as evidence: front matter, sections, completeness, references.

`parse_card(text, path)` never raises. Markdown structure comes from markdown-it-py's block parser (so
headings inside code fences are not headings and setext headings are); inline parsing is skipped for
speed and links are read from the raw inline text. Every line number is 1-based in the original file.
The heuristics (section aliases, stub markers, patterns) live in data/evidence/cards.yaml.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from ..model import Evidence, Finding
from .cardmarkdown import (
    Block,
    Section,
    blank_comments,
    html_number_cells,
    is_number_cell,
    line_cut,
    rules,
    structure,
    title_matches,
)
from .frontmatter import FrontMatter, split_front_matter

MODEL_CARD, DATA_CARD, README = "model_card", "data_card", "readme"
MAX_MARKDOWN_LINES = 20_000  # Qwen's 76 KB README has ~1,500 lines

# --------------------------------------------------------------------------------------------------
# data


@cache
def _rx(section: str, key: str) -> re.Pattern[str]:
    return re.compile(rules()[section][key], re.I)


# --------------------------------------------------------------------------------------------------
# types


class NeedStatus(NamedTuple):
    present: bool  # a non-stub section (or metadata) provides it
    line: int | None
    stub: bool  # a section exists but holds only a placeholder
    section: str | None = None  # the section's title, or what else provided it
    note: str | None = None


@dataclass
class Reference:
    kind: str  # hf_dataset | front_matter | load_dataset | hf_model | from_pretrained | torrent | ...
    target: str
    line: int
    text: str = ""  # the line it was found on, trimmed
    confidence: float = 0.8
    path: str | None = None

    def to_evidence(self) -> Evidence:
        kind = "data" if self.kind in ("hf_dataset", "front_matter", "load_dataset") else "weights"
        return Evidence(kind, f"card.ref.{self.kind}", f"{self.kind}: {self.target}", self.path, self.line, self.confidence)


@dataclass
class CardLicense:
    licenses: list[str]  # `license:` as written (a list in dataset cards), [] when absent
    line: int | None
    license_name: str | None = None
    license_name_line: int | None = None
    license_link: str | None = None
    license_link_line: int | None = None

    @property
    def license(self) -> str | None:
        return self.licenses[0] if len(self.licenses) == 1 else (" AND ".join(self.licenses) if self.licenses else None)


@dataclass
class EvalResult:
    source: str  # model-index | table | html-table | eval_results
    line: int | None
    detail: str
    values: int = 0  # numeric values seen
    path: str | None = None

    def to_evidence(self) -> Evidence:
        return Evidence("card", f"card.eval.{self.source}", self.detail, self.path, self.line, 0.9 if self.source != "html-table" else 0.8)


@dataclass
class Card:
    path: str
    kind: str  # model_card | data_card | readme
    front_matter: FrontMatter
    sections: list[Section]
    blocks: list[Block]
    text: str  # the normalised body, HTML comments blanked, lines aligned with the body
    findings: list[Finding] = field(default_factory=list)
    references: dict[str, dict[str, Any]] = field(default_factory=dict)  # Markdown link reference definitions

    @property
    def metadata(self) -> dict[str, Any]:
        return self.front_matter.data or {}

    @property
    def line_offset(self) -> int:
        return self.front_matter.body_line_offset

    # -- sections -----------------------------------------------------------------------------

    def find_sections(self, exact: list[str] | tuple[str, ...] = (), contains: list[str] | tuple[str, ...] = ()) -> list[Section]:
        return [s for s in self.sections if title_matches(s.key, exact, contains)]

    def section_at(self, line: int) -> Section | None:
        """The innermost heading section covering `line` (labels excluded)."""
        chain = self.sections_at(line)
        return chain[-1] if chain else None

    def sections_at(self, line: int) -> list[Section]:
        """Every heading section covering `line`, outermost first."""
        starts, chains = self._cover()
        i = bisect.bisect_right(starts, line) - 1
        if i < 0:
            return []
        return [s for s in chains[i] if s.line <= line <= s.end_line]

    def _cover(self) -> tuple[list[int], list[list[Section]]]:
        """Heading start lines and, for each, the chain of sections open there (computed once)."""
        cached = getattr(self, "_cover_cache", None)
        if cached is None:
            starts: list[int] = []
            chains: list[list[Section]] = []
            stack: list[Section] = []
            for s in self.sections:
                if s.kind == "label":
                    continue
                stack = [x for x in stack if x.end_line >= s.line and x.level < s.level] + [s]
                starts.append(s.line)
                chains.append(list(stack))
            cached = self._cover_cache = (starts, chains)
        return cached

    # -- completeness -------------------------------------------------------------------------

    def completeness(self, kind: str | None = None) -> dict[str, NeedStatus]:
        """need -> NeedStatus against the model card or data card needs (cards.yaml `needs`)."""
        kind = kind or (DATA_CARD if self.kind == DATA_CARD else MODEL_CARD)
        out: dict[str, NeedStatus] = {}
        for need, spec in rules()["needs"][kind].items():
            found = self.find_sections(spec.get("exact", ()), spec.get("contains", ()))
            good = next((s for s in found if not s.stub), None)
            if good:
                out[need] = NeedStatus(True, good.line, False, good.title)
                continue
            extra = self._need_from_metadata(kind, need)
            if extra:
                out[need] = extra
            elif found:
                out[need] = NeedStatus(False, found[0].line, True, found[0].title, "only a template placeholder")
            else:
                out[need] = NeedStatus(False, None, False)
        return out

    def _need_from_metadata(self, kind: str, need: str) -> NeedStatus | None:
        if kind == DATA_CARD and need == "license" and self.license().licenses:
            return NeedStatus(True, self.license().line, False, "license (front matter)")
        if kind == MODEL_CARD and need == "evaluation":
            mi = [r for r in self.eval_results() if r.source == "model-index"]
            if mi:
                return NeedStatus(True, mi[0].line, False, "model-index (front matter)")
        return None

    def score(self, kind: str | None = None) -> float:
        """Share of the needs present (0.0-1.0)."""
        c = self.completeness(kind)
        return sum(1 for n in c.values() if n.present) / len(c) if c else 0.0

    def data_documentation(self) -> NeedStatus:
        """Whether this card documents the training data well enough to stand in for a data card."""
        if self.kind == DATA_CARD:
            c = self.completeness(DATA_CARD)
            present = [n for n in c.values() if n.present]
            if present:
                return NeedStatus(True, min(n.line or 0 for n in present) or None, False, "data card", f"{len(present)}/{len(c)} data card sections")
            return NeedStatus(False, None, any(n.stub for n in c.values()), None, "no data card section has content")
        td = self.completeness(MODEL_CARD)["training_data"]
        if td.present:
            return td._replace(
                note="the model card's training data section documents the data (MOT: a data card is optional if the model card contains the data info)"
            )
        return td

    # -- metadata ------------------------------------------------------------------------------

    def license(self) -> CardLicense:
        md = self.metadata
        fm = self.front_matter
        lic = md.get("license")
        if isinstance(lic, list):
            licenses = [str(x) for x in lic if x not in (None, "")]
        elif lic in (None, ""):
            licenses = []
        else:
            licenses = [str(lic)]
        name, link = md.get("license_name"), md.get("license_link")
        return CardLicense(
            licenses,
            fm.positions.get("license"),
            str(name) if name not in (None, "") else None,
            fm.positions.get("license_name"),
            str(link) if link not in (None, "") else None,
            fm.positions.get("license_link"),
        )

    # -- evaluation results --------------------------------------------------------------------

    def eval_results(self, all_tables: bool = False) -> list[EvalResult]:
        """model-index results, and numeric tables in evaluation sections (anywhere when `all_tables`)."""
        out: list[EvalResult] = []
        out.extend(_model_index_results(self))
        spec = rules()["needs"][MODEL_CARD]["evaluation"]
        ranges = [(s.line, s.end_line, s.title) for s in self.find_sections(spec["exact"], spec["contains"]) if s.kind != "label"]
        for b in self.blocks:
            where = next((r for r in ranges if r[0] <= b.line <= r[1]), None)
            if where is None and not all_tables:
                continue
            under = f" under '{where[2]}'" if where else ""
            if b.kind == "table":
                n = sum(1 for _line, cells in b.rows[1:] for c in cells if is_number_cell(c))
                if n:
                    out.append(EvalResult("table", b.line, f"results table with {n} numeric cells{under}", n, self.path))
            elif b.kind == "html" and "<t" in b.text.lower():
                n = html_number_cells(b.text)
                if n:
                    out.append(EvalResult("html-table", b.line, f"HTML results table with {n} numeric cells{under}", n, self.path))
        return out

    # -- references ----------------------------------------------------------------------------

    def dataset_refs(self) -> list[Reference]:
        out: list[Reference] = []
        ds = self.metadata.get("datasets")
        items = ds if isinstance(ds, list) else [ds] if ds not in (None, "") else []
        for i, d in enumerate(items):
            if d in (None, "") or isinstance(d, (dict, list)):
                continue
            line = self.front_matter.line_of("datasets", i) or self.front_matter.positions.get("datasets") or 1
            out.append(Reference("front_matter", str(d), line, f"datasets: {d}", 0.9, self.path))
        for m in _HF_DATASET_URL.finditer(self.text):
            out.append(self._ref("hf_dataset", m.group(1).rstrip("."), m.start(), 0.8))
        for m in _LOAD_DATASET.finditer(self.text):
            out.append(self._ref("load_dataset", m.group(1), m.start(), 0.7))
        return _dedupe(out)

    def weights_refs(self) -> list[Reference]:
        """Where the weights are (HF links, from_pretrained, torrents, downloads) and intermediate checkpoints."""
        w = rules()["weights"]
        reserved = set(w["hf_reserved"])
        out: list[Reference] = []
        t = self.text
        for m in _HF_MODEL_URL.finditer(t):
            org, name = m.group(1), m.group(2)
            if org.lower() in reserved or name.lower() in ("tree", "blob", "resolve", "discussions"):
                continue
            out.append(self._ref("hf_model", f"{org}/{_trim_repo(name)}", m.start(), 0.8))
        for m in _FROM_PRETRAINED.finditer(t):
            out.append(self._ref("from_pretrained", m.group(1), m.start(), 0.8))
        for m in _MAGNET.finditer(t) if "magnet:" in t else ():
            out.append(self._ref("torrent", m.group(0)[:200], m.start(), 0.9))
        if ".torrent" in t.lower():
            for m in _TORRENT_END.finditer(t):
                # walk back to the start of the token: linear, unlike a regex with a leading [^\s]+
                start = m.start()
                while start > 0 and m.start() - start < 500 and t[start - 1] not in _TOKEN_STOP:
                    start -= 1
                out.append(self._ref("torrent", t[start : m.end()], start, 0.8))
        low = t.lower()
        # cheap substring checks first: Python's re scans every position for these alternations
        if any(k in low for k in ("download", "wget", "git lfs")):
            for m in _rx("weights", "download_script").finditer(t):
                out.append(self._ref("download_script", m.group(0), m.start(), 0.6))
        wurl = _rx("weights", "weights_url")
        for m in _URL.finditer(t):
            if wurl.match(m.group(0)):
                out.append(self._ref("weights_url", wurl.match(m.group(0)).group(0), m.start(), 0.8))
        if any(k in low for k in ("revision", "rev", "branch", "ref")):
            for m in _rx("weights", "intermediate_revision").finditer(t):
                out.append(self._ref("intermediate_revision", m.group("rev"), m.start(), 0.8))
        if "checkpoint" in low or "intermediate" in low:
            for m in _rx("weights", "intermediate_phrase").finditer(t):
                out.append(self._ref("intermediate_phrase", m.group(0), m.start(), 0.6))
        step = _rx("weights", "step_name")
        for b in self.blocks:
            body = "\n".join(" ".join(c) for _l, c in b.rows) if b.kind == "table" else b.text
            lb = body.lower()
            if not any(k in lb for k in ("step", "ckpt", "checkpoint", "iter")):
                continue
            names = {s.lower() for s in step.findall(body)}
            if len(names) >= 3:
                out.append(
                    Reference(
                        "intermediate_table", f"{len(names)} step-numbered checkpoints", b.line, self._line_text(b.line - self.line_offset), 0.8, self.path
                    )
                )
        return _dedupe(out)

    # -- helpers -------------------------------------------------------------------------------

    def _line_no(self, offset: int) -> int:
        """Original line of a character offset in `self.text`."""
        return bisect.bisect_right(self._starts, offset) + 1 + self.line_offset

    @property
    def _starts(self) -> list[int]:
        st = getattr(self, "_line_starts", None)
        if st is None:
            st = [m.end() for m in re.finditer("\n", self.text)]
            self._line_starts = st
        return st

    def _line_text(self, body_line: int) -> str:
        i = body_line - 1
        if i < 0 or i > len(self._starts):
            return ""
        start = self._starts[i - 1] if i else 0
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)].strip()[:200]

    def _ref(self, kind: str, target: str, offset: int, confidence: float) -> Reference:
        line = self._line_no(offset)
        return Reference(kind, target, line, self._line_text(line - self.line_offset), confidence, self.path)


# --------------------------------------------------------------------------------------------------
# parsing

_HF_DATASET_URL = re.compile(r"https?://(?:www\.)?(?:huggingface\.co|hf\.co)/datasets/([\w.-]+(?:/[\w.-]+)?)", re.I)
_LOAD_DATASET = re.compile(r"load_dataset\(\s*[\"']([\w.-]+/[\w.-]+)[\"']")
_HF_MODEL_URL = re.compile(r"https?://(?:www\.)?(?:huggingface\.co|hf\.co)/([\w.-]+)/([\w.-]+)", re.I)
_FROM_PRETRAINED = re.compile(r"from_pretrained\(\s*(?:pretrained_model_name_or_path\s*=\s*)?[rf]?[\"']([^\"'\n]{1,200})[\"']")
_URL = re.compile(r"https?://[^\s)\"'<>\]]+", re.I)
_MAGNET = re.compile(r"magnet:\?xt=urn:[^\s)\"'<>\]]+", re.I)
_TORRENT_END = re.compile(r"\.torrent\b", re.I)
_TOKEN_STOP = set(" \t\n()\"'<>[]")


def _trim_repo(name: str) -> str:
    return name[:-4] if name.endswith(".git") else name.rstrip(".")


def _dedupe(refs: list[Reference]) -> list[Reference]:
    seen: set[tuple[str, str, int]] = set()
    out = []
    for r in refs:
        k = (r.kind, r.target, r.line)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def parse_card(text: str, path: str = "README.md") -> Card:
    """Parse a model card / data card / README. Never raises: problems become findings."""
    try:
        return _parse(text, path)
    except Exception as exc:  # noqa: BLE001 - evidence reading must never stop a run
        fm = FrontMatter(None, None, None, "", 0)
        return Card(path, README, fm, [], [], "", [Finding.of("card.unreadable", f"the card could not be parsed ({type(exc).__name__})", path)])


def _parse(text: str, path: str) -> Card:
    fm = split_front_matter(text if isinstance(text, str) else str(text), path)
    body = blank_comments(fm.body)
    cut = line_cut(body, MAX_MARKDOWN_LINES)
    if cut is not None:
        # markdown-it costs ~20-40 us a line: bound the time a hostile file can take
        body = body[:cut]
        fm.findings.append(
            Finding.of(
                "evidence.truncated", f"{path}: read only the first {MAX_MARKDOWN_LINES:,} lines of Markdown", path, fm.body_line_offset + MAX_MARKDOWN_LINES
            )
        )
    sections, blocks, refs = structure(body)
    off = fm.body_line_offset
    for s in sections:
        s.line += off
        s.end_line += off
    for b in blocks:
        b.line += off
        b.end_line += off
        b.rows = [(ln + off, cells) for ln, cells in b.rows]
    fm_path = path
    card = Card(path, README, fm, sections, blocks, body, list(fm.findings), refs)
    card.kind = guess_kind(card)
    card.findings.extend(_license_findings(card, fm_path))
    return card


def guess_kind(card: Card) -> str:
    """model_card | data_card | readme, from front matter keys, the file name and the sections."""
    r = rules()
    md = card.metadata
    p = (card.path or "").replace("\\", "/")
    name = p.rsplit("/", 1)[-1].lower()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    parent = p.rsplit("/", 2)[-2].lower() if p.count("/") >= 1 else ""
    if any(k in md for k in r["kind_keys"]["dataset"]):
        return DATA_CARD
    if re.search(r["model_card_names"], name, re.I):
        return MODEL_CARD
    if re.match(r["data_card_names"], stem, re.I):
        return DATA_CARD
    grandparent = p.rsplit("/", 3)[-3].lower() if p.count("/") >= 2 else ""
    if stem == "readme" and (parent in r["data_dirs"] or grandparent in r["data_dirs"]):
        return DATA_CARD  # data/README.md, data/fineweb-edu/README.md
    if md and (any(k in md for k in r["kind_keys"]["model"]) or "license" in md or "tags" in md or "language" in md):
        return MODEL_CARD
    needs = r["needs"][MODEL_CARD]
    hits = {need for need, spec in needs.items() if card.find_sections(spec["exact"], ())}
    # a repository README also has Evaluation, Datasets and Fine-tuning sections: a card says what the
    # model is, what it is for, or where it falls short
    return MODEL_CARD if len(hits) >= 3 and hits & {"details", "uses", "limitations"} else README


def _license_findings(card: Card, path: str) -> list[Finding]:
    lic = card.license()
    if [x.lower() for x in lic.licenses] != ["other"]:
        return []
    missing = [k for k, v in (("license_name", lic.license_name), ("license_link", lic.license_link)) if not v]
    if not missing:
        return []
    return [
        Finding.of(
            "card.license-other-unnamed",
            f"`license: other` without {' and '.join(f'`{m}`' for m in missing)}: nobody can tell which license applies",
            path,
            lic.line,
            hint="Add `license_name:` (a short id) and `license_link:` (LICENSE or a URL) next to `license: other`.",
        )
    ]


def _model_index_results(card: Card) -> list[EvalResult]:
    mi = card.metadata.get("model-index")
    if not isinstance(mi, list):
        return []
    out = []
    for i, entry in enumerate(mi):
        if not isinstance(entry, dict):
            continue
        results = entry.get("results")
        if not isinstance(results, list):
            continue
        n, datasets = 0, []
        for r in results:
            if not isinstance(r, dict):
                continue
            metrics = r.get("metrics")
            for mt in metrics if isinstance(metrics, list) else []:
                if isinstance(mt, dict) and mt.get("value") not in (None, ""):
                    n += 1
            ds = r.get("dataset")
            if isinstance(ds, dict) and (ds.get("name") or ds.get("type")):
                datasets.append(str(ds.get("name") or ds.get("type")))
        if n:
            line = card.front_matter.line_of("model-index", i) or card.front_matter.positions.get("model-index")
            names = ", ".join(dict.fromkeys(datasets))[:200]
            out.append(
                EvalResult("model-index", line, f"model-index '{entry.get('name', '')}': {n} metric values" + (f" on {names}" if names else ""), n, card.path)
            )
    return out


def parse_eval_results_yaml(text: str, path: str) -> tuple[list[EvalResult], list[Finding]]:
    """A Hugging Face `.eval_results/*.yaml` file: {dataset{id,...}, value, source, ...} or a list of them."""
    from ..errors import ManifestError
    from ..manifest import load_text
    from .frontmatter import normalise_text

    try:
        data, positions = load_text(normalise_text(text), path)
    except ManifestError as exc:
        return [], [Finding.of("card.eval-results-invalid", f"not valid YAML: {exc.message.split('; ', 1)[0]}", path, exc.line, exc.column)]
    except Exception as exc:  # noqa: BLE001
        return [], [Finding.of("card.eval-results-invalid", f"could not be parsed ({type(exc).__name__})", path, 1)]
    items = data if isinstance(data, list) else [data]
    out: list[EvalResult] = []
    for i, item in enumerate(items):
        key = (i,) if isinstance(data, list) else ()
        line = positions.get(key, (1, 1))[0] if key else 1
        if not isinstance(item, dict):
            continue
        ds = item.get("dataset")
        ds_id = ds.get("id") if isinstance(ds, dict) else ds if isinstance(ds, str) else None
        value = item.get("value")
        if ds_id and isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(EvalResult("eval_results", line, f"{value} on {ds_id}", 1, path))
    if not out:
        return [], [Finding.of("card.eval-results-invalid", "no result with `dataset.id` and a numeric `value`", path, 1)]
    return out, []


def parse_eval_markdown(text: str, path: str) -> list[EvalResult]:
    """Results in an EVAL.md-style file: every numeric table counts."""
    return parse_card(text, path).eval_results(all_tables=True)
