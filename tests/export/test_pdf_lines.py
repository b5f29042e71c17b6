"""One-line texts are set straight into the page exactly where ``cell`` would set them."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from planner.export._fonts import subset_font
from planner.export._pdf import CjkPdf

POPPLER = shutil.which("pdftoppm") is not None

TEXTS = (
    "采样点通知 Sampling notice",
    "请于 08:00–08:30 到青禾社区广场采样点（步行约 5 分钟）",
    "1单元、2单元、3单元",
    "携带身份证、健康码，全程佩戴口罩，保持 1 米间距。" * 4,  # wraps: multi_cell
)


class _CellOnly(CjkPdf):
    """The same document with every one-line text set by fpdf2's ``cell``."""

    def _one_line(
        self, text: str, text_width: float, width: float, h: float, align: str
    ) -> None:
        self.cell(width, h, text, align=align, new_x="LMARGIN", new_y="NEXT")


def _draw(pdf: CjkPdf) -> list[tuple[float, float]]:
    """Draw a page of every kind of line; return the cursor after each one."""
    at = []
    pdf.add_page()
    for size, align in ((28, "C"), (15, "L"), (19, "R")):
        pdf.bold_text(TEXTS[0], size, align=align)
        at.append((pdf.x, pdf.y))
    pdf.heading(TEXTS[1])
    at.append((pdf.x, pdf.y))
    for indent in (0, 5, 9):
        for text in TEXTS[1:]:
            pdf.para(text, 13.5, h=7.5, indent=indent)
            at.append((pdf.x, pdf.y))
    pdf.bullets(TEXTS[1:3])
    at.append((pdf.x, pdf.y))
    while pdf.page_no() == 1:  # on to the page break, which cell() makes
        pdf.para(TEXTS[2], 12)
        at.append((pdf.x, pdf.y))
    pdf.para(TEXTS[1], 12)
    at.append((pdf.x, pdf.y))
    return at


def _document(kind: type[CjkPdf], font: Path, out: Path) -> list[tuple[float, float]]:
    pdf = kind(font, footer_text=TEXTS[0], banner=TEXTS[2])
    pdf.set_compression(False)  # the text operators stay readable
    at = _draw(pdf)
    pdf.output(str(out))
    return at


_PLACED = re.compile(rb"BT (-?[\d.]+) (-?[\d.]+) Td")


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list, list]:
    tmp = tmp_path_factory.mktemp("lines")
    font = subset_font(TEXTS, tmp / "cjk.ttf")
    fast, cell = tmp / "fast.pdf", tmp / "cell.pdf"
    return fast, cell, _document(CjkPdf, font, fast), _document(_CellOnly, font, cell)


def test_lines_leave_the_cursor_where_cell_does(both: tuple) -> None:
    _, _, fast_at, cell_at = both
    assert len(fast_at) == len(cell_at)
    flat = [v for xy in fast_at for v in xy]
    assert flat == pytest.approx([v for xy in cell_at for v in xy], abs=1e-9)


def test_every_text_is_placed_at_the_same_point(both: tuple) -> None:
    fast, cell, _, _ = both
    fast_points = _PLACED.findall(fast.read_bytes())
    cell_points = _PLACED.findall(cell.read_bytes())
    assert len(fast_points) > 40  # the page really has many one-line texts
    assert fast_points == cell_points


def test_fast_lines_skip_cell(both: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    # the fast path is taken at all: a page of one-line notices calls cell() only
    # for the footer and banner, not for every line
    calls = 0
    original = CjkPdf.cell

    def counting(self: CjkPdf, *args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(CjkPdf, "cell", counting)
    fast, _, _, _ = both
    font = fast.parent / "cjk.ttf"
    pdf = CjkPdf(font, page_numbers=False)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    for _ in range(20):
        pdf.para(TEXTS[1], 13.5, h=7.5)
    pdf.output()  # closes the font file
    assert calls == 0


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftoppm) not installed")
def test_pages_render_pixel_for_pixel_as_with_cell(both: tuple) -> None:
    fast, cell, _, _ = both
    pages = {}
    for pdf in (fast, cell):
        subprocess.run(
            ["pdftoppm", "-r", "100", "-png", pdf, pdf.with_suffix("")], check=True
        )
        pages[pdf.stem] = sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))
    assert len(pages["fast"]) == len(pages["cell"]) == 2
    for a, b in zip(pages["fast"], pages["cell"], strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_chinese_lines_never_break_inside_a_time_or_number(both: tuple) -> None:
    fast, _, _, _ = both
    pdf = CjkPdf(fast.parent / "cjk.ttf", page_numbers=False)
    pdf.add_page()
    pdf.set_font_size(11)
    text = "请于 08:00–08:30 到青禾社区广场采样点（步行约 5 分钟）" * 3
    for width in range(12, 80, 3):  # every width breaks the line somewhere else
        lines = pdf.wrapped(text, float(width)).split("\n")
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines:
            assert pdf._plain_width(line) <= width or " " not in line.strip()
        for a, b in itertools.pairwise(lines):
            assert not (a[-1:].isdigit() and b[:1].isdigit()), (a, b)
            assert not (a.endswith(":") or b.startswith((":", "–"))), (a, b)
            assert not b.startswith(("，", "）")), (a, b)
    pdf.output()
