"""The office's download: readable workbooks (Chinese headers, 是/否, opened by
LibreOffice), files named by street, site and day, grouped as the office works."""

import contextlib
import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from planner.export import ExportReport
from planner.export.office import office_layout, support_request
from planner.io.plan_folder import read_plan_folder
from planner.model.scenario import Scenario

ENGLISH = re.compile(r"[A-Za-z_]{3,}")
"""An English word or code in a cell a person reads (N95, PPE-like 2-letter units pass)."""


def _soffice() -> str:
    """Return LibreOffice's soffice, installing Debian's package once if root can."""
    found = shutil.which("soffice")
    if found is None and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends"]
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            if subprocess.run(
                [*cmd, "libreoffice-calc-nogui"], env=env, capture_output=True
            ).returncode:
                subprocess.run(["apt-get", "update", "-qq"], env=env, timeout=300)
                subprocess.run([*cmd, "libreoffice-calc-nogui"], env=env, check=False)
        found = shutil.which("soffice")
    if found is None:
        pytest.fail(
            "LibreOffice (soffice) is needed: apt-get install libreoffice-calc-nogui"
        )
    return found


@pytest.fixture(scope="module")
def layout(
    dated_export: ExportReport, dated_scenario: Scenario, dated_plan: Path
) -> list[tuple[str, Path]]:
    return office_layout(dated_export.out, dated_scenario, read_plan_folder(dated_plan))


def test_files_are_named_by_street_site_and_day_in_the_offices_folders(
    layout: list[tuple[str, Path]], dated_scenario: Scenario
) -> None:
    names = [name for name, _ in layout]
    assert len(set(names)) == len(names)
    street, day = dated_scenario.name, "2026-12-09"
    for name in names:
        if not name.startswith("地图数据/"):  # GIS layers keep their program names
            assert street in name and day in name, name
    folders = {name.split("/")[0] for name in names if "/" in name}
    assert {"工作方案", "楼栋通知", "采样点手册"} <= folders
    assert f"{street}_{day}_支援申请.xlsx" in names
    rosters = [(n, p) for n, p in layout if n.startswith("采样点手册/")]
    sites = dict(zip(dated_scenario.sites.id, dated_scenario.sites.name, strict=True))
    for name, path in rosters:
        assert sites[path.stem] in name  # the site's name, not its code
    notices = [n for n in names if n.startswith("楼栋通知/") and n.endswith(".pdf")]
    communities = set(dated_scenario.communities)
    assert all(n.split("/")[1] in communities for n in notices if n.count("/") == 2), (
        notices
    )


def _readable_books(layout: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    return [
        (n, p)
        for n, p in layout
        if p.suffix == ".xlsx" and not n.startswith("地图数据/")
    ]


def test_every_table_a_person_reads_has_chinese_headers_and_yes_no(
    layout: list[tuple[str, Path]],
) -> None:
    books = _readable_books(layout)
    assert any("方案表格" in n for n, _ in books)
    for name, path in books:
        book = openpyxl.load_workbook(path, read_only=True)
        for ws in book.worksheets:
            for row in ws.iter_rows(values_only=True):
                for cell in row:
                    if isinstance(cell, str):
                        assert cell not in ("True", "False"), (name, ws.title)
                        if "方案表格" in name:  # headers and cells: no codes' words
                            assert not ENGLISH.search(cell.replace("N95", "")), (
                                name,
                                ws.title,
                                cell,
                            )
        book.close()


def test_the_workbooks_open_in_libreoffice_with_chinese_headers(
    layout: list[tuple[str, Path]], tmp_path: Path
) -> None:
    books = _readable_books(layout)
    sources = []
    for i, (_, path) in enumerate(books):
        copy = tmp_path / f"book{i}.xlsx"  # LibreOffice converts by stem
        shutil.copy(path, copy)
        sources.append(copy)
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path / "csv"),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    made = sorted((tmp_path / "csv").glob("*.csv"))
    assert len(made) >= len(sources), done.stdout + done.stderr
    tables = [p for p in made if p.stem.startswith("book") and "采样点一览" in p.stem]
    assert tables, [p.name for p in made]
    with tables[0].open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    heads = next(r for r in rows if "采样点编号" in r)
    assert {"采样点编号", "名称", "开放"} <= set(heads), heads
    assert not [h for h in heads if ENGLISH.search(h)], heads
    assert {"是", "否"} & {c for r in rows for c in r}


def test_the_support_request_puts_samplers_first_and_the_largest_gaps_first(
    dated_scenario: Scenario, dated_plan: Path
) -> None:
    tables = read_plan_folder(dated_plan)
    staff, stock = support_request(tables, dated_scenario)
    if len(staff):
        samplers = staff["role"].isin(["采样人员", "上门采样"]).tolist()
        assert samplers == sorted(samplers, reverse=True)  # all samplers first
    assert list(stock["quantity"]) == sorted(stock["quantity"], reverse=True)


def test_notices_are_one_pdf_per_community_handbooks_one_per_site(
    layout: list[tuple[str, Path]],
    dated_scenario: Scenario,
    dated_plan: Path,
    dated_export: ExportReport,
) -> None:
    from planner.export._common import prepare
    from planner.export.notices import notice_pages

    tables = read_plan_folder(dated_plan)
    pages = notice_pages(prepare(dated_scenario, tables, lang="zh", unmasked=False))
    street, day = dated_scenario.name, "2026-12-09"
    by_community: dict[str, list[str]] = {}
    for page in pages:
        by_community.setdefault(page.community, []).append(page.building_id)
    pdfs = {n: p for n, p in layout if n.startswith("楼栋通知/") and n.endswith(".pdf")}
    # one file per community, in its folder, with every page of its buildings
    assert sorted(pdfs) == sorted(
        f"楼栋通知/{c}/{street}_{c}_{day}_楼栋通知.pdf" for c in by_community
    )
    for name, path in pdfs.items():
        community = name.split("/")[1]
        assert {p.community for p in pages if p.group == path.stem} == {community}
        drawn = len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))
        assert drawn == len(by_community[community]), name
    # buildings sampled at home are in their community's file, not one of their own
    assert all(p.group == p.community for p in pages)
    # one handbook per open site, named by the site
    books = [n for n, _ in layout if n.startswith("采样点手册/")]
    opened = tables.sites.loc[tables.sites["open"].astype(bool), "site_id"]
    names = dict(zip(dated_scenario.sites.id, dated_scenario.sites.name, strict=True))
    assert sorted(books) == sorted(
        f"采样点手册/{street}_{names[s]}_{day}.xlsx" for s in opened
    )


def test_the_support_request_prints_on_one_page(
    layout: list[tuple[str, Path]], tmp_path: Path
) -> None:
    (path,) = [p for n, p in layout if n.endswith("_支援申请.xlsx")]
    book = openpyxl.load_workbook(path)
    (sheet,) = book.worksheets  # one sheet
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # 1 wide by 1 tall (the file format leaves out a 1, its default)
    assert sheet.page_setup.fitToWidth in (None, 1)
    assert sheet.page_setup.fitToHeight in (None, 1)
    # and LibreOffice prints it on one page
    copy = tmp_path / "support.xlsx"
    shutil.copy(path, copy)
    done = subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(copy),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    pdf = (tmp_path / "support.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
