"""The Hugging Face Hub's own scan status, turned into the same findings as the local scan.

During `resolve` the weights are not downloaded; the Hub's API reports what its scanners found per
file (`HfApi.list_repo_tree(..., expand=True)` / `get_paths_info(..., expand=True)`: `RepoFile.security`,
a `BlobSecurityInfo` with `status` and `pickle_import_scan`). `from_hub(entries)` takes (path, status)
pairs, where status is that object, its dict form (camelCase or snake_case keys), a bare status string
("safe", "caution", "suspicious", "unsafe", "unscanned"), or None. Pass every file of the repository
(None for the ones without a scan) so that safetensors copies are recognised.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..repo import RepoFile
from .pickles import rules, safetensors_copy, verdict
from .result import NOT_FETCHED, SCANNED, FileScan, Import, SafetyResult

_VERDICTS = {
    "safe": "safe",
    "innocuous": "safe",
    "caution": "caution",
    "suspicious": "caution",
    "unsafe": "unsafe",
    "dangerous": "unsafe",
    "malicious": "unsafe",
    "infected": "unsafe",
}


def _get(obj: Any, *keys: str) -> Any:
    for k in keys:
        if isinstance(obj, dict) and k in obj:
            return obj[k]
        if not isinstance(obj, (dict, str)) and hasattr(obj, k):
            return getattr(obj, k)
    return None


def _status(status: Any) -> tuple[str | None, list[tuple[str, str, str]]]:
    """(safe | caution | unsafe | None, [(module, name, safety)]) from whatever the Hub client gave."""
    if status is None:
        return None, []
    if isinstance(status, str):
        return _VERDICTS.get(status.strip().lower()), []
    raw = _get(status, "status")
    v = _VERDICTS.get(str(raw).strip().lower()) if raw is not None else None
    if v is None and _get(status, "safe") is True:
        v = "safe"
    scan = _get(status, "pickle_import_scan", "pickleImportScan")
    imports = []
    for imp in (_get(scan, "imports") or [])[:500] if scan is not None else []:
        module, name, safety = _get(imp, "module"), _get(imp, "name"), _get(imp, "safety")
        if isinstance(module, str) and isinstance(name, str):
            imports.append((module, name, str(safety or "").lower()))
    level = _VERDICTS.get(str(_get(scan, "highest_safety_level", "highestSafetyLevel") or "").lower()) if scan is not None else None
    if level == "unsafe" or (level == "caution" and v != "unsafe"):
        v = level
    return v, imports


def from_hub(entries: Iterable[tuple[str, Any]]) -> SafetyResult:
    """The release-safety result (pickle files only) for files the Hub has scanned, without any download."""
    from ..evidence.paths import classify_paths

    pairs = [(str(p), s) for p, s in entries if isinstance(p, str)]
    listed = {p for p, _ in pairs}
    index = classify_paths(RepoFile(p) for p in listed)
    weights = {m.file.path for kind in ("weights", "checkpoint") for m in index.matches(kind)}
    exts = tuple(rules()["pickle_extensions"])
    result = SafetyResult()
    for path, raw in pairs:
        v, imports = _status(raw)
        pickle_like = path.lower().endswith(exts)
        if not pickle_like and v != "unsafe":
            continue
        if not pickle_like:
            result.files.append(FileScan(path, "other", SCANNED, source="hub", hub_verdict=v))
            continue
        scan = FileScan(path, "hub", SCANNED if v else NOT_FETCHED, source="hub", hub_verdict=v, weights=path in weights)
        scan.imports = sorted(
            {Import(m, n, verdict(m, n, safety == "dangerous")) for m, n, safety in imports},
            key=lambda i: ({"dangerous": 0, "unknown": 1, "safe": 2}[i.verdict], i.module, i.name),
        )
        if v is None:
            scan.note = "the Hub reports no scan for it, and it was not downloaded: not scanned"
        else:
            scan.safetensors_copy = safetensors_copy(path, listed)
        result.files.append(scan)
    return result.finish()
