"""The release-safety results: per pickle file, remote code, privacy; each turned into findings here and
nowhere else, so the local scan and the Hub's scan status give the same findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Finding

UNSAFE = "security.unsafe-pickle"
UNKNOWN = "security.pickle-unknown-import"
PICKLE_WEIGHTS = "security.pickle-weights"
UNVERIFIED = "security.pickle-unverified"
NOT_SCANNED = "security.pickle-not-scanned"
HUB_UNSAFE = "security.hub-unsafe"
REMOTE_CODE = "security.remote-code"
PRIVACY_UNDOCUMENTED = "privacy.undocumented"
PRIVACY_NOT_CHECKED = "privacy.not-checked"
CODES = (UNSAFE, UNKNOWN, PICKLE_WEIGHTS, UNVERIFIED, NOT_SCANNED, HUB_UNSAFE, REMOTE_CODE, PRIVACY_UNDOCUMENTED, PRIVACY_NOT_CHECKED)

# FileScan.status
SCANNED = "scanned"  # every pickle stream read and listed
PARTIAL = "partial"  # some streams listed, the rest not (cut at the bound, malformed, unreadable)
UNREAD = "unverified"  # nothing could be listed
NOT_FETCHED = "not-scanned"  # a Git LFS pointer, or the Hub has no scan for it
NOT_PICKLE = "not-pickle"  # a .bin / .npy without pickle data: nothing to report

MAX_LISTED = 12  # imports named in one message


@dataclass(frozen=True)
class Import:
    module: str
    name: str
    verdict: str  # dangerous | safe | unknown

    @property
    def dotted(self) -> str:
        return f"{self.module}.{self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {"module": self.module, "name": self.name, "verdict": self.verdict}


@dataclass
class FileScan:
    """What one file's pickle streams import, and how much of them was read."""

    path: str
    format: str  # torch-zip | torchscript | torch-legacy | pickle | joblib | numpy | npz | zip | lfs-pointer | hub | unknown
    status: str
    imports: list[Import] = field(default_factory=list)
    streams: int = 0
    bytes_read: int = 0
    size: int | None = None
    note: str | None = None  # why partial / unverified / not scanned
    weights: bool = False  # the path kind is weights or checkpoint
    safetensors_copy: str | None = None  # the safetensors file holding the same weights
    source: str = "mofcheck"  # mofcheck | hub
    hub_verdict: str | None = None  # the Hub's own verdict (safe | caution | unsafe) when it gave one

    @property
    def dangerous(self) -> list[str]:
        return [i.dotted for i in self.imports if i.verdict == "dangerous"]

    @property
    def unknown(self) -> list[str]:
        return [i.dotted for i in self.imports if i.verdict == "unknown"]

    @property
    def is_pickle(self) -> bool:
        return self.status != NOT_PICKLE

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "status": self.status,
            "imports": [i.to_dict() for i in self.imports],
            "streams": self.streams,
            "bytes_read": self.bytes_read,
            "size": self.size,
            "note": self.note,
            "weights": self.weights,
            "safetensors_copy": self.safetensors_copy,
            "source": self.source,
            "hub_verdict": self.hub_verdict,
        }

    def findings(self) -> list[Finding]:
        if not self.is_pickle:
            return []
        out: list[Finding] = []
        by = "the Hub's scan says the pickle" if self.source == "hub" else "the pickle"
        fix = "remove the file, or re-save the weights with safetensors from a trusted copy"
        if self.dangerous:
            out.append(
                Finding.of(
                    UNSAFE,
                    f"{self.path}: {by} imports {_names(self.dangerous)}, which run code, open files or sockets, or unpickle again when the file is loaded; never load it with torch.load(weights_only=False), pickle or joblib",
                    self.path,
                    None,
                    hint=fix,
                )
            )
        elif self.hub_verdict == "unsafe":
            code = UNSAFE if self.format != "other" else HUB_UNSAFE
            out.append(Finding.of(code, f"{self.path}: the Hugging Face Hub's scanners report this file unsafe", self.path, None, hint=fix))
        if self.unknown:
            out.append(
                Finding.of(
                    UNKNOWN,
                    f"{self.path}: {by} imports {_names(self.unknown)}, which torch.load(weights_only=True) refuses: loading it needs weights_only=False, which trusts whatever those classes do",
                    self.path,
                    None,
                    hint="save only tensors (a state_dict), or safetensors",
                )
            )
        elif self.hub_verdict == "caution":
            out.append(
                Finding.of(
                    UNKNOWN,
                    f"{self.path}: the Hugging Face Hub's scan marks its pickle imports suspicious: loading it needs weights_only=False, which trusts whatever they do",
                    self.path,
                    None,
                    hint="save only tensors (a state_dict), or safetensors",
                )
            )
        if self.status in (PARTIAL, UNREAD):
            out.append(
                Finding.of(
                    UNVERIFIED, f"{self.path}: {self.note or 'not every pickle stream could be read'}; what it runs when loaded is not known", self.path, None
                )
            )
        if self.status == NOT_FETCHED:
            out.append(Finding.of(NOT_SCANNED, f"{self.path}: {self.note or 'not scanned'}", self.path, None))
        if (
            self.weights
            and self.format != "other"
            and self.status in (SCANNED, PARTIAL)
            and not (self.dangerous or self.hub_verdict == "unsafe")
            and self.safetensors_copy is None
        ):
            out.append(
                Finding.of(
                    PICKLE_WEIGHTS,
                    f"{self.path}: weights in a pickle format ({self.format}); loading a pickle can run code, so users must trust the file. Prefer safetensors",
                    self.path,
                    None,
                    hint="publish the weights as .safetensors (e.g. save_pretrained(safe_serialization=True)) beside or instead of this file",
                )
            )
        return out


@dataclass
class RemoteCode:
    """Code a user must run to load the model (trust_remote_code=True)."""

    path: str  # the config file or card that asks for it
    line: int | None
    via: str  # auto_map | custom_pipelines | usage
    files: list[str] = field(default_factory=list)  # repository files that run
    missing: list[str] = field(default_factory=list)  # named modules with no file here
    repos: list[str] = field(default_factory=list)  # other Hub repositories whose code runs

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "via": self.via, "files": self.files, "missing": self.missing, "repos": self.repos}

    def finding(self) -> Finding:
        parts = []
        if self.files:
            parts.append("runs " + _names(self.files) + " from this repository")
        if self.missing:
            parts.append("imports " + _names([m + ".py" for m in self.missing]) + ", which the repository does not hold")
        if self.repos:
            parts.append("runs code from the Hub repositor" + ("y " if len(self.repos) == 1 else "ies ") + _names(self.repos))
        what = "; ".join(parts) or "runs the model repository's own Python code"
        why = {
            "auto_map": "its auto_map makes transformers import custom classes",
            "custom_pipelines": "its custom_pipelines make transformers import custom code",
            "usage": "the usage snippet passes trust_remote_code=True",
        }[self.via]
        return Finding.of(
            REMOTE_CODE,
            f"{self.path}: loading needs trust_remote_code=True ({why}): it {what}. A user must trust that code, at every revision they load",
            self.path,
            self.line,
            hint="upstream the architecture to transformers, or tell users to pin a reviewed revision (revision=<commit>)",
        )


@dataclass
class Privacy:
    status: str  # documented | undocumented | not-checked
    documents: list[dict[str, Any]] = field(default_factory=list)  # {path, line, kind, terms}

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "documents": self.documents}

    def findings(self) -> list[Finding]:
        if self.status == "not-checked":
            return [
                Finding.of(
                    PRIVACY_NOT_CHECKED,
                    "no data card and no training-data section: nothing documents the training data, so its handling of personal data was not checked",
                    None,
                    None,
                )
            ]
        if self.status == "undocumented":
            first = self.documents[0]
            where = ", ".join(f"{d['path']}" + (f":{d['line']}" if d.get("line") else "") for d in self.documents[:4])
            return [
                Finding.of(
                    PRIVACY_UNDOCUMENTED,
                    f"the data documentation ({where}) says nothing about personal data, PII handling, consent or opt-out",
                    first["path"],
                    first.get("line"),
                    hint="add a 'Personal and sensitive information' section: what personal data the data may hold, how it was filtered or anonymised, and how people can opt out",
                )
            ]
        return []


@dataclass
class SafetyResult:
    files: list[FileScan] = field(default_factory=list)
    remote_code: list[RemoteCode] = field(default_factory=list)
    privacy: Privacy | None = None
    scanner: dict[str, str] | None = None  # {"name": "picklescan", "version": ...} when it ran
    findings: list[Finding] = field(default_factory=list)

    def finish(self) -> SafetyResult:
        """Compute the findings from the results (the one place they are made)."""
        out: list[Finding] = []
        for f in self.files:
            out.extend(f.findings())
        out.extend(r.finding() for r in self.remote_code)
        if self.privacy is not None:
            out.extend(self.privacy.findings())
        self.findings = out
        return self

    def to_dict(self) -> dict[str, Any]:
        pickles = [f for f in self.files if f.is_pickle]
        return {
            "scanner": self.scanner,
            "pickle_files": [f.to_dict() for f in pickles],
            "summary": {
                "pickle_files": len(pickles),
                "unsafe": sum(1 for f in pickles if f.dangerous),
                "unverified": sum(1 for f in pickles if f.status in (PARTIAL, UNREAD)),
                "not_scanned": sum(1 for f in pickles if f.status == NOT_FETCHED),
                "remote_code": len(self.remote_code),
                "privacy": self.privacy.status if self.privacy else None,
            },
            "remote_code": [r.to_dict() for r in self.remote_code],
            "privacy": self.privacy.to_dict() if self.privacy else None,
        }


def _names(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return shown + (f" and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else "")
