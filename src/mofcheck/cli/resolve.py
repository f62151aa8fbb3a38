"""`mofcheck resolve`: follow the release's links, fetch what they point to, write the evidence lock."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

from cyclopts import Parameter


def resolve(
    path: Path = Path("."),
    /,
    *,
    manifest: Annotated[list[Path] | None, Parameter(help="A MOT-format manifest to use instead of the ones found in PATH (repeatable).")] = None,
    output: Annotated[Path | None, Parameter(help="Where to write the lock (default PATH/.mof/evidence.lock.json).")] = None,
    budget: Annotated[float, Parameter(help="Seconds the whole run may spend on the network.")] = 120.0,
    jobs: Annotated[int, Parameter(help="Sources fetched at once.")] = 4,
    dry_run: Annotated[bool, Parameter(help="Print the lock instead of writing it.")] = False,
    strict: Annotated[bool, Parameter(help="Exit 1 when a source cannot be fetched.")] = False,
) -> int:
    """Fetch what the release's links point to (Hugging Face, arXiv, GitHub) and write the evidence lock.

    Links come from the manifest (release.huggingface, release.repository, component_path and
    license_path URLs) and from the cards and READMEs. `mofcheck check` stays offline and uses the lock;
    commit it. Honours HF_ENDPOINT, HF_TOKEN, GITHUB_API_URL, GITHUB_TOKEN and MOFCHECK_ARXIV_URL.
    Exit codes: 0 written; 1 with --strict, a source could not be fetched; 2 usage or input error.
    """
    from ..check import CheckOptions
    from ..errors import MofcheckError
    from ..lock import LOCK_PATH, load
    from ..remote.budget import Budget
    from ..repo import Repo
    from ..report.escape import terminal
    from ..resolve import resolve_repository
    from ..workspace import write_text

    if not path.is_dir():
        raise MofcheckError(f"not a directory: {path}")
    previous, _ = load(Repo.open(path))
    opts = CheckOptions(path=path, manifests=list(manifest or []))
    lock, findings = resolve_repository(opts, Budget(total_seconds=budget), jobs=max(1, jobs), previous=previous)
    text = lock.to_json()
    for f in findings:
        print(f"mofcheck: {f.severity}: {terminal(f.message, 500)}", file=sys.stderr)
    for key, src in sorted(lock.sources.items()):
        state = f"at {(src.revision or '?')[:12]}, license {src.license or 'not stated'}" if src.ok else f"not fetched: {src.error_kind}"
        print(f"  {terminal(key, 200)}: {terminal(state, 300)}", file=sys.stderr)
    if dry_run:
        sys.stdout.write(text)
    else:
        out = output or path / LOCK_PATH
        write_text(out, text)
        print(f"wrote {terminal(out, 500)}: {len(lock.sources)} source(s); commit it, `mofcheck check` uses it offline", file=sys.stderr)
    failed = any(not s.ok for s in lock.sources.values())
    return 1 if strict and failed else 0
