"""The command line: one cyclopts App, one module per command group.

Each command module registers its commands on `app`; heavy work is imported inside the commands so
`mofcheck --help` and `mofcheck check` stay fast.
"""

from __future__ import annotations

import os
import sys

from cyclopts import App

from .. import __version__

app = App(
    name="mofcheck",
    version=__version__,
    help="Check an AI model repository against the Model Openness Framework (MOF).\n\n"
    "Exit codes: 0 the check ran and passed its gate; 1 below --min-class or another gate failed; "
    "2 usage, configuration or input error.",
)

# `check` and the other core commands register themselves on import; the rest are imported only when
# run (or for help), so `mofcheck check` does not pay for them. Keep this list sorted.
from . import core as _core  # noqa: E402,F401

_LAZY = ("audit", "badge", "export", "github", "identify", "init", "resolve")
for _name in _LAZY:
    app.command(f"mofcheck.cli.{_name}:{_name}")  # the module mofcheck.cli.<name> defines <name>()


def main(argv: list[str] | None = None) -> int:
    from ..errors import MofcheckError

    args = list(argv if argv is not None else sys.argv[1:])
    if not args or args[0].startswith("-") or args[0] not in app:
        app.resolved_commands()  # help, --version or a typo: the command list shows every description
    try:
        result = app(args, exit_on_error=False, print_error=True)
    except MofcheckError as exc:
        from ..report.escape import terminal  # a path or message may come from the repository

        print(f"mofcheck: error: {terminal(exc.render(), 2000)}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # cyclopts --help / --version
        return int(exc.code or 0)
    except Exception as exc:  # cyclopts usage errors, or a bug
        from cyclopts.exceptions import CycloptsError

        if isinstance(exc, CycloptsError):
            return 2
        if os.environ.get("MOFCHECK_DEBUG"):
            raise
        from ..report.escape import terminal

        print(f"mofcheck: internal error: {type(exc).__name__}: {terminal(exc, 300)}", file=sys.stderr)
        print("mofcheck: this is a bug; run again with MOFCHECK_DEBUG=1 for the traceback and please report it", file=sys.stderr)
        return 2
    return int(result or 0)
