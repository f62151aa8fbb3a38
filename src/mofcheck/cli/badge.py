"""`mofcheck badge`: the release's MOF class as an SVG or PNG, shields endpoint JSON, static URL or README block."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Literal

from cyclopts import Parameter


def badge(
    path: Path = Path("."),
    /,
    *,
    format: Annotated[
        Literal["svg", "png", "endpoint", "url", "markdown"],
        Parameter(
            help="svg: a badge image; png: the same badge as a PNG (Hugging Face model cards do not render SVG; needs --output or --write); endpoint: shields.io endpoint JSON; url: a static img.shields.io URL; markdown: a README image line (default)."
        ),
    ] = "markdown",
    output: Annotated[
        Path | None, Parameter(help="Write the badge to this file instead of standard output. With several releases, put {model} in the name.")
    ] = None,
    write: Annotated[
        Path | None,
        Parameter(
            help="Insert or update the badge in this Markdown file (e.g. README.md) between the marker comments `<!-- mofcheck-badge:start -->` and `<!-- mofcheck-badge:end -->`."
        ),
    ] = None,
    mode: Annotated[Literal["mof", "mot"] | None, Parameter(help="mof: MOF with MOT's license bugs fixed (default). mot: reproduce MOT exactly.")] = None,
    manifest: Annotated[list[Path] | None, Parameter(help="A MOT-format manifest to use instead of the ones found in PATH (repeatable).")] = None,
    model: Annotated[str | None, Parameter(help="Only the release with this name (default: one badge per release).")] = None,
    klass: Annotated[
        Literal[1, 2, 3] | None,
        Parameter(
            name="--class",
            help="A badge for this class (Qualified / In progress / Not met), as MOT's per-class badges. Default: the highest class qualified, else Class III progress.",
        ),
    ] = None,
    link: Annotated[str | None, Parameter(help="Make the Markdown image a link to this URL.")] = None,
    scale: Annotated[int, Parameter(help="With --format png: draw it this many times its size (1-4; 2 for high-density screens).")] = 1,
    exit_nonzero_on_change: Annotated[bool, Parameter(help="Exit 1 when a file was written or changed (the pre-commit fixer convention).")] = False,
) -> int:
    """Make a badge showing the MOF class a release reaches, with MOT's labels and colours.

    Exit codes: 0 done (or nothing to change); 1 a file changed and --exit-nonzero-on-change was given;
    2 usage or input error (no usable manifest).
    """
    from .. import badge as b
    from ..check import CheckOptions, run
    from ..errors import MofcheckError
    from ..gate import EXIT_INPUT

    report = run(CheckOptions(path=path, manifests=list(manifest or []), mode=mode))
    if report.gate.get("exit_code") == EXIT_INPUT:
        for f in report.findings:
            if f.code == "manifest.invalid":
                where = f"{f.path}:{f.line}:{f.column or 1}" if f.line else f"{f.path}"
                print(f"mofcheck: error: {where}: {f.message}", file=sys.stderr)
        return EXIT_INPUT
    rd = report.to_dict()
    badges = b.badges(rd, model, klass)
    several = len(badges) > 1
    labels = [b.display_label(x, several) for x in badges]
    changed: list[Path] = []

    if format == "endpoint" and write is not None:
        raise MofcheckError("an endpoint badge must be served over https; with --write use --format svg, png, url or markdown")
    if format == "png" and output is None and write is None:
        raise MofcheckError("a PNG badge is binary: give --output FILE (or --write README.md)")
    if not 1 <= scale <= 4:
        raise MofcheckError("--scale must be 1, 2, 3 or 4")

    images: list[str]  # what the Markdown image points to, per badge
    if format in ("svg", "png", "endpoint"):
        targets = _targets(output, write, badges, format)
        if format == "png":
            assert targets is not None
            for t, x, lab in zip(targets, badges, labels):
                if b.write_bytes_if_changed(t, b.render_png(x, lab, scale)):
                    changed.append(t)
        else:
            render = b.render_svg if format == "svg" else b.endpoint_json
            texts = [render(x, lab) for x, lab in zip(badges, labels)]
            if targets is None:
                sys.stdout.write(texts[0])
            else:
                for t, text in zip(targets, texts):
                    if b.write_if_changed(t, text):
                        changed.append(t)
        images = [_relative(t, write) for t in targets] if (targets and write) else []
    else:
        images = [b.static_url(x, lab) for x, lab in zip(badges, labels)]
        lines = images if format == "url" else [b.markdown(x, u, link, lab) for x, u, lab in zip(badges, images, labels)]
        if output is not None:
            if b.write_if_changed(output, "\n".join(lines) + "\n"):
                changed.append(output)
        elif write is None:
            sys.stdout.write("\n".join(lines) + "\n")

    if write is not None:
        old = b.read_text_file(write)
        if old is None:
            raise MofcheckError("no such file; create it first (the badge goes after its first heading)", str(write))
        if format == "png" and scale > 1:
            lines = [b.html_image(x, u, 20, link, lab) for x, u, lab in zip(badges, images, labels)]
        else:
            lines = [b.markdown(x, u, link, lab) for x, u, lab in zip(badges, images, labels)]
        new = b.update_readme(old, lines, str(write))
        if new != old:
            b.write_if_changed(write, new)
            changed.append(write)
    for p in changed:
        print(f"mofcheck: wrote {p}", file=sys.stderr)
    return 1 if (exit_nonzero_on_change and changed) else 0


def _targets(output: Path | None, write: Path | None, badges: list, fmt: str) -> list[Path] | None:
    """One file per badge, or None for standard output."""
    from .. import badge as b
    from ..errors import MofcheckError

    several = len(badges) > 1
    ext = {"svg": ".svg", "png": ".png"}.get(fmt, ".json")
    if output is None and write is None:
        if several:
            names = ", ".join(repr(x.model) for x in badges)
            raise MofcheckError(f"several releases ({names}): choose one with --model, or give --output with {{model}} in the name")
        return None
    if output is None:
        assert write is not None
        output = write.parent / (("mof-badge-{model}" if several else "mof-badge") + ext)
    if several and "{model}" not in str(output):
        raise MofcheckError("several releases: put {model} in --output (e.g. badges/{model}.svg), or choose one with --model")
    return [Path(str(output).replace("{model}", b.slug(x.model))) for x in badges]


def _relative(target: Path, readme: Path) -> str:
    rel = os.path.relpath(target.resolve(), readme.resolve().parent)
    return rel.replace(os.sep, "/")
