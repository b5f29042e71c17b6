"""Loading the scenario: typed frozen data, and every kind of bad input reported."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from planner import InputError, load_scenario
from planner.cli import main
from planner.geo.coords import gcj02_to_bd09, wgs84_to_gcj02
from planner.text import render_issue


def _edit_csv(
    folder: Path, table: str, fn: Callable[[pd.DataFrame], pd.DataFrame]
) -> None:
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    fn(frame).to_csv(path, index=False)


def _set(table: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    """Set one cell; `row` is 0-based in data, i.e. Excel row row+2."""

    def apply(folder: Path) -> None:
        def f(frame: pd.DataFrame) -> pd.DataFrame:
            frame.loc[row, column] = value
            return frame

        _edit_csv(folder, table, f)

    return apply


def _drop_column(table: str, column: str) -> Callable[[Path], None]:
    return lambda folder: _edit_csv(folder, table, lambda f: f.drop(columns=[column]))


def _rename_column(table: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda folder: _edit_csv(
        folder, table, lambda f: f.rename(columns={old: new})
    )


def _remove_file(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def _empty_table(table: str) -> Callable[[Path], None]:
    return lambda folder: _edit_csv(folder, table, lambda f: f.iloc[0:0])


BROKEN = {
    "missing_file": (
        _remove_file("sites.csv"),
        "[错误] tiny：缺少必需的表“sites”（应有文件 sites.csv / 采样点.xlsx）",
    ),
    "missing_column": (
        _drop_column("households", "size"),
        "[错误] households.csv，第 1 行：缺少必需列“size/人数”",
    ),
    "unknown_header": (
        _rename_column("buildings", "address", "楼栋备注X"),
        "[警告] buildings.csv，第 1 行，列“楼栋备注X”："
        "无法识别的列名，已忽略（可接受的列名见说明文档）",
    ),
    "wrong_type": (
        _set("households", 2, "size", "三"),
        "[错误] households.csv，第 4 行，列“size”：“三”不是整数",
    ),
    "empty_table": (
        _empty_table("staff"),
        "[错误] staff.csv：表中没有数据行",
    ),
    "duplicate_id": (
        _set("buildings", 3, "building_id", "B1"),
        "[错误] buildings.csv，第 5 行，列“building_id”：编号“B1”重复（首次出现在第 2 行）",
    ),
    "dangling_reference": (
        _set("households", 0, "building_id", "B99"),
        "[错误] households.csv，第 2 行，列“building_id”：引用了不存在的楼栋/building“B99”",
    ),
    "zero_size": (
        _set("households", 1, "size", "0"),
        "[错误] households.csv，第 3 行，列“size”：数值必须大于 0（现为 0）",
    ),
    "negative_size": (
        _set("households", 1, "size", "-2"),
        "[错误] households.csv，第 3 行，列“size”：数值必须大于 0（现为 -2）",
    ),
    "outside_china": (
        _set("sites", 0, "lon", "2.35"),
        "[错误] sites.csv，第 2 行，列“lat”：坐标（经度 2.350000，纬度 30.580500）不在中国境内",
    ),
    "lat_lon_swapped": (
        lambda d: (
            _set("buildings", 2, "lon", "30.583")(d),
            _set("buildings", 2, "lat", "114.305")(d),
        ),
        "[错误] buildings.csv，第 4 行，列“lon”：经纬度似乎填反了（经度 30.583000，纬度 114.305000）",
    ),
    "far_from_street": (
        _set("sites", 1, "lon", "114.50"),
        "[警告] sites.csv，第 3 行，列“lon”：位置距街道中心 18.9 公里，远超街道范围，请核对坐标",
    ),
    "site_no_desks": (
        _set("sites", 1, "max_desks", "0"),
        "[错误] sites.csv，第 3 行，列“max_desks”：采样点最大采样台数为 0，至少应为 1",
    ),
    "id_check_digit": (
        _set("residents", 0, "id_number", "420102199403150010"),
        "[错误] residents.csv，第 2 行，列“id_number”：身份证号校验位错误",
    ),
    "id_format": (
        _set("residents", 0, "id_number", "42010219940315"),
        "[错误] residents.csv，第 2 行，列“id_number”：身份证号不是18位（17位数字加校验位）",
    ),
    "bad_phone": (
        _set("residents", 3, "phone", "1380000"),
        "[错误] residents.csv，第 5 行，列“phone”：联系电话格式不正确（应为11位手机号或带区号的座机）",
    ),
    "size_mismatch": (
        _set("households", 0, "size", "4"),
        "[警告] households.csv，第 2 行，列“size”：户人数为 4，但居民表中该户有 2 人；按 4 人安排，请网格员核对",
    ),
    "bad_bool": (
        _set("households", 0, "sealed", "maybe"),
        "[错误] households.csv，第 2 行，列“sealed”：“maybe”不是是/否值（可用：是/否、1/0、true/false）",
    ),
    "bad_time": (
        _set("sites", 0, "open_from", "7点"),
        "[错误] sites.csv，第 2 行，列“open_from”：“7点”不是时间（应为 HH:MM）",
    ),
    "unknown_role": (
        _set("staff", 0, "role", "司机"),
        "[错误] staff.csv，第 2 行，列“role”：岗位“司机”无法识别（应为 采样/sampler 或 保障/support）",
    ),
    "missing_value": (
        _set("buildings", 0, "grid_id", ""),
        "[错误] buildings.csv，第 2 行，列“grid_id”：必填项为空",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_gives_exact_message(case: str, tiny_copy: Path) -> None:
    """Each deliberately broken file yields its exact, located Chinese message."""
    breaker, expected = BROKEN[case]
    breaker(tiny_copy)
    try:
        loaded = load_scenario(tiny_copy)
        issues = loaded.warnings
    except InputError as exc:
        issues = exc.issues
    lines = [render_issue(i) for i in issues]
    assert expected in lines, "\n".join(lines)


def test_all_problems_collected_at_once(tiny_copy: Path) -> None:
    """Several independent problems in several files are all reported in one run."""
    for case in ("wrong_type", "id_check_digit", "site_no_desks", "unknown_role"):
        BROKEN[case][0](tiny_copy)
    with pytest.raises(InputError) as exc:
        load_scenario(tiny_copy)
    codes = {i.code for i in exc.value.issues}
    assert {"bad_int", "id_number_check", "site_no_desks", "unknown_role"} <= codes


def test_tiny_loads_frozen_typed(tiny_dir: Path) -> None:
    """The tiny street loads into read-only integer/float arrays with stable ids."""
    s = load_scenario(tiny_dir).scenario
    assert s.summary()["households"] == 12
    assert s.population == 24
    assert list(s.buildings.id) == ["B1", "B2", "B3", "B4"]
    assert s.grid_ids == ("G1", "G2", "G3")
    assert s.households.size.dtype == np.int64
    assert s.buildings.x_m.dtype == np.int64
    with pytest.raises(ValueError, match="read-only"):
        s.households.size[0] = 5
    # B2 is 0.001° east of B1 at 30.58°N: ≈ 96 m
    assert 90 <= s.buildings.x_m[1] - s.buildings.x_m[0] <= 100
    assert s.sites.fixed.tolist() == [False, True]
    assert s.sites.open_from_min[0] == 7 * 60


def test_gcj02_and_bd09_scenarios_convert_to_wgs84(
    tiny_copy: Path, tiny_dir: Path
) -> None:
    """A scenario given in Amap (GCJ-02) or Baidu (BD-09) coordinates loads as WGS-84."""
    ref = load_scenario(tiny_dir).scenario
    for system, shift in (("gcj02", wgs84_to_gcj02), ("bd09", None)):
        for table in ("buildings", "sites"):
            src = pd.read_csv(
                tiny_dir / f"{table}.csv", dtype=str, keep_default_na=False
            )
            lon, lat = wgs84_to_gcj02(
                src["lon"].astype(float), src["lat"].astype(float)
            )
            if shift is None:
                lon, lat = gcj02_to_bd09(lon, lat)
            src["lon"], src["lat"] = (
                [f"{v:.7f}" for v in lon],
                [f"{v:.7f}" for v in lat],
            )
            src.to_csv(tiny_copy / f"{table}.csv", index=False)
        (tiny_copy / "scenario.toml").write_text(
            f'[scenario]\nname = "t"\ncoordinate_system = "{system}"\n',
            encoding="utf-8",
        )
        s = load_scenario(tiny_copy).scenario
        np.testing.assert_allclose(s.buildings.lon, ref.buildings.lon, atol=2e-6)
        np.testing.assert_allclose(s.sites.lat, ref.sites.lat, atol=2e-6)


def test_chinese_headers_and_gbk_encoding(tiny_copy: Path, tiny_dir: Path) -> None:
    """A register with Chinese headers saved as GBK reads the same as the English one."""
    src = pd.read_csv(tiny_dir / "buildings.csv", dtype=str, keep_default_na=False)
    src = src.rename(
        columns={
            "building_id": "楼栋编号",
            "grid_id": "网格",
            "community": "社区",
            "compound": "小区",
            "lon": "经度",
            "lat": "纬度",
            "address": "地址",
        }
    )
    (tiny_copy / "buildings.csv").unlink()
    (tiny_copy / "楼栋.csv").write_bytes(src.to_csv(index=False).encode("gbk"))
    s = load_scenario(tiny_copy).scenario
    assert s.communities == ("桂园社区", "东湖社区")


def test_workbook_scenario(tmp_path: Path, tiny_dir: Path) -> None:
    """One workbook with a sheet per table (Chinese sheet names) loads like the folder."""
    book = tmp_path / "street.xlsx"
    with pd.ExcelWriter(book) as xw:
        pd.DataFrame(
            {"项目": ["名称", "坐标系"], "值": ["小测街道", "wgs84"]}
        ).to_excel(xw, sheet_name="情景", index=False)
        names = {
            "buildings": "楼栋",
            "households": "住户",
            "residents": "居民",
            "sites": "采样点",
            "staff": "工作人员",
            "inventory": "物资库存",
        }
        for table, sheet in names.items():
            frame = pd.read_csv(
                tiny_dir / f"{table}.csv", dtype=str, keep_default_na=False
            )
            frame.to_excel(xw, sheet_name=sheet, index=False)
    s = load_scenario(book).scenario
    assert s.name == "小测街道"
    assert s.summary() == load_scenario(tiny_dir).scenario.summary()


def test_id_number_stored_as_excel_number_is_reported(
    tmp_path: Path, tiny_dir: Path
) -> None:
    """Excel turning an ID column into numbers (digits lost) is explained, not hidden."""
    book = tmp_path / "street.xlsx"
    with pd.ExcelWriter(book) as xw:
        for table in (
            "buildings",
            "households",
            "residents",
            "sites",
            "staff",
            "inventory",
        ):
            frame = pd.read_csv(
                tiny_dir / f"{table}.csv", dtype=str, keep_default_na=False
            )
            if table == "residents":
                frame["id_number"] = frame["id_number"].str[:17].astype(float) * 10
            frame.to_excel(xw, sheet_name=table, index=False)
    with pytest.raises(InputError) as exc:
        load_scenario(book)
    assert any(
        i.code in ("id_number_numeric", "id_number_check") for i in exc.value.issues
    )


def test_cli_validate_exit_codes(
    tiny_dir: Path, tiny_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`planner validate` prints the summary and exits 0, or lists errors and exits 2."""
    assert main(["validate", str(tiny_dir)]) == 0
    out = capsys.readouterr().out
    assert "校验通过" in out and "楼栋" in out
    BROKEN["dangling_reference"][0](tiny_copy)
    assert main(["validate", str(tiny_copy)]) == 2
    err = capsys.readouterr().err
    assert "B99" in err and "Traceback" not in err
    assert main(["--lang", "en", "validate", str(tiny_copy)]) == 2
    assert "refers to unknown" in capsys.readouterr().err


def test_missing_path_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert "找不到" in capsys.readouterr().err


def test_ages_are_held_against_id_numbers_on_the_screening_day(tiny_copy: Path) -> None:
    """The register's ages (R001: 31, born 1994-03-15) fit its ID numbers in late
    2026; on a screening day in 2030 they are years off, and the check says so."""

    def mismatched(**kwargs: Any) -> set[int | None]:
        loaded = load_scenario(tiny_copy, **kwargs)
        return {i.row for i in loaded.warnings if i.code == "id_age_mismatch"}

    assert mismatched(day=dt.date(2026, 11, 23)) == set()
    (tiny_copy / "policy.toml").write_text(
        '[round]\nscreening_date = "2030-06-01"\n', encoding="utf-8"
    )
    assert 2 in mismatched()  # R001, on the policy's screening day
    assert mismatched(day=dt.date(2026, 11, 23)) == set()  # the caller's day wins
