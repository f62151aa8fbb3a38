"""The export command: a checked release as MOT YAML, SPDX 2.3, SPDX 3.0.1 or a CycloneDX 1.6 ML-BOM."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

from cyclopts import Parameter


def export(
    path: Path = Path("."),
    /,
    *,
    format: Annotated[
        Literal["mot", "spdx", "spdx3", "cyclonedx"],
        Parameter(
            help="mot: a MOT registry YAML; spdx: SPDX 2.3 JSON; spdx3: SPDX 3.0.1 JSON-LD (AI and Dataset profiles); cyclonedx: a CycloneDX 1.6 ML-BOM (JSON)."
        ),
    ],
    output: Annotated[Path | None, Parameter(help="Write to this file instead of standard output.")] = None,
    manifest: Annotated[list[Path] | None, Parameter(help="A MOT-format manifest to use instead of the ones found in PATH (repeatable; any path).")] = None,
    mode: Annotated[Literal["mof", "mot"], Parameter(help="mof: MOF with MOT's license bugs fixed (default). mot: reproduce MOT exactly.")] = "mof",
    model: Annotated[str | None, Parameter(help="Export only the release with this name (needed for --format mot when there are several).")] = None,
) -> int:
    """Check the repository and export its release(s) with their verified components and licenses.

    SPDX and CycloneDX documents take their creation time from SOURCE_DATE_EPOCH when it is set (reproducible output).
    Exit codes: 0 written, 2 usage or input error (an invalid manifest, no release, an unknown --model).
    """
    from ..check import CheckOptions
    from ..export import collect, render

    opts = CheckOptions(path=path, manifests=list(manifest or []), mode=mode)
    report, releases = collect(opts, model)
    text = render(format, releases, root=report.root)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    from ..workspace import write_text  # never through a link a checkout planted

    write_text(output, text)
    return 0
