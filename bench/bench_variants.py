#!/usr/bin/env python3
"""The variant corpus: every labelled license sample of tests/data/license-variants/ made over in the ways
real files differ, and what identification makes of each, per license family (docs/identify.md).

    .venv/bin/python bench/bench_variants.py [--markdown] [--seed 9]

Kinds of variant (generated here, never stored):
  formatted   markdown (title, bold terms, bullets, rule), HTML (entities, prolog), re-wrapped, CRLF + BOM,
              quoted ("> "): must be identified as the license;
  edited      a restricting sentence inserted, a word replaced, a sentence removed: must be refused
              ("X, modified" or unknown), never the license;
  appended    the MIT text after a note ("Parts of this repository ... under the following license:"): must
              be the license with MIT appended; a restricting sentence after it: must be refused;
  truncated   the first half only: must be refused.
"Missed" counts the variants that came out otherwise; "false open" the refused kinds reported as an open
license (the bar: zero).
"""

from __future__ import annotations

import argparse
import csv
import html
import random
import re
import sys
import textwrap
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
CORPUS = ROOT / "tests" / "data" / "license-variants"

from mofcheck.licenses import table  # noqa: E402
from mofcheck.licenses.identify import identify_text, read_bounded  # noqa: E402
from mofcheck.licenses.normalize import normalize  # noqa: E402

MIT = (CORPUS / "handwritten" / "mit-github.txt").read_text("utf-8")
CLAUSES = [
    "This license does not apply to use by banks and insurers.",
    "You may not use the Work to train other models.",
    "Companies with more than 100 employees are excluded.",
]
WORDS = ["students", "researchers", "residents", "nonprofits"]


def family(lid: str) -> str:
    if lid.startswith("LicenseRef-"):
        return "AI and other custom licenses"
    for prefix, name in [
        ("CC-BY-NC", "Creative Commons NC/ND"),
        ("CC-BY-ND", "Creative Commons NC/ND"),
        ("CC", "Creative Commons (open)"),
        ("GPL", "GPL / LGPL / AGPL"),
        ("LGPL", "GPL / LGPL / AGPL"),
        ("AGPL", "GPL / LGPL / AGPL"),
        ("Apache", "Apache"),
        ("BSD", "BSD / 0BSD / ISC / MIT"),
        ("0BSD", "BSD / 0BSD / ISC / MIT"),
        ("ISC", "BSD / 0BSD / ISC / MIT"),
        ("MIT", "BSD / 0BSD / ISC / MIT"),
        ("CDLA", "open data (CDLA, ODC, PDDL, OpenMDW)"),
        ("ODC", "open data (CDLA, ODC, PDDL, OpenMDW)"),
        ("ODbL", "open data (CDLA, ODC, PDDL, OpenMDW)"),
        ("PDDL", "open data (CDLA, ODC, PDDL, OpenMDW)"),
        ("OpenMDW", "open data (CDLA, ODC, PDDL, OpenMDW)"),
    ]:
        if lid.startswith(prefix):
            return name
    return "other OSI / FSF (MPL, EPL, EUPL, Zlib, ...)"


def is_open(lid: str | None) -> bool:
    entry = table.lookup(lid) if lid else None
    return bool(entry and entry.open)


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def variants(text: str, rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, name, text) for one sample."""
    paras = paragraphs(text) or [text]
    if len(paras) == 1:  # one block (HTML, one-line files): its sentences stand for paragraphs
        paras = re.split(r"(?<=\.)\s+", text.strip()) or [text]
    mid = min(max(1, len(paras) // 2), len(paras) - 1)
    out = [
        (
            "formatted",
            "markdown",
            "# License\n\n---\n\n"
            + "\n\n".join(re.sub(r'"([A-Z][A-Za-z ]{2,30})"', r'**"\1"**', re.sub(r"^(\s*)\(([a-z])\)\s+", r"\1- (\2) ", p, flags=re.M)) for p in paras)
            + "\n\n***\n",
        ),
    ]
    if "<p>" not in text and "<html" not in text.lower():  # an HTML sample is not wrapped in HTML again
        out.append(
            ("formatted", "html", '<?xml version="1.0"?>\n<html><body>\n' + "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in paras) + "\n</body></html>\n")
        )
    out += [
        (
            "formatted",
            "rewrapped",
            "\n\n".join(textwrap.fill(" ".join(p.split()), rng.choice([50, 66, 100]), break_long_words=False, break_on_hyphens=False) for p in paras) + "\n",
        ),
        ("formatted", "crlf-bom", "\ufeff" + text.replace("\n", "\r\n")),
        ("formatted", "quoted", "\n".join("> " + line for line in text.split("\n"))),
        ("edited", "clause", "\n\n".join(paras[:mid] + [rng.choice(CLAUSES)] + paras[mid:]) + "\n"),
    ]
    words = paras[mid].split()
    if len(words) > 6:
        at = rng.randrange(2, len(words) - 2)
        out.append(("edited", "word", "\n\n".join(paras[:mid] + [" ".join(words[:at] + [rng.choice(WORDS)] + words[at + 1 :])] + paras[mid + 1 :]) + "\n"))
    sentences = re.split(r"(?<=\.)\s+", " ".join(paras[mid].split()))
    if len(sentences) > 1:
        drop = rng.randrange(len(sentences))
        out.append(("edited", "sentence-removed", "\n\n".join(paras[:mid] + [" ".join(sentences[:drop] + sentences[drop + 1 :])] + paras[mid + 1 :]) + "\n"))
    out.append(
        ("appended", "mit-after-note", text.rstrip() + "\n\n--\n\nParts of this repository (kernels/) are licensed under the following license:\n\n" + MIT)
    )
    out.append(("appended-restriction", "restriction-after", text.rstrip() + "\n\n" + rng.choice(CLAUSES) + "\n"))
    out.append(("truncated", "first-half", text[: len(text) // 2]))
    return out


def changed(original: str, variant: str) -> bool:
    """Did an edit change the license's words (not only its title, a notice or the CC preamble)?"""
    return normalize(original).tokens != normalize(variant).tokens


def judge(kind: str, lid: str, r) -> str:
    """identified | refused | missed | false-open."""
    said_open = is_open(r.license) and all(is_open(a) for a in r.appended)
    if kind == "formatted":
        return "identified" if r.license == lid and not r.modified else "missed"
    if kind == "appended":
        return "identified" if r.license == lid and r.appended[-1:] == ["MIT"] else "missed"
    if said_open:
        return "false-open"
    if r.license == lid and kind == "appended-restriction" and not is_open(lid):
        return "kept"  # text after a license that is not open changes nothing (Llama 2 + its use policy)
    return "refused" if r.license != lid else "missed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--markdown", action="store_true", help="print the table as markdown")
    parser.add_argument("--show-missed", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(CORPUS / "labels.tsv", encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["expected"] != "none" and not r["appended"]]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    missed = []
    t0 = time.perf_counter()
    n = 0
    for row in rows:
        lid = row["expected"]
        original = read_bounded(CORPUS / row["path"])
        for kind, name, text in variants(original, rng):
            if kind == "edited" and not changed(original, text):
                continue  # the sentence removed was a title, a notice or preamble: no edit of the terms
            r = identify_text(text)
            verdict = judge(kind, lid, r)
            n += 1
            fam = family(lid)
            counts[fam][f"{kind}:{verdict}"] += 1
            counts[fam]["variants"] += 1
            if verdict in ("missed", "false-open"):
                missed.append((row["path"], name, verdict, r.license, r.match, r.appended))
    elapsed = time.perf_counter() - t0
    kinds = [("formatted", "identified"), ("appended", "identified"), ("edited", "refused"), ("appended-restriction", "refused"), ("truncated", "refused")]
    head = [
        "family",
        "samples x variants",
        "formatted: identified",
        "appended: identified",
        "edited: modified/refused",
        "restriction after: refused (kept: not open)",
        "truncated: refused",
        "missed",
        "false open",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    total: dict[str, int] = defaultdict(int)
    for fam in sorted(counts):
        c = counts[fam]
        for key, value in c.items():
            total[key] += value
    for fam, c in sorted(counts.items()) + [("**all**", total)]:
        cells = [fam, str(c["variants"])]
        for kind, good in kinds:
            done = sum(v for k, v in c.items() if k.startswith(kind + ":"))
            kept = c.get(f"{kind}:kept", 0)
            cells.append(f"{c[f'{kind}:{good}']}/{done}" + (f" ({kept} kept)" if kept else ""))
        cells.append(str(sum(v for k, v in c.items() if k.endswith(":missed"))))
        cells.append(str(sum(v for k, v in c.items() if k.endswith(":false-open"))))
        lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines))
    print(f"\n{n} variants of {len(rows)} samples in {elapsed:.1f} s ({elapsed / max(n, 1) * 1e3:.1f} ms each)")
    if args.show_missed:
        for m in missed:
            print(*m, sep="\t")
    return 1 if any(m[2] == "false-open" for m in missed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
