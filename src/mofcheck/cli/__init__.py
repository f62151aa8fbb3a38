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

# Command modules register themselves on import (keep this list sorted).
from . import badge as _badge  # noqa: E402,F401
from . import core as _core  # noqa: E402,F401
from . import export as _export  # noqa: E402,F401
from . import github as _github  # noqa: E402,F401
from . import identify as _identify  # noqa: E402,F401
from . import init as _init  # noqa: E402,F401


def main(argv: list[str] | None = None) -> int:
    from ..errors import MofcheckError

    try:
        result = app(argv if argv is not None else sys.argv[1:], exit_on_error=False, print_error=True)
    except MofcheckError as exc:
        print(f"mofcheck: error: {exc.render()}", file=sys.stderr)
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
