"""`mofcheck badge --format png`: the SVG badge drawn with Pillow and the bundled DejaVu Sans, for Hugging
Face model cards (which do not render SVG). Size, colours and text widths are held against genbadge's SVG."""

from __future__ import annotations

import io
import os
import re
import shutil

import pytest

from mofcheck import badge as b
from mofcheck import pngbadge

from .conftest import FIXTURES

pytest.importorskip("genbadge", reason="the badge extra (genbadge, Pillow) is not installed")
Image = pytest.importorskip("PIL.Image")

QUALIFIED = b.Badge("m", 2, b.QUALIFIED, "Class II - Open Tooling Model", "Qualified")
PROGRESS = b.Badge("m", 3, b.IN_PROGRESS, "Class III - Open Model", "In progress (33%)")


def _png(badge, scale=1) -> Image.Image:
    data = b.render_png(badge, scale=scale)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(data)).convert("RGBA")


def _rgb(hex_: str) -> tuple[int, int, int]:
    h = hex_.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    return tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))


def _expected(base: tuple[int, int, int], y: int, height: int) -> tuple[int, ...]:
    """The box colour under shields' gradient (#bbb to black, at .1 opacity) at row y."""
    v = round(187 * (1 - y / (height - 1)))
    return tuple(round(c * 0.9 + v * 0.1) for c in base)


def _ink_span(img: Image.Image, x0: int, x1: int, base: tuple[int, int, int]) -> tuple[int, int, int, int]:
    """(left, right, top, bottom) of the text pixels (at least halfway from the box colour to white) in x0..x1."""
    xs, ys = [], []
    for x in range(x0, x1):
        for y in range(img.height):
            r, g, bl, a = img.getpixel((x, y))
            if a == 255 and min((c - k) / max(1, 255 - k) for c, k in zip((r, g, bl), base)) > 0.5:  # halfway to white
                xs.append(x)
                ys.append(y)
    return min(xs), max(xs), min(ys), max(ys)


@pytest.mark.parametrize("scale", [1, 2, 3])
def test_size_matches_the_svg(scale):
    svg = b.render_svg(QUALIFIED)
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
    img = _png(QUALIFIED, scale)
    assert img.size == (round(width * scale), 20 * scale)


@pytest.mark.parametrize("badge", [QUALIFIED, PROGRESS], ids=["qualified", "in-progress"])
def test_box_colours_and_rounded_corners(badge):
    img = _png(badge, 2)
    g = pngbadge.geometry(b.render_svg(badge))
    left = round(g["left"] * 2)
    for y in (2, 20, 37):  # top, middle, bottom rows, clear of the text at the boxes' edges
        assert img.getpixel((3, y))[:3] == pytest.approx(_expected(_rgb("#555"), y, 40), abs=2)
        assert img.getpixel((left + 2, y))[:3] == pytest.approx(_expected(_rgb(badge.color), y, 40), abs=2)
        assert img.getpixel((img.width - 4, y))[:3] == pytest.approx(_expected(_rgb(badge.color), y, 40), abs=2)
    assert img.getpixel((0, 0))[3] == 0 and img.getpixel((img.width - 1, img.height - 1))[3] == 0
    assert img.getpixel((img.width // 2, 20))[3] == 255


@pytest.mark.parametrize("badge", [QUALIFIED, PROGRESS], ids=["qualified", "in-progress"])
def test_text_width_matches_the_svg_text_length(badge):
    scale = 3
    img = _png(badge, scale)
    g = pngbadge.geometry(b.render_svg(badge))
    left = round(g["left"] * scale)
    boxes = [(0, left, _rgb("#555")), (left, img.width, _rgb(badge.color))]
    for (cx, _baseline, length), (x0, x1, base) in zip(g["texts"], boxes):
        lo, hi, top, bottom = _ink_span(img, x0, x1, _expected(base, 20, 40))
        ink = (hi - lo + 1) / scale
        # the SVG's textLength is the text's advance; the ink lacks the first and last glyphs' side bearings
        assert length - 4 <= ink <= length + 1 and ink >= 0.95 * length, (length, ink)
        assert ((lo + hi) / 2) / scale == pytest.approx(cx, abs=1.0)  # centred where the SVG centres it
        assert 3 <= top / scale and bottom / scale <= 17  # inside the 20 px box, above the bottom edge


def test_different_text_draws_different_pixels_and_output_is_reproducible():
    a, again = b.render_png(QUALIFIED, scale=2), b.render_png(QUALIFIED, scale=2)
    assert a == again
    other = b.render_png(b.Badge("m", 2, b.QUALIFIED, "Class II - Open Tooling Model", "Qualifiet"), scale=2)
    assert other != a


def test_the_font_is_bundled_with_its_license():
    assert pngbadge.FONT.is_file() and pngbadge.FONT.stat().st_size > 100_000
    text = (pngbadge.FONT.parent / "LICENSE-DejaVu.txt").read_text()
    assert "Bitstream" in text and "DejaVu changes are in public domain" in text


# ------------------------------------------------------------------------------------------ the CLI


@pytest.fixture
def repo(tmp_path):
    r = tmp_path / "r"
    shutil.copytree(FIXTURES / "class3-open-model", r)
    return r


def test_png_needs_a_file(cli, repo):
    run = cli("badge", str(repo), "--format", "png")
    assert run.code == 2 and "--output" in run.err


def test_output_and_model_card_write(cli, repo):
    out = repo / "badge.png"
    run = cli("badge", str(repo), "--format", "png", "--output", str(out))
    assert run.code == 0 and out.read_bytes() == b.render_png(b.badges(_report(repo))[0])
    card = repo / "README.md"
    card.write_text("---\nlicense: apache-2.0\npipeline_tag: text-generation\n---\nWren, without a heading.\n")
    run = cli("badge", str(repo), "--format", "png", "--write", str(card), "--exit-nonzero-on-change")
    assert run.code == 1
    text = card.read_text()
    assert text.startswith("---\nlicense: apache-2.0\npipeline_tag: text-generation\n---\n<!-- mofcheck-badge:start -->\n")
    assert "![MOF Class III - Open Model: Qualified](mof-badge.png)" in text
    assert (repo / "mof-badge.png").read_bytes().startswith(b"\x89PNG")
    before = os.stat(repo / "mof-badge.png").st_mtime_ns
    run = cli("badge", str(repo), "--format", "png", "--write", str(card), "--exit-nonzero-on-change")
    assert run.code == 0 and card.read_text() == text and os.stat(repo / "mof-badge.png").st_mtime_ns == before


def test_scale_two_is_an_img_at_badge_height(cli, repo):
    card = repo / "MODEL_CARD.md"
    card.write_text("# Wren\n")
    run = cli("badge", str(repo), "--format", "png", "--scale", "2", "--write", str(card), "--link", "https://isitopen.ai/")
    assert run.code == 0
    assert '<a href="https://isitopen.ai/"><img src="mof-badge.png" alt="MOF Class III - Open Model: Qualified" height="20"></a>' in card.read_text()
    assert Image.open(repo / "mof-badge.png").size[1] == 40
    assert cli("badge", str(repo), "--format", "png", "--scale", "9", "--output", str(repo / "x.png")).code == 2


def test_png_never_writes_through_a_symlink(cli, repo, tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep")
    (repo / "badge.png").symlink_to(target)
    run = cli("badge", str(repo), "--format", "png", "--output", str(repo / "badge.png"))
    assert run.code == 2 and target.read_text() == "keep"


def _report(repo):
    from mofcheck.check import CheckOptions, run

    return run(CheckOptions(path=repo)).to_dict()
