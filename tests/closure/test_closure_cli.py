"""The whole loop from the CLI: simulate a day, close it, report; a day without records."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from conftest import Street

from planner.cli import main


def test_simulate_close_and_report_from_the_cli(street: Street, tmp_path: Path) -> None:
    sc, pd_ = str(street.street_dir), str(street.plan_dir)
    day = tmp_path / "day"
    args = ["records", "simulate", sc, pd_, "--out", str(day), "--date", "2026-12-07"]
    assert main(args) == 0
    files = {p.name for p in day.iterdir()}
    assert {"records_1.csv", "records_2.xlsx", "lab_results.csv"} <= files
    out = tmp_path / "closed"
    assert (
        main(
            [
                "records",
                "close",
                sc,
                pd_,
                "--out",
                str(out),
                "--records",
                str(day / "records_1.csv"),
                str(day / "records_2.xlsx"),
                "--results",
                str(day / "lab_results.csv"),
                "--reasons",
                str(day / "reasons_filled.csv"),
            ]
        )
        == 0
    )
    made = {p.name for p in out.iterdir()}
    assert {
        "coverage.xlsx",
        "grid_lists",
        "unresolved_records.xlsx",
        "catchup.xlsx",
        "positives.xlsx",
        "positives.docx",
        "next_round_status.csv",
        "daily_report.xlsx",
        "daily_report.docx",
    } <= made
    # the counts agree with the simulation's truth
    not_counted = pd.read_csv(day / "truth_not_counted.csv", dtype=str)
    summary = pd.read_json(out / "closing.json", typ="series")
    r = street.scenario.residents
    assert r is not None
    assert summary["coverage"]["sampled"] == len(r) - len(not_counted)
    status = pd.read_csv(out / "next_round_status.csv")
    assert set(status["status"]) == {"pool_positive_pending", "building_controlled"}
    # every catch-up household is told: its evening site, or its building's team and time
    notices = (out / "catchup_notices.txt").read_text(encoding="utf-8")
    catchup = pd.read_excel(
        out / "catchup.xlsx", sheet_name=None, header=2, engine="calamine"
    )
    homes = next(iter(catchup.values()))
    visited = set(homes.loc[homes.iloc[:, 4] == "上门", homes.columns[1]])
    assert visited
    for building in visited:
        assert str(building) in notices
    # no full ID number or phone of the register in anything written
    full = set(r.id_number.astype(str)) | set(r.phone.astype(str))
    assert not _texts(out) & full
    rep = tmp_path / "rep"
    assert main(["report", sc, pd_, "--out", str(rep), "--date", "2026-12-08"]) == 0
    assert {p.name for p in rep.iterdir()} == {"daily_report.xlsx", "daily_report.docx"}


def test_a_bad_export_stops_with_every_problem_named(
    street: Street, tmp_path: Path, capsys: object
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "姓名,手机号,采样点,采样时间,试管码\n张三,1,S,later,\n", encoding="utf-8"
    )
    code = main(
        [
            "records",
            "close",
            str(street.street_dir),
            str(street.plan_dir),
            "--out",
            str(tmp_path / "o"),
            "--records",
            str(bad),
        ]
    )
    assert code != 0
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "bad.csv" in err and "采样时间" in err and "试管码" in err


def _texts(folder: Path) -> set[str]:
    """Every cell and paragraph of the workbooks, documents and CSV files under `folder`."""
    from docx import Document
    from openpyxl import load_workbook

    found: set[str] = set()
    for path in folder.rglob("*"):
        if path.suffix == ".xlsx":
            wb = load_workbook(path, read_only=True)
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    found |= {str(v) for v in row if v is not None}
            wb.close()
        elif path.suffix == ".docx":
            doc = Document(str(path))
            found |= {p.text for p in doc.paragraphs}
            for t in doc.tables:
                found |= {c.text for row in t.rows for c in row.cells}
        elif path.suffix in (".csv", ".txt", ".json"):
            found |= set(path.read_text(encoding="utf-8-sig").replace(",", " ").split())
    return found


def test_a_street_without_a_register_is_refused_by_name(
    street: Street, tmp_path: Path, capsys: object
) -> None:
    import shutil

    bare = tmp_path / "bare"
    shutil.copytree(street.street_dir, bare)
    (bare / "residents.csv").unlink()
    code = main(
        ["report", str(bare), str(street.plan_dir), "--out", str(tmp_path / "o")]
    )
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert code == 2 and "居民名册" in err
