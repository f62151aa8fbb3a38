"""Exports of a checked release: MOT registry YAML, SPDX 2.3 JSON, SPDX 3.0.1 JSON-LD, CycloneDX 1.6 ML-BOM.

`collect` runs the check and pairs each ModelResult with the manifest it came from (the release
metadata lives there); each format module turns those pairs into text. spdx-tools and
spdx-python-model are imported only inside the SPDX writers, so `mofcheck check` never loads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..check import CheckOptions, run
from ..errors import MofcheckError
from ..framework import Framework
from ..framework import load as load_framework
from ..manifest import UNLICENSED, Manifest, load_file
from ..model import ComponentResult, ModelResult, Report

FORMATS = ("mot", "spdx", "spdx3", "cyclonedx")


@dataclass
class Release:
    result: ModelResult
    manifest: Manifest | None  # None when the release was inferred from the repository
    framework: Framework
    mode: str

    @property
    def meta(self) -> dict:
        """The manifest's `release:` mapping (name, version, producer, ...), or {}."""
        return dict(self.manifest.release) if self.manifest else {}

    @property
    def name(self) -> str:
        return self.result.name or str(self.meta.get("name") or "") or "unnamed-release"

    def listed(self) -> list[ComponentResult]:
        """Listed components, in the manifest's order when there is one."""
        comps = [c for c in self.result.components if c.listed]
        if self.manifest:
            order = {mc.name: mc.index for mc in self.manifest.components}
            comps.sort(key=lambda c: order.get(c.name, 10_000 + c.id))
        return comps

    def manifest_component(self, name: str):
        if not self.manifest:
            return None
        return next((mc for mc in self.manifest.components if mc.name == name), None)


def collect(opts: CheckOptions, model: str | None = None) -> tuple[Report, list[Release]]:
    """Run the check; return the report and the releases to export (all, or the one named `model`)."""
    report = run(opts)
    broken = [f for f in report.findings if f.code == "manifest.invalid"]
    if broken:
        f = broken[0]
        raise MofcheckError(f.message, f.path, f.line, f.column)
    fw = load_framework(opts.framework_version)
    releases = [Release(m, _manifest_of(m, Path(report.root), fw), fw, report.mode) for m in report.models]
    if model is not None:
        releases = [r for r in releases if r.name == model]
        if not releases:
            names = ", ".join(repr(r.name) for r in report.models) or "none"
            raise MofcheckError(f"no release named {model!r}; releases found: {names}")
    if not releases:
        raise MofcheckError("no release to export: no MOT-format manifest found (write a mof.yml or pass --manifest)")
    return report, releases


def _manifest_of(result: ModelResult, root: Path, fw: Framework) -> Manifest | None:
    """Load the release's manifest again for its metadata (the report keeps only its path)."""
    if not result.manifest:
        return None
    p = Path(result.manifest)
    if not p.is_absolute() and (root / p).is_file():
        p = root / p  # repository-relative; otherwise a --manifest path as given (absolute or from cwd)
    return load_file(p, result.manifest, fw)


def render(fmt: str, releases: list[Release], *, created=None, root: str | None = None) -> str:
    """Export `releases` as `fmt` (mot: exactly one release). `created`: a datetime for the SPDX and
    CycloneDX documents; `root`: the checked folder (CycloneDX reads the model card's sections there)."""
    if fmt == "mot":
        if len(releases) != 1:
            names = ", ".join(repr(r.name) for r in releases)
            raise MofcheckError(f"a MOT file holds one release; choose one with --model ({names})")
        from .mot import dump

        return dump(releases[0])
    if fmt == "spdx":
        from .spdx2 import dump as dump2

        return dump2(releases, created=created)
    if fmt == "spdx3":
        from .spdx3 import dump as dump3

        return dump3(releases, created=created)
    if fmt == "cyclonedx":
        from .cyclonedx import dump as dump_cdx

        return dump_cdx(releases, created=created, root=root)
    raise MofcheckError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")


def repo_url(release: Release, path: str | None) -> str | None:
    """A repository-relative path as a URL when the release names its GitHub repository."""
    if not path:
        return None
    if "://" in path:
        return path
    repo = str(release.meta.get("repository") or "").rstrip("/")
    if repo.startswith("https://github.com/"):
        return f"{repo}/blob/HEAD/{path.lstrip('/')}"
    return path


def component_path(release: Release, comp: ComponentResult) -> str | None:
    """Where the component is: the manifest's component_path, else the first non-manifest evidence."""
    mc = release.manifest_component(comp.name)
    if mc and mc.component_path:
        return mc.component_path
    for ev in comp.evidence:
        if ev.kind != "manifest" and ev.path:
            return repo_url(release, ev.path)
    return None


def license_path(release: Release, comp: ComponentResult) -> str | None:
    """Where the component's license is stated: component, then the inherited global, then the repository file."""
    mc = release.manifest_component(comp.name)
    if mc and mc.license_path:
        return mc.license_path
    lic = comp.license
    if lic is None:
        return None
    if lic.source.startswith("global.") and release.manifest:
        g = release.manifest.global_licenses.get(lic.source.split(".", 1)[1])
        if g and g.path:
            return g.path
    if lic.source == "repository" and lic.path:
        return repo_url(release, lic.path)
    return None


def declared_license(release: Release, comp: ComponentResult) -> str | None:
    """The license text the manifest states for this component (set on it or inherited), as written."""
    lic = comp.license
    if lic is None:
        return None
    mc = release.manifest_component(comp.name)
    if lic.source == "component":
        return (mc.license if mc else lic.declared) or None
    if lic.source.startswith("global.") and release.manifest:
        g = release.manifest.global_licenses.get(lic.source.split(".", 1)[1])
        return (g.name if g else None) or None
    return None


def declared_spdx(release: Release, comp: ComponentResult) -> tuple[str | None, bool]:
    """(the declared license for SPDX, whether the manifest says there is none).

    mof mode normalises the manifest's words the way the check read them (`Apache 2.0` -> Apache-2.0);
    mot mode keeps them verbatim, as MOT does.
    """
    text = declared_license(release, comp)
    if text is None:
        return None, False
    if text.strip().lower() in (UNLICENSED, "none"):
        return None, True
    return normalised_license(text, comp.category, release.mode), False


def distribution_spdx(release: Release) -> tuple[str | None, str | None, bool]:
    """(release.license.distribution for SPDX, its path, whether it says there is none)."""
    g = release.manifest.global_licenses.get("distribution") if release.manifest else None
    if g is None or not g.name:
        return None, None, False
    if g.name.strip().lower() in (UNLICENSED, "none"):
        return None, g.path, True
    return normalised_license(g.name, "code", release.mode), g.path, False


def normalised_license(text: str | None, category: str, mode: str) -> str | None:
    """A declared license as exported: the normalised SPDX expression in mof mode, verbatim in mot mode."""
    if not text or mode == "mot":
        return text
    from ..licenses import classify_license

    return classify_license(text, category, mode).expression or text


def created_at():
    """The document creation time: SOURCE_DATE_EPOCH when set (reproducible builds), else now; UTC, whole seconds."""
    import datetime as dt
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise MofcheckError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp (whole seconds)") from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def roman(cls: int) -> str:
    return {1: "I", 2: "II", 3: "III"}.get(cls, str(cls))


def summary(release: Release) -> str:
    """One line about the release's standing, for SPDX comments."""
    r = release.result
    progress = ", ".join(f"Class {roman(c)} {p:.1f}%" for c, p in sorted(r.standing.progress.items(), reverse=True))
    where = f" from {release.manifest.path}" if release.manifest else ""
    return f"Model Openness Framework {release.framework.version}: {r.class_label} ({progress}); checked by mofcheck in {release.mode} mode{where}"


def component_note(comp: ComponentResult) -> str:
    need = "required" if comp.required else "optional"
    return f"MOF {comp.category} component (Class {roman(comp.cls)}, {need}); status: {comp.status}; {comp.reason}"


def release_date(value):
    """The manifest's release date (YYYY-MM-DD) as a UTC datetime, or None when it is not a date."""
    import datetime as dt

    try:
        d = dt.date.fromisoformat(str(value))
    except ValueError:
        return None
    return dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC)
