"""`mofcheck init`: write (or update) a draft MOT-format manifest from the repository's evidence."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

from cyclopts import Parameter


def init(
    path: Path = Path("."),
    /,
    *,
    output: Annotated[Path | None, Parameter(help="The manifest to write or update (default: the one PATH has, else PATH/mof.yml).")] = None,
    name: Annotated[str | None, Parameter(help="The release name (default: the card's model_name, the README title, or the folder name).")] = None,
    producer: Annotated[str | None, Parameter(help="Who releases the model (default: left empty with a TODO).")] = None,
    dry_run: Annotated[bool, Parameter(help="Print the manifest instead of writing it.")] = False,
    diff: Annotated[bool, Parameter(help="Print a unified diff against the file instead of writing it (implies --dry-run).")] = False,
    from_: Annotated[
        str | None,
        Parameter(
            name="--from",
            help="Draft from the release as its host publishes it: hf:ORG/NAME, gh:OWNER/REPO, or a Hugging Face, GitHub or arXiv URL (uses the network).",
        ),
    ] = None,
    budget: Annotated[float, Parameter(help="With --from: seconds the whole run may spend on the network.")] = 60.0,
) -> int:
    """Write a draft MOT-format manifest from what the repository shows, or update the existing one.

    Each component the repository shows is listed with its license and path, and with `# mofcheck:`
    comments naming the evidence and what is left to decide (TODO). Run again to add newly evidenced
    components: your edits and comments are kept, and a run that finds nothing new changes nothing.
    Exit codes: 0 written (or printed), 2 the existing manifest does not parse, or another input error.
    """
    from ..draftfile import write_atomic
    from ..draftplan import from_remote
    from ..init import draft

    remote = None
    if from_:
        from ..remote.budget import Budget

        remote = from_remote(from_, Budget(total_seconds=budget))
        path.mkdir(parents=True, exist_ok=True)
    d = draft(path, output, name=name, producer=producer, remote=remote)
    if not d.releases_model:
        print("mofcheck: note: the repository shows no weights and no model card; is it a model release?", file=sys.stderr)
    if diff:
        sys.stdout.write(d.diff())
        return 0
    if dry_run:
        sys.stdout.write(d.text)
        return 0
    if not d.changed:
        print(f"{d.shown}: up to date", file=sys.stderr)
        return 0
    try:
        write_atomic(d.output, d.text)
    except OSError as exc:
        from ..errors import MofcheckError

        raise MofcheckError(f"cannot write {d.shown}: {exc.strerror or exc}") from None
    what = "wrote" if d.old is None else "updated"
    added = f"; added: {', '.join(d.added)}" if d.added and d.old is not None else f"; {len(d.added)} components" if d.old is None else ""
    todo = f"; {d.todos} TODO(s) in `# mofcheck:` comments" if d.todos else ""
    print(f"{what} {d.shown}{added}{todo}", file=sys.stderr)
    if remote is not None:
        print("next: `mofcheck resolve` locks what the hosts show, so that `mofcheck check` can use it offline", file=sys.stderr)
    return 0
