"""The Streamlit app, driven by AppTest: every page runs, main flows by widget key."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner import InfeasibleError
from planner.app.state import PAGES
from planner.text import APP_TEXT as TEXTS
from planner.text import KPI_LABELS, error_text

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "app.py")
TINY = REPO / "tests" / "data" / "tiny"


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _load(at: AppTest, path: Path) -> AppTest:
    at.switch_page("planner/app/pages/data.py").run()
    at.radio(key="source").set_value("path").run()
    at.text_input(key="scenario_path").set_value(str(path)).run()
    at.button(key="load").click().run()
    assert not at.exception
    return at


def _solve(at: AppTest) -> AppTest:
    at.switch_page("planner/app/pages/plan.py").run()
    at.sidebar.number_input(key="time_limit").set_value(5.0).run()
    at.button(key="solve").click().run()
    assert not at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table_with(at: AppTest, column: str) -> pd.DataFrame:
    """Return the first table shown with `column` (tables have no AppTest key)."""
    for element in at.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no table with column {column!r}")


def test_app_starts_in_chinese() -> None:
    at = _app()
    assert at.sidebar.radio(key="lang").value == "zh"
    assert at.title[0].value == "全员核酸检测：四步完成"  # the guided start page


def test_the_start_page_follows_the_steps() -> None:
    at = _app()
    assert [
        m.value.split(" ", 1)[0] for m in at.markdown if m.value.startswith("####")
    ] == ["####"] * 4
    steps = [m.value for m in at.markdown if m.value.startswith("####")]
    assert steps[0].startswith("#### → 1. 加载数据") and "○" in steps[1]
    at = _load(at, TINY)
    assert "下一步：生成方案 →" in [str(p.proto.label) for p in at.get("page_link")]
    sidebar = " ".join(str(c.value) for c in at.sidebar.caption)
    assert "小测街道" in sidebar  # the sidebar names the street just loaded
    at.switch_page("planner/app/pages/start.py").run()
    steps = [m.value for m in at.markdown if m.value.startswith("####")]
    assert steps[0].startswith("#### ✔ 1.") and steps[1].startswith("#### → 2.")
    assert any("已加载：小测街道" in str(s.value) for s in at.success)


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_every_page_runs_without_a_scenario(page: str) -> None:
    at = _app()
    at.switch_page(page).run()
    assert not at.exception


def test_load_tiny_shows_report_then_summary() -> None:
    at = _load(_app(), TINY)
    assert not at.error
    assert at.success[0].value == TEXTS["report_ok"][0]
    counts = _metrics(at)
    assert counts["楼栋"] == "4"
    assert counts["候选采样点"] == "2"
    assert counts["居民（户人数合计）"] == "24"


def _roster_alerts(at: AppTest) -> list[str]:
    """The red lines of the plan's certification: the roster's gaps, both ways."""
    from planner.text.roster import certification_lines

    cert = at.session_state["round"].certification
    return [t for lv, t in certification_lines(cert.to_dict(), "zh") if lv == "alert"]


def test_solve_shows_kpis_and_every_page_runs() -> None:
    at = _solve(_load(_app(), TINY))
    kpis = _metrics(at)
    assert kpis[KPI_LABELS["sites_open"][0]] == "2"
    assert kpis[KPI_LABELS["desks"][0]] == "2"
    assert kpis[KPI_LABELS["people_unassigned"][0]] == "0"
    assert kpis[KPI_LABELS["max_walk_m"][0]].endswith("米")
    assert set(KPI_LABELS[k][0] for k in ("mean_walk_m", "finish_time", "gap")) <= set(
        kpis
    )
    for page in PAGES:
        at.switch_page(page.path).run()
        assert not at.exception, page.path
        if page.path.endswith("pages/plan.py"):
            # the tiny street's 2 samplers leave posts empty: the Plan page says so
            # in red, and says nothing else in red
            alerts = _roster_alerts(at)
            got = [e.value.strip() for e in at.error]
            assert alerts and got == [a.strip() for a in alerts], page.path
        else:
            assert not at.error, page.path
    # the plan survives page switches
    at.switch_page("planner/app/pages/plan.py").run()
    assert _metrics(at)[KPI_LABELS["sites_open"][0]] == "2"


def test_map_site_choice_shows_its_slots() -> None:
    at = _solve(_load(_app(), TINY))
    at.switch_page("planner/app/pages/map.py").run()
    box = at.selectbox(key="map_site")
    assert "" in box.options or len(box.options) == 3
    box.set_value("S1").run()
    assert not at.exception
    slots = _table_with(at, "时段开始")
    assert len(slots) > 0
    assert set(slots["采样点编号"]) == {"S1"}


def test_schedule_and_export_offer_downloads() -> None:
    at = _solve(_load(_app(), TINY))
    at.switch_page("planner/app/pages/schedule.py").run()
    assert at.download_button(key="download_slots")
    assert len(_table_with(at, "上门组")) == 1
    at.switch_page("planner/app/pages/export.py").run()
    assert at.download_button(key="download_zip")
    assert at.download_button(key="download_assignments")


def test_print_ready_exports() -> None:
    at = _solve(_load(_app(), TINY))
    at.switch_page("planner/app/pages/export.py").run()
    at.button(key="make_exports").click().run()
    assert not at.exception
    assert not at.error
    assert at.success[0].value.startswith("已生成：2 个采样点花名册")
    # the rosters are built from the round in memory: staff sheets and pick lists in
    data = at.session_state["exports"][3]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        roster = next(n for n in zf.namelist() if n.startswith("采样点手册/"))
        sheets = openpyxl.load_workbook(io.BytesIO(zf.read(roster))).sheetnames
    assert {"人员排班", "物资领取"} <= set(sheets), sheets
    assert at.download_button(key="download_exports")
    # the grids' WeChat long images on their own, in their communities' folders
    assert at.download_button(key="download_wechat_images")
    from planner.app.state import zip_part

    with zipfile.ZipFile(io.BytesIO(zip_part(data, "楼栋通知/", ".png"))) as zf:
        names = zf.namelist()
    assert names and all(n.endswith("_微信长图.png") for n in names), names
    assert all(n.count("/") == 2 for n in names)  # 楼栋通知/<社区>/<file>


def test_staff_and_supplies_page() -> None:
    at = _solve(_load(_app(), TINY))
    at.switch_page("planner/app/pages/staff.py").run()
    assert not at.exception
    assert at.info[0].value.startswith("按指南（人口÷360）")
    shortfall = _table_with(at, "缺口")
    assert shortfall["缺口"].sum() >= 1  # 3 samplers needed on duty, the pool has 2
    assert len(_table_with(at, "需要人数")) > 0
    assert len(_table_with(at, "人员编号")) > 0
    assert len(_table_with(at, "物资")) > 0


def test_drill_page_runs_closes_a_site_and_shows_the_replan() -> None:
    at = _solve(_load(_app(), TINY))
    at.switch_page("planner/app/pages/drill.py").run()
    assert not at.exception
    assert at.title[0].value == TEXTS["drill_title"][0]
    at.number_input(key="drill_reps").set_value(20).run()
    at.checkbox(key="drill_close").check().run()
    at.selectbox(key="drill_close_site").set_value("S1").run()
    at.button(key="drill_run").click().run()
    assert not at.exception
    assert not at.error
    labels = _metrics(at)
    assert TEXTS["drill_p_queue"][0] in labels
    markdown = "\n".join(m.value for m in at.markdown)
    assert "采样点 S1 于 10:00 关闭" in markdown
    assert TEXTS["drill_after"][0] in [h.value for h in at.subheader]
    sites = _table_with(at, "等候95%(分)")
    assert set(sites["采样点编号"]) <= {"S1", "S2"}
    assert at.download_button(key="drill_download")


def test_drill_page_reports_a_bad_disruption_plainly() -> None:
    at = _solve(_load(_app(), TINY))
    at.switch_page("planner/app/pages/drill.py").run()
    at.checkbox(key="drill_rain").check().run()
    at.time_input(key="drill_rain_from").set_value(dt.time(11, 0)).run()
    at.time_input(key="drill_rain_to").set_value(dt.time(10, 0)).run()
    at.button(key="drill_run").click().run()
    assert not at.exception
    assert "结束时间应晚于开始时间" in at.error[0].value


def test_english_switch() -> None:
    at = _app()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Screening in four steps"  # the start page
    at = _solve(_load(at, TINY))
    assert at.title[0].value == TEXTS["plan_title"][1]
    assert _metrics(at)[KPI_LABELS["sites_open"][1]] == "2"
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert at.title[0].value == TEXTS["plan_title"][0]
    assert _metrics(at)[KPI_LABELS["sites_open"][0]] == "2"


def test_broken_scenario_lists_every_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in TINY.iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    hh = (broken / "households.csv").read_text(encoding="utf-8").splitlines()
    hh[1] = hh[1].replace("B1,2,", "B9,2,")  # unknown building
    hh[2] = hh[2].replace("B1,3,", "B1,0,")  # empty household
    (broken / "households.csv").write_text("\n".join(hh) + "\n", encoding="utf-8")
    at = _load(_app(), broken)
    assert not at.exception
    assert "错误" in at.error[0].value
    issues = _table_with(at, "说明")
    assert len(issues) >= 2
    assert set(issues["文件"]) >= {"households.csv"}
    assert {"2", "3"} <= set(issues["行"])
    assert not at.metric  # no summary when the input is broken
    at.switch_page("planner/app/pages/plan.py").run()
    assert not at.exception
    assert at.info[0].value == TEXTS["need_scenario"][0]


def test_upload_several_csvs() -> None:
    at = _app()
    at.switch_page("planner/app/pages/data.py").run()
    at.radio(key="source").set_value("upload").run()
    files = [(f.name, f.read_bytes(), "text/csv") for f in sorted(TINY.iterdir())]
    at.file_uploader(key="upload").set_value(files).run()
    at.button(key="load").click().run()
    assert not at.exception
    assert not at.error
    assert _metrics(at)["楼栋"] == "4"


def test_upload_of_a_broken_workbook_is_reported() -> None:
    at = _app()
    at.switch_page("planner/app/pages/data.py").run()
    at.radio(key="source").set_value("upload").run()
    at.file_uploader(key="upload").set_value(
        ("street.xlsx", b"this is not a workbook", "application/octet-stream")
    ).run()
    at.button(key="load").click().run()
    assert not at.exception
    assert at.error
    assert "street.xlsx" in " ".join(_table_with(at, "说明")["文件"])


def test_failed_solve_shows_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import planner.app.common as common

    def fail(*args: object, **kwargs: object) -> None:
        raise InfeasibleError(
            key="infeasible_fixed_over_n", values={"fixed": 3, "n": 2}
        )

    monkeypatch.setattr(common, "run_round", fail)
    at = _solve(_load(_app(), TINY))
    assert not at.exception
    why = error_text(
        InfeasibleError(key="infeasible_fixed_over_n", values={"fixed": 3, "n": 2}),
        "zh",
    )
    assert at.error[0].value == TEXTS["solve_failed"][0].format(why=why)
    assert "fixed sites" not in at.error[0].value  # one language, not both joined
    assert not at.metric


def test_zip_helper_round_trip() -> None:
    import io

    from planner.app.state import tables_zip

    data = tables_zip({"sites": pd.DataFrame({"a": [1]})}, {"k": "值"})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == ["plan.json", "sites.csv"]
        assert zf.read("sites.csv").startswith(b"\xef\xbb\xbf")


def test_plan_page_shows_the_certification_and_switches_it_off() -> None:
    at = _solve(_load(_app(), TINY))
    labels = _metrics(at)
    assert (
        TEXTS["certify_p_finish"][0] in labels and TEXTS["certify_p_teams"][0] in labels
    )
    assert any(TEXTS["norms_title"][0] == h.value for h in at.subheader)
    at.toggle(key="knob_certify").set_value(False).run()
    at.button(key="solve").click().run()
    assert not at.exception
    assert any(TEXTS["certify_off"][0] == i.value for i in at.info)


def test_data_page_offers_the_marked_workbook_and_the_template(tmp_path: Path) -> None:
    """A broken register can be downloaded back with its problem cells marked."""
    import io

    import openpyxl

    broken = tmp_path / "broken"
    broken.mkdir()
    for f in TINY.iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    hh = (broken / "households.csv").read_text(encoding="utf-8").splitlines()
    hh[1] = hh[1].replace("B1,2,", "B9,2,")  # unknown building, row 2 column B
    (broken / "households.csv").write_text("\n".join(hh) + "\n", encoding="utf-8")
    at = _load(_app(), broken)
    assert at.download_button(key="template_download")
    button = at.download_button(key="marked_download")
    assert button
    data = at.session_state["checked_path"]
    from planner.app.common import marked_cached

    book = openpyxl.load_workbook(io.BytesIO(marked_cached(data[0], data[1], "zh")))
    assert book.sheetnames[0] == "问题清单"
    assert "B9" in book["households"]["B2"].comment.text


def test_tradeoff_page_plots_one_row_per_site_count() -> None:
    at = _load(_app(), TINY)
    at.switch_page("planner/app/pages/tradeoff.py").run()
    assert not at.exception
    assert at.title[0].value == TEXTS["tradeoff_title"][0]
    at.slider(key="tradeoff_range").set_value((1, 2)).run()
    at.button(key="tradeoff_run").click().run()
    assert not at.exception
    table = _table_with(at, "平均步行(米)")
    assert list(table.index) == [1, 2]
    # statuses read as words, not solver codes: one site cannot hold the street
    assert table["求解状态"].iloc[0] == "无可行解"
    assert table.index.name == "采样点数N"
    assert set(table["按时完成概率"]) == {"—"}  # no drill asked for
    subheaders = [h.value for h in at.subheader]
    assert TEXTS["tradeoff_walk"][0] in subheaders
    assert TEXTS["tradeoff_staff"][0] in subheaders
    assert at.download_button(key="tradeoff_download")


def test_map_page_shows_who_walks_how_far() -> None:
    from planner.text import tr

    at = _solve(_load(_app(), TINY))
    at.switch_page("planner/app/pages/map.py").run()
    assert not at.exception and not at.error
    groups = _table_with(at, "P90")
    assert groups.iloc[0, 0] == tr("access_group_all", "zh")
    assert "75岁及以上" in set(groups.iloc[:, 0])
    assert len(at.get("deck_gl_json_chart")) == 2  # the plan and the walking times


def test_the_older_walk_cap_shows_its_tradeoff_on_the_map_page() -> None:
    at = _load(_app(), TINY)
    at.switch_page("planner/app/pages/plan.py").run()
    at.selectbox(key="knob_access_objective").set_value("older_cap").run()
    at = _solve(at)
    at.switch_page("planner/app/pages/map.py").run()
    assert not at.exception and not at.error
    assert any("→" in i.value and "75岁及以上" in i.value for i in at.info)
