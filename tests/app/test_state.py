"""The app's pure helpers: texts, uploads, policy knobs, tables."""

import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from planner import Issue, Policy
from planner.app.state import (
    KNOBS,
    clicked_site,
    csv_bytes,
    issue_frame,
    knob_values,
    kpi_cards,
    localise_columns,
    plan_warning_texts,
    policy_from_knobs,
    policy_key,
    save_uploads,
    site_slots,
    source_signature,
    tables_zip,
    team_summary,
    tr,
)
from planner.text import APP_TEXT as TEXTS
from planner.text import COLUMN_LABELS

FIELDS = re.compile(r"\{(\w+)")


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_texts_have_the_same_fields_in_both_languages(key: str) -> None:
    zh, en = TEXTS[key]
    assert zh and en
    assert set(FIELDS.findall(zh)) == set(FIELDS.findall(en))


def test_tr_fills_fields() -> None:
    assert tr("sidebar_scenario", "zh", name="青禾街道") == "当前情景：青禾街道"
    assert tr("sidebar_scenario", "en", name="Qinghe") == "Scenario: Qinghe"


def test_save_uploads_workbook_and_csvs(tmp_path: Path) -> None:
    book = save_uploads([("街道.xlsx", b"x"), ("policy.toml", b"[round]\n")], tmp_path)
    assert book.name == "街道.xlsx"
    assert (book.parent / "街道.policy.toml").read_bytes() == b"[round]\n"
    folder = save_uploads(
        [("buildings.csv", b"a"), ("households.csv", b"b"), ("policy.toml", b"")],
        tmp_path,
    )
    assert folder.is_dir()
    assert sorted(f.name for f in folder.iterdir()) == [
        "buildings.csv",
        "households.csv",
        "policy.toml",
    ]
    again = save_uploads(
        [("buildings.csv", b"a"), ("households.csv", b"b"), ("policy.toml", b"")],
        tmp_path,
    )
    assert again == folder


def test_save_uploads_refuses_odd_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no files"):
        save_uploads([], tmp_path)
    with pytest.raises(ValueError, match="unsupported"):
        save_uploads([("run.exe", b"")], tmp_path)
    # a path in the name never escapes the upload folder
    path = save_uploads([("../../evil.csv", b"x")], tmp_path)
    assert path.parent == tmp_path
    assert (path / "evil.csv").exists()


def test_source_signature_follows_edits(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("1")
    before = source_signature(tmp_path)
    assert source_signature(tmp_path) == before
    (tmp_path / "a.csv").write_text("12")
    assert source_signature(tmp_path) != before
    assert source_signature(tmp_path / "missing")  # still a key; loading reports it


def test_knobs_round_trip() -> None:
    policy = Policy()
    assert policy_from_knobs(policy, knob_values(policy)) == policy
    changed = policy_from_knobs(
        policy,
        {
            "knob_window_hours": 8,
            "knob_slot_minutes": 20.0,
            "knob_walk_limit": 10,
            "knob_pool_size": 20,
            "knob_heat": 1,
            "knob_access_objective": "older_cap",
        },
    )
    assert changed.round.window_hours == 8.0
    assert changed.round.slot_minutes == 20
    assert changed.walking.walk_limit_min == 10.0
    assert changed.pooling.default_pool_size == 20
    assert changed.heat.enabled is True
    assert changed.access.objective == "older_cap"
    assert policy_key(changed) != policy_key(policy)
    assert {k.key for k in KNOBS} == set(knob_values(policy))


def test_kpi_cards_format_values() -> None:
    kpis = {"sites_open": 38, "mean_walk_m": 214.7, "max_walk_m": 947, "gap": 0.0123}
    cards = {key: (label, value) for key, label, value in kpi_cards(kpis, "zh")}
    assert cards["sites_open"] == ("开放采样点", "38")
    assert cards["mean_walk_m"] == ("平均步行", "215 米")
    assert cards["gap"][1] == "1.2%"
    assert dict((k, v) for k, _, v in kpi_cards(kpis, "en"))["max_walk_m"] == "947 m"


def test_issue_frame_keeps_location_errors_first() -> None:
    issues = [
        Issue("warning", "column_unknown", "buildings.csv", 1, "备注"),
        Issue("error", "nonpositive", "households.csv", 3, "size", (("value", "0"),)),
    ]
    zh = issue_frame(issues, "zh")
    assert list(zh.columns) == ["级别", "文件", "行", "列", "说明"]
    assert zh.iloc[0].tolist() == [
        "错误",
        "households.csv",
        "3",
        "size",
        "数值必须大于 0（现为 0）",
    ]
    en = issue_frame(issues, "en")
    assert en.iloc[1]["severity"] == "warning"


def test_localise() -> None:
    frame = pd.DataFrame({"site_id": [1], "odd": [2]})
    assert list(localise_columns(frame, "zh").columns) == [
        COLUMN_LABELS["site_id"],
        "odd",
    ]
    assert list(localise_columns(frame, "en").columns) == ["site_id", "odd"]


def test_plan_warnings() -> None:
    texts = plan_warning_texts(
        [
            ("grid_out_of_reach", {"grid": "G1", "households": 3, "minutes": 15.0}),
            ("new", {"a": 1}),
        ],
        "zh",
    )
    assert texts == ["网格 G1 有 3 户在 15 分钟步行范围内没有采样点", "new: a=1"]


def test_tables() -> None:
    slots = pd.DataFrame(
        {
            "site_id": ["S1", "S1", "S2"],
            "slot_start": ["08:30", "08:00", "08:00"],
            "slot_end": ["09:00", "08:30", "08:30"],
            "people": [10, 20, 5],
            "work_units": [10.0, 20.0, 5.0],
            "desks": [1, 1, 1],
            "capacity_units": [25.0, 25.0, 0.0],
        }
    )
    one = site_slots(slots, "S1")
    assert one["slot_start"].tolist() == ["08:00", "08:30"]
    assert one["utilisation"].tolist() == [0.8, 0.4]
    visits = pd.DataFrame(
        {
            "team_id": ["0-T1", "0-T1"],
            "stop": [1, 2],
            "household_id": ["H1", "H2"],
            "arrive": ["08:10", "08:40"],
            "people": [2, 3],
            "depot_site_id": ["S1", "S1"],
            "team_back": ["09:00", "09:00"],
        }
    )
    teams = team_summary(visits)
    assert teams.iloc[0].tolist() == ["0-T1", "S1", 2, 5, "08:10", "08:40", "09:00"]
    assert team_summary(visits.iloc[:0]).empty


def test_downloads_open_in_excel() -> None:
    frame = pd.DataFrame({"名称": ["采样点"]})
    assert csv_bytes(frame).startswith(b"\xef\xbb\xbf")
    data = tables_zip({"sites": frame}, {"kpis": {"sites_open": 1}})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == ["plan.json", "sites.csv"]
        assert "采样点" in zf.read("sites.csv").decode("utf-8-sig")


def test_clicked_site() -> None:
    state = {
        "selection": {
            "indices": {"sites": [0]},
            "objects": {"sites": [{"site_id": "S1", "open": True}]},
        }
    }
    assert clicked_site(state) == "S1"
    closed = {"selection": {"objects": {"sites": [{"site_id": "S2", "open": False}]}}}
    assert clicked_site(closed) is None
    assert clicked_site(None) is None
    assert clicked_site({"selection": {"objects": {}}}) is None


def test_display_frame_shows_labels_not_codes() -> None:
    import pandas as pd

    from planner.app.state import display_frame
    from planner.text import role_name

    frame = pd.DataFrame(
        {
            "site_id": ["S1", "TRANSPORT"],
            "role": ["home_registrar", "transport"],
            "role_zh": ["上门登记", "样本转运"],
            "holder": ["health_center", "street"],
            "open": [True, False],
        }
    )
    zh = display_frame(frame, "zh")
    assert list(zh.columns) == ["采样点编号", "岗位", "储备单位", "开放"]
    assert zh.iloc[:, 1].tolist() == ["上门登记", "样本转运"]
    assert zh.iloc[:, 0].tolist() == ["S1", "转运组"]
    assert zh.iloc[:, 2].tolist() == ["社区卫生服务中心", "街道"]
    assert zh.iloc[:, 3].tolist() == ["是", "否"]
    en = display_frame(frame, "en")
    assert en["role"].tolist() == ["home-visit registrar", role_name("transport", "en")]
    assert "role_zh" not in en.columns


def test_staff_fill_counts_filled_against_needed() -> None:
    import pandas as pd

    from planner.app.state import staff_chart, staff_fill

    req = pd.DataFrame(
        {
            "site_id": ["S1", "S1", "S1"],
            "shift": [0, 0, 1],
            "shift_start": ["08:00", "08:00", "11:00"],
            "shift_end": ["11:00", "11:00", "14:00"],
            "role": ["sampler", "registrar", "sampler"],
            "needed": [3, 1, 2],
        }
    )
    roster = pd.DataFrame(
        {
            "site_id": ["S1"] * 4,
            "shift": [0, 0, 0, 1],
            "shift_start": ["08:00", "08:00", "08:00", "11:00"],
            "shift_end": ["11:00", "11:00", "11:00", "14:00"],
            "role": ["sampler", "sampler", "registrar", "sampler"],
        }
    )
    fill = staff_fill(req, roster)
    assert fill[["needed", "filled", "missing"]].values.tolist() == [
        [4, 3, 1],
        [2, 1, 1],
    ]
    spec = staff_chart(fill, {"S1": "S1 广场"}, "zh").to_dict()
    assert "缺人" in str(spec) and "#e45756" in str(spec)


def test_stock_frame_marks_items_below_their_rule() -> None:
    import pandas as pd

    from planner.app.state import stock_frame

    supplies = pd.DataFrame(
        {
            "item": ["采样拭子", "隔离衣", "防护服"],
            "holder": ["health_center", "street", "hospital"],
            "days_of_supply": [16.8, 19.0, float("inf")],
            "reserve_days": [30, 15, 30],
        }
    )
    data = stock_frame(supplies, "zh")
    assert data["short"].tolist() == [True, False, False]
    assert data["label"].tolist()[0] == "采样拭子（社区卫生服务中心）"
    assert data["days"].max() == 60.0  # a bottomless stock is capped for the chart


def test_the_audit_log_reads_in_chinese_and_beijing_time() -> None:
    from planner.app.state import AUDIT_HIDDEN, audit_view

    raw = pd.DataFrame(
        {
            "id": [1, 2],
            "at": ["2026-12-07T18:05:00+00:00", "2026-12-07T23:30:00+00:00"],
            "event": ["load", "download"],
            "username": ["boss", "guest"],
            "role": ["admin", "viewer"],
            "client": ["local", "remote 10.0.0.7"],
            "kind": ["path", "exports.zip"],
            "masked": pd.array([None, 1], dtype="Int64"),
            "reason": ["", ""],
            "detail": [
                '{"buildings": 532, "households": 23094}',
                '{"status": "optimal"}',
            ],
            "chain": ["ab", "cd"],
        }
    )
    view = audit_view(raw, "zh", hidden=AUDIT_HIDDEN)
    assert list(view.columns) == [
        "序号",
        "时间（北京时间）",
        "事件",
        "用户",
        "角色",
        "来源",
        "对象",
        "已脱敏",
        "事由",
        "详情",
    ]
    assert view["时间（北京时间）"].tolist() == [
        "2026-12-08 02:05:00",
        "2026-12-08 07:30:00",
    ]
    assert view["事件"].tolist() == ["加载数据", "下载"]
    assert view["角色"].tolist() == ["指挥部", "查看"]
    assert view["来源"].tolist() == ["本机", "远程 10.0.0.7"]
    assert view["已脱敏"].tolist() == ["", "是"]
    assert view["详情"][0] == "楼栋 532；住户 23,094"
    assert view["详情"][1] == "结果 已是最优方案"
    assert view["对象"].tolist() == ["本机文件夹或工作簿路径", "exports.zip"]


def test_staff_parts_count_samplers_apart_and_fold_teams() -> None:
    from types import SimpleNamespace

    import numpy as np

    from planner.app.state import staff_parts

    scenario = SimpleNamespace(sites=SimpleNamespace(id=np.array(["S1"], dtype=object)))
    keys = {"shift": 0, "shift_start": "08:00", "shift_end": "11:00"}
    req = pd.DataFrame(
        [
            {"site_id": "S1", "role": "sampler", "needed": 7, **keys},
            {"site_id": "S1", "role": "registrar", "needed": 21, **keys},
            {"site_id": "T01", "role": "home_sampler", "needed": 1, **keys},
        ]
    )
    roster = pd.DataFrame(
        [{"site_id": "S1", "role": "registrar", **keys}] * 21
        + [{"site_id": "T01", "role": "home_sampler", **keys}]
    )
    parts = staff_parts(req, roster, scenario)
    samplers = parts["samplers"].iloc[0]
    assert (samplers["filled"], samplers["needed"], samplers["missing"]) == (0, 7, 7)
    others = parts["others"].iloc[0]
    assert (others["filled"], others["needed"]) == (21, 21)  # not 21/28
    assert parts["teams"]["site_id"].tolist() == ["T01"]
