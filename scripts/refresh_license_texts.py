#!/usr/bin/env python3
"""Rebuild the license reference texts used by `mofcheck identify`.

Sources (downloaded with the ordinary package clients, nothing else):
  * the ScanCode LicenseDB shipped in the scancode-toolkit-mini wheel on PyPI
    (licensedcode/data/licenses/*.LICENSE: YAML front matter + text; data CC-BY-4.0);
  * the SPDX License List texts in the npm package spdx-license-list (spdx-full.json; CC0-1.0),
    used as a second reference text where its normalised text differs from ScanCode's.

Only normalised texts of the licenses worth matching are kept (deprecated, generic/unknown keys and the
Commercial / CLA / Patent License / Unstated License categories are left out). Written to
src/mofcheck/data/licenses/texts/: index.json.gz (ids, names, exact-match hashes, vocabulary),
wordsets.bin.gz (one bitmap of vocabulary words per text, for the similarity ranking), texts.json.gz (the
normalised texts, read only when a diff is needed) and ATTRIBUTION.md.

    .venv/bin/python scripts/refresh_license_texts.py            # download and rebuild
    .venv/bin/python scripts/refresh_license_texts.py --wheel W.whl --spdx-tgz spdx-license-list.tgz
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mofcheck.licenses.normalize import NORMALIZER_VERSION, normalize, text_hash  # noqa: E402

SCANCODE = ("scancode-toolkit-mini", "32.5.0")
SPDX_NPM = ("spdx-license-list", "6.12.0")
OUT = ROOT / "src" / "mofcheck" / "data" / "licenses" / "texts"
SKIP_CATEGORIES = {"Commercial", "CLA", "Patent License", "Unstated License"}
MIN_TOKENS = 15  # shorter texts are notices or references, not license texts


def download_wheel(tmp: Path) -> Path:
    name, version = SCANCODE
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", f"{name}=={version}", "-d", str(tmp)],
                   check=True)
    return next(tmp.glob("scancode_toolkit_mini-*.whl"))


def download_spdx(tmp: Path) -> Path:
    name, version = SPDX_NPM
    subprocess.run(["npm", "pack", "--silent", f"{name}@{version}"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    return next(tmp.glob("spdx-license-list-*.tgz"))


def read_scancode(wheel: Path) -> list[dict]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    out = []
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            name = info.filename
            if not (name.startswith("licensedcode/data/licenses/") and name.endswith(".LICENSE")):
                continue
            if info.file_size > 2_000_000:
                continue
            raw = archive.read(info).decode("utf-8", "replace")
            _, front, text = raw.split("---", 2) if raw.startswith("---") else ("", "", raw)
            meta = yaml.load(front) or {}
            out.append({"meta": meta, "text": text})
    return out


def read_spdx(tgz: Path) -> dict:
    with tarfile.open(tgz) as archive:
        member = archive.getmember("package/spdx-full.json")
        data = archive.extractfile(member).read()
    return json.loads(data)


def build(wheel: Path, spdx_tgz: Path | None) -> dict:
    entries: list[dict] = []
    seen: dict[tuple[str, str], bool] = {}
    by_spdx: dict[str, list[str]] = {}
    for item in read_scancode(wheel):
        meta = item["meta"]
        if meta.get("is_deprecated") or meta.get("is_generic") or meta.get("is_unknown"):
            continue
        if meta.get("category") in SKIP_CATEGORIES:
            continue
        norm = normalize(item["text"])
        if len(norm.tokens) < MIN_TOKENS:
            continue
        spdx = meta.get("spdx_license_key") or f"LicenseRef-scancode-{meta['key']}"
        entry = {
            "id": spdx,
            "key": meta["key"],
            "name": meta.get("name") or meta.get("short_name") or meta["key"],
            "category": meta.get("category"),
            "exception": bool(meta.get("is_exception")),
            "source": "scancode",
            "u": len(set(norm.tokens)),
            "text": norm.text,
            "cut": " ".join(norm.cut),
        }
        entries.append(entry)
        by_spdx.setdefault(spdx, []).append(norm.text)
        seen[(spdx, norm.text)] = True
    spdx_version = None
    if spdx_tgz is not None:
        spdx_version = SPDX_NPM[1]
        from mofcheck.licenses import table

        texts_seen = {text for _, text in seen}
        # "-only" before "-or-later": the same text under both ids is kept once, as the plain license.
        for spdx_id, item in sorted(read_spdx(spdx_tgz).items(), key=lambda kv: ("-or-later" in kv[0], kv[0])):
            entry = table.get(spdx_id)
            if entry is not None and entry.deprecated:
                continue
            text = item.get("licenseText") or ""
            norm = normalize(text)
            if len(norm.tokens) < MIN_TOKENS or norm.text in texts_seen:
                continue
            texts_seen.add(norm.text)
            key = None
            entries.append({
                "id": spdx_id,
                "key": key,
                "name": item.get("name") or spdx_id,
                "category": None,
                "exception": False,
                "source": "spdx",
                "u": len(set(norm.tokens)),
                "text": norm.text,
                "cut": " ".join(norm.cut),
            })
            seen[(spdx_id, norm.text)] = True
    entries.sort(key=lambda e: (e["id"], e["source"], e["key"] or ""))
    return {
        "format": 1,
        "normalizer": NORMALIZER_VERSION,
        "sources": {
            "scancode": {"package": f"{SCANCODE[0]}=={SCANCODE[1]} (PyPI)", "license": "CC-BY-4.0"},
            "spdx": {"package": f"{SPDX_NPM[0]}@{spdx_version} (npm)", "license": "CC0-1.0"} if spdx_version else None,
        },
        "licenses": entries,
    }


ATTRIBUTION = """# License reference texts: attribution

`texts.json.gz` holds normalised (lower-cased, punctuation-free) license texts used only to recognise
license files; `index.json.gz` and `wordsets.bin.gz` are indexes derived from them. They are generated by
`scripts/refresh_license_texts.py`; do not edit them by hand.

* **ScanCode LicenseDB** texts and metadata (keys, SPDX keys, categories), from the
  `{scancode}` wheel on PyPI (`licensedcode/data/licenses/*.LICENSE`).
  Copyright nexB Inc. and others, https://github.com/aboutcode-org/scancode-toolkit.
  The LicenseDB data is licensed under the **Creative Commons Attribution 4.0 International license
  (CC-BY-4.0)**. The texts were normalised (changed) by mofcheck.
* **SPDX License List** texts, from the `{spdx}` package on npm (`spdx-full.json`),
  derived from https://github.com/spdx/license-list-data. The SPDX License List data is
  licensed under **CC0-1.0**. Used as second reference texts where they differ from ScanCode's.

Each license text keeps the license of its own authors; the texts are included only to identify them.

Counts: {count} reference texts, {ids} license ids ({scancode_n} from ScanCode, {spdx_n} from SPDX).
"""


def _gzip(payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write(payload)
    return buffer.getvalue()


def write_outputs(out: Path, data: dict) -> list[int]:
    """index.json.gz + wordsets.bin.gz + texts.json.gz; returns their sizes."""
    entries = data["licenses"]
    frequency: dict[str, int] = {}
    for entry in entries:
        for word in set(entry["text"].split()):
            frequency[word] = frequency.get(word, 0) + 1
    vocab = sorted(frequency, key=lambda w: (-frequency[w], w))  # frequent words first: smaller bitmaps
    ids = {w: i for i, w in enumerate(vocab)}
    width = (len(vocab) + 7) // 8
    bitmaps = bytearray()
    for entry in entries:
        bits = bytearray(width)
        for word in set(entry["text"].split()):
            bits[ids[word] >> 3] |= 1 << (ids[word] & 7)
        bitmaps += bits
    meta = []
    for entry in entries:
        item = {k: v for k, v in entry.items() if k != "text"}
        item["hash"] = text_hash(entry["text"])
        item["head"] = " ".join(entry["text"].split()[:30])
        meta.append(item)
    index = {k: v for k, v in data.items() if k != "licenses"} | {"vocab": vocab, "licenses": meta}
    files = {
        "index.json.gz": _gzip(json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")),
        "wordsets.bin.gz": _gzip(bytes(bitmaps)),
        "texts.json.gz": _gzip(json.dumps([e["text"] for e in entries], separators=(",", ":")).encode("utf-8")),
    }
    stale = out / "licenses.json.gz"
    if stale.exists():
        stale.unlink()
    for name, payload in files.items():
        (out / name).write_bytes(payload)
    return [len(p) for p in files.values()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a scancode-toolkit(-mini) wheel already downloaded")
    parser.add_argument("--spdx-tgz", type=Path, help="an spdx-license-list npm tarball already downloaded")
    parser.add_argument("--no-spdx", action="store_true", help="ScanCode texts only")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        wheel = args.wheel or download_wheel(tmp)
        spdx_tgz = None if args.no_spdx else (args.spdx_tgz or download_spdx(tmp))
        data = build(wheel, spdx_tgz)
    args.out.mkdir(parents=True, exist_ok=True)
    entries = data["licenses"]
    sizes = write_outputs(args.out, data)
    (args.out / "ATTRIBUTION.md").write_text(ATTRIBUTION.format(
        scancode=f"{SCANCODE[0]}=={SCANCODE[1]}", spdx=f"{SPDX_NPM[0]}@{SPDX_NPM[1]}", count=len(entries),
        ids=len({e["id"] for e in entries}), scancode_n=sum(e["source"] == "scancode" for e in entries),
        spdx_n=sum(e["source"] == "spdx" for e in entries)), encoding="utf-8")
    print(f"wrote {len(entries)} texts, {sum(sizes) / 1e6:.2f} MB to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
