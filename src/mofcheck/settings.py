"""Which settings apply, and where each came from: the workflow (command line or Action inputs), the
repository's configuration, or the default.

The configuration is part of the repository, so a pull request can change it. The workflow's settings
decide the gate; the configuration may only tighten it:

* `min-class`: the stricter of the two; `fail-on` and `require`: both lists; `manifests`: read besides the ones found.
* `mode` and `trust-manifest` change how a gate is judged. Under a gate the workflow sets (`--min-class`,
  `--fail-on` or `--baseline`) the configuration's values are ignored (the workflow's, or the default,
  apply); without one, they apply to the configuration's own gate. Either way the configuration never
  stops the repository from being read: only `--manifest-only` or `--mode mot` from the workflow do.
* `ignore` globs never hide license evidence (license files, use policies, cards, READMEs, SPDX and
  package manifests) nor the release manifests: such files stay listed.
* Waivers added since the base (`--baseline`, or the pull request's base) are new; whether a new waiver
  may count is the workflow's call (`--new-waivers`).

Every ignored value is reported with its reason (`settings.ignored`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from .config import Config

DEFAULT = "default"


def _setting(value: Any, source: str) -> dict[str, Any]:
    return {"value": value, "from": source}


def resolve(opts: Any, cfg: Config, root: Path) -> tuple[Any, dict[str, Any]]:
    """(the options in force, the report's `settings`) for CheckOptions `opts` and the configuration `cfg`."""
    out = replace(opts)
    ours = opts.origin  # "command line" or "action input"
    theirs = cfg.path or "configuration"
    ignored: list[dict[str, Any]] = []
    settings: dict[str, Any] = {}

    def ignore(key: str, value: Any, reason: str) -> None:
        ignored.append({"setting": key, "value": value, "from": theirs, "reason": reason})

    workflow_gate = [
        n for n, v in (("--min-class", opts.min_class), ("--fail-on", opts.fail_on), ("--require", opts.require), ("--baseline", opts.baseline)) if v
    ]
    under = f"the workflow's gate ({', '.join(workflow_gate)}) is judged by the workflow's settings"

    # mode: how licenses are read, and (mot) whether the manifest alone is judged
    if opts.mode is not None:
        out.mode = opts.mode
        settings["mode"] = _setting(opts.mode, ours)
        if cfg.mode is not None and cfg.mode != opts.mode:
            ignore("mode", cfg.mode, f"the workflow gives mode {opts.mode}")
    elif cfg.mode is not None and (cfg.mode == "mof" or not workflow_gate):
        out.mode = cfg.mode
        settings["mode"] = _setting(cfg.mode, theirs)
    else:
        out.mode = "mof"
        settings["mode"] = _setting("mof", DEFAULT)
        if cfg.mode is not None:
            ignore("mode", cfg.mode, f"{under} (mode mof unless it sets one)")

    # reading the repository: only the workflow can turn it off
    if opts.evidence is None:
        out.evidence = not (opts.mode == "mot")
        settings["read_repository"] = _setting(out.evidence, ours if opts.mode == "mot" else DEFAULT)
    else:
        settings["read_repository"] = _setting(bool(opts.evidence), ours)

    # which class gates: the verified one, unless the workflow (or, without a workflow gate, the
    # configuration) trusts the manifest; mot mode knows no repository
    if opts.trust_manifest is not None:
        out.trust_manifest = opts.trust_manifest
        settings["trust_manifest"] = _setting(opts.trust_manifest, ours)
        if cfg.trust_manifest is not None and cfg.trust_manifest != opts.trust_manifest and not opts.trust_manifest:
            ignore("trust-manifest", cfg.trust_manifest, "the workflow gates on the verified class")
    elif cfg.trust_manifest and workflow_gate:
        out.trust_manifest = False
        settings["trust_manifest"] = _setting(False, DEFAULT)
        ignore("trust-manifest", True, f"{under}: the class the repository verifies")
    elif cfg.trust_manifest is not None:
        out.trust_manifest = bool(cfg.trust_manifest)
        settings["trust_manifest"] = _setting(out.trust_manifest, theirs)
    else:
        out.trust_manifest = False
        settings["trust_manifest"] = _setting(False, DEFAULT)

    # min-class: the stricter (Class I is the most open, so the smaller number)
    if opts.min_class is not None and cfg.min_class is not None:
        out.min_class = min(opts.min_class, cfg.min_class)
        settings["min_class"] = _setting(out.min_class, ours if out.min_class == opts.min_class else theirs)
        if cfg.min_class > opts.min_class:
            ignore("min-class", cfg.min_class, f"looser than the workflow's min-class {opts.min_class}")
    elif opts.min_class is not None:
        out.min_class = opts.min_class
        settings["min_class"] = _setting(opts.min_class, ours)
    elif cfg.min_class is not None:
        out.min_class = cfg.min_class
        settings["min_class"] = _setting(cfg.min_class, theirs)
    else:
        out.min_class = None
        settings["min_class"] = _setting(None, DEFAULT)

    # fail-on: both lists. When the workflow names none, the default (checks.yaml default_fail_on:
    # error-severity findings) stands, and the configuration may only add to it, never replace it;
    # `--fail-on none` (an empty list) is the workflow's own opt-out.
    from .checks import default_fail_on

    base = list(opts.fail_on) if opts.fail_on is not None else list(default_fail_on())
    yours = [s for s in cfg.fail_on if s not in base]
    out.fail_on = base + yours
    sources = [ours if opts.fail_on is not None else DEFAULT] + ([theirs] if yours else [])
    settings["fail_on"] = _setting(list(out.fail_on), " + ".join(sources))

    # require (verdicts to reach): both lists, each only tightens
    out.require = list(dict.fromkeys([*(opts.require or []), *cfg.require]))
    sources = [s for s, v in ((ours, opts.require), (theirs, [r for r in cfg.require if r not in (opts.require or [])])) if v]
    settings["require"] = _setting(list(out.require), " + ".join(sources) or DEFAULT)

    # manifests the configuration names: read besides the ones found, never instead
    if not opts.manifests and cfg.manifests:
        out.repo_manifests = list(cfg.manifests)
        settings["manifests"] = _setting(list(cfg.manifests), theirs)
    else:
        settings["manifests"] = _setting([str(p) for p in opts.manifests], ours if opts.manifests else DEFAULT)
        if opts.manifests and cfg.manifests:
            ignore("manifests", list(cfg.manifests), "the workflow names the manifests (--manifest)")

    out.ignore = list(opts.ignore)
    out.repo_ignore = list(cfg.ignore)
    settings["ignore"] = _setting(list(cfg.ignore), theirs if cfg.ignore else DEFAULT)
    settings["baseline"] = _setting(opts.baseline, ours if opts.baseline else DEFAULT)
    # new waivers: counted unless the workflow says no; on pull requests `mofcheck github` says no by default
    out.new_waivers = opts.new_waivers if opts.new_waivers is not None else not opts.pull_request
    settings["new_waivers"] = _setting("counted" if out.new_waivers else "not counted", ours if opts.new_waivers is not None else DEFAULT)
    # the network is the workflow's choice alone (a configuration cannot turn it on or off)
    settings["online"] = _setting(f"yes, budget {opts.budget_seconds:g} s" if opts.online else "no", ours if opts.online else DEFAULT)
    out.today = opts.today or dt.date.today()
    settings["configuration"] = {"path": cfg.path, "ref": opts.config_ref, "used": opts.use_config}
    settings["ignored"] = ignored
    return out, settings
