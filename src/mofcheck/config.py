"""Configuration: `.mofcheck.toml` or `[tool.mofcheck]` in pyproject.toml, validated by a published schema."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import data
from .errors import ConfigError
from .plaindata import jsonable

CONFIG_FILE = ".mofcheck.toml"
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass
class Waiver:
    component: str
    reason: str
    expires: dt.date | None = None
    model: str | None = None
    new: str = ""  # the base ref whose configuration lacks this waiver (the change adds it); "" when not new

    def key(self) -> tuple[str, str, str]:
        """What makes a waiver the same one at the base: a later expiry is a new waiver."""
        return (self.component, self.model or "", self.expires.isoformat() if self.expires else "")

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def to_dict(self, today: dt.date) -> dict[str, Any]:
        return {"reason": self.reason, "expires": self.expires.isoformat() if self.expires else None, "expired": self.expired(today), "new": bool(self.new)}


@dataclass
class Config:
    path: str | None = None  # where it was read from
    mode: str | None = None
    min_class: int | None = None
    fail_on: list[str] = field(default_factory=list)
    require: list[str] = field(default_factory=list)
    manifests: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    trust_manifest: bool | None = None
    waivers: list[Waiver] = field(default_factory=list)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(data.text("schemas/config.schema.json"))


def _toml_loads(text: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(text)


def _read(path: Path) -> str:
    with open(path, "rb") as fh:
        raw = fh.read(MAX_CONFIG_BYTES + 1)
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError("configuration file larger than 1 MiB", str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("configuration is not UTF-8", str(path)) from None


def find(root: Path) -> tuple[Path, str] | None:
    """(file, table) of the configuration that applies, or None."""
    own = root / CONFIG_FILE
    if own.is_file() and not own.is_symlink():
        return own, ""
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and not pyproject.is_symlink():
        return pyproject, "tool.mofcheck"
    return None


def _shown(path: Path, root: Path) -> str:
    """Repository-relative, like every finding path (formats put the checked folder in front); a file
    outside the repository keeps its absolute path."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return str(path.absolute())


def load(root: Path, explicit: Path | None = None) -> Config:
    """Read and validate the configuration for `root` (or `explicit`). Raises ConfigError."""
    if explicit is not None:
        where: tuple[Path, str] | None = (explicit, "tool.mofcheck" if explicit.name == "pyproject.toml" else "")
    else:
        where = find(root)
    if where is None:
        return Config()
    path, table = where
    shown = _shown(path, root)
    try:
        text = _read(path)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", shown) from None
    return _parse(text, table, shown, shown)


def _parse(text: str, table: str, shown: str, name: str) -> Config:
    """The configuration in a file's text: the whole file, or its [tool.mofcheck] table (`table`).
    `shown` names the file in errors, `name` in the findings about its settings."""
    try:
        data = _toml_loads(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigError(f"TOML error: {exc}", shown) from None
    if table:
        data = data.get("tool", {}).get("mofcheck")
        if data is None:
            return Config()
        if not isinstance(data, dict):
            raise ConfigError("[tool.mofcheck] must be a table", shown)
    return from_dict(data, name)


def load_at(root: Path, ref: str) -> Config:
    """The configuration as it stands at git ref `ref` (read from git, no checkout), or an empty one.
    Raises ConfigError (a broken file) or MofcheckError (an unknown ref)."""
    from .repo import Repo

    repo = Repo.open(root, ref=ref)
    for name, table in ((CONFIG_FILE, ""), ("pyproject.toml", "tool.mofcheck")):
        f = repo.get(name)
        if f is None or f.is_symlink:
            continue
        res = repo.read_bytes(name, limit=MAX_CONFIG_BYTES + 1)
        shown = f"{name} at {ref}"
        if not res.ok or res.data is None:
            raise ConfigError(f"cannot read: {res.error}", shown)
        if len(res.data) > MAX_CONFIG_BYTES:
            raise ConfigError("configuration file larger than 1 MiB", shown)
        try:
            text = res.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ConfigError("configuration is not UTF-8", shown) from None
        return _parse(text, table, shown, name)  # findings point at the file as the repository names it
    return Config()


def from_dict(data: dict[str, Any], shown: str) -> Config:
    import jsonschema

    plain = jsonable(data)
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(plain), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        e = errors[0]
        where = ".".join(str(p) for p in e.absolute_path) or "configuration"
        raise ConfigError(f"{where}: {e.message}", shown)
    from .framework import load as load_framework

    names = load_framework().names()
    waivers = []
    for w in plain.get("waiver", []):
        if w["component"] not in names:
            raise ConfigError(f"waiver for unknown component {w['component']!r}; use one of: {', '.join(names)}", shown)
        expires = dt.date.fromisoformat(w["expires"]) if w.get("expires") else None
        waivers.append(Waiver(w["component"], w["reason"], expires, w.get("model")))
    return Config(
        path=shown,
        mode=plain.get("mode"),
        min_class=plain.get("min-class"),
        fail_on=list(plain.get("fail-on", [])),
        require=list(plain.get("require", [])),
        manifests=list(plain.get("manifests", [])),
        ignore=list(plain.get("ignore", [])),
        trust_manifest=plain.get("trust-manifest"),
        waivers=waivers,
    )
