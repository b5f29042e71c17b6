"""The plan document as blocks, laid out by the PDF and Word writers.

:mod:`planner.export.document`, its sections (:mod:`planner.export.doc_sections`) and
the closing's documents (:mod:`planner.export.closure`) build them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["title", "subtitle", "h1", "p", "group", "bullets", "table", "image"]


@dataclass(frozen=True)
class Block:
    """One block of the document.

    Attributes
    ----------
    kind
        What the block is.
    text
        Text of a title, heading, paragraph or caption; a working group's name.
    items
        Bullet items; a working group's duty (one item).
    heads, rows, widths, numeric
        A table: column heads, rows, relative widths, right-aligned columns.
    path
        An image.
    """

    kind: Kind
    text: str = ""
    items: tuple[str, ...] = ()
    heads: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()
    numeric: tuple[bool, ...] = ()
    path: Path | None = None

    def texts(self) -> list[str]:
        """Return every string of the block."""
        return [self.text, *self.items, *self.heads, *(c for r in self.rows for c in r)]
