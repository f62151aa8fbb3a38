#!/usr/bin/env python3
"""Regenerate the derived half of the labelled license corpus (generated/ and its labels.tsv rows).

The variants are made from the ScanCode LicenseDB texts (CC-BY-4.0) in the scancode-toolkit-mini wheel
and the SPDX texts in the spdx-license-list npm package, the same sources as
scripts/refresh_license_texts.py. The hand-written samples in handwritten/ are kept as they are.

    .venv/bin/python tests/data/license-variants/generate.py --wheel W.whl --spdx-tgz S.tgz

labels.tsv: path, expected license (the id in mofcheck's license table, or `none` for a text that must not
be identified), appended licenses (comma-separated), note.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import tarfile
import textwrap
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GEN = HERE / "generated"

OPEN = [  # scancode key, variants
    ("mit", 6), ("apache-2.0", 6), ("bsd-new", 5), ("bsd-simplified", 4), ("isc", 3), ("zlib", 2),
    ("unlicense", 2), ("cc0-1.0", 2), ("mpl-2.0", 3), ("gpl-2.0", 3), ("gpl-3.0", 3), ("lgpl-2.1", 2),
    ("lgpl-3.0", 2), ("agpl-3.0", 2), ("epl-2.0", 2), ("cc-by-4.0", 4), ("cc-by-sa-4.0", 3), ("cc-by-3.0", 2),
    ("cdla-permissive-2.0", 3), ("cdla-permissive-1.0", 1), ("cdla-sharing-1.0", 1), ("odc-by-1.0", 2),
    ("odbl-1.0", 2), ("pddl-1.0", 2), ("openmdw-1.0", 3), ("boost-1.0", 2), ("bsd-zero", 1), ("mit-0", 1),
    ("artistic-2.0", 1), ("eupl-1.2", 1), ("ms-pl", 1), ("postgresql", 1), ("ofl-1.1", 1), ("wtfpl-2.0", 1),
    ("apache-1.1", 1), ("mpl-1.1", 1), ("bsd-original", 1),
]
SHAPES = ["agpl-3.0", "eupl-1.2", "gpl-2.0", "gpl-3.0", "mpl-2.0"]  # more texts the shapes below read
CLOSED = [
    ("cc-by-nc-4.0", 4), ("cc-by-nd-4.0", 2), ("cc-by-nc-sa-4.0", 2), ("cc-by-nc-nd-4.0", 2), ("cc-by-nc-3.0", 2),
    ("llama-2-license-2023", 2), ("llama-3.1-license-2024", 2), ("llama-3.2-license-2024", 2),
    ("llama-3.3-license-2024", 2), ("llama-4-license-2025", 2), ("gemma-tou-2024-04-01", 2),
    ("bigscience-open-rail-m", 2), ("stable-diffusion-2022-08-22", 2), ("bigcode-open-rail-m-v1", 2),
    ("bigscience-open-rail-m2", 2), ("bigscience-rail-1.0", 1), ("deepseek-la-1.0", 2),
    ("tongyi-qianwen-2023", 2), ("falcon-2-11b-1.0", 2), ("nvidia-open-model-2025-04-28", 2),
]
SPDX_TEXTS = ["MIT", "Apache-2.0", "BSD-3-Clause", "BSD-2-Clause", "ISC", "GPL-3.0-only", "MPL-2.0", "CC-BY-4.0",
              "CC-BY-NC-4.0", "OpenMDW-1.0", "CDLA-Permissive-2.0", "Unlicense"]
SPDX_SHAPES = ["CC0-1.0", "EUPL-1.2"]

# Clauses a near-miss adds: each makes the text a different, restricted license.
CLAUSES = [
    "The Software may not be used for commercial purposes without the prior written consent of the authors.",
    "You agree not to use the Software or any derivative of it for military purposes or to harm others.",
    "This license does not grant you the right to use the Model to train or improve any other large language model.",
    "If the products or services made available by you had more than 100 million monthly active users, you must "
    "request a license from the Licensor, which it may grant in its sole discretion.",
    "Use of the Materials must comply with the Acceptable Use Policy published by the Licensor, as updated from "
    "time to time.",
    "The Software is provided for research and evaluation purposes only.",
]
AUP = """Acceptable Use Policy

You agree you will not use, or allow others to use, the Model to:
1. Violate the law or others' rights, including to engage in illegal or harmful activity.
2. Generate content for military or weapons purposes.
3. Harass, abuse, threaten, stalk or bully individuals.
The Licensor may update this policy from time to time.
"""


def read_sources(wheel: Path, spdx_tgz: Path) -> tuple[dict[str, tuple[dict, str]], dict[str, str]]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    scancode: dict[str, tuple[dict, str]] = {}
    wanted = {k for k, _ in OPEN + CLOSED} | set(SHAPES)
    with zipfile.ZipFile(wheel) as archive:
        for key in wanted:
            raw = archive.read(f"licensedcode/data/licenses/{key}.LICENSE").decode("utf-8")
            _, front, text = raw.split("---", 2)
            scancode[key] = (yaml.load(front), text.strip("\n") + "\n")
    with tarfile.open(spdx_tgz) as archive:
        full = json.loads(archive.extractfile("package/spdx-full.json").read())
    spdx = {k: full[k]["licenseText"] for k in SPDX_TEXTS + SPDX_SHAPES}
    return scancode, spdx


def canonical(meta: dict) -> str:
    from mofcheck.licenses import table

    entry = table.from_scancode(meta["key"])
    return entry.id if entry else meta.get("spdx_license_key") or f"LicenseRef-scancode-{meta['key']}"


# --- transforms -------------------------------------------------------------------------------------------


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def rewrap(text: str, width: int) -> str:
    """Re-flow each paragraph; copyright lines stay lines of their own, as people keep them."""
    out = []
    for para in paragraphs(text):
        kept, body = [], []
        for line in para.split("\n"):
            (kept if line.strip().lower().startswith("copyright") and not body else body).append(line.strip())
        words = " ".join(body).split()
        flowed = textwrap.fill(" ".join(words), width=width) if width else " ".join(words)
        out.append("\n".join(kept + ([flowed] if words else [])))
    return "\n\n".join(out) + "\n"


def crlf_bom(text: str) -> str:
    return "\ufeff" + text.replace("\n", "\r\n")


def markdown(text: str, title: str) -> str:
    body = re.sub(r"(https?://[^\s)>\]]+[^\s)>\].,;])", r"[\1](\1)", text)
    body = re.sub(r'"([A-Z][A-Za-z ]{2,30})"', r'**"\1"**', body)
    body = re.sub(r"^(\s*)(\d{1,2})\.\s", r"\1\2. ", body, flags=re.M)
    return f"# {title}\n\n{body}"


def to_html(text: str, title: str) -> str:
    paras = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in paragraphs(text))
    return f"<html><body>\n<h1>{html.escape(title)}</h1>\n{paras}\n</body></html>\n"


def smart(text: str) -> str:
    text = re.sub(r'"([^"\n]{1,80})"', "\u201c\\1\u201d", text)
    return text.replace("'", "\u2019").replace(" - ", " \u2014 ").replace("--", "\u2013")


def british(text: str) -> str:
    return re.sub(r"\b([Ll])icense(s?)\b(?!\s*\()", r"\1icence\2", text).replace("authorized", "authorised")


def fill_copyright(text: str, rng: random.Random) -> str:
    holder = rng.choice(["Acme Research Labs, Inc.", "The Example Project Authors", "NVIDIA CORPORATION",
                         "Jane Q. Developer <jane@example.org>", "Contoso AI GmbH"])
    year = rng.choice(["2019", "2021-2024", "2023", "2016, 2017"])
    text = (text.replace("<year>", year).replace("[yyyy]", year).replace("<copyright holders>", holder)
            .replace("[name of copyright owner]", holder).replace("ORGANIZATION", holder.split(",")[0])
            .replace("<OWNER>", holder))
    return f"Copyright (c) {year} {holder}\nAll rights reserved.\n\n{text}"


def indent(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else line for line in text.split("\n"))


def bullets(text: str) -> str:
    return re.sub(r"^(\s*)\(?([a-z]|\d{1,2})[.)]\s+", r"\1* ", text, flags=re.M)


def apply(text: str, title: str, kinds: list[str], rng: random.Random) -> tuple[str, str]:
    ext = "txt"
    for kind in kinds:
        if kind == "wrap":
            text = rewrap(text, rng.choice([0, 50, 66, 100, 120]))
        elif kind == "copyright":
            text = fill_copyright(text, rng)
        elif kind == "smart":
            text = smart(text)
        elif kind == "british":
            text = british(text)
        elif kind == "indent":
            text = indent(text)
        elif kind == "bullets":
            text = bullets(text)
        elif kind == "title":
            text = f"{title}\n\n{text}"
        elif kind == "markdown":
            text, ext = markdown(text, title), "md"
        elif kind == "html":
            text, ext = to_html(text, title), "html"
        elif kind == "crlf":
            text = crlf_bom(text)
    return text, ext


FORMATTING = [["wrap"], ["copyright", "wrap"], ["markdown"], ["html"], ["crlf"], ["smart", "british"],
              ["indent", "bullets"], ["title", "copyright"], ["copyright", "markdown", "crlf"], ["wrap", "smart"]]


# --- near misses ----------------------------------------------------------------------------------------


def insert_clause(text: str, clause: str, rng: random.Random) -> str:
    paras = paragraphs(text)
    at = rng.randrange(1, max(len(paras), 2))
    paras.insert(at, clause)
    return "\n\n".join(paras) + "\n"


def scramble(text: str, rng: random.Random) -> str:
    sentences = re.split(r"(?<=[.;])\s+", " ".join(text.split()))
    rng.shuffle(sentences)
    return rewrap(" ".join(sentences), 80)


def write(rows: list[tuple[str, str, str, str]], name: str, text: str, expected: str, appended: str, note: str,
          ext: str = "txt") -> None:
    path = GEN / f"{name}.{ext}"
    path.write_bytes(text.encode("utf-8"))
    rows.append((f"generated/{path.name}", expected, appended, note))


def generate(scancode: dict[str, tuple[dict, str]], spdx: dict[str, str]) -> list[tuple[str, str, str, str]]:
    rng = random.Random(20260424)
    rows: list[tuple[str, str, str, str]] = []
    for key, count in OPEN + CLOSED:
        meta, text = scancode[key]
        title = meta.get("name") or key
        for n in range(count):
            kinds = FORMATTING[(n + len(key)) % len(FORMATTING)]
            out, ext = apply(text, title, kinds, rng)
            write(rows, f"{key}-{n}", out, canonical(meta), "", "+".join(kinds), ext)
    for spdx_id, text in [(k, spdx[k]) for k in SPDX_TEXTS]:
        from mofcheck.licenses import table

        out, ext = apply(text, spdx_id, ["copyright", "wrap"], rng)
        write(rows, f"spdx-{spdx_id}", out, table.resolve_id(spdx_id) or spdx_id, "", "SPDX text, rewrapped", ext)
    # Near misses: open texts with an added clause, a changed grant, or mixed up.
    for n, key in enumerate(["mit", "apache-2.0", "bsd-new", "bsd-simplified", "isc", "cc-by-4.0", "mpl-2.0",
                             "cdla-permissive-2.0", "openmdw-1.0", "gpl-3.0", "unlicense", "zlib"]):
        meta, text = scancode[key]
        clause = CLAUSES[n % len(CLAUSES)]
        write(rows, f"nearmiss-{key}-clause", insert_clause(text, clause, rng), "none", "", "added clause: " + clause)
    for key in ["mit", "apache-2.0", "cc-by-4.0", "bsd-new", "cdla-permissive-2.0"]:
        meta, text = scancode[key]
        write(rows, f"nearmiss-{key}-aup", text + "\n\n" + AUP, "none", "", "acceptable-use policy appended")
        write(rows, f"nearmiss-{key}-scrambled", scramble(text, rng), "none", "", "sentences shuffled")
    meta, mit = scancode["mit"]
    write(rows, "nearmiss-mit-nosell", mit.replace("and/or sell", "and/or").replace("sublicense, ", ""), "none", "",
          "grant narrowed: no sublicense or sale")
    write(rows, "nearmiss-mit-nc-title", "Non-Commercial MIT License\n\n" + mit, "none", "", "restricting title")
    meta, apache = scancode["apache-2.0"]
    write(rows, "nearmiss-apache-truncated", apache[: len(apache) // 2], "none", "", "first half only")
    write(rows, "nearmiss-apache-nopatent",
          re.sub(r"3\. Grant of Patent License\..*?(?=4\. Redistribution)", "", apache, flags=re.S), "none", "",
          "patent grant removed")
    meta, ccby = scancode["cc-by-4.0"]
    write(rows, "nearmiss-ccby-nc-prefix", "For non-commercial use only.\n\n" + ccby, "none", "",
          "restriction before CC-BY")
    meta, llama = scancode["llama-3.1-license-2024"]
    write(rows, "nearmiss-llama31-as-34", llama.replace("3.1", "3.4"), "none", "", "version changed throughout")
    # Several licenses in one file.
    bsd = scancode["bsd-new"][1].replace("the ORGANIZATION", "NVIDIA CORPORATION")
    write(rows, "multi-apache-bsd-nvidia",
          apache + "\n\n-----------------------------------------------------------------\n"
          "This repository also contains code from NVIDIA under the following license:\n\n"
          "Copyright (c) 2021, NVIDIA CORPORATION. All rights reserved.\n\n" + bsd,
          "Apache-2.0", "BSD-3-Clause", "Apache-2.0 then a BSD-3 third-party notice")
    write(rows, "multi-mit-apache",
          fill_copyright(mit, rng) + "\n\nThird-party software\n====================\n\n"
          "tokenizer/ is derived from Example Tokenizers, licensed as follows:\n\n" + apache,
          "MIT", "Apache-2.0", "MIT then Apache-2.0")
    write(rows, "multi-apache-mit-bsd2",
          apache + "\n\nTHIRD-PARTY NOTICES\n\n1) utils/fast_io.py\n\n" + fill_copyright(mit, rng) +
          "\n\n2) kernels/\n\n" + fill_copyright(scancode["bsd-simplified"][1], rng),
          "Apache-2.0", "MIT,BSD-2-Clause", "Apache-2.0 then MIT and BSD-2 notices")
    write(rows, "multi-apache-ccbync",
          apache + "\n\nThe model weights in weights/ are licensed differently:\n\n" + scancode["cc-by-nc-4.0"][1],
          "Apache-2.0", "CC-BY-NC-4.0", "code Apache-2.0, weights CC-BY-NC-4.0 appended")
    write(rows, "multi-mit-notice",
          mit + "\n\nThis product includes software developed by the Example Foundation "
          "(https://example.org/), and icons by a designer.\n",
          "none", "", "MIT then a notice that is more than an attribution (icons by a designer): modified")
    rows.extend(shapes(scancode, spdx))
    return rows


NOTE_NVIDIA = ("This repository also contains code from NVIDIA (the Megatron-LM project) and from Facebook (the\n"
               "Fairseq project). Files from these organizations have notices at the top of each file. Below are\n"
               "the licenses used in those files, as indicated.")


def _hash_comment(text: str) -> str:
    return "\n".join("# " + line if line.strip() else "#" for line in text.strip("\n").split("\n"))


def _markdown_rich(text: str, title: str) -> str:
    """Markdown as people write license files: heading, rule, bold terms, numbered sections as headings,
    lettered items as bullets, links and emphasis."""
    out = [f"# {title}", "", "---", ""]
    for para in paragraphs(text):
        flat = " ".join(para.split())
        m = re.match(r"^(\d{1,2})\.\s+([A-Z][^.]{2,60}\.)\s*(.*)$", flat)
        if m:
            out += [f"## {m.group(1)}. {m.group(2)}", "", m.group(3) or "", ""]
            continue
        flat = re.sub(r"^\(([a-z])\)\s+", r"- **(\1)** ", flat)
        flat = re.sub(r'"([A-Z][A-Za-z ]{2,30})"', r'**"\1"**', flat)
        flat = re.sub(r"(https?://[^\s)>\]]+[^\s)>\].,;])", r"[\1](\1)", flat)
        out += [flat, ""]
    out += ["***", ""]
    return "\n".join(out)


def _xhtml(text: str, title: str) -> str:
    body = "\n".join(f"  <p>{html.escape(p.strip(), quote=True)}</p>" for p in paragraphs(text))
    body = body.replace("&quot;", "&#8220;", 1)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">\n<head>\n'
            f"  <meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\n  <title>{html.escape(title)}</title>\n"
            "  <style type=\"text/css\">body { font-family: serif; } p { margin: 1em; }</style>\n</head>\n<body>\n"
            f"  <h1>{html.escape(title)}</h1>\n  <!-- generated from the license text -->\n{body}\n</body>\n</html>\n")


def shapes(scancode: dict[str, tuple[dict, str]], spdx: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """The shapes real repositories keep licenses in (issue 9, part 2). A separate random stream, so the
    samples above stay as they were."""
    rng = random.Random(909)
    rows: list[tuple[str, str, str, str]] = []
    apache = scancode["apache-2.0"][1]
    mit = scancode["mit"][1].replace("<year> <copyright holders>", "Meta Platforms, Inc. and affiliates.")
    bsd = scancode["bsd-new"][1]
    # NVIDIA's copy: its name filled in, "HOLDERS ``AS IS''" and "COPYRIGHT OWNER" (variations SPDX lists)
    nvidia_bsd = "Copyright (c) 2024, NVIDIA CORPORATION. All rights reserved.\n\n" + re.sub(
        r"HOLDERS\s+AND\s+CONTRIBUTORS\s+\"AS\s+IS\"", "HOLDERS ``AS IS''",
        bsd.replace("the ORGANIZATION", "NVIDIA CORPORATION"))
    # Megatron-derived repositories: Apache-2.0, a note, then the NVIDIA BSD-3 and a Facebook MIT notice.
    write(rows, "shape-apache-megatron-notices",
          apache + "\n--\n\n" + NOTE_NVIDIA + "\n\n\n------------- LICENSE FOR NVIDIA code  --------------\n\n\n"
          + _hash_comment(nvidia_bsd) + "\n\n------------- LICENSE FOR Facebook Fairseq code --------------\n\n"
          "MIT License\n\n" + mit, "Apache-2.0", "BSD-3-Clause,MIT", "Megatron-style: Apache-2.0 + NVIDIA BSD-3 + MIT")
    write(rows, "shape-apache-megatron-restricted",
          apache + "\n--\n\n" + NOTE_NVIDIA + "\n\nCommercial use of the NVIDIA code requires a separate license.\n\n"
          "------------- LICENSE FOR NVIDIA code  --------------\n\n" + _hash_comment(nvidia_bsd),
          "none", "", "Megatron-style with a restriction in the note between the licenses")
    write(rows, "shape-mit-restriction-after", mit + "\nCompanies are excluded.\n", "none", "", "MIT + a sentence after it")
    # Markdown and HTML.
    for key, lid in [("apache-2.0", "Apache-2.0"), ("mit", "MIT"), ("bsd-new", "BSD-3-Clause"), ("cc-by-4.0", "CC-BY-4.0"),
                     ("gpl-3.0", "GPL-3.0-only"), ("mpl-2.0", "MPL-2.0")]:
        meta, text = scancode[key]
        write(rows, f"shape-{key}-markdown", _markdown_rich(text, meta.get("name") or key), lid, "",
              "markdown: heading, rule, section headings, bullets, bold, links", "md")
        write(rows, f"shape-{key}-xhtml", _xhtml(text, meta.get("name") or key), lid, "",
              "XHTML: XML prolog, doctype, head, style, comment, entities", "html")
    # GPL-3.0 without its "How to Apply" appendix; LGPL/AGPL the same.
    for key, lid in [("gpl-3.0", "GPL-3.0-only"), ("agpl-3.0", "AGPL-3.0-only"), ("gpl-2.0", "GPL-2.0-only")]:
        text = scancode[key][1]
        cut = text.split("END OF TERMS AND CONDITIONS")[0] + "END OF TERMS AND CONDITIONS\n"
        write(rows, f"shape-{key}-no-appendix", cut, lid, "", "without the How to Apply appendix")
    # CC0 and EUPL as people keep them.
    cc0 = scancode["cc0-1.0"][1]
    body = cc0[cc0.index("Statement of Purpose"):]
    write(rows, "shape-cc0-no-disclaimer", "CC0 1.0 Universal\n\n" + body, "CC0-1.0", "", "CC0 without the CC disclaimer")
    write(rows, "shape-cc0-github-md", "# CC0 1.0 Universal\n\n## Statement of Purpose\n\n" +
          body[len("Statement of Purpose"):].replace("\n1. ", "\n\n**1.** ").lstrip(), "CC0-1.0", "",
          "CC0 as markdown (GitHub style headings)", "md")
    write(rows, "shape-cc0-spdx", spdx["CC0-1.0"] if "CC0-1.0" in spdx else cc0, "CC0-1.0", "", "CC0, SPDX text")
    write(rows, "shape-cc0-added-clause", cc0.replace("Statement of Purpose", "Statement of Purpose\n\n"
          "This dedication does not apply to commercial users.", 1), "none", "", "CC0 with a clause")
    eupl = scancode["eupl-1.2"][1]
    write(rows, "shape-eupl-1.2-crlf", crlf_bom(eupl), "EUPL-1.2", "", "EUPL-1.2 as the EU publishes it (CRLF, BOM)")
    write(rows, "shape-eupl-1.2-no-appendix", eupl, "EUPL-1.2", "", "EUPL-1.2 without the appendix of compatible "
          "licences (ScanCode's text)")
    write(rows, "shape-eupl-1.2-appendix", rewrap(spdx["EUPL-1.2"], 72), "EUPL-1.2", "",
          "EUPL-1.2 with the appendix of compatible licences, re-wrapped")
    write(rows, "shape-eupl-1.2-markdown", _markdown_rich(eupl, "European Union Public Licence v. 1.2"), "EUPL-1.2", "",
          "EUPL-1.2 as markdown", "md")
    write(rows, "shape-eupl-1.2-us", eupl.replace("Licence", "License").replace("licence", "license"), "EUPL-1.2", "",
          "EUPL-1.2 with US spelling")
    write(rows, "shape-eupl-1.2-clause", eupl.replace("Any use of the Work, other than", "The Work may not be used by "
          "companies. Any use of the Work, other than", 1), "none", "", "EUPL-1.2 with a clause")
    del rng
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, required=True)
    parser.add_argument("--spdx-tgz", type=Path, required=True)
    args = parser.parse_args()
    scancode, spdx = read_sources(args.wheel, args.spdx_tgz)
    GEN.mkdir(exist_ok=True)
    for old in GEN.iterdir():
        old.unlink()
    rows = generate(scancode, spdx)
    labels = HERE / "labels.tsv"
    kept = []
    if labels.exists():
        kept = [line for line in labels.read_text("utf-8").splitlines()[1:] if line.startswith("handwritten/")]
    lines = ["path\texpected\tappended\tnote"] + ["\t".join(row) for row in rows] + kept
    labels.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} generated samples, {len(kept)} hand-written kept")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
