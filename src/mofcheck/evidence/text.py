"""Evidence from text: model cards, data cards, READMEs (front matter, sections, statements, papers).

Glue between the repository and the text parsers (frontmatter, cards, statements, papers): which files to
read, and what each parsed fact means for which component.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import INFO, WARNING, Evidence, Finding
from .frontmatter import split_front_matter

if TYPE_CHECKING:
    from .collect import RepoEvidence

CARD_READ_LIMIT = 1024 * 1024
MAX_TEXT_FILES = 40


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


def collect_text_evidence(ev: "RepoEvidence") -> None:
    from .collect import Found, LicenseSource, _normalise, rules

    r = rules()
    for path, kind in _text_files(ev):
        res = ev.repo.read_text(path, limit=CARD_READ_LIMIT)
        if not res.ok or not res.text:
            continue
        if res.truncated:
            ev.findings.append(Finding("evidence.truncated", INFO, f"{path}: read only the first {CARD_READ_LIMIT // 1024} KiB", path, None))
        fm = split_front_matter(res.text, path)
        ev.findings.extend(fm.findings)
        data = fm.data or {}
        is_dataset_card = any(k in data for k in ("pretty_name", "task_categories", "size_categories", "dataset_info", "configs", "source_datasets"))
        is_model_card = kind == "model_card" or (not is_dataset_card and any(k in data for k in ("license", "pipeline_tag", "library_name", "model-index", "base_model", "language", "tags")))
        if is_model_card:
            ev.found.setdefault("Model card", Found()).add(
                Evidence("card", "card.model-card", "model card" + (" with Hugging Face front matter" if fm.present else ""), path, fm.start_line, 0.9),
                path=path,
            )
        if is_dataset_card:
            ev.found.setdefault("Data card", Found()).add(Evidence("card", "card.dataset-card", "dataset card front matter", path, fm.start_line, 0.9), path=path)
        lic = data.get("license")
        if isinstance(lic, list):
            lic = " AND ".join(str(x) for x in lic if x)
        if isinstance(lic, str) and lic.strip():
            text = lic.strip()
            if text.lower() == "other":
                name = data.get("license_name")
                link = data.get("license_link")
                if isinstance(name, str) and name.strip():
                    text = name.strip()
                else:
                    ev.findings.append(
                        Finding("card.license-other-unnamed", WARNING, f"{path}: `license: other` without `license_name` / `license_link`; name the license", path, fm.positions.get("license"))
                    )
                if isinstance(link, str) and link.strip() and not link.startswith(("http://", "https://")):
                    target = ev.repo.resolve(link.strip(), base=path.rpartition("/")[0])
                    if target is None:
                        ev.findings.append(Finding("card.license-link-missing", WARNING, f"{path}: license_link {link!r} is not a file in the repository", path, fm.positions.get("license_link")))
            expr, _ = _normalise(text)
            covers = r["_dataset_card"] if is_dataset_card and not is_model_card else r["_card"]
            # A card covers the model in its own folder (a root card: the whole repository).
            ev.licenses.append(
                LicenseSource(expr, text, "card", path, fm.positions.get("license"), covers, path.rpartition("/")[0], 2, "card front matter `license:`", 0.9)
            )
        for key, comp in (("datasets", "Datasets"), ("model-index", "Evaluation results")):
            if data.get(key):
                ev.found.setdefault(comp, Found()).add(
                    Evidence("card", f"card.{key}", f"`{key}:` in the card's front matter", path, fm.positions.get(key), 0.7), path=path
                )
