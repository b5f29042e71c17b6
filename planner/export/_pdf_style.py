"""Colours and the font name of the PDFs, apart from the writer.

The writer (:mod:`planner.export._pdf`) imports fpdf2 and fontTools, which only the
process that draws the PDFs needs; the page builders import their colours from here.
"""

FONT = "cjk"
"""Name the embedded CJK font is registered under."""
BLUE = (31, 56, 100)
"""Headings (RGB)."""
GREY = (89, 89, 89)
"""Footers and side notes (RGB)."""
RED = (192, 0, 0)
"""The banner on pages with full personal data (RGB)."""
HEAD_FILL = (217, 225, 242)
"""Shading of table heads (RGB)."""
