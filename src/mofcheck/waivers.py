"""Waivers: a component the configuration waives counts toward the class, shown wherever the verdict is;
a waiver absent at the base is new, and counts only when the workflow allows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import config as config_mod
from . import framework as framework_mod
from .config import Config
from .errors import MofcheckError
from .evaluate import settle
from .model import Finding, ModelResult

if TYPE_CHECKING:  # annotations only: check.py imports this module
    from .check import CheckOptions


def apply_waivers(
    model: ModelResult, waivers: list[config_mod.Waiver], fw: framework_mod.Framework, today: dt.date, where: str | None, count_new: bool = True
) -> None:
    """Waived components count toward the class; the waiver is shown wherever the verdict is. A new waiver
    (absent at the base) counts only when the workflow allows it, and is shown as new either way."""
    changed = False
    for w in waivers:
        if w.model and w.model != model.name:
            continue
        comp = model.component(w.component)
        if comp is None:
            continue
        if w.new and not (comp.counts and not comp.waiver):
            counted = (
                "counted: the workflow allows new waivers" if count_new else "not counted: the workflow does not count waivers a change adds (new-waivers)"
            )
            model.findings.append(
                Finding.of(
                    "waiver.new",
                    f"{comp.name}: a new waiver, absent at {w.new} ({w.reason}); {counted}",
                    where,
                    None,
                    component=comp.name,
                    when="counted" if count_new else None,
                )
            )
            if not count_new:
                continue
        if comp.counts and not comp.waiver:
            model.findings.append(
                Finding.of("waiver.unused", f"{comp.name}: waived, but it is met without the waiver; remove the waiver", where, None, component=comp.name)
            )
            continue
        comp.waiver = w.to_dict(today)
        changed = True
        if w.expired(today):
            model.findings.append(
                Finding.of(
                    "waiver.expired",
                    f"{comp.name}: the waiver expired on {w.expires.isoformat()} ({w.reason}); renew it or fix the component",
                    where,
                    None,
                    component=comp.name,
                )
            )
        else:
            model.findings.append(
                Finding.of(
                    "waiver.active",
                    f"{comp.name}: waived ({w.reason})" + (f", until {w.expires.isoformat()}" if w.expires else ""),
                    where,
                    None,
                    component=comp.name,
                )
            )
    if changed:
        settle(model, fw)


def mark_new_waivers(cfg: Config, opts: CheckOptions, root: Path, findings: list[Finding]) -> Config:
    """The configuration with each waiver absent at the base ref marked new (a repository file's only)."""
    base = opts.waiver_ref or opts.baseline
    if not cfg.waivers or not base or opts.config or opts.config_ref == base or not root.is_dir():
        return cfg  # no base, or a configuration the workflow chose: nothing is new
    try:
        before = {w.key() for w in config_mod.load_at(root, base).waivers}
    except MofcheckError as exc:  # ConfigError too: a base we cannot read makes every waiver new
        before = set()
        findings.append(
            Finding.of("waiver.base-unreadable", f"cannot read the configuration at {base} ({exc.message}); every waiver counts as new", cfg.path, None)
        )
    waivers = [replace(w, new="" if w.key() in before else base) for w in cfg.waivers]
    return replace(cfg, waivers=waivers)
