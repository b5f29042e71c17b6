"""Print-ready exports of a plan, to hand out and to post.

Site rosters, building notices, door-to-door sheets, the plan document and GIS layers.

:func:`export_all` works from the scenario and the plan folder's tables
(:class:`planner.io.plan_folder.PlanTables`), so it runs right after ``planner plan`` or later on
its own; :func:`export_command` is the CLI's entry (``planner export``). The output
folder holds

================================  ==============================================
``rosters/<site_id>.xlsx``        per open site: cover, timetable, residents in
                                  calling order, staff by shift, pick list
``notices/<community>.pdf``       one A4 notice per building of the community
                                  (sampled at a site or at home), grid by grid
``notices/wechat.xlsx``           the same notices as WeChat texts, per grid and
                                  per building (one cell a message)
``notices/wechat/<community>/``   one WeChat long image per grid (750 px wide
                                  PNG, a section per building)
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
import dataclasses
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from planner.export._common import ExportData, PlanMismatchError, prepare
from planner.export._fonts import (
    FontMissingError,
    cjk_font_path,
    font_chars,
    subset_font,
)
from planner.io.plan_folder import read_plan_folder, require_same_scenario
from planner.model.plan_tables import PlanTables
from planner.model.policy import Policy
from planner.model.scenario import Scenario
from planner.shared_jobs import SharedJobs
from planner.text import Lang, all_strings, tr

if TYPE_CHECKING:
    from planner.export.blocks import Block
    from planner.export.notices import NoticePage
    from planner.export.plan_map import MapData

__all__ = [
    "CutFont",
    "ExportReport",
    "FontMissingError",
    "PdfProcess",
    "PlanMismatchError",
    "export_all",
    "export_command",
    "street_texts",
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
    wechat_images
        WeChat long images (one per grid).
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
    wechat_images: int = 0

    def summary(self, lang: Lang = "zh") -> list[str]:
        """Return the lines the CLI prints (counts only, nothing personal)."""
        total = sum(self.timings_s.values())
        if lang == "zh":
            return [
                f"采样点名单 {self.sites} 份，共 {self.roster_rows:,} 行",
                f"上门采样路线单 {self.teams} 份，共 {self.door_to_door_rows:,} 行",
                f"楼栋通知 {self.notice_pages} 页",
                tr("outputs_report_images", lang, n=self.wechat_images),
                f"共写出 {len(self.files)} 个文件，用时 {total:.1f} 秒 → {self.out}",
                "身份证号、电话已脱敏" if self.masked else tr("banner_unmasked", "zh"),
            ]
        return [
            f"site rosters: {self.sites}, {self.roster_rows:,} rows",
            f"door-to-door sheets: {self.teams}, {self.door_to_door_rows:,} rows",
            f"building notices: {self.notice_pages} pages",
            tr("outputs_report_images", lang, n=self.wechat_images),
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
    pdf_process: PdfProcess | None = None,
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
        Draw the map and the PDFs, then the door-to-door workbooks, in a second
        process while this one writes the site rosters (the machine has two cores;
        this one takes back the jobs the other has not started once its own work is
        done, from the end); falls back to one process where
        none can start.
    pdf_process
        That process, started earlier (:meth:`PdfProcess.start`; the caller shuts
        it down), with the font perhaps cut already (:meth:`PdfProcess.cut_font`);
        by default one is started here.

    Raises
    ------
    FontMissingError
        When no CJK font is installed.
    PlanMismatchError
        When the plan tables do not belong to the scenario (a ``ValueError``).
    """
    from planner.export.document import MapData, plan_blocks, write_docx, write_pdf
    from planner.export.door_to_door import (
        SheetTexts,
        door_to_door_sheets,
        write_team_sheets,
    )
    from planner.export.gis import write_gis
    from planner.export.notices import notice_pages, write_notices, write_wechat
    from planner.export.rosters import write_site_rosters
    from planner.export.wechat_image import long_images, write_long_images

    timings: dict[str, float] = {}
    clock = _Clock(timings)
    out.mkdir(parents=True, exist_ok=True)
    # the PDF process starts first: its imports run while this one prepares
    own = parallel and pdf_process is None
    process = (
        pdf_process if pdf_process is not None else PdfProcess.start() if own else None
    )
    with contextlib.ExitStack() as stack:
        # a font cut here; its folder goes only once a process started here stops
        fallback = Path(stack.enter_context(_font_folder())) / "cjk.ttf"
        if own and process is not None:
            stack.callback(process.shutdown)
        data = prepare(scenario, tables, lang=lang, unmasked=unmasked)
        cjk_font_path()  # no CJK font: say so before anything is written
        (out / "notices").mkdir(exist_ok=True)  # also when no building has a notice
        clock.lap("prepare")

        pages = notice_pages(data)
        images = long_images(pages, data)
        map_png = out / "plan_map.png"
        # the walking-time map, for a plan whose plan.json has the access report
        access_png = (
            out / "plan_access_map.png" if tables.summary.get("access") else None
        )
        blocks = plan_blocks(data, map_png, len(pages), access_png)
        footer = tr("doc_title", lang, street=data.street)
        texts = _pdf_texts(data, pages, blocks)
        texts += [text for image in images for text in image.texts()]
        cut = process.font_for(font_chars(texts)) if process is not None else None
        font = fallback if cut is None else cut.path
        setup = (
            _pdf_setup,
            (
                texts if cut is None else None,
                font,
                MapData.of(data),
                map_png,
                access_png,
            ),
        )
        groups = _groups(pages)
        teams = door_to_door_sheets(data, out)
        sheet_texts = SheetTexts.of(data)
        pdfs = SharedJobs(
            None if process is None else process.pool,
            setup,
            [
                # the longest job first, the notices' many short ones after it, the
                # door-to-door workbooks last: this process takes those back first
                (write_pdf, (blocks, out / "plan_document.pdf", font, footer, lang)),
                *((write_notices, (group, font, out, lang)) for group in groups),
                *(
                    (write_long_images, (chunk, font, out))
                    for chunk in _chunks(images, LONG_IMAGES_PER_JOB)
                ),
                *(
                    (write_team_sheets, (chunk, sheet_texts))
                    for chunk in _chunks(teams, TEAM_SHEETS_PER_JOB)
                ),
            ],
        )
        files: list[Path] = [map_png] + ([access_png] if access_png else [])
        clock.lap("pages")

        rosters, roster_rows = write_site_rosters(data, out)
        files += rosters
        clock.lap("rosters")
        if cut is not None:
            cut.job.result()  # before any PDF is drawn here
        pdfs.setup()  # the map, which the document shows
        files.append(write_docx(blocks, out / "plan_document.docx", lang))
        files += write_gis(data, out)
        files.append(write_wechat(pages, data, out))
        clock.lap("document_gis")

        document, *rest = pdfs.finish()[1:]
        n_images = -(-len(images) // LONG_IMAGES_PER_JOB)
        notices = rest[: len(groups) + n_images]
        sheets = rest[len(groups) + n_images :]
        files += [f for chunk in notices for f in chunk]
        files.append(document)
        files += [f for chunk in sheets for f in chunk]
        clock.lap("shared")
    return ExportReport(
        out=out,
        files=tuple(files),
        roster_rows=roster_rows,
        door_to_door_rows=sum(sheet.rows for sheet in teams),
        sites=len(rosters),
        teams=len(teams),
        notice_pages=len(pages),
        masked=not unmasked,
        timings_s={k: round(v, 3) for k, v in timings.items()},
        wechat_images=len(images),
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


class PdfProcess:
    """The one process that draws the PDFs, started before the street is loaded.

    Its imports run while this process loads the street; :meth:`cut_font` then has it
    cut the CJK font down to the street's strings while this process plans, so the
    export finds the font ready. Hand it to :func:`export_all` as `pdf_process` and
    :meth:`shutdown` it afterwards.

    Parameters
    ----------
    pool
        A one-process pool (:meth:`start` makes it).
    """

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool
        self._folder = _font_folder()
        self._font: CutFont | None = None

    @classmethod
    def start(cls) -> PdfProcess | None:
        """Start the process and import what the PDFs need in it.

        None where no process can start (the PDFs are then drawn in this one).
        """
        try:
            pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_end_without_teardown,
            )
            pool.submit(_import_pdf_modules)
        except (OSError, NotImplementedError, ValueError, BrokenProcessPool):
            return None
        return cls(pool)

    def cut_font(self, scenario: Scenario, policy: Policy) -> None:
        """Have the process cut the font down to the street's strings.

        Those are every string of `scenario` and `policy` the PDFs may print
        (:func:`street_texts`); the cut, and then the import of what the map and
        PDFs are drawn with, are queued before any export job.
        """
        chars = font_chars(street_texts(scenario, policy))
        path = Path(self._folder.name) / "cjk.ttf"
        with contextlib.suppress(OSError, BrokenProcessPool, RuntimeError):
            # the characters once, not the street's every string, go to the process
            job = self.pool.submit(subset_font, ["".join(sorted(chars))], path)
            self._font = CutFont(path, chars, job)
            self.pool.submit(_import_drawing_modules)

    def font_for(self, needed: frozenset[str]) -> CutFont | None:
        """Return the font :meth:`cut_font` cut when it holds every `needed` character."""
        return self._font if self._font and needed <= self._font.chars else None

    def shutdown(self) -> None:
        """Stop the process (jobs not started are dropped) and remove the font."""
        self.pool.shutdown(cancel_futures=True)
        self._folder.cleanup()


@dataclass(frozen=True)
class CutFont:
    """A CJK font being cut down in the PDF process.

    Attributes
    ----------
    path
        The font file, there once `job` is done.
    chars
        The characters it holds.
    job
        The cut (its result is `path`).
    """

    path: Path
    chars: frozenset[str]
    job: Future[Path]


def _end_without_teardown() -> None:
    """Make the PDF process end at once when shut down (run first in it).

    A spawned process ends with ``sys.exit``, which tears down every module it
    imported (matplotlib, pandas, fontTools: about 0.35 s the caller waits for). By
    then each job has written and closed its files, so the process flushes its
    output and leaves without the teardown.
    """
    import atexit

    atexit.register(_leave)


def _leave() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _import_pdf_modules() -> None:
    """Warm the PDF process: import the router and the export (run first in it).

    ``planner plan`` lends the process to the plan's door-to-door routing first.
    """
    import fontTools.subset  # noqa: F401

    import planner.export.document
    import planner.export.notices
    import planner.solve.routing  # noqa: F401


def _import_drawing_modules() -> None:
    """Import matplotlib's pyplot (about 0.4 s) and fpdf2 (0.2 s) in the PDF process.

    Queued with the font's cut, after the routings, so they are imported while this
    process builds the tables, not by the map and the first PDF the export waits for.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)  # as draw_map: no window, whatever the OS
    import matplotlib.pyplot

    import planner.export._pdf  # noqa: F401


def _pdf_setup(
    texts: list[str] | None,
    font: Path,
    map_data: MapData,
    map_png: Path,
    access_png: Path | None = None,
) -> None:
    """Cut the CJK font down to `texts` (None: it is cut already); draw the plan maps."""
    from planner.export.plan_map import draw_access_map, draw_map

    if texts is not None:
        subset_font(texts, font)
    draw_map(map_data, map_png, cjk_font_path())
    if access_png is not None:
        draw_access_map(map_data, access_png, cjk_font_path())


TEAM_SHEETS_PER_JOB = 16
"""Door-to-door workbooks a shared job writes (about 0.1 s of work)."""


_T = TypeVar("_T")

LONG_IMAGES_PER_JOB = 4
"""WeChat long images a shared job draws (about 0.3 s of work)."""


def _chunks(items: list[_T], size: int) -> list[list[_T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _groups(pages: list[NoticePage]) -> list[list[NoticePage]]:
    """Return the pages file by file (one notice PDF a job for the two processes)."""
    groups: dict[str, list[NoticePage]] = {}
    for page in pages:
        groups.setdefault(page.group, []).append(page)
    return list(groups.values())


def _font_folder() -> tempfile.TemporaryDirectory[str]:
    """Return a folder for the cut-down font (kept until every PDF is drawn)."""
    return tempfile.TemporaryDirectory(prefix="planner-font-")


def street_texts(scenario: Scenario, policy: Policy) -> list[str]:
    """Return every string the PDFs may print that is known before the plan.

    Those are the templates, the street's names, addresses, sites, staff and stock
    (never the residents) and the policy's (the supplies' names and units).
    """
    texts = all_strings()
    for name in _STREET_FIELDS:
        _collect_texts(getattr(scenario, name), texts)
    _collect_texts(policy, texts)
    return texts


_STREET_FIELDS = (
    "name",
    "grid_ids",
    "communities",
    "compounds",
    "buildings",
    "households",
    "sites",
    "staff",
    "inventory",
    "labs",
)
"""The :class:`Scenario` fields :func:`street_texts` reads (residents are left out: no
PDF prints a resident, and their names would grow the font)."""


def _collect_texts(value: object, texts: list[str]) -> None:
    if isinstance(value, str):
        texts.append(value)
    elif isinstance(value, np.ndarray):
        if value.dtype.kind in "OU":
            texts += map(str, value.tolist())
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            _collect_texts(getattr(value, f.name), texts)
    elif isinstance(value, tuple):
        for item in value:
            _collect_texts(item, texts)


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
