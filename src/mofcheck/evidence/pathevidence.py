"""Evidence from the listing itself: files whose name and place show a component, weights linked from
code, vendored trees."""

from __future__ import annotations

import re

from ..framework import role
from ..model import Evidence, Finding
from .items import EvidenceSet, possible_below
from .rules import component_rules

_URL = re.compile(r"""https?://[^\s"'<>()\[\]{}`]+""")
_SOURCE_FILE = re.compile(r"[^/]+\.(py|sh|js|mjs|ts|lua|rs|go|jl)")
_TESTS_DIR = re.compile(r"(^|/)(tests?|testing|unittests?|__tests__)/", re.IGNORECASE)
CODE_URL_READ_LIMIT = 16 * 1024
MAX_CODE_FILES = 300
MAX_CODE_DEPTH = 1  # the root and one package directory


def components_from_paths(ev: EvidenceSet) -> None:
    floor = possible_below()  # once, not once a file: a 100k-file tree has ~50k matches
    for name, kinds in component_rules()["components"].items():
        found = ev.found_for(name)
        for kind, confidence in (kinds or {}).items():
            plain = f"{kind.replace('_', ' ')} file"
            rules: dict[str, str] = {}  # rule id -> its evidence rule, built once
            for m in ev.index.matches(kind):
                f = m.file
                rule = rules.get(m.rule) or rules.setdefault(m.rule, f"paths.{m.rule}")
                detail = plain
                if kind == "weights":
                    lfs = f.lfs
                    detail = f"weights as a Git LFS pointer ({lfs.size} bytes stored in LFS)" if lfs else "weights file (not opened)"
                found.add(Evidence("file", rule, detail, f.path, None, confidence * m.weight), path=f.path, floor=floor)
    # Papers: a committed PDF's name says report or paper.
    for m in ev.index.matches("paper"):
        name = m.file.path.lower()
        target = role("technical-report") if re.search(r"report|technical|whitepaper|white[-_ ]paper|model[-_ ]?card", name) else role("research-paper")
        if m.file.name.lower().startswith("citation") or name.endswith(".bib"):
            target = role("research-paper")
        ev.found_for(target).add(Evidence("file", f"paths.{m.rule}", f"{target.lower()} file", m.file.path, None, 0.8 * m.weight), path=m.file.path)


_DATA_CODE_DIR = re.compile(r"(^|/)(data|datasets?|data[-_]?prep\w*|\w*datasets?_processing\w*|evals?|evaluation|benchmarks?)/", re.IGNORECASE)


def code_weight_urls(ev: EvidenceSet) -> None:
    """Weights linked from code (whisper's and CLIP's model URL tables): the release links its weights.
    Not data code (a dataset loader's download URL), and an archive URL only when it says model.

    Candidates by place: source files at the root or at a package's top level (whisper/__init__.py,
    clip/clip.py), where such tables live; deeper files are never read, so the reads do not grow with
    the size of the code base (bench/bench_olmo.py)."""
    from .cardmarkdown import rules as card_rules
    from .refjudge import weights_url

    rx = re.compile(card_rules()["weights"]["weights_url"], re.IGNORECASE)
    found = ev.found_for(role("final-weights"))
    files = [
        f
        for f in ev.repo.files
        if f.path.count("/") <= MAX_CODE_DEPTH
        and _SOURCE_FILE.fullmatch(f.name)
        and not f.is_submodule
        and not _TESTS_DIR.search(f.path)
        and not _DATA_CODE_DIR.search(f.path)
        and not ev.index.is_vendored(f.path)
    ]
    files.sort(key=lambda f: (f.path.count("/"), f.path))
    for f in files[:MAX_CODE_FILES]:
        res = ev.repo.read_text(f.path, limit=CODE_URL_READ_LIMIT, head=True)
        if not res.ok or not res.text or "://" not in res.text:
            continue
        for m in _URL.finditer(res.text):
            url = m.group(0).rstrip(".,;:'\"")
            conf = weights_url(url) if rx.match(url) else None
            if conf is not None:
                line = res.text.count("\n", 0, m.start()) + 1
                found.add(Evidence("weights", "code.weights-url", f"weights URL in code: {url}", f.path, line, conf), url=url)


def vendored(ev: EvidenceSet) -> None:
    for root in ev.index.vendored_roots:
        ev.findings.append(Finding.of("evidence.vendored", f"{root}/: vendored third-party code; not counted as the release's own code or license", root, None))


__all__ = ["components_from_paths", "code_weight_urls", "vendored"]
