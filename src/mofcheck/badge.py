"""Badges: which badge a release earns, and its SVG, shields.io endpoint JSON, static URL and README block.

Labels, messages and colours follow MOT's badges (mot.isitopen.ai) so the two read the same:
the class label on grey, then `Qualified` (#4c1), `In progress (N%)` (#76b1c9) or `Not met` (#9ba0a2).
Everything here works on the report dict (`Report.to_dict()`); the SVG library is imported only in
`render_svg`.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .errors import MofcheckError
from .report.headline import claim_gap

QUALIFIED, IN_PROGRESS, NOT_MET = "qualified", "in-progress", "not-met"
COLORS = {QUALIFIED: "4c1", IN_PROGRESS: "76b1c9", NOT_MET: "9ba0a2"}  # MOT's BadgeGenerator colours
START = "<!-- mofcheck-badge:start -->"
END = "<!-- mofcheck-badge:end -->"
SHIELDS = "https://img.shields.io"
README_MAX_BYTES = 4 * 1024 * 1024
FORMATS = ("svg", "png", "endpoint", "url", "markdown")


@dataclass(frozen=True)
class Badge:
    model: str  # the release's name
    cls: int  # the class the badge is about (3, 2 or 1)
    status: str  # qualified | in-progress | not-met
    label: str  # e.g. "Class II - Open Tooling Model"
    message: str  # e.g. "Qualified, 1 waiver"

    @property
    def color(self) -> str:
        return COLORS[self.status]

    def alt(self, label: str | None = None) -> str:
        return f"MOF {self.label if label is None else label}: {self.message}"


# ------------------------------------------------------------------------------------------ choice


def class_label(cls: int, report: dict) -> str:
    from . import framework

    fw = framework.load((report.get("framework") or {}).get("version") or framework.DEFAULT_VERSION)
    return fw.label(cls)


def _percent(p: float) -> int:
    return int(math.floor(p + 0.5))  # PHP's round(): half away from zero, as MOT shows it


def badge_for(model: dict, report: dict, cls: int | None = None) -> Badge:
    """The badge of one release: the highest class qualified, else Class III progress; or one given class."""
    progress = {int(k): float(v) for k, v in (model.get("progress") or {}).items()}
    if cls is None:
        cls = model["class"] if model.get("class") in (1, 2, 3) else 3
    p = progress.get(cls, 0.0)
    if p >= 100.0:
        status, message = QUALIFIED, "Qualified"
    elif p > 0.0:
        status, message = IN_PROGRESS, f"In progress ({_percent(p)}%)"
    else:
        status, message = NOT_MET, "Not met"
    waivers = sum(1 for c in model.get("components") or [] if c.get("waiver") and c.get("class", 0) >= cls)
    if waivers:
        message += f", {waivers} waiver" + ("s" if waivers > 1 else "")
    gap = claim_gap(model)
    if gap:  # the claim the repository does not back, said on the badge itself
        message += f" · {gap}"
    return Badge(model.get("name") or "model", cls, status, class_label(cls, report), message)


def select_models(report: dict, name: str | None) -> list[dict]:
    models = list(report.get("models") or [])
    if not models:
        raise MofcheckError("no release to make a badge for: no usable MOT-format manifest (mof.yml, .mof/*.yml) found")
    if name is None:
        return models
    hits = [m for m in models if m.get("name") == name] or [m for m in models if str(m.get("name", "")).lower() == name.lower()]
    if not hits:
        known = ", ".join(repr(m.get("name")) for m in models)
        raise MofcheckError(f"no release named {name!r}; releases: {known}")
    return hits[:1]


def badges(report: dict, model: str | None = None, cls: int | None = None) -> list[Badge]:
    return [badge_for(m, report, cls) for m in select_models(report, model)]


# ----------------------------------------------------------------------------------------- formats


def _shields_part(text: str) -> str:
    # shields' static badge path: '-' and '_' are separators, so they are doubled; the rest is URL-encoded
    return quote(text.replace("-", "--").replace("_", "__"), safe="")


def static_url(badge: Badge, label: str | None = None) -> str:
    label = badge.label if label is None else label
    return f"{SHIELDS}/badge/{_shields_part(label)}-{_shields_part(badge.message)}-{badge.color}"


def endpoint_json(badge: Badge, label: str | None = None) -> str:
    """shields.io endpoint JSON: only keys shields' strict schema accepts."""
    data = {"schemaVersion": 1, "label": badge.label if label is None else label, "message": badge.message, "color": badge.color}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_svg(badge: Badge, label: str | None = None) -> str:
    """A shields-style flat SVG (genbadge: Verdana metrics via Pillow, shields' template)."""
    try:
        from genbadge import Badge as GenBadge
    except ImportError:
        raise MofcheckError("SVG badges need the 'badge' extra: pip install 'mofcheck[badge]'") from None
    svg = GenBadge(_svg_safe(badge.label if label is None else label), _svg_safe(badge.message), "#" + badge.color).as_svg()
    return svg if svg.endswith("\n") else svg + "\n"


def render_png(badge: Badge, label: str | None = None, scale: int = 1) -> bytes:
    """The same badge as a PNG (Pillow and the bundled DejaVu Sans), for Hugging Face model cards."""
    svg = render_svg(badge, label)
    try:
        from .pngbadge import render
    except ImportError:  # pragma: no cover - Pillow comes with genbadge
        raise MofcheckError("PNG badges need the 'badge' extra: pip install 'mofcheck[badge]'") from None
    return render(svg, (_svg_safe(badge.label if label is None else label), _svg_safe(badge.message)), scale)


def _svg_safe(text: str) -> str:
    # genbadge pastes text into its template unescaped; labels are ours, but never emit broken XML
    return text.replace("&", "+").replace("<", "(").replace(">", ")").replace('"', "'")


def markdown(badge: Badge, image: str, link: str | None = None, label: str | None = None) -> str:
    alt = badge.alt(label).replace("[", "(").replace("]", ")")
    img = f"![{alt}]({image})"
    return f"[{img}]({link})" if link else img


def html_image(badge: Badge, image: str, height: int = 20, link: str | None = None, label: str | None = None) -> str:
    """An <img> at the badge's own height: a PNG drawn at 2x or more stays crisp without showing twice as large."""
    from html import escape

    img = f'<img src="{escape(image)}" alt="{escape(badge.alt(label))}" height="{height}">'
    return f'<a href="{escape(link)}">{img}</a>' if link else img


def display_label(badge: Badge, several: bool) -> str:
    """With several releases, each badge names its release."""
    return f"{badge.model}: {badge.label}" if several else badge.label


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "model"


# ------------------------------------------------------------------------------------- README block


def block_text(lines: list[str], nl: str) -> str:
    return START + nl + nl.join(lines) + nl + END


def _newline(text: str) -> str:
    i = text.find("\n")
    return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


def _lines_outside_fences(text: str) -> list[tuple[int, str]]:
    """(offset, line without its ending) for each line not inside a fenced code block or front matter."""
    out, fence = [], None
    lines = text.splitlines(keepends=True)
    i, off = _front_matter(lines)
    for line in lines[i:]:
        bare = line.rstrip("\r\n")
        m = re.match(r" {0,3}(`{3,}|~{3,})", bare)
        if fence is None and m:
            fence = m.group(1)
        elif fence is not None and re.match(r" {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$", bare):
            fence = None
        elif fence is None:
            out.append((off, bare))
        off += len(line)
    return out


def _front_matter(lines: list[str]) -> tuple[int, int]:
    """(lines, characters) of the YAML front matter at the top (Hugging Face model cards), or (0, 0)."""
    if lines and lines[0].rstrip("\r\n") == "---":
        for j in range(1, len(lines)):
            if lines[j].rstrip("\r\n") in ("---", "..."):
                return j + 1, sum(len(x) for x in lines[: j + 1])
    return 0, 0


def update_readme(text: str, lines: list[str], where: str = "README.md") -> str:
    """Put the badge lines between the markers (added after the first heading, or at the top, if absent).

    Touches nothing outside the block; keeps the file's line endings and a missing final newline.
    Running it twice gives the same text.
    """
    nl = _newline(text)
    visible = _lines_outside_fences(text)
    starts = [(o, s) for o, s in visible if s.strip() == START]
    ends = [(o, s) for o, s in visible if s.strip() == END]
    if starts or ends:
        if len(starts) != 1 or len(ends) != 1 or ends[0][0] < starts[0][0]:
            line = text.count("\n", 0, (starts or ends)[0][0]) + 1
            raise MofcheckError(f"expected one '{START}' followed by one '{END}'", where, line)
        a = starts[0][0] + len(starts[0][1])  # the marker lines themselves stay as they are
        b = ends[0][0]
        return text[:a] + nl + nl.join(lines) + nl + text[b:]
    block = block_text(lines, nl)
    pos = _after_first_heading(text, visible)
    if pos is None:
        _, fm = _front_matter(text.splitlines(keepends=True))
        if fm:  # a model card without a heading: right after its front matter, which must stay first
            head, tail = text[:fm], text[fm:]
            if not tail and not head.endswith(("\n", "\r")):  # front matter alone, no final newline: keep it missing
                return head + nl + block
            return head + ("" if head.endswith(("\n", "\r")) else nl) + block + nl + (nl + tail if tail.strip() else tail)
        return block + nl + (nl + text if text else "")
    head, tail = text[:pos], text[pos:]
    if not head.endswith(("\n", "\r")):  # the heading is the last line and has no newline
        return head + nl + nl + block
    return head + nl + block + nl + tail


def _after_first_heading(text: str, visible: list[tuple[int, str]]) -> int | None:
    """Offset just after the first ATX heading line or setext underline, or None."""
    for k, (off, line) in enumerate(visible):
        if re.match(r" {0,3}#{1,6}(\s|$)", line):
            return _line_end(text, off)
        if k + 1 < len(visible) and line.strip() and not line.startswith("    "):
            nxt_off, nxt = visible[k + 1]
            if re.match(r" {0,3}(=+|-+)\s*$", nxt) and nxt_off == _line_end(text, off):
                return _line_end(text, nxt_off)
    return None


def _line_end(text: str, off: int) -> int:
    j = text.find("\n", off)
    return len(text) if j < 0 else j + 1


# ---------------------------------------------------------------------------------------- file I/O


def read_text_file(path: Path, limit: int = README_MAX_BYTES) -> str | None:
    """The file's text (None when absent); never through a symlink, never more than `limit` bytes."""
    from .workspace import check_write

    check_write(path)  # `docs -> /elsewhere` with `--write docs/README.md`: refused before reading
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        raise MofcheckError("refusing to write through a symbolic link", str(path))
    if not stat.S_ISREG(st.st_mode):
        raise MofcheckError("not a regular file", str(path))
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise MofcheckError(f"larger than {limit // (1024 * 1024)} MiB; not touching it", str(path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MofcheckError(f"not UTF-8 text (byte {exc.start})", str(path)) from None


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` (bytes exactly, no newline translation) unless the file already holds it."""
    from .workspace import write_bytes

    old = read_text_file(path)
    if old == text:
        return False
    write_bytes(path, text.encode("utf-8"))  # never through a link a checkout planted, at any component
    return True


def write_bytes_if_changed(path: Path, data: bytes, limit: int = README_MAX_BYTES) -> bool:
    """Write `data` unless the file already holds it; never through a link a checkout planted."""
    from .workspace import write_bytes

    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise MofcheckError("refusing to write through a symbolic link", str(path))
        if stat.S_ISREG(st.st_mode) and st.st_size == len(data):
            with open(path, "rb") as f:
                if f.read(limit + 1) == data:
                    return False
    write_bytes(path, data)
    return True
