"""`mofcheck github`: the command the GitHub Action runs."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Literal

from cyclopts import Parameter


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value >= 0 else default


def _relative_key(path: Path, base: Path) -> str:
    try:
        rel = path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return "root"  # outside the workspace: no better key
    return "root" if rel in ("", ".") else rel


def _write(path: Path, text: str) -> None:
    from ..workspace import write_text

    write_text(path, text)


def github(
    path: Path = Path("."),
    /,
    *,
    manifest: Annotated[list[Path] | None, Parameter(help="A MOT-format manifest to use instead of the ones found in PATH (repeatable).")] = None,
    mode: Annotated[Literal["mof", "mot"] | None, Parameter(help="mof: MOF with MOT's license bugs fixed (default). mot: reproduce MOT exactly.")] = None,
    min_class: Annotated[Literal[1, 2, 3] | None, Parameter(help="Fail (exit 1) when a release is below this class.")] = None,
    fail_on: Annotated[
        str | None, Parameter(help="Fail (exit 1) on findings: comma-separated codes, code groups or severities; default: error; `none` turns it off.")
    ] = None,
    require: Annotated[
        list[str] | None, Parameter(help="Fail (exit 1) when a release does not reach this verdict (repeatable), e.g. g7:open-weights, osaid, eu-ai-act.")
    ] = None,
    baseline: Annotated[
        str | None, Parameter(help="Compare with the repository at this git ref (read from git, no checkout) and fail only on regressions.")
    ] = None,
    config: Annotated[Path | None, Parameter(help="Configuration file (default: .mofcheck.toml, else [tool.mofcheck] in pyproject.toml, in PATH).")] = None,
    no_config: Annotated[bool, Parameter(negative=(), help="Ignore any configuration file.")] = False,
    config_base: Annotated[
        bool,
        Parameter(help="Read the configuration as it stands on the pull request's base commit (from git, no checkout), so the pull request cannot change it."),
    ] = False,
    new_waivers: Annotated[
        bool | None,
        Parameter(help="Whether waivers the change adds (absent at --baseline, else the pull request's base) count (default: not on pull request events)."),
    ] = None,
    status: Annotated[bool, Parameter(help="Set a commit status (context mofcheck/mof-class) on the commit.")] = True,
    check_run: Annotated[bool, Parameter(help="Create a check run with a summary and annotations (needs checks: write).")] = False,
    comment: Annotated[bool, Parameter(help="Keep one sticky comment on the pull request, edited on every run.")] = True,
    strict_publish: Annotated[bool, Parameter(help="Exit 1 when something could not be published (default: publishing never changes the exit code).")] = False,
    comment_key: Annotated[
        str | None, Parameter(help="Key of the sticky comment's hidden marker (default: PATH relative to the workspace); one comment per key.")
    ] = None,
    status_context: Annotated[str, Parameter(help="Commit status context.")] = "mofcheck/mof-class",
    report_file: Annotated[Path | None, Parameter(help="Where to write the JSON report (default $RUNNER_TEMP/mofcheck-report.json).")] = None,
    sarif_file: Annotated[Path | None, Parameter(help="Also write a SARIF file here (output sarif-file), for code scanning.")] = None,
    online: Annotated[
        bool,
        Parameter(
            help="Follow the release's links (Hugging Face, arXiv, GitHub) through their clients within --budget, as `check --online` (default: on; --no-online reads the evidence lock only). A network failure never loses the verdict."
        ),
    ] = True,
    budget: Annotated[float, Parameter(help="With --online: seconds the whole run may spend on the network.")] = 60.0,
) -> int:
    """Run the check in GitHub Actions: job summary, step outputs, annotations, commit status, check run, PR comment.

    Reads GITHUB_* variables and the event payload; the token comes only from the environment
    (MOFCHECK_GITHUB_TOKEN, INPUT_GITHUB-TOKEN or GITHUB_TOKEN). Publishing failures are reported in one
    line and never change the exit code unless --strict-publish. Exit codes as `mofcheck check`.
    """
    from ..check import CheckOptions, run
    from ..gate import parse_fail_on
    from ..github import content as content_mod
    from ..github import publish as publish_mod
    from ..github import runner
    from ..github.env import PR_EVENTS, read_context
    from ..report import render

    ctx = read_context()
    if ctx.actions and ctx.token:
        sys.stdout.write(runner.mask_command(ctx.token))
        sys.stdout.flush()

    pull_request = (ctx.event_name or "") in PR_EVENTS
    config_ref = None
    if config_base:
        if ctx.base_sha:
            config_ref = ctx.base_sha
        else:
            print("mofcheck: notice: no pull request base in the event; the checkout's configuration is used", file=sys.stderr)
    options = dict(
        path=path,
        manifests=list(manifest or []),
        mode=mode,
        min_class=min_class,
        # None (not []) when not given
        fail_on=parse_fail_on(fail_on),
        require=list(require) if require else None,
        config=config,
        use_config=not no_config,
        config_ref=config_ref,
        new_waivers=new_waivers,
        pull_request=pull_request,
        # waivers absent at the base are new: --baseline, else the pull request's base commit
        waiver_ref=baseline or (ctx.base_sha if pull_request else None),
        origin="action input" if os.environ.get("MOFCHECK_ACTION") == "true" else "command line",
        online=online,
        budget_seconds=budget,
    )
    if baseline:
        options["baseline"] = baseline
    report = run(CheckOptions(**options)).to_dict()
    exit_code = int(report["gate"]["exit_code"])

    base = ctx.workspace or Path.cwd()
    key = comment_key or _relative_key(path, base)
    # Finding paths are relative to the checked folder; annotations need them relative to the repository.
    prefix = _relative_key(path if path.is_dir() else path.parent, base)
    located = content_mod.rebase_paths(report, "" if prefix == "root" else prefix)

    report_path = report_file or (ctx.runner_temp or Path(tempfile.gettempdir())) / "mofcheck-report.json"
    _write(report_path, render("json", report))
    outputs = {}
    cls, label = content_mod.class_and_label(report)
    outputs["class"] = str(cls)
    outputs["class-label"] = label
    outputs["progress"] = content_mod.progress_json(report)
    outputs["report"] = str(report_path)
    outputs["badge-url"] = content_mod.badge_url(report)
    if sarif_file:
        _write(sarif_file, render("sarif", located))
        outputs["sarif-file"] = str(sarif_file)

    if ctx.step_summary:
        summary = render("markdown", located, limit=1_000_000)
        try:
            runner.append_summary(ctx.step_summary, summary)
        except OSError as exc:
            print(f"mofcheck: warning: cannot write the job summary: {exc.strerror or exc}", file=sys.stderr)
    if ctx.output:
        try:
            runner.append_outputs(ctx.output, outputs)
        except OSError as exc:
            print(f"mofcheck: warning: cannot write the step outputs: {exc.strerror or exc}", file=sys.stderr)
    annotations = render("github", located)
    if annotations:
        sys.stdout.write(annotations)
        sys.stdout.flush()

    settings = publish_mod.Settings(
        status=status,
        check_run=check_run,
        comment=comment,
        context=status_context,
        timeout=_env_float("MOFCHECK_GITHUB_TIMEOUT", 10.0),
    )
    marker = publish_mod.marker_for(key)
    body = render("markdown", located, limit=65000, marker=publish_mod.marker_text(key))
    content = content_mod.build(located, marker=marker, comment=body, summary=body)
    scale = _env_float("MOFCHECK_RETRY_SCALE", 1.0)  # tests set 0 to skip the waiting
    try:
        ok = publish_mod.publish(ctx, content, settings, sleep=lambda s: time.sleep(s * scale)).ok
    except Exception as exc:  # a bug of ours must not turn a verdict into a crash
        ok = False
        line = publish_mod.scrub(f"{type(exc).__name__}: {exc}", [ctx.token or ""])
        print(f"mofcheck: warning: publishing to GitHub failed: {line[:300]}", file=sys.stderr)
    if strict_publish and not ok and exit_code == 0:
        return 1
    return exit_code
