"""Find the CJK font the PDFs and the map embed, and cut it down to the characters used.

The font is Noto Sans SC (SIL Open Font License), installed from PyPI with the
``pylopdf-fonts-zh-cn`` wheel, so nothing is downloaded at run time. Other places are
tried in order: the ``PLANNER_CJK_FONT`` environment variable, then Debian's
``fonts-noto-cjk`` and ``fonts-wqy-microhei``.

PDF writers embed only the glyphs a document uses, but parsing the 8 MB font for every
per-site PDF would cost a tenth of a second each; :func:`subset_font` parses it once per
export and writes a small font with just the characters of the export's text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from planner.errors import PlannerError

FONT_ENV = "PLANNER_CJK_FONT"
"""Environment variable naming a CJK font file to use instead of the packaged one."""

SYSTEM_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)
"""Debian's CJK fonts, tried when the packaged font is missing."""

ALWAYS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "–—·•、，。：；（）“”‘’《》？！□■…×÷→≤≥°"
)
"""Characters every subset keeps (ASCII and common punctuation)."""


class FontMissingError(PlannerError):
    """No CJK font was found; the message says how to install one."""


def cjk_font_path() -> Path:
    """Return the path of a font that covers Simplified Chinese.

    Raises
    ------
    FontMissingError
        When neither the packaged font nor a system CJK font is installed.
    """
    env = os.environ.get(FONT_ENV)
    if env and Path(env).is_file():
        return Path(env)
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        pass
    else:
        path = Path(pylopdf_fonts_zh_cn.sans_path())
        if path.is_file():
            return path
    for path in SYSTEM_FONTS:
        if path.is_file():
            return path
    raise FontMissingError(
        "no CJK font found: pip install pylopdf-fonts-zh-cn (or apt-get install "
        f"fonts-noto-cjk), or set {FONT_ENV} to a .ttf/.otf file"
    )


def font_chars(texts: Iterable[str]) -> frozenset[str]:
    """Return the characters a font cut down to `texts` holds (`ALWAYS` included)."""
    chars = set(ALWAYS)
    for text in texts:
        chars.update(text)
    return frozenset(chars)


def subset_font(texts: Iterable[str], out: Path) -> Path:
    """Write the CJK font cut down to the characters of `texts` to `out` and return it.

    Parameters
    ----------
    texts
        Every string the documents will set (templates, names, addresses, numbers).
    out
        Where to write the subset (its suffix becomes ``.ttf``).
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = font_chars(texts)
    source = cjk_font_path()
    # lazy: only the glyphs the subset keeps are read from the 8 MB font (the same
    # tables to the byte, about a third faster than reading every glyph first); it
    # keeps the file open until the font is closed
    with TTFont(str(source), fontNumber=0, lazy=True) as font:
        options = subset.Options()
        options.layout_features = []
        options.notdef_outline = True
        options.name_IDs = ["*"]
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "DSIG"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(ord(c) for c in chars))
        subsetter.subset(font)
        if "CFF " in font:
            _cff_to_glyf(font)
        target = out.with_suffix(".ttf")
        font.save(str(target))
    return target


def _cff_to_glyf(font: Any) -> None:
    """Convert PostScript (CFF) outlines to TrueType quadratic ones, in place.

    PDF writers subset TrueType outlines several times faster than CFF ones, and the
    subset font is small, so converting once (about 0.1 s) saves time on every PDF.
    The conversion follows fontTools' ``otf2ttf`` recipe (cubic → quadratic within
    one font unit).
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    font["head"].glyphDataFormat = 0
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font.sfntVersion = "\000\001\000\000"
