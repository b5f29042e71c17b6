"""A4 PDF pages with the embedded CJK font (fpdf2): headings, paragraphs, tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode
from fpdf.fonts import TTFFont

from planner.export._pdf_style import BLUE, FONT, GREY, HEAD_FILL, RED

_CLOSING = "，。、；：！？）》」』”’%"
_OPENING = "（《「『“‘"
_MEASURE = "(?:单元|分钟|小时|[层室栋号楼人米个户组张次岁天])?"
UNBROKEN = re.compile(
    rf"\s+|[{_OPENING}]*(?:[0-9A-Za-z][0-9A-Za-z:.,/%×+~–\-]*{_MEASURE}|.)[{_CLOSING}]*"
)
"""What a Chinese line never breaks inside: a run of digits and Latin letters with
the marks between them (a time, a range, a count, a code) and its measure word
(``3单元``, ``122米``), or one character, with the brackets and closing punctuation
around it."""


class CjkPdf(FPDF):
    """An A4 document set in the CJK font, with an optional banner and a footer.

    Parameters
    ----------
    font
        The (subset) CJK font file.
    footer_text
        Printed at the foot of every page, left, with the page number right.
    banner
        Printed in red at the head of every page (full personal data), or None.
    page_numbers
        Whether to number the pages.
    lang
        ``zh`` wraps lines at any character, ``en`` between words.
    """

    def __init__(
        self,
        font: Path,
        *,
        footer_text: str = "",
        banner: str | None = None,
        page_numbers: bool = True,
        lang: str = "zh",
    ) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.wrap = WrapMode.CHAR if lang == "zh" else WrapMode.WORD
        self.add_font(FONT, fname=str(font))
        # The font is already cut down and its glyphs' boxes measured (subset_font).
        # Measuring again on output would unpack every glyph of the file once more,
        # about 80 ms a PDF; the subset's glyph data is copied unchanged instead.
        embedded = self.fonts[FONT]
        assert isinstance(embedded, TTFFont)
        embedded.ttfont.recalcBBoxes = False
        self.set_font(FONT, size=11)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)
        self.footer_text = footer_text
        self.banner = banner
        self.page_numbers = page_numbers
        self.set_creator("screening-planner")

    def header(self) -> None:
        """Print the banner, if any."""
        if self.banner:
            with self.local_context(text_color=RED, font_size_pt=10):
                self.set_y(7)
                self.cell(0, 5, self.banner, align="C")
            self.set_y(16)

    def footer(self) -> None:
        """Print the footer text and the page number."""
        self.set_y(-12)
        with self.local_context(text_color=GREY, font_size_pt=8):
            if self.footer_text:
                self.cell(0, 5, self.footer_text, align="L")
                self.set_x(self.l_margin)
            if self.page_numbers:
                self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="R")

    @property
    def width(self) -> float:
        """Printable width, mm."""
        return float(self.w - self.l_margin - self.r_margin)

    def bold_text(
        self, text: str, size: float, *, h: float | None = None, align: str = "L"
    ) -> None:
        """Write `text` emboldened by stroking the glyphs (the font has one weight)."""
        with self.local_context(
            font_size_pt=size, text_mode="FILL_STROKE", line_width=size / 90
        ):
            self._lines(text, 0, h or size * 0.5, align)

    def _lines(self, text: str, w: float, h: float, align: str = "L") -> None:
        """Write `text` on one line when it fits (fast), else wrapped at any character."""
        width = w or (self.w - self.r_margin - self.get_x())
        if "\n" not in text:
            text_width = self._plain_width(text)
            if text_width <= width - 2 * self.c_margin:
                if text_width and not self.will_page_break(h):
                    self._one_line(text, text_width, width, h, align)
                else:
                    self.cell(
                        width, h, text, align=align, new_x="LMARGIN", new_y="NEXT"
                    )
                return
        if self.wrap == WrapMode.CHAR:  # Chinese: never inside a number or a time
            # each line then fits: set line by line as above, not by multi_cell
            x = self.get_x()
            for line in self.wrapped(text, width - 2 * self.c_margin).split("\n"):
                self.set_x(x)
                line_width = self._plain_width(line)
                if line_width and not self.will_page_break(h):
                    self._one_line(line, line_width, width, h, align)
                else:
                    self.cell(
                        width, h, line, align=align, new_x="LMARGIN", new_y="NEXT"
                    )
            return
        self.multi_cell(
            width,
            h,
            text,
            align=align,
            wrapmode=self.wrap,
            new_x="LMARGIN",
            new_y="NEXT",
        )

    def wrapped(self, text: str, width: float) -> str:
        """Return `text` with line breaks so each line fits `width` mm.

        Lines break between characters, as Chinese does, but never inside a run of
        digits, Latin letters and the marks between them (``08:00–14:00``, ``1,508``,
        ``N95``), and closing punctuation stays with the character before it.
        """
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for token in UNBROKEN.findall(paragraph):
                trial = line + token
                if line and self._plain_width(trial) > width:
                    lines.append(line)
                    line = token.lstrip()
                else:
                    line = trial
            lines.append(line)
        return "\n".join(lines)

    def _plain_width(self, text: str) -> float:
        """Return the width of `text` in the current font and size, mm.

        What :meth:`get_string_width` returns for this document's text (one font,
        no shaping, spacing or stretching), without splitting it into fragments.
        """
        font = self.current_font
        assert isinstance(font, TTFFont)
        return float(font.get_text_width(text, self.font_size_pt, None)[1] / self.k)

    def _one_line(
        self, text: str, text_width: float, width: float, h: float, align: str
    ) -> None:
        """Set `text` in a `width` × `h` box as ``cell(..., new_y="NEXT")`` does.

        The same place on the page (``cell``'s offsets: the cell margin on the
        left, centred in the box, or the margin on the right; the baseline at half
        the box plus 0.3 of the font size) and the cursor left at the left margin
        of the next line, in one text operator: ``cell`` builds the line from
        styled fragments, about three times as slow, and a notice is all such lines.
        """
        if align == "C":
            dx = (width - text_width) / 2
        elif align == "R":
            dx = width - self.c_margin - text_width
        else:
            dx = self.c_margin
        self.text(self.x + dx, self.y + 0.5 * h + 0.3 * self.font_size, text)
        self._lasth = h
        self.x = self.l_margin
        self.y += h

    def para(
        self,
        text: str,
        size: float = 11,
        *,
        h: float | None = None,
        color: tuple[int, int, int] | None = None,
        indent: float = 0,
    ) -> None:
        """Write a wrapped paragraph."""
        with self.local_context(font_size_pt=size, text_color=color or (0, 0, 0)):
            self.set_x(self.l_margin + indent)
            self._lines(text, self.width - indent, h or size * 0.55)

    def heading(self, text: str, size: float = 14) -> None:
        """Write a section heading in blue."""
        self.ln(2)
        with self.local_context(text_color=BLUE):
            self.bold_text(text, size, h=size * 0.6)
        self.ln(1)

    def bullets(self, items: Sequence[str], size: float = 11) -> None:
        """Write a bulleted list."""
        for item in items:
            self.para("• " + item, size, indent=3)

    def table_rows(
        self,
        heads: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        size: float = 9,
        numeric: Sequence[bool] | None = None,
    ) -> None:
        """Write a table with a shaded heading row repeated on every page."""
        align = [
            "RIGHT" if numeric and numeric[i] else "LEFT" for i in range(len(heads))
        ]
        with (
            self.local_context(font_size_pt=size),
            self.table(
                col_widths=tuple(widths),
                text_align=tuple(align),
                line_height=size * 0.5,
                headings_style=FontFace(emphasis="", fill_color=HEAD_FILL),
                repeat_headings=1,
                wrapmode=self.wrap,
                padding=1,
            ) as table,
        ):
            head = table.row()
            for text in heads:
                head.cell(text)
            inner = [w - 2 * 1 - 0.5 for w in widths]  # the padding on both sides
            for values in rows:
                row = table.row()
                for i, value in enumerate(values):
                    if self.wrap == WrapMode.CHAR and i < len(inner):
                        value = self.wrapped(value, inner[i])
                    row.cell(value)
        self.ln(2)
