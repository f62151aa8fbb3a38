"""`mofcheck audit`: the openwashing audit of a registry of MOT-format files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

from cyclopts import Parameter


def audit(
    paths: list[Path],
    /,
    *,
    format: Annotated[Literal["text", "json", "csv", "markdown"], Parameter(help="Output format.")] = "text",
    output: Annotated[Path | None, Parameter(help="Write the output to this file instead of standard output.")] = None,
    jobs: Annotated[int, Parameter(help="Sources fetched at once.")] = 4,
    budget: Annotated[float, Parameter(help="Seconds the whole audit may spend on the network.")] = 3600.0,
    cache: Annotated[Path | None, Parameter(help="On-disk cache of fetched sources (default: the user's cache directory; MOFCHECK_CACHE_DIR).")] = None,
    no_cache: Annotated[bool, Parameter(negative=(), help="Fetch everything afresh; write no cache.")] = False,
    state: Annotated[Path | None, Parameter(help="Append each finished release to this JSON-lines file and skip the ones already in it (resume).")] = None,
) -> int:
    """Audit MOT-format files (a registry such as MOT's models/ folder): for each release, the class it
    declares against the class that its own hosts back (its `repository` and `huggingface` links and
    component_path URLs, fetched from GitHub, the Hugging Face Hub and arXiv).

    Honours HF_ENDPOINT, HF_TOKEN, GITHUB_API_URL, GITHUB_TOKEN and MOFCHECK_ARXIV_URL.
    Exit codes: 0 the audit ran (whatever it found); 2 usage error.
    """
    from ..audit import audit as run_audit
    from ..audit import load_state, render
    from ..remote.budget import Budget
    from ..remote.cache import Cache
    from ..workspace import write_text

    done = load_state(state) if state else {}
    sink = open(state, "a", encoding="utf-8") if state else None  # noqa: SIM115 - closed below

    def on_row(row) -> None:
        if sink is not None:
            sink.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
            sink.flush()

    try:
        rows = run_audit(paths, Budget(total_seconds=budget), jobs=max(1, jobs), cache=None if no_cache else Cache(cache), done=done, on_row=on_row)
    finally:
        if sink is not None:
            sink.close()
    text = render(rows, format)
    if output is not None:
        write_text(output, text)
    else:
        sys.stdout.write(text)
    return 0
