"""The CLI's head start on a workbook (planner.io.prefetch) changes nothing it reads."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from planner.cli import main
from planner.io import prefetch
from planner.io.load import inspect_scenario
from planner.io.schema import TABLE_BY_NAME
from planner.io.tables import read_scenario_tables
from planner.io.writers import write_scenario_workbook
from planner.text import render_issues


def _tiny_workbook(tiny_dir: Path, path: Path, name: str = "小测街道") -> Path:
    tables = {
        t: pd.read_csv(tiny_dir / f"{t}.csv", dtype=str, keep_default_na=False)
        for t in TABLE_BY_NAME
        if (tiny_dir / f"{t}.csv").exists()
    }
    write_scenario_workbook(tables, {"name": name, "coordinate_system": "wgs84"}, path)
    return path


def _frames(path: Path) -> tuple[dict[str, pd.DataFrame], list[str], str]:
    raw = read_scenario_tables(path)
    frames = {name: t.frame for name, t in raw.tables.items()}
    inspection = inspect_scenario(path)
    assert inspection.loaded is not None
    return frames, render_issues(inspection.issues), inspection.loaded.scenario.name


def test_prefetched_sheets_read_like_the_file(tiny_dir: Path, tmp_path: Path) -> None:
    book = _tiny_workbook(tiny_dir, tmp_path / "tiny.xlsx")
    direct = _frames(book)
    prefetch.prefetch_workbook(book)
    assert book.resolve() in prefetch._PENDING
    ahead = _frames(book)
    assert book.resolve() not in prefetch._PENDING  # handed out, once
    assert set(ahead[0]) == set(direct[0]) >= {"buildings", "households", "residents"}
    for name, frame in direct[0].items():
        pd.testing.assert_frame_equal(ahead[0][name], frame)
    assert ahead[1:] == direct[1:]


def test_a_file_changed_after_the_prefetch_is_read_again(
    tiny_dir: Path, tmp_path: Path
) -> None:
    book = _tiny_workbook(tiny_dir, tmp_path / "tiny.xlsx")
    prefetch.prefetch_workbook(book)
    # the office saves the workbook again while the planner starts
    _tiny_workbook(tiny_dir, tmp_path / "new.xlsx", name="改名街道")
    os.replace(tmp_path / "new.xlsx", book)
    st = book.stat()
    os.utime(book, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert _frames(book)[2] == "改名街道"


def test_cli_validate_uses_and_releases_the_prefetch(
    tiny_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = _tiny_workbook(tiny_dir, tmp_path / "tiny.xlsx")
    assert main(["validate", str(book)]) == 0
    assert "小测街道" in capsys.readouterr().out
    assert not prefetch._PENDING


def test_folders_and_missing_files_are_not_prefetched(
    tiny_dir: Path, tmp_path: Path
) -> None:
    prefetch.prefetch_workbook(tiny_dir)
    prefetch.prefetch_workbook(tmp_path / "missing.xlsx")
    assert not prefetch._PENDING
