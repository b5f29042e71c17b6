"""WeChat long images: one tall phone-width PNG per grid, a section per building.

Residents read WeChat groups on a phone; a grid worker sends one picture rather than
a PDF. A grid's image carries the same facts as its buildings' notices
(:func:`planner.export.notices.notice_pages`): the screening day and its weekday, then
for each building its site's name and address, the walk there and the slot by unit,
floor or room (or "stay at home" and when the team comes), then once for all
buildings what to bring, how to queue and whom to call, and the street's footer.

The image is built as plain lines first (:func:`long_images`, tested against the
notices), then drawn with Pillow (:func:`write_long_images`) in the font the PDFs
embed, so no system font is needed. Images are written to
``notices/wechat/<community>/<grid>.png`` (the office's download files them under the
community, beside the WeChat texts).

Layout, in pixels at the phone width :data:`WIDTH` (WeChat shows an image 750 px wide
at full screen width on a 375-point phone): a blue band with the title and the grid,
the date in bold, then each building under a ruled heading; text is wrapped to the
width and never breaks inside a number or a time ("08:00–08:30" stays on one line).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from planner.export._common import ExportData
from planner.export._xlsx import safe_file_stem
from planner.export.notices import NoticePage, _natural

if TYPE_CHECKING:
    from PIL import Image

WIDTH = 750
"""Image width (px): a phone's full width in WeChat."""

MARGIN = 40
"""Left and right margin (px)."""

FOLDER = "wechat"
"""Sub-folder of ``notices/`` the images go to."""

Style = Literal["title", "sub", "date", "head", "strong", "body", "rule", "note"]

_SIZE: dict[str, int] = {
    "title": 48,
    "sub": 28,
    "date": 32,
    "head": 32,
    "strong": 29,
    "body": 26,
    "rule": 26,
    "note": 22,
}
"""Font size (px) of each style."""

_GAP_BEFORE: dict[str, int] = {"head": 26, "rule": 22, "date": 8}
"""Extra space (px) above a line of that style."""

_TOKEN = re.compile(r"[0-9A-Za-z:：.\-–/()]+|.", re.S)
"""Wrapping unit: a run of digits, letters and time punctuation, else one character."""
_CLOSING = frozenset("）)」》〉】、，。：；！？,.;:!?")
"""Characters a row never starts with."""


@dataclass(frozen=True)
class Line:
    """One line of a long image before wrapping: its text and how it is set."""

    text: str
    style: Style


@dataclass(frozen=True)
class LongImage:
    """The text of one grid's long image, top to bottom."""

    community: str
    grid_id: str
    lines: tuple[Line, ...]
    buildings: tuple[str, ...]

    def texts(self) -> list[str]:
        """Return every string drawn on the image."""
        return [line.text for line in self.lines]

    def relpath(self) -> str:
        """Return the image's path under the export folder."""
        return (
            f"notices/{FOLDER}/{safe_file_stem(self.community)}/"
            f"{safe_file_stem(self.grid_id)}.png"
        )


def long_images(pages: list[NoticePage], data: ExportData) -> list[LongImage]:
    """Return one long image per grid from its buildings' notices.

    Every line of every notice of the grid is on the image: the lines all its
    buildings share (the day, what to bring, how to queue, whom to call, the
    footer) once, the others in the building's own section.
    """
    t = data.t
    bring = [t(f"bring_{i}") for i in range(1, 4)]
    queue = [t(f"queue_{i}") for i in range(1, 5)]
    by_grid: dict[tuple[str, str], list[NoticePage]] = {}
    for page in pages:
        by_grid.setdefault((page.community, page.grid_id), []).append(page)
    out = []
    for (community, grid), members in sorted(by_grid.items()):
        members = sorted(members, key=lambda p: _natural(p.building))
        contacts = list(dict.fromkeys(p.contact for p in members))
        dates = list(dict.fromkeys(p.date for p in members))
        shared = {*dates, *bring, *queue, *contacts}
        lines = [
            Line(t("outputs_image_title"), "title"),
            Line(data.street, "sub"),
            Line(t("outputs_image_grid", community=community, grid=grid), "sub"),
            *(Line(d, "date") for d in dates),
            Line(t("notices_wechat_grid_intro"), "body"),
            Line(t("outputs_image_buildings"), "rule"),
        ]
        for page in members:
            lines.append(Line(page.building, "head"))
            if page.home:
                lines.append(Line(page.intro, "strong"))
            for _, body in page.sections:
                for text in body:
                    if text in shared:
                        continue
                    strong = text in page.emphasis
                    lines.append(Line(text, "strong" if strong else "body"))
        lines.append(Line(t("notice_bring"), "rule"))
        lines += [Line(b, "body") for b in bring]
        lines.append(Line(t("notice_queue"), "rule"))
        lines += [Line(q, "body") for q in queue]
        lines.append(Line(t("notice_call"), "rule"))
        lines += [Line(c, "strong") for c in contacts]
        lines.append(Line(members[0].footer, "note"))
        out.append(
            LongImage(
                community=community,
                grid_id=grid,
                lines=tuple(lines),
                buildings=tuple(p.building_id for p in members),
            )
        )
    return out


def write_long_images(images: list[LongImage], font: Path, out: Path) -> list[Path]:
    """Draw `images` as PNGs under `out` in `font` and return the files."""
    stat = font.stat()
    faces = _faces(str(font), (stat.st_mtime_ns, stat.st_size))
    written = []
    for image in images:
        path = out / image.relpath()
        path.parent.mkdir(parents=True, exist_ok=True)
        _draw(image, faces, path)
        written.append(path)
    return written


@functools.lru_cache(maxsize=2)
def _faces(font: str, stamp: tuple[int, int]) -> dict[str, _Face]:
    """Return a face per style, kept for the next job in this process.

    `stamp` (the file's modification time and size) tells a font written anew at the
    same path from the one cached.
    """
    del stamp  # part of the cache key only
    return {style: _Face(Path(font), size) for style, size in _SIZE.items()}


class _Face:
    """One font size with each character drawn once and pasted from then on.

    Pillow lays out and renders a whole string per call (about 2 ms a row); a grid's
    image has a hundred rows of the same few hundred characters, so each glyph is
    rendered once as a mask and pasted (0.02 ms). Characters are set on their
    advance widths, as the font's basic layout does for Chinese.
    """

    def __init__(self, font: Path, size: int) -> None:
        from PIL import ImageFont

        self.size = size
        self.font = ImageFont.truetype(
            str(font), size, layout_engine=ImageFont.Layout.BASIC
        )
        self._glyphs: dict[str, tuple[Image.Image | None, int, int, float]] = {}

    def glyph(self, char: str) -> tuple[Image.Image | None, int, int, float]:
        """Return the mask of `char`, its offset from the pen and its advance (px)."""
        known = self._glyphs.get(char)
        if known is not None:
            return known
        from PIL import Image, ImageDraw

        left, top, right, bottom = (int(v) for v in self.font.getbbox(char))
        mask = None
        if right > left and bottom > top:
            mask = Image.new("L", (right - left, bottom - top), 0)
            ImageDraw.Draw(mask).text((-left, -top), char, font=self.font, fill=255)
        glyph = (mask, left, top, float(self.font.getlength(char)))
        self._glyphs[char] = glyph
        return glyph

    def width(self, text: str) -> float:
        """Return the advance width of `text` (px)."""
        return sum(self.glyph(c)[3] for c in text)

    def draw(
        self, canvas: Image.Image, xy: tuple[int, int], text: str, ink: int, bold: bool
    ) -> None:
        """Set `text` on `canvas` (mode L) with its top-left at `xy` in grey `ink`."""
        x, y = float(xy[0]), xy[1]
        core = canvas.im  # the core's paste: Image.paste's checks cost 4x the paste
        for char in text:
            mask, left, top, advance = self.glyph(char)
            if mask is not None:
                w, h = mask.size
                for dx in (0, 1) if bold else (0,):
                    x0, y0 = round(x) + left + dx, y + top
                    core.paste(ink, (x0, y0, x0 + w, y0 + h), mask.im)
            x += advance


def _wrap(text: str, face: _Face, width: int) -> list[str]:
    """Break `text` into lines no wider than `width` px, never inside a token."""
    rows: list[str] = []
    row = ""
    used = 0.0
    for token in _TOKEN.findall(text):
        w = face.width(token)
        # closing punctuation stays on its row, even a little past the width
        if row and used + w > width and token not in _CLOSING:
            rows.append(row)
            row, used = token.lstrip(), face.width(token.lstrip())
        else:
            row += token
            used += w
    if row or not rows:
        rows.append(row)
    return rows


def _layout(
    image: LongImage, faces: dict[str, _Face]
) -> tuple[list[tuple[str, str, int]], int, int]:
    """Return each wrapped row as (text, style, top y), the band's and the image's height.

    The band is the blue block behind the title rows (styles in :data:`_BAND_STYLES`).
    """
    rows: list[tuple[str, str, int]] = []
    y = MARGIN
    band = 0
    for line in image.lines:
        size = _SIZE[line.style]
        if line.style not in _BAND_STYLES and not band:
            band = y + MARGIN // 2  # the band ends below the last title row
            y = band + MARGIN
        inset = _INSET if line.style in ("head", "rule") else 0
        y += _GAP_BEFORE.get(line.style, 0)
        for text in _wrap(line.text, faces[line.style], WIDTH - 2 * MARGIN - inset):
            rows.append((text, line.style, y))
            y += round(size * 1.5)
    return rows, band, y + MARGIN


_BAND_STYLES = ("title", "sub")
_INSET = 18
"""Indent (px) of headings, right of their blue mark."""

# The image is drawn in grey levels, then cut to 16 and given a palette from the
# heading blue (0) to white (15): a half-byte-a-pixel PNG, a third of the bytes of RGB
# and encoded several times faster.
_DARK = (20, 38, 72)
_INK, _BLUE, _GREY, _PALE, _WHITE = 0, 22, 120, 236, 255
_LEVELS = 16


def _palette() -> list[int]:
    """Return the :data:`_LEVELS` colours from :data:`_DARK` to white."""
    out: list[int] = []
    for v in range(_LEVELS):
        out += [round(c + (255 - c) * v / (_LEVELS - 1)) for c in _DARK]
    return out


def _draw(image: LongImage, faces: dict[str, _Face], path: Path) -> None:
    from PIL import Image, ImageDraw

    rows, band, height = _layout(image, faces)
    canvas = Image.new("L", (WIDTH, height), _WHITE)
    pen = ImageDraw.Draw(canvas)
    pen.rectangle((0, 0, WIDTH, band), fill=_BLUE)
    for text, style, y in rows:
        face, size = faces[style], _SIZE[style]
        x, ink, bold = (
            MARGIN,
            _INK,
            style in ("title", "date", "head", "strong", "rule"),
        )
        if style in _BAND_STYLES:
            ink = _WHITE
        elif style == "rule":
            pen.rectangle(
                (MARGIN, y - 6, WIDTH - MARGIN, y + round(size * 1.55)), _PALE
            )
            x, ink = MARGIN + _INSET, _BLUE
        elif style == "head":
            pen.rectangle((MARGIN, y + 6, MARGIN + 6, y + size + 6), _BLUE)
            x, ink = MARGIN + _INSET, _BLUE
        elif style == "note":
            ink = _GREY
        face.draw(canvas, (x, y), text, ink, bold)
    step = 256 / _LEVELS
    out = canvas.point([int(v / step) for v in range(256)]).convert("P")
    out.putpalette(_palette())
    out.save(path, compress_level=3, bits=4)
