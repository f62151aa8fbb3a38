"""Precision and recall of mofcheck's evidence, per MOF component, on a labelled set of repositories.

    python scripts/measure_precision.py                    # the committed fixtures, and the real
                                                           # snapshots when they are on disk
    python scripts/measure_precision.py --only fixtures    # or: --only real
    python scripts/measure_precision.py --show-wrong       # every item judged wrong, with its rule
    python scripts/measure_precision.py --repo allenai/OLMo --show-all

The labels (tests/data/real-repos/labels.yaml) say, per repository and commit, which paths and link
targets truly are each component, and which are known traps. Real snapshots are read from
$MOFCHECK_REALREPOS (default /work/realrepos: one folder per repository, `<owner>+<name>`, extracted
from the labelled commit); they are never committed. Fixtures are read from fixtures/.

Two levels:
* item: each evidence item (a path or a link target backing a component) is right when it matches one
  of the component's labelled patterns. An item that matches none is wrong: the labels list everything
  that is the component. Items below `possible_below` (data/evidence/components.yaml) are "possible":
  shown, never counted, so they are measured apart.
* repository: the component is said present (a counted item backs it) against really present.
  Recall at item level is the share of the labelled patterns that at least one counted item hits.

The one place that knows how mofcheck hands out its evidence is `evidence_items`: repoint it when the
evidence readers change.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "real-repos" / "labels.yaml"
FIXTURES = ROOT / "fixtures"
DEFAULT_REAL = Path("/work/realrepos")

COMPONENTS = [
    "Model architecture",
    "Model parameters (Final)",
    "Model card",
    "Data card",
    "Evaluation results",
    "Technical report",
    "Sample model outputs",
    "Training code",
    "Inference code",
    "Evaluation code",
    "Evaluation data",
    "Supporting libraries and tools",
    "Datasets",
    "Data preprocessing code",
    "Model parameters (Intermediate)",
    "Research paper",
    "Model metadata",
]


# --------------------------------------------------------------------------------------------------
# the adapter: mofcheck's evidence as flat items


@dataclass(frozen=True)
class Item:
    component: str
    kind: str  # path | url
    target: str  # a repository path, or a link target (URL, Hub id, magnet link)
    source: str | None  # the file it was found in
    line: int | None
    rule: str
    confidence: float


_CARD_REF = re.compile(r"^(?P<src>[^#\s]+)#(?P<line>\d+)(?::(?P<target>.*))?$", re.S)


def evidence_items(tree: Path) -> list[Item]:
    """Every evidence item mofcheck's offline evidence readers give for the tree at `tree`.

    Today that is the local reader, `mofcheck.readers.local.read(Repo.open(tree)).found`. `Found` keeps
    only the first few Evidence records per component (and sets aside those under the confidence
    floor), so every `Found.add` that is not a duplicate is recorded here instead."""
    from mofcheck.evidence import items as items_mod
    from mofcheck.readers import local
    from mofcheck.repo import Repo

    recorded: list[tuple[int, Any, str | None, str | None]] = []
    floor = possible_below()
    original = items_mod.Found.add

    def add(self, ev, path=None, url=None, remote=None, **kw):
        recorded.append((id(self), ev, path, url or remote))
        original(self, ev, path=path, url=url, remote=remote, **kw)

    items_mod.Found.add = add  # type: ignore[method-assign]
    try:
        ev = local.read(Repo.open(tree))
    finally:
        items_mod.Found.add = original  # type: ignore[method-assign]
    owner = {id(f): name for name, f in ev.found.items()}
    out: list[Item] = []
    at: dict[tuple[str, str], int] = {}  # one item per component and path or link, as Found keeps them
    for fid, e, path, url in recorded:
        comp, key = owner.get(fid), path or url
        if comp is None:
            continue  # a Found that is not the result's (merged into it: its items are recorded there too)
        if key and (comp, key) in at:
            i = at[(comp, key)]
            if out[i].confidence < floor <= e.confidence:  # a counted item replaces a possible one
                out[i] = _item(comp, e, path, url)
            continue
        if key:
            at[(comp, key)] = len(out)
        out.append(_item(comp, e, path, url))
    return out


def _item(comp: str, e: Any, path: str | None, url: str | None) -> Item:
    if url:
        m = _CARD_REF.match(url)  # a card reference is recorded as "<card>#<line>:<target>"
        return Item(comp, "url", m.group("target") if m and m.group("target") else url, e.path, e.line, e.rule, float(e.confidence))
    return Item(comp, "path", path or "", e.path, e.line, e.rule, float(e.confidence))


# --------------------------------------------------------------------------------------------------
# labels


_DATASET_RULES = ("card.ref.front_matter", "card.ref.hf_dataset", "card.ref.load_dataset")
_MODEL_RULES = ("card.ref.hf_model", "card.ref.from_pretrained")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?", re.I)
_HF_RESERVED = {"papers", "spaces", "collections", "docs", "blog", "models", "organizations", "learn", "tasks"}
_HF = re.compile(r"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/(datasets/)?([\w.-]+)/([\w.-]+)", re.I)


def normalise_target(item: Item) -> str:
    """A link target in the labels' form: arxiv:<id>, hf:<org/name>, hf-dataset:<org/name>, or the URL
    without scheme and www (lower case). Repository paths are returned as they are."""
    t = item.target.strip()
    if item.kind == "path":
        return t
    m = _ARXIV.search(t)
    if m:
        return "arxiv:" + m.group(1).lower()
    m = _HF.match(t)
    if m and not m.group(1) and m.group(2).lower() in _HF_RESERVED:
        m = None  # huggingface.co/papers/..., /collections/...: a page, not a repository
    if m and m.group(3).lower() not in ("tree", "blob", "resolve"):
        return ("hf-dataset:" if m.group(1) else "hf:") + f"{m.group(2)}/{m.group(3)}".lower()
    if item.rule in _DATASET_RULES and "://" not in t:
        return "hf-dataset:" + t.lower()
    if item.rule in _MODEL_RULES and "://" not in t and re.fullmatch(r"[\w.-]+/[\w.-]+", t):
        return "hf:" + t.lower()
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", t).rstrip("/").lower() if "://" in t else t.lower()


@dataclass
class Truth:
    paths: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.paths or self.urls)

    def patterns(self) -> list[tuple[str, str]]:
        return [("path", p) for p in self.paths] + [("url", u.lower().rstrip("/")) for u in self.urls]


@dataclass
class Entry:
    repo: str
    commit: str | None
    tree: Path
    source: str  # real | fixture
    shape: str
    truth: dict[str, Truth]
    traps: dict[str, Truth]


def _truth(spec: Any, where: str) -> Truth:
    if spec is None:
        return Truth()
    if isinstance(spec, list):
        return Truth(paths=[str(p) for p in spec])
    if isinstance(spec, dict):
        unknown = set(spec) - {"paths", "urls"}
        if unknown:
            raise SystemExit(f"labels: {where}: unknown keys {sorted(unknown)}")
        return Truth(paths=[str(p) for p in spec.get("paths") or []], urls=[str(u) for u in spec.get("urls") or []])
    raise SystemExit(f"labels: {where}: expected a list or a mapping")


def load_labels(path: Path = LABELS, real_root: Path | None = None) -> list[Entry]:
    from ruamel.yaml import YAML

    doc = YAML(typ="safe").load(path.read_text("utf-8"))
    real_root = real_root or Path(os.environ.get("MOFCHECK_REALREPOS", DEFAULT_REAL))
    out = []
    for e in doc.get("repos") or []:
        where = e.get("repo") or e.get("fixture")
        for name in list(e.get("components") or {}) + list(e.get("traps") or {}):
            if name not in COMPONENTS:
                raise SystemExit(f"labels: {where}: unknown component {name!r}")
        if "fixture" in e:
            tree, source = FIXTURES / e["fixture"], "fixture"
        else:
            tree, source = real_root / e["dir"], "real"
        out.append(
            Entry(
                repo=str(e.get("repo") or f"fixtures/{e['fixture']}"),
                commit=e.get("commit"),
                tree=tree,
                source=source,
                shape=str(e.get("shape", "")),
                truth={k: _truth(v, f"{where}: {k}") for k, v in (e.get("components") or {}).items()},
                traps={k: _truth(v, f"{where}: traps: {k}") for k, v in (e.get("traps") or {}).items()},
            )
        )
    return out


# --------------------------------------------------------------------------------------------------
# judging

PAPERS = ("Technical report", "Research paper")


def _matches(kind: str, value: str, patterns: Iterable[tuple[str, str]]) -> str | None:
    low = value.lower()
    for pk, pat in patterns:
        if pk == "path" and kind == "path" and fnmatchcase(value, pat):
            return pat
        if pk == "url" and kind == "url" and fnmatchcase(low, pat):
            return pat
        if pk == "path" and kind == "url" and fnmatchcase(value, pat):  # a card reference to a file
            return pat
        if pk == "url" and kind == "path" and fnmatchcase(low, pat):  # "README.md#12" written as a url pattern
            return pat
    return None


def judge(item: Item, entry: Entry) -> tuple[bool, str | None, bool]:
    """(right, the label pattern it matched, it hit a known trap)."""
    value = normalise_target(item)
    comps = PAPERS if item.component in PAPERS else (item.component,)  # an own paper backs either
    for comp in comps:
        t = entry.truth.get(comp)
        if t:
            pat = _matches(item.kind, value, t.patterns())
            if pat:
                return True, pat, False
    trap = entry.traps.get(item.component)
    return False, None, bool(trap and _matches(item.kind, value, trap.patterns()))


def possible_below() -> float:
    from mofcheck.datacache import load_yaml

    return float(load_yaml("evidence/components.yaml").get("possible_below", 0.0))


@dataclass
class Counts:
    items: int = 0
    right: int = 0
    possible: int = 0
    possible_right: int = 0
    patterns: int = 0
    patterns_hit: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, o: Counts) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(o, k))


@dataclass
class Result:
    entry: Entry
    items: list[tuple[Item, bool, str | None, bool]]  # item, right, pattern, trap
    counts: dict[str, Counts]
    threshold: float


def measure(entry: Entry, threshold: float) -> Result:
    items = evidence_items(entry.tree)
    judged = [(it, *judge(it, entry)) for it in items]
    counts = {c: Counts() for c in COMPONENTS}
    hit: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for it, right, pat, _trap in judged:
        c = counts.setdefault(it.component, Counts())
        if it.confidence < threshold:
            c.possible += 1
            c.possible_right += right
            continue
        c.items += 1
        c.right += right
        if right and pat:
            hit[it.component].add(pat)
    for comp in COMPONENTS:
        c = counts[comp]
        t = entry.truth.get(comp, Truth())
        pats = [p for _k, p in t.patterns()]
        c.patterns = len(pats)
        got = hit[comp] | (set().union(*(hit[p] for p in PAPERS)) if comp in PAPERS else set())
        c.patterns_hit = sum(1 for p in pats if p in got)
        said = c.items > 0
        c.tp, c.fp, c.fn, c.tn = (int(said and t.present), int(said and not t.present), int(not said and t.present), int(not said and not t.present))
    return Result(entry, judged, counts, threshold)


# --------------------------------------------------------------------------------------------------
# report


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "  - "


def table(results: list[Result], title: str) -> str:
    total = {c: Counts() for c in COMPONENTS}
    for r in results:
        for c in COMPONENTS:
            total[c].add(r.counts[c])
    rows = [
        f"{title}: {len(results)} repositories, items below {results[0].threshold if results else 0:.2f} confidence are 'possible' and not counted",
        "",
        "| component | items | right | item precision | pattern recall | repos said/really | repo precision | repo recall | possible (right) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    all_c = Counts()
    for c in COMPONENTS:
        t = total[c]
        all_c.add(t)
        rows.append(
            f"| {c} | {t.items} | {t.right} | {_ratio(t.right, t.items)} | {_ratio(t.patterns_hit, t.patterns)} | {t.tp + t.fp}/{t.tp + t.fn} "
            f"| {_ratio(t.tp, t.tp + t.fp)} | {_ratio(t.tp, t.tp + t.fn)} | {t.possible} ({t.possible_right}) |"
        )
    t = all_c
    rows.append(
        f"| **all** | {t.items} | {t.right} | {_ratio(t.right, t.items)} | {_ratio(t.patterns_hit, t.patterns)} | {t.tp + t.fp}/{t.tp + t.fn} "
        f"| {_ratio(t.tp, t.tp + t.fp)} | {_ratio(t.tp, t.tp + t.fn)} | {t.possible} ({t.possible_right}) |"
    )
    return "\n".join(rows)


def rule_table(results: list[Result]) -> str:
    """Per (component, rule): items, right, precision and the confidences seen: which rules are calibrated."""
    agg: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0, 1.0, 0.0])
    for r in results:
        for it, right, _p, _t in r.items:
            a = agg[(it.component, it.rule)]
            a[0] += 1
            a[1] += right
            a[2] = min(a[2], it.confidence)
            a[3] = max(a[3], it.confidence)
    rows = ["| component | rule | items | right | precision | confidence |", "|---|---|---:|---:|---:|---|"]
    for (comp, rule), (n, ok, lo, hi) in sorted(agg.items()):
        conf = f"{lo:.2f}" if lo == hi else f"{lo:.2f}-{hi:.2f}"
        rows.append(f"| {comp} | {rule} | {n:.0f} | {ok:.0f} | {ok / n:.2f} | {conf} |")
    return "\n".join(rows)


def precision_by_component(results: list[Result]) -> dict[str, tuple[int, int]]:
    """component -> (right, counted items) over `results`."""
    out: dict[str, tuple[int, int]] = {}
    for c in COMPONENTS:
        right = sum(r.counts[c].right for r in results)
        items = sum(r.counts[c].items for r in results)
        out[c] = (right, items)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["fixtures", "real"], help="measure only the fixtures or only the real snapshots")
    ap.add_argument("--repo", action="append", default=[], help="only this repository (owner/name or fixtures/<name>); repeatable")
    ap.add_argument("--show-wrong", action="store_true", help="list every counted item judged wrong")
    ap.add_argument("--show-possible", action="store_true", help="also list wrong items below the threshold")
    ap.add_argument("--show-all", action="store_true", help="list every item with its judgement")
    ap.add_argument("--per-repo", action="store_true", help="one line per repository: items, right, wrong")
    ap.add_argument("--by-rule", action="store_true", help="precision of every rule, counted and possible items alike (calibration)")
    ap.add_argument("--threshold", type=float, help="override possible_below")
    ap.add_argument("--labels", type=Path, default=LABELS)
    args = ap.parse_args(argv)
    threshold = possible_below() if args.threshold is None else args.threshold
    entries = load_labels(args.labels)
    if args.repo:
        entries = [e for e in entries if e.repo in args.repo]
    groups: dict[str, list[Result]] = {"fixture": [], "real": []}
    for e in entries:
        if args.only and e.source != args.only.rstrip("s") and not (args.only == "fixtures" and e.source == "fixture"):
            continue
        if not e.tree.is_dir():
            print(f"skip {e.repo}: no snapshot at {e.tree} (set MOFCHECK_REALREPOS to the folder of extracted snapshots)", file=sys.stderr)
            continue
        r = measure(e, threshold)
        groups[e.source].append(r)
        shown = [
            x
            for x in r.items
            if args.show_all
            or ((args.show_wrong and not x[1] and x[0].confidence >= threshold) or (args.show_possible and not x[1] and x[0].confidence < threshold))
        ]
        if args.per_repo:
            n = sum(1 for x in r.items if x[0].confidence >= threshold)
            ok = sum(1 for x in r.items if x[0].confidence >= threshold and x[1])
            print(f"{e.repo:55} items {n:5}  right {ok:5}  wrong {n - ok:5}")
        for it, right, _pat, trap in shown:
            mark = "ok   " if right else ("TRAP " if trap else "wrong")
            low = " (possible)" if it.confidence < threshold else ""
            print(f"{mark} {e.repo} | {it.component} | {normalise_target(it)} | {it.rule} {it.confidence:.2f}{low} | {it.source}:{it.line or ''}")
    if args.by_rule:
        print()
        print(rule_table([r for g in groups.values() for r in g]))
    for source, title in (("fixture", "Fixtures"), ("real", "Real snapshots")):
        if groups[source]:
            print()
            print(table(groups[source], title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
