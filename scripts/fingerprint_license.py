#!/usr/bin/env python3
"""Add (or replace) a license fingerprint in src/mofcheck/data/licenses/fingerprints.json, or a text.

For licenses mofcheck must recognise but does not ship the text of (AI model licenses whose terms do not
grant redistribution of the license text, none of them open): the hash of the normalised text (exact
match), its set of words (similarity ranking) and its hashed word 5-grams (verification and the lines of
each edit), made from a local copy of the text its owner publishes. No text is stored.

    .venv/bin/python scripts/fingerprint_license.py LICENSE --id LicenseRef-Llama-3 \
        --repo meta-llama/llama3 --path LICENSE --commit <sha> --retrieved 2026-05-30

With --text TERMS the text itself is stored instead, in data/licenses/owner-texts.json (licenses whose
owner allows copying the text, TERMS saying where; open licenses need their text: the "modified"
diagnostics and the variable parts rest on it):

    .venv/bin/python scripts/fingerprint_license.py LICENSE.OpenMDW-1.1 --id LicenseRef-OpenMDW-1.1 \
        --repo OpenMDW/OpenMDW --path 1.1/LICENSE.OpenMDW-1.1 --commit <sha> --retrieved 2026-12-03 \
        --text "README.md: the license text is made available for use, modification and redistribution"

Then rebuild the reference data: scripts/refresh_license_texts.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mofcheck.licenses import table  # noqa: E402
from mofcheck.licenses.fingerprint import shingle_hashes  # noqa: E402
from mofcheck.licenses.normalize import NORMALIZER_VERSION, normalize, text_hash  # noqa: E402

OUT = ROOT / "src" / "mofcheck" / "data" / "licenses" / "fingerprints.json"
TEXTS_OUT = OUT.with_name("owner-texts.json")


def fingerprint(text: str, lid: str, source: dict[str, str]) -> dict:
    norm = normalize(text)
    entry = table.get(lid)
    return {
        "id": lid,
        "name": entry.name if entry else lid,
        "source": source,
        "hash": text_hash(norm.text),
        "n": len(norm.tokens),
        "cut": " ".join(norm.cut),
        "words": " ".join(sorted(set(norm.tokens))),
        "shingles": sorted(set(shingle_hashes(norm.tokens))),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a local copy of the license text")
    parser.add_argument("--id", required=True, help="the license's id in licenses.yaml")
    parser.add_argument("--repo", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--commit", required=True)
    parser.add_argument("--retrieved", required=True, help="YYYY-MM-DD")
    parser.add_argument("--text", metavar="TERMS", help="store the text (owner-texts.json); TERMS: where its owner allows copying it")
    args = parser.parse_args(argv)
    if table.get(args.id) is None:
        parser.error(f"{args.id} is not in licenses.yaml")
    source = {"repo": args.repo, "path": args.path, "commit": args.commit, "retrieved": args.retrieved}
    if args.text:
        return store_text(args, source | {"terms": args.text})
    item = fingerprint(args.file.read_text("utf-8"), args.id, source)
    data = json.loads(OUT.read_text("utf-8")) if OUT.is_file() else {"normalizer": NORMALIZER_VERSION, "licenses": []}
    if data.get("normalizer") != NORMALIZER_VERSION:
        parser.error("fingerprints.json was made by another normaliser: re-make every fingerprint")
    kept = [x for x in data["licenses"] if not (x["id"] == args.id and x["source"]["path"] == args.path and x["source"]["repo"] == args.repo)]
    data["licenses"] = sorted(kept + [item], key=lambda x: (x["id"], x["source"]["repo"], x["source"]["path"]))
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{args.id}: {item['n']} words, {len(item['shingles'])} shingles")
    return 0


def store_text(args: argparse.Namespace, source: dict[str, str]) -> int:
    text = args.file.read_text("utf-8")
    item = {"id": args.id, "name": table.get(args.id).name, "source": source, "text": text}
    data = json.loads(TEXTS_OUT.read_text("utf-8")) if TEXTS_OUT.is_file() else {"licenses": []}
    kept = [x for x in data["licenses"] if x["id"] != args.id]
    data["licenses"] = sorted(kept + [item], key=lambda x: x["id"])
    TEXTS_OUT.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{args.id}: text of {len(normalize(text).tokens)} words stored")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
