"""The SVG badge drawn as a PNG (Hugging Face does not render SVG in model cards, lfai/model_openness_tool#159).

The geometry is genbadge's own (the SVG's box widths, text centres and `textLength`s), so the PNG and the
SVG match: each text is drawn with the bundled DejaVu Sans at 11 px and fitted to the SVG's text length,
as a browser fits `textLength`; boxes, the light gradient, the text shadow and the 3 px rounded corners
follow shields' flat template. Pillow is imported only here.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

FONT = Path(__file__).resolve().parent / "data" / "fonts" / "DejaVuSans.ttf"
HEIGHT = 20


def geometry(svg: str) -> dict:
    """Widths, text centres and text lengths (px) from a genbadge SVG."""

    def num(pattern: str) -> list[float]:
        return [float(x) for x in re.findall(pattern, svg)]

    total = num(r'<svg[^>]* width="([\d.]+)"')[0]
    left = num(r'<rect width="([\d.]+)" height="20" fill="(?!url)')[0]
    texts = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" transform="scale\(\.1\)" fill="#fff" textLength="([\d.]+)">', svg)
    colors = re.findall(r'<rect (?:x="[\d.]+" )?width="[\d.]+" height="20" fill="(#[0-9a-fA-F]{3,6})"', svg)
    (lx, ly, llen), (rx, ry, rlen) = texts
    return {
        "total": total,
        "left": left,
        "colors": colors,
        "texts": [(float(lx) / 10, float(ly) / 10, float(llen) / 10), (float(rx) / 10, float(ry) / 10, float(rlen) / 10)],
    }


def _rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def render(svg: str, labels: tuple[str, str], scale: int = 1) -> bytes:
    """The badge of `svg` (genbadge) as PNG bytes, `scale` times its size (2 for high-density screens)."""
    from PIL import Image, ImageDraw, ImageFont

    g = geometry(svg)
    s = max(1, int(scale))
    w, h = round(g["total"] * s), HEIGHT * s
    left = round(g["left"] * s)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, left - 1, h - 1), fill=_rgb(g["colors"][0]) + (255,))
    draw.rectangle((left, 0, w - 1, h - 1), fill=_rgb(g["colors"][1]) + (255,))
    # shields' gradient: #bbb at .1 opacity on top to black at .1 at the bottom
    shade = Image.new("RGBA", (1, h))
    for y in range(h):
        t = y / max(1, h - 1)
        v = round(187 * (1 - t))
        shade.putpixel((0, y), (v, v, v, round(255 * 0.1)))
    img.alpha_composite(shade.resize((w, h)))
    font = ImageFont.truetype(str(FONT), 11 * s)
    ascent, descent = font.getmetrics()
    for (cx, baseline, length), text in zip(g["texts"], labels):
        if not text:
            continue
        advance = max(1, math.ceil(font.getlength(text)))
        mask = Image.new("L", (advance + 2 * s, ascent + descent))
        ImageDraw.Draw(mask).text((s, ascent), text, font=font, fill=255, anchor="ls")
        target = max(1, round(mask.width * length * s / advance))  # the advance fitted to the SVG's textLength
        mask = mask.resize((target, mask.height), Image.LANCZOS)
        x0 = round(cx * s - target / 2)  # text-anchor: middle
        for dy, color, alpha in ((1, (1, 1, 1), 0.3), (0, (255, 255, 255), 1.0)):  # shadow, then text
            y0 = round((baseline + dy) * s) - ascent
            m = mask if alpha == 1.0 else mask.point(lambda v, a=alpha: round(v * a))
            img.paste(Image.new("RGBA", mask.size, color + (255,)), (x0, y0), m)
    corners = Image.new("L", (w, h), 0)
    ImageDraw.Draw(corners).rounded_rectangle((0, 0, w - 1, h - 1), radius=3 * s, fill=255)
    img.putalpha(corners)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


__all__ = ["render", "geometry", "FONT"]
