"""Print-ready exports of a plan, to hand out and to post.

Site rosters, building notices, door-to-door sheets, the plan document and GIS layers.

:func:`export_all` works from the scenario and the plan folder's tables
(:class:`planner.io.plan_folder.PlanTables`), so it runs right after ``planner plan`` or later on
its own; :func:`export_command` is the CLI's entry (``planner export``). The output
folder holds

================================  ==============================================
``rosters/<site_id>.xlsx``        per open site: cover, timetable, residents in
                                  calling order, staff by shift, pick list
``notices/<site_id>.pdf``         one A4 notice per building served by the site
``notices/door_to_door.pdf``      notices of buildings sampled entirely at home
``door_to_door/<team_id>.xlsx``   per team: route, arrival times, residents
``plan_document.docx`` / ``.pdf`` the 工作方案 for the leading group
``plan_map.png``                  sites and catchments (also in the document)
``gis/*.geojson``, ``gis/*.csv``  sites, buildings, routes (WGS-84, RFC 7946)
================================  ==============================================

Privacy: ID numbers (first 6 + last 4 kept) and phones (3 + 4) are masked in every
output unless ``unmasked=True``; then every sheet that lists people, and its printed
pages, carries the banner "含完整身份信息，注意保密". Notices and the plan document
hold no resident data either way. Nothing personal goes to logs or error messages.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from planner.export._common import ExportData, PlanMismatchError, prepare
from planner.export._fonts import FontMissingError, cjk_font_path, subset_font
from planner.io.plan_folder import (
    PlanTables,
    read_plan_folder,
    require_same_scenario,
)
from planner.model.scenario import Scenario
from planner.text import Lang, all_strings, tr

if TYPE_CHECKING:
    from planner.export.document import Block
    from planner.export.notices import NoticePage

__all__ = [
    "ExportReport",
    "FontMissingError",
    "PlanMismatchError",
    "export_all",
    "export_command",
]


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote.

    Attributes
    ----------
    out
        Output folder.
    files
        Every file written.
    roster_rows
        Resident rows in all site rosters (people sent to sites); one row per
        household when the scenario has no residents register.
    door_to_door_rows
        Resident rows in all door-to-door sheets (people sampled at home), likewise.
    sites
        Site workbooks written (open sites).
    teams
        Door-to-door team workbooks written.
    notice_pages
        Building notices (one A4 page each).
    masked
        Whether ID numbers and phones were masked.
    timings_s
        Seconds per stage.
    """

    out: Path
    files: tuple[Path, ...]
    roster_rows: int
    door_to_door_rows: int
    sites: int
    teams: int
    notice_pages: int
    masked: bool
    timings_s: dict[str, float] = field(default_factory=dict)

    def summary(self, lang: Lang = "zh") -> list[str]:
        """Return the lines the CLI prints (counts only, nothing personal)."""
        total = sum(self.timings_s.values())
        if lang == "zh":
            return [
                f"采样点名单 {self.sites} 份，共 {self.roster_rows:,} 行",
                f"上门采样路线单 {self.teams} 份，共 {self.door_to_door_rows:,} 行",
                f"楼栋通知 {self.notice_pages} 页",
                f"共写出 {len(self.files)} 个文件，用时 {total:.1f} 秒 → {self.out}",
                "身份证号、电话已脱敏" if self.masked else tr("banner_unmasked", "zh"),
            ]
        return [
            f"site rosters: {self.sites}, {self.roster_rows:,} rows",
            f"door-to-door sheets: {self.teams}, {self.door_to_door_rows:,} rows",
            f"building notices: {self.notice_pages} pages",
            f"{len(self.files)} files written in {total:.1f} s → {self.out}",
            "ID numbers and phones masked"
            if self.masked
            else tr("banner_unmasked", "en"),
        ]


def export_all(
    scenario: Scenario,
    tables: PlanTables,
    out: Path,
    *,
    lang: Lang = "zh",
    unmasked: bool = False,
    parallel: bool = True,
) -> ExportReport:
    """Write every export of a plan to `out`.

    Parameters
    ----------
    scenario
        The street the plan was made for.
    tables
        The plan's tables, in memory (:func:`planner.io.plan_folder.build_plan_tables`)
        or read back (:func:`planner.io.plan_folder.read_plan_folder`); a round's staff
        and supplies tables add the staff sheets, shortfalls, stock sections and pick
        lists.
    out
        Output folder (created).
    lang
        ``zh`` (default) or ``en``.
    unmasked
        Print full ID numbers and phones (every such sheet then says so).
    parallel
        Draw the PDFs in a second process while the workbooks are written (the
        machine has two cores); falls back to one process where none can start.

    Raises
    ------
    FontMissingError
        When no CJK font is installed.
    PlanMismatchError
        When the plan tables do not belong to the scenario (a ``ValueError``).
    """
    from planner.export.document import draw_map, plan_blocks, write_docx
    from planner.export.door_to_door import write_door_to_door
    from planner.export.gis import write_gis
    from planner.export.notices import notice_pages
    from planner.export.rosters import write_site_rosters

    timings: dict[str, float] = {}
    clock = _Clock(timings)
    out.mkdir(parents=True, exist_ok=True)
    data = prepare(scenario, tables, lang=lang, unmasked=unmasked)
    font_full = cjk_font_path()
    clock.lap("prepare")

    pages = notice_pages(data)
    map_png = draw_map(data, out / "plan_map.png", font_full)
    blocks = plan_blocks(data, map_png, len(pages))
    clock.lap("map")

    files: list[Path] = [map_png]
    with tempfile.TemporaryDirectory(prefix="planner-font-") as tmp:
        font = subset_font(_pdf_texts(data, pages, blocks), Path(tmp) / "cjk")
        footer = tr("doc_title", lang, street=data.street)
        job = (pages, blocks, font, out, footer, lang)
        pool = _pdf_pool() if parallel else None
        try:
            future = pool.submit(_write_pdfs, *job) if pool is not None else None
            clock.lap("font")

            rosters, roster_rows = write_site_rosters(data, out)
            files += rosters
            clock.lap("rosters")
            teams, d2d_rows = write_door_to_door(data, out)
            files += teams
            clock.lap("door_to_door")
            files.append(write_docx(blocks, out / "plan_document.docx", lang))
            files += write_gis(data, out)
            clock.lap("document_gis")

            pdfs = None
            if future is not None:
                # where no subprocess can run, the PDFs are drawn here instead
                with contextlib.suppress(OSError, BrokenProcessPool):
                    pdfs = future.result()
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        if pdfs is None:
            pdfs = _write_pdfs(*job)
        files += pdfs
        clock.lap("pdfs")
    return ExportReport(
        out=out,
        files=tuple(files),
        roster_rows=roster_rows,
        door_to_door_rows=d2d_rows,
        sites=len(rosters),
        teams=len(teams),
        notice_pages=len(pages),
        masked=not unmasked,
        timings_s={k: round(v, 3) for k, v in timings.items()},
    )


class _Clock:
    """Record the wall seconds between laps into `timings`."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = now - self.last
        self.last = now


def _pdf_pool() -> ProcessPoolExecutor | None:
    """Return a one-process pool for the PDFs, or None where processes cannot start."""
    try:
        return ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn")
        )
    except (OSError, NotImplementedError, ValueError):
        return None


def _write_pdfs(
    pages: list[NoticePage],
    blocks: list[Block],
    font: Path,
    out: Path,
    footer: str,
    lang: str,
) -> list[Path]:
    """Draw the building notices and the plan document's PDF (run in a subprocess)."""
    from planner.export.document import write_pdf
    from planner.export.notices import write_notices

    files = write_notices(pages, font, out, lang)
    files.append(write_pdf(blocks, out / "plan_document.pdf", font, footer, lang))
    return files


def _pdf_texts(
    data: ExportData, pages: list[NoticePage], blocks: list[Block]
) -> list[str]:
    """Every string the PDFs may set, for cutting the font down."""
    texts = all_strings()
    texts.append(data.street)
    for page in pages:
        texts += page.texts()
    for block in blocks:
        texts += block.texts()
    return texts


def export_command(
    scenario: Scenario,
    plan_dir: Path,
    out: Path | None,
    *,
    lang: Lang = "zh",
    unmasked: bool = False,
) -> ExportReport:
    """Export a plan folder of `scenario` (``planner export``).

    Parameters
    ----------
    scenario
        The street the plan was made for.
    plan_dir
        Folder written by ``planner plan``.
    out
        Output folder; default ``<plan_dir>/export``.
    lang, unmasked
        As :func:`export_all`.

    Raises
    ------
    InputError
        When the plan folder cannot be read or does not match the scenario (the CLI
        prints the issues and exits 2).
    """
    tables = read_plan_folder(plan_dir)
    require_same_scenario(tables, scenario, plan_dir)
    target = out if out is not None else plan_dir / "export"
    return export_all(scenario, tables, target, lang=lang, unmasked=unmasked)
