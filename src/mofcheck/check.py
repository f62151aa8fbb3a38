"""Orchestration: find the manifests, evaluate each release, apply the gate, build one Report."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import config as config_mod
from . import framework as framework_mod
from .config import Config
from .errors import ConfigError, ManifestError, MofcheckError
from .evaluate import evaluate_manifest, settle
from .gate import gate, unknown_fail_on, unknown_require
from .manifest import Manifest, find_manifests, load_file
from .model import Finding, ModelResult, Report
from .waivers import apply_waivers, mark_new_waivers


@dataclass
class CheckOptions:
    """What to check and how. None means "not given": the configuration file, then the default, applies."""

    path: Path = Path(".")
    manifests: list[Path] = field(default_factory=list)  # --manifest: any path, also outside a repository
    mode: str | None = None
    min_class: int | None = None
    fail_on: list[str] | None = None  # finding codes, code prefixes or severities
    require: list[str] | None = None  # verdicts to reach, e.g. g7:open-weights (mofcheck.verdicts)
    trust_manifest: bool | None = None
    config: Path | None = None  # an explicit configuration file
    use_config: bool = True
    today: dt.date | None = None  # for waiver expiry; today when None
    evidence: bool | None = None  # read the repository (default: yes in mof mode, no in mot mode)
    ignore: list[str] = field(default_factory=list)  # globs of paths that are not the release's
    baseline: str | None = None  # a git ref: evaluate it too and fail only on regression
    repo_manifests: list[str] = field(default_factory=list)  # named by the configuration: repository paths
    repo_ignore: list[str] = field(default_factory=list)  # the configuration's globs (never hide license evidence)
    framework_version: str = framework_mod.DEFAULT_VERSION
    online: bool = False  # resolve the release's links afresh (network) instead of using the evidence lock
    budget_seconds: float = 60.0  # with online: the whole run's time budget for the network
    origin: str = "command line"  # how the report names the options given here ("action input" in the Action)
    config_ref: str | None = None  # read the configuration as it stands at this git ref (no checkout)
    new_waivers: bool | None = None  # may waivers added since the base count? (None: yes, except on pull requests)
    waiver_ref: str | None = None  # the base whose waivers are not new (default: --baseline)
    pull_request: bool = False  # run for a pull request (new waivers do not count by default)


def display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _load_from_repo(repo, rel: str, fw: framework_mod.Framework) -> Manifest:
    """A manifest the repository names, read through it (bounded, no symlink out), at its ref if any."""
    from .manifest import MAX_MANIFEST_BYTES, decode, parse

    res = repo.read_bytes(rel, limit=MAX_MANIFEST_BYTES + 1)
    if not res.ok or res.data is None:
        at = f" at {repo.ref}" if repo.ref else ""
        raise ManifestError(f"cannot read the manifest{at}: {res.error}", rel)
    if len(res.data) > MAX_MANIFEST_BYTES:
        raise ManifestError("the manifest is larger than 2 MiB; a manifest is a small YAML file", rel)
    return parse(decode(res.data, rel), rel, fw)


def load_manifests(
    opts: CheckOptions, root: Path, fw: framework_mod.Framework, listed: set[str] | None = None, repo=None
) -> tuple[list[Manifest], list[Finding]]:
    """Every manifest that applies, plus an error finding for each one that cannot be used."""
    paths: list[tuple[Path, str]]
    if opts.manifests:  # the user's own choice: any path
        paths = [(p, display_path(p, root)) for p in opts.manifests]
    else:  # the repository's: never outside it
        # the configuration's manifests are read besides the ones found, never instead (it may not hide one)
        rels = find_manifests(root, listed)
        rels += [r for r in opts.repo_manifests if posixpath.normpath(r) not in {posixpath.normpath(x) for x in rels}]
        paths = [(root / rel, rel) for rel in rels]
    manifests, errors = [], []
    for p, shown in paths:
        try:
            if repo is not None and not opts.manifests:
                manifests.append(_load_from_repo(repo, shown, fw))
            else:
                manifests.append(load_file(p, shown, fw))
        except ManifestError as exc:
            errors.append(Finding.of("manifest.invalid", exc.message, exc.path or shown, exc.line, exc.column))
    return manifests, errors


def _release_name(root: Path) -> str:
    return root.resolve().name or "release"


def run(opts: CheckOptions) -> Report:
    fw = framework_mod.load(opts.framework_version)
    root = opts.path
    from .workspace import check_read

    check_read(root)  # a checked path the checkout planted as a link (`models/a -> /elsewhere`) is refused
    if not root.exists():
        raise MofcheckError(f"no such file or directory: {root}")
    if root.is_file() and not opts.manifests:  # `mofcheck check mof.yml`
        opts = replace(opts, manifests=[root])
        root = root.parent
    findings: list[Finding] = []
    cfg = Config()
    if opts.use_config:
        try:
            cfg = config_mod.load_at(root, opts.config_ref) if opts.config_ref else config_mod.load(root, opts.config)
        except ConfigError as exc:
            findings.append(Finding.of("config.invalid", exc.message, exc.path, exc.line))
        except MofcheckError as exc:  # the ref is not in the checkout
            raise MofcheckError(f"cannot read the configuration at {opts.config_ref}: {exc.message} (a shallow checkout lacks it: fetch-depth: 0)") from None
    for bad, theirs in ((unknown_fail_on(opts.fail_on or []), False), (unknown_fail_on(cfg.fail_on), True)):
        if bad:  # a typo would turn the gate off
            msg = f"fail-on: unknown finding code or severity {', '.join(map(repr, bad))}; see docs/checks.md or `mofcheck explain`"
            if not theirs:
                raise MofcheckError("--" + msg)
            findings.append(Finding.of("config.invalid", msg, cfg.path, None))
    from .settings import resolve

    given_require = list(opts.require or [])
    opts, settings = resolve(opts, cfg, root)
    for req, msg in unknown_require(opts.require or []):
        if req in given_require:
            raise MofcheckError("--" + msg)
        findings.append(Finding.of("config.invalid", msg, cfg.path, None))
        opts.require = [r for r in opts.require if r != req]
    cfg = mark_new_waivers(cfg, opts, root, findings)
    remote = Remote(opts) if opts.evidence else None
    safety: list = []  # release safety (mofcheck.safety), scanned with the local evidence
    models, more = evaluate_tree(opts, cfg, fw, root, notes=settings["ignored"], remote=remote, safety=safety)
    findings.extend(more)
    for item in settings["ignored"]:  # also a finding, so annotations and comments show it
        findings.append(Finding.of("config.ignored", _ignored_message(item), cfg.path, None))
    report = Report(
        root=str(root),
        mode=opts.mode,
        models=models,
        findings=findings,
        framework={"name": fw.name, "version": fw.version},
        safety=safety[0].to_dict() if safety else None,
        settings=settings,
    )
    if opts.baseline:
        from .baseline import compare

        base_models, _ = evaluate_tree(opts, cfg, fw, root, ref=opts.baseline, remote=remote)
        report.baseline = compare(base_models, models, opts.baseline, fw)
    report.gate = gate(report, opts)
    return report


def _ignored_message(item: dict) -> str:
    import json

    return f"{item['setting']} = {json.dumps(item['value'])} from the configuration is ignored: {item['reason']}"


# Files an `ignore` glob from the configuration never hides: what states a license or declares the release.
PROTECTED_KINDS = ("license_file", "use_policy", "notice", "readme", "model_card", "data_card", "spdx_document", "pyproject", "package_json")


def _apply_repo_ignore(repo, globs: list[str], notes: list[dict] | None, where: str | None) -> None:
    """Drop what the configuration's globs match, except license evidence and manifests (kept, and said)."""
    from .evidence.paths import classify_paths
    from .manifest import MANIFEST_DIR, MANIFEST_NAMES
    from .repo import GlobSet

    gs = GlobSet(globs)
    hidden = [f for f in repo.files if gs.match(f.path)]
    if not hidden:
        return
    index = classify_paths(hidden)
    keep = {m.file.path for kind in PROTECTED_KINDS for m in index.matches(kind, vendored=True)}
    keep |= {f.path for f in hidden if f.path in MANIFEST_NAMES or f.name == "REUSE.toml" or f.name.endswith(".license")}
    keep |= {f.path for f in hidden if f.path.startswith(MANIFEST_DIR + "/") and f.path.count("/") == 1 and f.path.endswith((".yml", ".yaml"))}
    repo.exclude({f.path for f in hidden} - keep)
    if notes is not None and keep:
        for pattern in globs:
            one = GlobSet([pattern])
            kept = sorted(p for p in keep if one.match(p))
            if kept:
                shown = ", ".join(kept[:5]) + (f" and {len(kept) - 5} more" if len(kept) > 5 else "")
                notes.append(
                    {
                        "setting": "ignore",
                        "value": pattern,
                        "from": where or "configuration",
                        "reason": f"would hide license evidence or a manifest ({shown}): kept",
                    }
                )


def _internal(doing: str, exc: Exception, path: str | None) -> Finding:
    from .report.escape import terminal

    return Finding.of(
        "internal.error",
        f"mofcheck failed {doing}: {type(exc).__name__}: {terminal(exc, 200)}; this is a bug, please report it (MOFCHECK_DEBUG=1 shows the traceback)",
        path,
        None,
    )


class Remote:
    """Remote evidence for one run: the repository's evidence lock, or (online) sources fetched now.

    Shared by the head and the --baseline evaluations, so both judge from the same hosts."""

    def __init__(self, opts: CheckOptions):
        self.online = opts.online
        self.budget_seconds = opts.budget_seconds
        self.sources: dict = {}
        self.lock = None
        self.findings: list[Finding] = []
        self._budget = None

    def use_lock(self, repo) -> None:
        from .lock import load

        lock, findings = load(repo)
        self.findings.extend(findings)
        if lock is not None and self.lock is None:
            self.lock = lock
            if not self.online:
                self.sources.update(lock.sources)

    def evidence(self, manifest: Manifest | None, local, names: tuple[str, ...] = ()):
        from .resolve import fetch_sources, release_links, remote_evidence

        links = release_links(manifest, local, names)
        if not links:
            return None
        if self.online:
            if self._budget is None:
                from .remote.budget import Budget

                self._budget = Budget(total_seconds=self.budget_seconds)
            self.sources = fetch_sources(links, self._budget, known=self.sources)
        return remote_evidence(links, self.sources, lock_path=self.lock.path if self.lock else None)

    def stale(self) -> list[Finding]:
        from .resolve import staleness

        return staleness(self.lock, self.sources) if self.online and self.lock is not None else []


def _evaluate_one(m: Manifest, ev, opts: CheckOptions, cfg: Config, fw: framework_mod.Framework) -> ModelResult:
    result = evaluate_manifest(m, fw, opts.mode)
    if ev is not None:
        from .verify import verify_model

        verified = verify_model(result, m, ev, fw)
        if opts.trust_manifest or opts.mode == "mot":  # the manifest's word decides the class
            settle(verified, fw, basis=result.components)
        result = verified
    apply_waivers(result, cfg.waivers, fw, opts.today, cfg.path, opts.new_waivers)
    return result


def _with_remote(ev, manifest: Manifest | None, remote: Remote | None, findings: list[Finding], root: Path | None = None):
    """The local evidence plus what the release's links lead to (locked or fetched)."""
    if ev is None or remote is None:
        return ev
    more = remote.evidence(manifest, ev, (_release_name(root),) if root is not None else ())
    if more is None:
        return ev
    for f in more.findings:
        if f.to_dict() not in (g.to_dict() for g in findings):
            findings.append(f)
    more.findings = []
    return ev.copy().merge(more)


def _scan_safety(repo, ev, out: list) -> list[Finding]:
    """Release safety (pickles, remote code, privacy) over the local evidence already read; offline."""
    from .safety import scan

    try:
        result = scan(repo, ev.index, ev.cards.values())
    except Exception as exc:  # noqa: BLE001 - a bug must not lose the verdict
        if os.environ.get("MOFCHECK_DEBUG"):
            raise
        return [_internal("scanning the release's safety", exc, None)]
    out.append(result)
    return result.findings


def evaluate_tree(
    opts: CheckOptions,
    cfg: Config,
    fw: framework_mod.Framework,
    root: Path,
    ref: str | None = None,
    notes: list[dict] | None = None,
    remote: Remote | None = None,
    safety: list | None = None,
) -> tuple[list[ModelResult], list[Finding]]:
    """Every release in the tree at `root` (the work tree, or the commit `ref` read from git). With a
    `safety` list, the release-safety scan runs on the local evidence and its result is appended to it."""
    findings: list[Finding] = []
    ev = None
    repo = None
    listed: set[str] | None = None
    # The listing decides which manifests count (tracked and staged ones, never untracked), also in
    # mot mode; evidence is read only in mof mode.
    if (opts.evidence or ref or not opts.manifests) and root.is_dir():
        from .repo import Repo

        repo = Repo.open(root, ignore=opts.ignore, ref=ref)
        if opts.repo_ignore:
            _apply_repo_ignore(repo, opts.repo_ignore, notes, cfg.path)
        listed = {f.path for f in repo.files}
        if opts.evidence:
            from .readers import local

            try:
                ev = local.read(repo)
                findings.extend(ev.findings)
            except Exception as exc:  # noqa: BLE001 - a bug must not lose the verdict: judge the manifests alone
                if os.environ.get("MOFCHECK_DEBUG"):
                    raise
                findings.append(_internal("reading the repository's evidence", exc, None))
            if ev is not None and remote is not None:
                remote.use_lock(repo)
            if ev is not None and safety is not None:
                findings.extend(_scan_safety(repo, ev, safety))
    manifests, errors = load_manifests(opts, root, fw, listed, repo)
    findings.extend(errors)
    models: list[ModelResult] = []
    for m in manifests:
        try:
            models.append(_evaluate_one(m, _with_remote(ev, m, remote, findings, root), opts, cfg, fw))
        except Exception as exc:  # noqa: BLE001 - one release's bug must not lose the others' verdicts
            if os.environ.get("MOFCHECK_DEBUG"):
                raise
            findings.append(_internal(f"evaluating {m.name!r}", exc, m.path))
    if not manifests and not errors:
        if ev is None:
            findings.append(Finding.of("manifest.not-found", "no MOT-format manifest (mof.yml, .mof/*.yml, ...) found", None, None))
        else:
            from .verify import has_release, verify_model

            findings.append(
                Finding.of(
                    "manifest.not-found",
                    "no MOT-format manifest (mof.yml, .mof/*.yml, ...): the release is inferred from the repository; `mofcheck init` writes one",
                    None,
                    None,
                )
            )
            inferred_ev = _with_remote(ev, None, remote, findings, root)
            if has_release(inferred_ev, fw):
                inferred = verify_model(None, None, inferred_ev, fw, name=_release_name(root))
                apply_waivers(inferred, cfg.waivers, fw, opts.today, cfg.path, opts.new_waivers)
                models.append(inferred)
            else:  # a framework or library: say so rather than invent a class
                findings.append(
                    Finding.of(
                        "evidence.no-release",
                        "the repository releases no model: no weights (files, LFS pointers or links), no model card and no manifest; nothing to classify",
                        None,
                        None,
                    )
                )
    from .verdicts import evaluate_all

    for m in models:
        m.verdicts = evaluate_all(m)
    if remote is not None and ref is None:
        findings.extend(remote.findings)
        findings.extend(remote.stale())
    return models, findings
