"""`mofcheck audit`: hold each MOT-format file of a registry against where its release is published.

For each file: the class it declares (as MOT computes it), then the class the release's own hosts back
(its `repository` and `huggingface` links and every component_path URL, fetched through the remote
clients), and which declared components the hosts do not back. Sources are fetched once for the whole
audit (many releases share a repository or a paper), with bounded concurrency, one time budget and an
on-disk cache; finished releases are appended to a state file so an interrupted audit resumes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import framework as framework_mod
from .errors import ManifestError
from .evaluate import evaluate_manifest
from .evidence import links as links_mod
from .evidence.items import EvidenceSet
from .resolve import DEFAULT_JOBS, fetch_sources, remote_evidence
from .verify import verify_model

MAX_FILES = 100_000


@dataclass
class Row:
    file: str
    name: str = ""
    declared: int | None = None  # the class the file declares (MOT's arithmetic, mof license rules)
    verified: int | None = None  # the class its hosts back
    mot: int | None = None  # MOT's own verdict (--mode mot)
    overclaimed: list[str] = field(default_factory=list)  # counted as declared, not backed by the hosts
    sources: list[dict[str, Any]] = field(default_factory=list)  # key, url, revision, ok
    findings: list[dict[str, Any]] = field(default_factory=list)  # warnings and errors
    error: str | None = None
    digest: str = ""  # of the file's text: a changed file is audited again on resume

    @property
    def gap(self) -> bool:
        return self.declared is not None and self.verified is not None and _rank(self.declared) < _rank(self.verified)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "name": self.name,
            "declared": self.declared,
            "verified": self.verified,
            "mot": self.mot,
            "overclaimed": self.overclaimed,
            "sources": self.sources,
            "findings": self.findings,
            "error": self.error,
            "digest": self.digest,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Row:
        return cls(
            **{k: d.get(k) for k in ("file", "name", "declared", "verified", "mot", "error")},
            overclaimed=list(d.get("overclaimed") or []),
            sources=list(d.get("sources") or []),
            findings=list(d.get("findings") or []),
            digest=d.get("digest") or "",
        )


def _rank(cls: int) -> int:
    """Class I is the best: 1 < 2 < 3 < none (0)."""
    return cls if cls else 4


def manifest_files(paths: Iterable[Path]) -> list[Path]:
    """The MOT-format files named, directories expanded to their *.yml / *.yaml (sorted, no symlinks)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            out.extend(sorted(q for q in p.iterdir() if q.suffix in (".yml", ".yaml") and q.is_file() and not q.is_symlink()))
        else:
            out.append(p)
        if len(out) > MAX_FILES:
            break
    return out[:MAX_FILES]


def audit(
    paths: Iterable[Path], budget: Any, *, jobs: int = DEFAULT_JOBS, cache: Any = None, done: dict[str, Row] | None = None, on_row: Any = None
) -> list[Row]:
    """One row per file. `done` rows (from a state file) whose file is unchanged are kept, not audited again;
    `on_row(row)` is called for each new row as soon as it is known (to append it to the state file)."""
    from .manifest import decode, parse

    fw = framework_mod.load()
    done = done or {}
    rows: list[Row] = []
    pending: list[tuple[Row, Any]] = []
    for path in manifest_files(paths):
        shown = str(path)
        row = Row(shown)
        try:
            raw = path.read_bytes()[: 2 * 1024 * 1024 + 1]
            row.digest = hashlib.sha256(raw).hexdigest()
            old = done.get(shown)
            if old is not None and old.digest == row.digest and old.error is None:
                rows.append(old)
                continue
            m = parse(decode(raw, shown), shown, fw)
        except (OSError, ManifestError) as exc:
            row.error = str(exc) if isinstance(exc, OSError) else exc.render()
            rows.append(row)
            if on_row:
                on_row(row)
            continue
        row.name = m.name
        rows.append(row)
        pending.append((row, m))
    all_links = [l for _row, m in pending for l in links_mod.from_manifest(m)]
    sources = fetch_sources(links_mod.dedupe(all_links), budget, jobs, cache=cache) if all_links else {}
    for row, m in pending:
        _judge(row, m, fw, sources)
        if on_row:
            on_row(row)
    return rows


def _judge(row: Row, m: Any, fw: Any, sources: dict) -> None:
    declared = evaluate_manifest(m, fw, "mof")
    row.mot = evaluate_manifest(m, fw, "mot").standing.cls
    links = links_mod.from_manifest(m)
    ev = EvidenceSet().merge(remote_evidence(links, sources))
    verified = verify_model(declared, m, ev, fw)
    row.declared, row.verified = declared.standing.cls, verified.standing.cls
    row.overclaimed = [c.name for c, d in zip(verified.components, declared.components) if d.counts and not c.counts and c.required]
    seen = {l.key for l in links}
    row.sources = [{"key": k, "url": s.url, "revision": s.revision, "ok": s.ok, "license": s.license} for k, s in sorted(sources.items()) if k in seen]
    row.findings = [f.to_dict() for f in verified.findings + ev.findings if f.severity != "info"]


# --------------------------------------------------------------------------------------------------
# output


def _cls(c: int | None) -> str:
    return "-" if c is None else {0: "none", 1: "I", 2: "II", 3: "III"}[c]


def summary(rows: list[Row]) -> dict[str, Any]:
    judged = [r for r in rows if r.error is None]
    return {
        "files": len(rows),
        "errors": len(rows) - len(judged),
        "declared": {_cls(c): sum(1 for r in judged if r.declared == c) for c in (1, 2, 3, 0)},
        "verified": {_cls(c): sum(1 for r in judged if r.verified == c) for c in (1, 2, 3, 0)},
        "declared_above_verified": sum(1 for r in judged if r.gap),
    }


def render(rows: list[Row], fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"summary": summary(rows), "releases": [r.to_dict() for r in rows]}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["file", "name", "declared", "verified", "mot", "overclaimed", "unreachable", "error"])
        for r in rows:
            w.writerow(
                [
                    _cell(r.file),
                    _cell(r.name),
                    _cls(r.declared),
                    _cls(r.verified),
                    _cls(r.mot),
                    _cell("; ".join(r.overclaimed)),
                    _cell("; ".join(s["url"] for s in r.sources if not s["ok"])),
                    _cell(r.error or ""),
                ]
            )
        return buf.getvalue()
    from .report.escape import markdown_cell, terminal

    s = summary(rows)
    if fmt == "markdown":
        lines = [
            "## mofcheck audit",
            "",
            f"{s['files']} files; {s['declared_above_verified']} declare a better class than their hosts back; {s['errors']} could not be read.",
            "",
            "| file | release | declared | verified | MOT | not backed |",
            "|---|---|---|---|---|---|",
        ]
        for r in rows:
            lines.append(
                f"| {markdown_cell(Path(r.file).name, 80)} | {markdown_cell(r.name, 80)} | {_cls(r.declared)} | "
                f"{'**' + _cls(r.verified) + '**' if r.gap else _cls(r.verified)} | {_cls(r.mot)} | "
                f"{markdown_cell(r.error or ', '.join(r.overclaimed), 300)} |"
            )
        return "\n".join(lines) + "\n"
    width = max([len(terminal(Path(r.file).name, 60)) for r in rows] + [4])
    out = [f"{'file':<{width}}  declared  verified  MOT   not backed by the release's hosts"]
    for r in rows:
        mark = "!" if r.gap else " "
        out.append(
            f"{terminal(Path(r.file).name, 60):<{width}}  {_cls(r.declared):<8}  {_cls(r.verified):<8}{mark} {_cls(r.mot):<4}  "
            + terminal(r.error or ", ".join(r.overclaimed), 300)
        )
    out.append("")
    out.append(f"{s['files']} files: {s['declared_above_verified']} declare a better class than their hosts back (!); {s['errors']} could not be read")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection), with names escaped."""
    from .report.escape import terminal

    text = terminal(text, 2000)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def load_state(path: Path) -> dict[str, Row]:
    """Rows of an earlier run, by file (a truncated last line, from an interrupted run, is skipped)."""
    out: dict[str, Row] = {}
    if not path.is_file():
        return out
    for line in path.read_text("utf-8", errors="replace").splitlines():
        try:
            row = Row.from_dict(json.loads(line))
        except (ValueError, TypeError, KeyError):
            continue
        out[row.file] = row
    return out


__all__ = ["Row", "audit", "render", "summary", "load_state", "manifest_files"]
