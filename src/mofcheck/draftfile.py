"""Where `mofcheck init` writes the manifest, and how: never through a link out of the repository, never
half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import ManifestError, MofcheckError
from .manifest import MANIFEST_DIR, MANIFEST_NAMES, MAX_MANIFEST_BYTES, decode, find_manifests


def default_output(root: Path) -> Path:
    """The manifest that exists (mof.yml, mof.yaml, .mof.yml, .github/mof.yml, one .mof/*.yml), else mof.yml."""
    found = find_manifests(root)
    top = [p for p in found if p in MANIFEST_NAMES]
    if top:
        return root / top[0]
    per_model = [p for p in found if p.startswith(MANIFEST_DIR + "/")]
    if len(per_model) == 1:
        return root / per_model[0]
    if per_model:
        raise MofcheckError(f"{len(per_model)} manifests in {MANIFEST_DIR}/ (one per release); name the one to update with --output")
    return root / MANIFEST_NAMES[0]


def safe_output(root: Path, output: Path) -> Path:
    """The real file to write. A path inside the repository must stay inside it after symlinks resolve."""
    lexical = Path(os.path.abspath(output))
    real = Path(os.path.realpath(output))
    root_abs, root_real = Path(os.path.abspath(root)), Path(os.path.realpath(root))
    if lexical.is_relative_to(root_abs) and not real.is_relative_to(root_real):
        raise MofcheckError(f"{output} is a symlink (or under one) that leads out of the repository, to {real}; not writing there")
    if real.is_dir():
        raise MofcheckError(f"{output} is a directory; give a file with --output")
    return real


def read_existing(path: Path, shown: str) -> str | None:
    if not path.exists():
        return None
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise MofcheckError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError("larger than 2 MiB; not a manifest mofcheck will rewrite", shown)
    return decode(raw, shown)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, then replace: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
