"""The core commands: check, explain, licenses, schema."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

from cyclopts import Parameter

from . import app

Format = Literal["text", "json", "markdown", "github", "sarif", "lines"]


def write_outputs(report: dict, formats: list[str], outputs: list[Path], *, color: bool | None = None) -> None:
    """Render each format; pair `--format` and `--output` by position; unpaired formats go to stdout."""
    from ..errors import MofcheckError
    from ..report import render

    if len(outputs) > len(formats):
        raise MofcheckError("more --output than --format options; give one --format per --output")
    to_stdout = [f for i, f in enumerate(formats) if i >= len(outputs)]
    if len(to_stdout) > 1:
        raise MofcheckError("several formats to standard output; give an --output for all but one --format")
    for i, fmt in enumerate(formats):
        opts = {}
        if fmt == "text":
            opts["color"] = color if color is not None else (i >= len(outputs) and sys.stdout.isatty())
        text = render(fmt, report, **opts)
        if i < len(outputs):
            from ..workspace import write_text  # a checkout can plant `report.json -> ~/.bashrc`, or `reports -> /`

            write_text(outputs[i], text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()


@app.command
def check(
    path: Path = Path("."),
    /,
    *,
    manifest: Annotated[list[Path] | None, Parameter(help="A MOT-format manifest to use instead of the ones found in PATH (repeatable; any path).")] = None,
    mode: Annotated[Literal["mof", "mot"] | None, Parameter(help="mof: MOF with MOT's license bugs fixed (default). mot: reproduce MOT exactly.")] = None,
    format: Annotated[list[Format] | None, Parameter(help="Output format (repeatable; pair each with an --output, one may go to stdout).")] = None,
    output: Annotated[list[Path] | None, Parameter(help="Write the matching --format to this file.")] = None,
    min_class: Annotated[Literal[1, 2, 3] | None, Parameter(help="Fail (exit 1) when a release is below this class.")] = None,
    fail_on: Annotated[
        str | None,
        Parameter(
            help="Fail (exit 1) on findings: comma-separated codes (license.restrictive), code groups (license) or severities (warning); default: error (a contradicted claim such as license.conflict fails); `none` turns it off."
        ),
    ] = None,
    require: Annotated[
        list[str] | None,
        Parameter(
            help="Fail (exit 1) when a release does not reach this verdict (repeatable): g7:weights-available|open-weights|open-source|open-source-open-data, osaid, eu-ai-act. See docs/verdicts.md."
        ),
    ] = None,
    trust_manifest: Annotated[bool | None, Parameter(help="Gate on the class the manifest declares instead of the class the repository backs.")] = None,
    config: Annotated[Path | None, Parameter(help="Configuration file (default: .mofcheck.toml, else [tool.mofcheck] in pyproject.toml).")] = None,
    no_config: Annotated[bool, Parameter(negative=(), help="Ignore any configuration file.")] = False,
    config_ref: Annotated[
        str | None, Parameter(help="Read the repository's configuration as it stands at this git ref (e.g. the pull request's base), without checkout.")
    ] = None,
    new_waivers: Annotated[bool | None, Parameter(help="Whether waivers absent at --baseline (added by the change) count (default: yes).")] = None,
    manifest_only: Annotated[bool, Parameter(help="Judge the manifest alone; do not read the repository (the default in --mode mot).")] = False,
    baseline: Annotated[
        str | None, Parameter(help="A git ref (e.g. origin/main): evaluate it too, without checking it out, and fail only on a regression.")
    ] = None,
    online: Annotated[
        bool,
        Parameter(help="Follow the release's links now (Hugging Face, arXiv, GitHub) instead of using the evidence lock, and report where the lock is stale."),
    ] = False,
    budget: Annotated[float, Parameter(help="With --online: seconds the whole run may spend on the network.")] = 60.0,
    color: Annotated[bool | None, Parameter(help="Force colour on or off in text output.")] = None,
) -> int:
    """Check a repository (or a manifest) against the Model Openness Framework.

    Prints the class each release reaches, progress towards each class, one row per component with its
    license and the reason for its status, the plan to reach the next class, and findings.
    The repository's configuration may only tighten the gate these options set (the report's `settings`
    says where each setting came from and what was ignored).
    Exit codes: 0 passed, 1 gate failed (--min-class / --require / --fail-on), 2 usage, configuration or input error.
    """
    from ..check import CheckOptions, run
    from ..gate import parse_fail_on

    opts = CheckOptions(
        path=path,
        manifests=list(manifest or []),
        mode=mode,
        min_class=min_class,
        fail_on=parse_fail_on(fail_on),
        require=list(require) if require else None,
        trust_manifest=trust_manifest,
        config=config,
        use_config=not no_config,
        config_ref=config_ref,
        new_waivers=new_waivers,
        evidence=False if manifest_only else None,
        baseline=baseline,
        online=online,
        budget_seconds=budget,
    )
    report = run(opts)
    write_outputs(report.to_dict(), list(format or ["text"]), list(output or []), color=color)
    for f in report.findings:
        if f.code in ("manifest.invalid", "config.invalid"):
            where = f"{f.path}:{f.line}:{f.column or 1}" if f.line else f"{f.path}"
            from ..report.escape import terminal  # names and messages come from the repository

            print(f"mofcheck: error: {terminal(where, 1000)}: {terminal(f.message, 1000)}", file=sys.stderr)
    return report.gate["exit_code"]


@app.command
def schema(
    which: Annotated[Literal["report", "manifest", "config", "lock"], Parameter(help="Which schema to print.")] = "report",
) -> int:
    """Print a published JSON Schema: the JSON report (default), the MOT-format manifest, the configuration, or the evidence lock."""

    name = {"report": "report.schema.json", "manifest": "mot-manifest.schema.json", "config": "config.schema.json", "lock": "lock.schema.json"}[which]
    from .. import data

    sys.stdout.write(data.text(f"schemas/{name}"))
    return 0


@app.command
def explain(
    subject: Annotated[
        str, Parameter(help="A MOF component name (e.g. 'Model card', case-insensitive) or a license (SPDX id, expression or Hugging Face id).")
    ],
    /,
    *,
    path: Annotated[Path | None, Parameter(help="Also show the evidence chain for this component in the repository at PATH.")] = None,
) -> int:
    """Explain a component (what MOF requires, which licenses are accepted, how to fix) or a license."""
    from ..explain import explain_subject

    sys.stdout.write(explain_subject(subject, path))
    return 0


@app.command
def licenses(
    *,
    kind: Annotated[
        Literal["code", "data", "document"] | None, Parameter(help="Only licenses that are the right kind of open license for this category.")
    ] = None,
    format: Annotated[Literal["text", "json"], Parameter(help="Output format.")] = "text",
    all: Annotated[bool, Parameter(help="List every known license, not only the open ones.")] = False,
) -> int:
    """List the licenses mofcheck knows and how it classifies them."""
    from ..explain import licenses_listing

    sys.stdout.write(licenses_listing(kind, format, all))
    return 0
