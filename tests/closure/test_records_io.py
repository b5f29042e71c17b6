"""Registration exports as they come: quirks smoothed, bad input named cell by cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Street

from planner.closure.matching import match_records
from planner.closure.simulate import SimulatedDay
from planner.errors import InputError
from planner.export.closure import reason_words
from planner.io.record_files import write_records, write_results
from planner.io.records import read_reason_lists, read_records, read_results
from planner.text import render_issues


@pytest.mark.parametrize(
    ("name", "encoding", "zh"),
    [("r.csv", "gbk", True), ("r.csv", "utf-8-sig", False), ("r.xlsx", "", True)],
)
def test_an_export_with_quirks_reads_back_to_the_same_matches(
    street: Street,
    day: SimulatedDay,
    tmp_path: Path,
    name: str,
    encoding: str,
    zh: bool,
) -> None:
    path = tmp_path / name
    kwargs = {"encoding": encoding} if encoding else {}
    write_records(day.records, path, zh=zh, title="title line", **kwargs)  # type: ignore[arg-type]
    if path.suffix == ".csv":
        text = path.read_text(encoding=encoding)
        assert "x" in text or "＂" not in text  # lower-case x written somewhere
    got = read_records([path])
    assert len(got) == len(day.records)
    assert street.scenario.residents is not None
    want = match_records(day.records, street.scenario.residents)
    m = match_records(got, street.scenario.residents)
    assert (m.sampled == want.sampled).all()
    assert list(m.status) == list(want.status)


def test_full_width_digits_spaces_and_lower_x_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "姓名,证件号码,手机号,采样点,采样时间,试管码\n"
        "张三,１１０１０１ 19900307 001x,138 1234 5678,S1,46363.5,t１\n",
        encoding="utf-8",
    )
    got = read_records([path])
    assert got.loc[0, "id_number"] == "11010119900307001X"
    assert got.loc[0, "phone"] == "13812345678"
    assert got.loc[0, "tube"] == "T1"
    assert str(got.loc[0, "sampled_at"]) == "2026-12-07 12:00:00"


def test_bad_records_are_all_reported_with_file_row_and_column(tmp_path: Path) -> None:
    good = tmp_path / "a.csv"
    good.write_text(
        "姓名,证件号码,手机号,采样点,采样时间,试管码\n"
        "张三,110101199003070011,13812345678,S1,later,T1\n"
        "李四,,,S1,2026-12-07 08:00,\n",
        encoding="utf-8",
    )
    no_cols = tmp_path / "b.csv"
    no_cols.write_text("姓名,采样点\n张三,S1\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_records([good, no_cols])
    issues = err.value.issues
    got = {(i.code, i.file, i.row, i.column) for i in issues}
    assert ("closure_bad_time", "a.csv", 2, "采样时间") in got
    assert ("closure_no_tube", "a.csv", 3, "试管码") in got
    assert ("closure_no_person", "a.csv", 3, "证件号码") in got
    assert any(
        i.code == "closure_columns_missing" and i.file == "b.csv" for i in issues
    )
    assert all("Traceback" not in line for line in render_issues(issues))


def test_results_and_filled_lists_read_back(
    street: Street, day: SimulatedDay, tmp_path: Path
) -> None:
    write_results(day.results, tmp_path / "res.csv")
    res = read_results([tmp_path / "res.csv"])
    assert res.positive_tubes == sorted(day.positive_tubes)
    lst = tmp_path / "list.csv"
    r = street.scenario.residents
    assert r is not None
    lst.write_text(
        f"人员编号,未检原因\n{r.id[0]},外出\n{r.id[1]},Refused\n{r.id[2]},\n",
        encoding="utf-8",
    )
    got = read_reason_lists([lst], reason_words(), set(r.id.astype(str)))
    assert got.set_index("resident_id")["reason"].to_dict() == {
        str(r.id[0]): "away",
        str(r.id[1]): "refused",
    }
    lst.write_text(
        f"人员编号,未检原因\n{r.id[0]},出差\nNOBODY,外出\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        read_reason_lists([lst], reason_words(), set(r.id.astype(str)))
    codes = {(i.code, i.row) for i in err.value.issues}
    assert codes == {("closure_bad_reason", 2), ("closure_unknown_resident", 3)}


def test_the_fast_csv_path_reads_what_the_general_path_reads(
    day: SimulatedDay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.io.records as records

    path = write_records(day.records, tmp_path / "r.csv", encoding="gbk", title="t")
    (tmp_path / "r.csv").write_text(
        path.read_text(encoding="gbk") + "\n\n", encoding="gbk"
    )  # trailing blank lines, as exports have
    general = read_records([path])
    monkeypatch.setattr(records, "FAST_CSV_BYTES", 0)
    assert records._fast_csv(path, records.RECORDS) is not None
    fast = read_records([path])
    assert fast.equals(general)


def test_a_tube_or_a_resident_given_two_answers_is_named_at_its_last_row(
    tmp_path: Path,
) -> None:
    """Two results for one tube (a pending row is no answer), two reasons for one
    resident: each is an error at the row that contradicts, naming the tube or id."""
    res = tmp_path / "res.csv"
    res.write_text(
        "试管码,检测结果\nT1,阴性\nT2,待出\nT2,阴性\nT1,阳性\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        read_results([res])
    got = [(i.code, i.file, i.row, i.params) for i in err.value.issues]
    assert got == [("closure_result_clash", "res.csv", 5, (("tube", "T1"),))]
    lst = tmp_path / "list.csv"
    lst.write_text(
        "人员编号,未检原因\nR1,外出\nR2,外出\nR1,Refused\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        read_reason_lists([lst], reason_words(), {"R1", "R2"})
    got = [(i.code, i.file, i.row, i.params) for i in err.value.issues]
    assert got == [("closure_reason_clash", "list.csv", 4, (("resident", "R1"),))]
