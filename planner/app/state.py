"""Pure helpers behind the Streamlit pages: UI texts, policy knobs, tables and downloads.

Nothing here imports Streamlit, so every helper is unit-tested without it; the pages
(``planner/app/pages/``) only read widgets, call these helpers and planner functions (through
``st.cache_data`` wrappers in ``planner/app/common.py``), and render.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import altair as alt

    from planner.export import ExportReport
    from planner.io.plan_folder import PlanTables
    from planner.model.scenario import Scenario

from planner.errors import Issue
from planner.model.policy import Policy
from planner.text import MESSAGES, PLAN_WARNINGS, SEVERITY_ORDER, SUMMARY_LABELS

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, Lang] = ("zh", "en")

TEXTS: dict[str, tuple[str, str]] = {
    # app and pages
    "app_title": ("全员核酸检测规划", "Screening planner"),
    "lang_label": ("语言 / Language", "语言 / Language"),
    "lang_zh": ("中文", "中文"),
    "lang_en": ("English", "English"),
    "time_limit": ("求解时限（秒）", "Solve time limit (s)"),
    "time_limit_help": (
        "选址求解的最长时间；到时返回当前最好方案",
        "Longest time for the site solve; the best plan so far is returned",
    ),
    "seed": ("随机种子", "Random seed"),
    "page_data": ("数据", "Data"),
    "page_plan": ("方案", "Plan"),
    "page_map": ("地图", "Map"),
    "page_schedule": ("时段", "Schedule"),
    "page_staff": ("人员与物资", "Staff & supplies"),
    "page_drill": ("演练", "Drill"),
    "page_export": ("导出", "Export"),
    "sidebar_scenario": ("当前情景：{name}", "Scenario: {name}"),
    "sidebar_no_scenario": ("尚未加载情景", "No scenario loaded"),
    "sidebar_plan": (
        "方案：{sites} 个采样点，{desks} 个采样台",
        "Plan: {sites} sites, {desks} desks",
    ),
    # data page
    "data_title": ("数据：选择街道情景", "Data: choose the street's scenario"),
    "source_label": ("数据来源", "Source"),
    "source_demo": ("示例街道（data/demo）", "Demo street (data/demo)"),
    "source_path": (
        "本机文件夹或工作簿路径",
        "Folder or workbook path on this computer",
    ),
    "source_upload": (
        "上传 Excel 工作簿或多个 CSV",
        "Upload an Excel workbook or several CSVs",
    ),
    "path_label": ("情景路径（文件夹或 .xlsx）", "Scenario path (folder or .xlsx)"),
    "upload_label": (
        "选择文件：一个 .xlsx 工作簿，或每表一个 .csv/.xlsx（可附 policy.toml、scenario.toml）",
        "Choose files: one .xlsx workbook, or one .csv/.xlsx per table (policy.toml and "
        "scenario.toml optional)",
    ),
    "load_button": ("加载并校验", "Load and check"),
    "demo_missing": (
        "示例街道尚未生成（找不到 {path}）。请改用本机路径或上传文件。",
        "The demo street is not there yet ({path} is missing). Use a path or upload.",
    ),
    "no_files": ("请先选择要上传的文件", "Choose the files to upload first"),
    "upload_bad": (
        "上传的文件无法使用：{why}",
        "The uploaded files cannot be used: {why}",
    ),
    "report_title": ("校验报告", "Validation report"),
    "report_errors": (
        "发现 {errors} 个错误、{warnings} 个警告，情景未加载。请修改后重新加载：",
        "{errors} error(s) and {warnings} warning(s) found; the scenario was not "
        "loaded. Fix them and load again:",
    ),
    "report_warnings": (
        "校验通过，另有 {warnings} 个警告：",
        "Checks passed, with {warnings} warning(s):",
    ),
    "report_ok": ("校验通过，没有发现问题。", "Checks passed; no problems found."),
    "summary_title": ("情景概况：{name}", "Scenario summary: {name}"),
    "loaded_from": ("来源：{source}", "Source: {source}"),
    "crs_note": (
        "输入坐标系：{crs}（已统一转换为 WGS-84）",
        "Input coordinates: {crs} (converted to WGS-84)",
    ),
    # plan page
    "plan_title": ("方案：参数与求解", "Plan: policy and solve"),
    "need_scenario": (
        "请先在“数据”页加载情景。",
        "Load a scenario on the Data page first.",
    ),
    "need_plan": ("请先在“方案”页求解。", "Solve on the Plan page first."),
    "knobs_title": ("主要参数", "Main policy values"),
    "knob_window_hours": ("采样时长（小时）", "Sampling window (h)"),
    "knob_slot_minutes": ("预约时段长度（分钟）", "Slot length (min)"),
    "knob_walk_limit": ("最长步行时间（分钟）", "Longest walk (min)"),
    "knob_pool_size": ("混采比例（几人一管）", "Pool size (people per tube)"),
    "knob_heat": (
        "高温模式（室外点避开 {frm}–{to}，2 小时轮班）",
        "Heat mode (outdoor sites avoid {frm}–{to}, 2-h shifts)",
    ),
    "solve_button": ("求解", "Solve"),
    "solving": ("正在求解（时限 {limit:g} 秒）…", "Solving (time limit {limit:g} s)…"),
    "solved": (
        "求解完成，用时 {seconds:.1f} 秒（求解器：{status}）",
        "Solved in {seconds:.1f} s (solver: {status})",
    ),
    "solve_failed": ("无法生成方案：{why}", "No plan could be made: {why}"),
    "solving_progress": (
        "正在求解… 已用 {elapsed:.0f} 秒（时限 {limit:g} 秒）。可以点“取消”，或先去其他页面。",
        "Solving… {elapsed:.0f} s so far (limit {limit:g} s). You can cancel, or use other "
        "pages meanwhile.",
    ),
    "cancel_button": ("取消", "Cancel"),
    "solve_cancelled": (
        "已取消求解，未生成新方案。",
        "Solve cancelled; no new plan was made.",
    ),
    "policy_bad": (
        "参数不合理，未求解：",
        "The policy values are not valid; nothing was solved:",
    ),
    "plan_stale": (
        "参数已修改，当前显示的是旧参数下的方案；请重新求解。",
        "The values changed since this plan was made; solve again to update it.",
    ),
    "kpi_title": ("方案指标", "Plan figures"),
    "people_line": (
        "到点采样 {walk:,} 人，上门采样 {home:,} 人（{teams} 个上门组），未分配 {un:,} 人",
        "{walk:,} people at sites, {home:,} at home ({teams} door-to-door teams), "
        "{un:,} unassigned",
    ),
    "unassigned_title": ("未分配的住户", "Unassigned households"),
    "sites_table": ("采样点一览", "Sites"),
    # map page
    "map_title": (
        "地图：采样点、楼栋归属与上门路线",
        "Map: sites, catchments and routes",
    ),
    "map_legend": (
        "楼栋按所去采样点着色，细线连向该采样点；红色为全部上门采样的楼栋，灰色为未分配；"
        "大圆为开放的采样点（按采样台数），小灰圆为未启用的候选点；粗折线为上门采样路线。"
        "悬停查看详情，点击采样点可选中。",
        "Buildings are coloured by their site, with a thin line to it; red buildings are "
        "sampled entirely at home, grey ones are unassigned; large circles are open "
        "sites (sized by desks), small grey ones unused candidates; thick paths are "
        "door-to-door routes. Hover for details; click a site to choose it.",
    ),
    "basemap_label": ("底图", "Basemap"),
    "basemap_none": ("无底图（离线）", "None (offline)"),
    "basemap_osm": (
        "OpenStreetMap（需联网，WGS-84）",
        "OpenStreetMap (online, WGS-84)",
    ),
    "basemap_amap": (
        "高德地图（需联网，GCJ-02 自动转换）",
        "Amap (online, GCJ-02, converted)",
    ),
    "basemap_custom": ("自定义瓦片地址", "Custom tile URL"),
    "basemap_url": ("瓦片地址（含 {z} {x} {y}）", "Tile URL (with {z} {x} {y})"),
    "basemap_crs": ("瓦片坐标系", "Tile coordinates"),
    "basemap_url_bad": (
        "瓦片地址须包含 {z}、{x}、{y}，已改为无底图",
        "The tile URL must contain {z}, {x} and {y}; no basemap is drawn",
    ),
    "site_select": ("选择采样点查看时段表", "Choose a site to see its slots"),
    "site_all": ("（全部）", "(all)"),
    "site_slots_title": ("{site} 的时段安排", "Slots at {site}"),
    # schedule page
    "schedule_title": (
        "时段：各采样点的预约与能力",
        "Schedule: bookings against capacity",
    ),
    "heatmap_title": ("各采样点各时段负荷率", "Load of every site and slot"),
    "site_timeline": ("单个采样点的时段负荷", "One site's slots"),
    "schedule_site": ("采样点", "Site"),
    "booked": ("已约工作量", "booked work"),
    "heat_x": ("时段开始", "slot start"),
    "heat_colour": ("负荷率", "load"),
    "chart_note": (
        "柱为已约工作量（混采人次当量），红色虚线为该时段能力（预测排队不超过限值）。",
        "Bars: work booked (pooled-person equivalents); dashed red line: the slot's "
        "capacity with the predicted queue within the limit.",
    ),
    "teams_title": ("上门采样组", "Door-to-door teams"),
    "no_teams": ("本方案没有上门采样任务。", "This plan has no door-to-door visits."),
    "team_stops": ("上门路线明细", "Route stops"),
    "download_slots": ("下载时段表 CSV", "Download the slot table (CSV)"),
    # staff and supplies page
    "staff_title": ("人员与物资", "Staff and supplies"),
    "staff_computing": ("正在编排人员…", "Building the roster…"),
    "guideline": (
        "按指南（人口÷360）需采样人员 {guide} 人；"
        "本方案在岗 {on_duty} 人，各班次合计 {headcount} 人次",
        "Guideline (population ÷ 360): {guide} samplers; this plan has {on_duty} on "
        "duty at once and {headcount} sampler shifts in all",
    ),
    "requirements_title": ("各点各班次岗位需求", "Positions per site and shift"),
    "roster_title": ("排班名单", "Named roster"),
    "shortfall_title": ("人员缺口（需外援）", "Shortfall (outside help needed)"),
    "no_shortfall": ("人员库足够，没有缺口。", "The staff pool covers every position."),
    "roster_status": ("排班求解状态：{status}", "Roster solver status: {status}"),
    "supplies_title": ("物资", "Supplies"),
    "supplies_missing": (
        "物资计算模块（planner.supplies）暂不可用，本页先只显示人员。",
        "The supplies module (planner.supplies) is not available yet; only staff is "
        "shown.",
    ),
    "stock_title": (
        "库存与储备要求（15/30 天满负荷）",
        "Stock against the 15/30-day reserve rule",
    ),
    "picks_title": ("各点物资领取单", "Pick lists per site"),
    "procurement_title": ("需采购", "To order"),
    "no_procurement": ("库存满足储备要求。", "Stock meets the reserve rule."),
    # drill page
    "drill_title": ("演练", "Drill"),
    "drill_intro": (
        "按方案把采样日模拟多次（居民提前、迟到、未到、插队时段，采样用时随机，换班、转运、"
        "上门路线），可加入突发情况；方案出问题时自动重新规划尚未采样的住户。",
        "Play the plan's day many times (people early, late, absent or in another "
        "slot; random swab times; shift changes, sample vans, door-to-door routes), "
        "optionally with disruptions; when the plan breaks, the households not yet "
        "sampled are re-planned.",
    ),
    "drill_reps": ("模拟次数", "Replications"),
    "drill_seed": ("随机种子", "Seed"),
    "drill_disruptions": ("突发情况", "Disruptions"),
    "drill_close": ("采样点关闭", "A site closes"),
    "drill_close_site": ("关闭的采样点", "Site that closes"),
    "drill_at": ("时间", "Time"),
    "drill_no_show": ("采样人员缺员", "Samplers do not turn up"),
    "drill_share": ("比例", "Share"),
    "drill_rain": ("降雨（室外采样台变慢）", "Rain (outdoor desks slow down)"),
    "drill_from": ("开始", "From"),
    "drill_to": ("结束", "To"),
    "drill_factor": ("保持效率", "Rate kept"),
    "drill_surge": ("临时涌入", "Walk-in surge"),
    "drill_seal": ("楼栋封控（改上门）", "A building is sealed (door to door)"),
    "drill_seal_building": ("封控楼栋", "Sealed building"),
    "drill_run": ("开始演练", "Run the drill"),
    "drill_running": ("正在模拟……", "Simulating…"),
    "drill_failed": ("演练未能完成：{why}", "The drill could not finish: {why}"),
    "drill_before": ("按现方案", "The plan as it stands"),
    "drill_after": ("重新规划后", "After re-planning"),
    "drill_p_finish": ("窗口内采完的概率", "P(done in the window)"),
    "drill_p_queue": ("排队超限的概率", "P(queue over the limit)"),
    "drill_last": ("最后一人采完（95%）", "Last sampled (95 %)"),
    "drill_turned": ("到点未采（人）", "Turned away (people)"),
    "drill_wait_chart": (
        "各采样点排队（95% 分位，分钟）",
        "Wait per site (95th pct, min)",
    ),
    "drill_queue_chart": ("队伍长度（米，95% 分位）", "Queue length (m, 95th pct)"),
    "drill_site": ("采样点", "Site"),
    "drill_changes": (
        "需重发通知的楼栋（改点、改时段或改上门）",
        "Buildings whose notices must be re-issued (new site, slot or mode)",
    ),
    "drill_no_changes": ("无需调整。", "Nothing to change."),
    "drill_download": ("下载演练报告（ZIP）", "Download the drill report (ZIP)"),
    "drill_took": ("用时 {s:.1f} 秒", "took {s:.1f} s"),
    # export page
    "export_title": ("导出", "Export"),
    "download_zip": (
        "下载方案全部表格（ZIP，CSV 为 UTF-8 带 BOM，Excel 可直接打开）",
        "Download every plan table (ZIP of CSVs, UTF-8 with BOM for Excel)",
    ),
    "download_table": ("下载 {name}.csv", "Download {name}.csv"),
    "include_staff": (
        "同时导出人员排班与物资表",
        "Include staff roster and supplies tables",
    ),
    "export_more_missing": (
        "花名册、告知书等打印材料由 planner.export 生成，目前尚未就绪。",
        "Rosters and household notices come from planner.export, which is not ready yet.",
    ),
    "exports_title": ("打印材料", "Print-ready documents"),
    "exports_note": (
        "各采样点花名册（Excel）、楼栋告知书（PDF）、上门采样单、工作方案（Word/PDF）"
        "和 GIS 图层。",
        "Site rosters (Excel), building notices (PDF), door-to-door sheets, the plan "
        "document (Word/PDF) and GIS layers.",
    ),
    "exports_unmasked": (
        "打印完整身份证号和电话（注意保密）",
        "Print full ID numbers and phones (keep confidential)",
    ),
    "exports_make": ("生成打印材料", "Make the documents"),
    "exports_making": ("正在生成打印材料…", "Making the documents…"),
    "exports_failed": (
        "无法生成打印材料：{why}",
        "The documents could not be made: {why}",
    ),
    "exports_ready": (
        "已生成：{sites} 个采样点花名册、{teams} 个上门组、"
        "{notices} 张楼栋告知书，共 {files} 个文件",
        "Made: {sites} site rosters, {teams} door-to-door teams, {notices} building "
        "notices, {files} files in all",
    ),
    "exports_download": ("下载打印材料（ZIP）", "Download the documents (ZIP)"),
}
"""Every UI string of the app, by key: (Chinese, English)."""

KPI_LABELS: dict[str, tuple[str, str]] = {
    "sites_open": ("开放采样点", "Sites open"),
    "desks": ("采样台", "Desks"),
    "samplers_on_duty": ("在岗采样人员", "Samplers on duty"),
    "mean_walk_m": ("平均步行", "Mean walk"),
    "max_walk_m": ("最远步行", "Longest walk"),
    "finish_time": ("预计结束", "Finish time"),
    "gap": ("最优性差距", "Optimality gap"),
    "people_unassigned": ("未分配人数", "People unassigned"),
}
"""The KPIs shown as metrics on the Plan page, in order."""

COLUMN_LABELS: dict[str, str] = {
    # drill tables
    "desks_planned": "计划采样台",
    "desks_staffed": "有人采样台",
    "booked": "预约人数",
    "arrivals_mean": "平均到达人数",
    "wait_mean_min": "平均等候(分)",
    "wait_p50_min": "等候中位(分)",
    "wait_p95_min": "等候95%(分)",
    "wait_max_min": "最长等候(分)",
    "queue_people_mean": "最长队伍均值(人)",
    "queue_people_p95": "最长队伍95%(人)",
    "queue_m_p95": "队长95%(米)",
    "last_sampled_p50": "采完时间中位",
    "last_sampled_p95": "采完时间95%",
    "p_finish_in_window": "按时采完概率",
    "p_over_limit": "排队超限概率",
    "turned_away_mean": "未采人数均值",
    "closes": "关闭时间",
    "old_site_id": "原采样点",
    "old_slots": "原时段",
    "new_site_id": "新采样点",
    "new_slots": "新时段",
    "new_mode": "新方式",
    "site_id": "采样点编号",
    "name": "名称",
    "open": "开放",
    "desks": "采样台",
    "people": "人数",
    "work_units": "工作量",
    "first_slot": "首时段",
    "last_slot": "末时段",
    "fixed": "固定点",
    "indoor": "室内",
    "lon": "经度",
    "lat": "纬度",
    "household_id": "户号",
    "building_id": "楼栋编号",
    "grid_id": "网格",
    "mode": "方式",
    "slot_start": "时段开始",
    "slot_end": "时段结束",
    "tube_mode": "采样方式",
    "walk_m": "步行（米）",
    "reason": "原因",
    "team_id": "上门组",
    "stop": "顺序",
    "arrive": "到达时间",
    "depot_site_id": "出发点",
    "team_back": "返回时间",
    "capacity_units": "能力",
    "utilisation": "负荷率",
    "households": "户数",
    "first_arrive": "首户到达",
    "last_arrive": "末户到达",
    "community": "社区",
    "shift": "班次",
    "shift_start": "班次开始",
    "shift_end": "班次结束",
    "role": "岗位",
    "role_zh": "岗位名称",
    "needed": "需要人数",
    "staff_id": "人员编号",
    "organisation": "单位",
    "phone": "联系电话",
    "missing": "缺口",
    "item": "物资",
    "unit": "单位",
    "holder": "储备单位",
    "quantity": "数量",
    "per_round": "每轮用量",
    "full_load_daily": "满负荷日用量",
    "reserve_days": "储备天数",
    "required_stock": "应储备",
    "on_hand": "现有库存",
    "days_of_supply": "可用天数",
    "shortfall": "缺口",
    "burn_rate_per_day": "日消耗（实测）",
    "source": "依据",
    "severity": "级别",
    "file": "文件",
    "row": "行",
    "column": "列",
    "message": "说明",
}
"""Chinese headers for the canonical English columns of displayed tables."""

TEXTS.update(
    {
        "notes_title": (
            "导入时已自动整理 {n} 项（标题行、合并单元格、全角数字、单位、空行、合计行）",
            "{n} thing(s) normalised on load (title lines, merged cells, full-width "
            "digits, units, blank and total rows)",
        ),
        "marked_download": (
            "下载标注问题的工作簿（问题单元格标色并附批注，另含问题清单）",
            "Download the workbook with its problems marked (cells highlighted and "
            "commented, plus a 问题清单 sheet)",
        ),
        "marked_help": (
            "发回社区：改正标色的单元格后重新提交",
            "Send it back to the community: fix the highlighted cells and resubmit",
        ),
        "template_download": (
            "下载空白登记模板（含填表说明）",
            "Download the blank register template (with instructions)",
        ),
    }
)


def tr(key: str, lang: Lang, **params: Any) -> str:
    """Return UI text `key` in `lang`, filled with `params`."""
    zh, en = TEXTS[key]
    text = zh if lang == "zh" else en
    return text.format(**params) if params else text


def localise_columns(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Return `frame` with Chinese headers when `lang` is ``zh`` (unchanged otherwise)."""
    if lang != "zh":
        return frame
    return frame.rename(columns={c: COLUMN_LABELS.get(c, c) for c in frame.columns})


def localise_message(text: str, lang: Lang) -> str:
    """Pick one language out of a planner message written as ``中文 / English``."""
    if " / " not in text:
        return text
    zh, en = text.split(" / ", 1)
    return zh.strip() if lang == "zh" else en.strip()


# --- pages -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page of the app: script path (relative to ``app.py``), title key, icon."""

    path: str
    title_key: str
    icon: str
    url_path: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "planner/app/pages/data.py", "page_data", ":material/folder_open:", "data"
    ),
    PageSpec("planner/app/pages/plan.py", "page_plan", ":material/tune:", "plan"),
    PageSpec("planner/app/pages/map.py", "page_map", ":material/map:", "map"),
    PageSpec(
        "planner/app/pages/schedule.py",
        "page_schedule",
        ":material/schedule:",
        "schedule",
    ),
    PageSpec("planner/app/pages/staff.py", "page_staff", ":material/groups:", "staff"),
    PageSpec("planner/app/pages/card.py", "page_card", ":material/badge:", "card"),
    PageSpec("planner/app/pages/drill.py", "page_drill", ":material/science:", "drill"),
    PageSpec(
        "planner/app/pages/export.py", "page_export", ":material/download:", "export"
    ),
    PageSpec(
        "planner/app/pages/command.py",
        "page_command",
        ":material/monitoring:",
        "command",
    ),
)
"""The app's pages, in menu order."""


# --- scenario sources ----------------------------------------------------------------

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")
UPLOAD_TYPES = ("csv", "xlsx", "xlsm", "xls", "ods", "toml", "geojson", "json", "gpkg")
"""File types the upload widget accepts."""


def source_signature(path: Path) -> str:
    """Return a short digest of a scenario's files (names, sizes, modification times).

    Used as the cache key of a load: the same unchanged files give the same key, any
    edit gives a new one. A missing path gives a digest too (loading then reports it).
    """
    h = hashlib.sha1(str(path.resolve()).encode("utf-8"))
    files: list[Path] = []
    if path.is_dir():
        files = sorted(f for f in path.iterdir() if f.is_file())
    elif path.exists():
        files = [path]
        beside = path.with_suffix(".policy.toml")
        if beside.exists():
            files.append(beside)
    for f in files:
        st = f.stat()
        h.update(f"{f.name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def save_uploads(files: Sequence[tuple[str, bytes]], root: Path) -> Path:
    """Save uploaded files to a fresh folder under `root` and return what to load.

    One workbook (``.xlsx``, ``.xls``, ``.ods``) and no ``.csv`` gives the workbook
    itself (an uploaded ``policy.toml`` is saved beside it as ``<book>.policy.toml``);
    anything else gives the folder, read one file per table. The folder is named by the
    files' digest, so uploading the same files again reuses it.

    Raises
    ------
    ValueError
        When no file is given, or a name has an unsupported suffix.
    """
    if not files:
        raise ValueError("no files")
    digest = hashlib.sha1()
    clean: list[tuple[str, bytes]] = []
    for name, data in files:
        base = Path(name).name
        if not base or Path(base).suffix.lower().lstrip(".") not in UPLOAD_TYPES:
            raise ValueError(f"unsupported file {name!r}")
        clean.append((base, data))
        digest.update(base.encode("utf-8") + b"\0" + hashlib.sha1(data).digest())
    folder = root / digest.hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    tables = [n for n, _ in clean if Path(n).suffix.lower() in TABLE_SUFFIXES]
    single_book = len(tables) == 1 and not tables[0].lower().endswith(".csv")
    for name, data in clean:
        target = folder / name
        if single_book and name.lower() == "policy.toml":
            target = folder / (Path(tables[0]).stem + ".policy.toml")
        target.write_bytes(data)
    return folder / tables[0] if single_book else folder


def issue_frame(issues: Iterable[Issue], lang: Lang) -> pd.DataFrame:
    """Return issues as a table: severity, file, row, column, message (errors first)."""
    li = 0 if lang == "zh" else 1
    severity = {
        "error": ("错误", "error"),
        "warning": ("警告", "warning"),
        "note": ("已整理", "note"),
    }
    rows = []
    for issue in sorted(issues, key=lambda i: SEVERITY_ORDER[i.severity]):
        template = MESSAGES.get(issue.code, (issue.code, issue.code))[li]
        try:
            message = template.format(**dict(issue.params))
        except (KeyError, IndexError, ValueError):
            message = template
        rows.append(
            {
                "severity": severity[issue.severity][li],
                "file": issue.file,
                "row": "" if issue.row is None else str(issue.row),
                "column": issue.column,
                "message": message,
            }
        )
    frame = pd.DataFrame(rows, columns=["severity", "file", "row", "column", "message"])
    return localise_columns(frame, lang)


def summary_frame(summary: Mapping[str, int], lang: Lang) -> pd.DataFrame:
    """Return the scenario summary counts as a two-column table."""
    li = 0 if lang == "zh" else 1
    rows = [(SUMMARY_LABELS.get(k, (k, k))[li], int(v)) for k, v in summary.items()]
    head = ("项目", "数量") if lang == "zh" else ("item", "count")
    return pd.DataFrame(rows, columns=list(head))


# --- policy knobs ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Knob:
    """One policy value offered on the Plan page: widget key and dotted policy key."""

    key: str
    dotted: str


KNOBS: tuple[Knob, ...] = (
    Knob("knob_window_hours", "round.window_hours"),
    Knob("knob_slot_minutes", "round.slot_minutes"),
    Knob("knob_walk_limit", "walking.walk_limit_min"),
    Knob("knob_pool_size", "pooling.default_pool_size"),
    Knob("knob_heat", "heat.enabled"),
)
"""The policy values the Plan page lets the user change."""

SLOT_MINUTES_CHOICES = (10, 15, 20, 30, 60)
"""Slot lengths offered (the policy's own value is added when missing)."""


def knob_values(policy: Policy) -> dict[str, Any]:
    """Return the widget values that reproduce `policy` (widget key → value)."""
    out: dict[str, Any] = {}
    for knob in KNOBS:
        section, name = knob.dotted.split(".", 1)
        value = getattr(getattr(policy, section), name)
        if knob.dotted in ("round.window_hours", "walking.walk_limit_min"):
            value = float(value)
        out[knob.key] = value
    return out


def policy_from_knobs(base: Policy, values: Mapping[str, Any]) -> Policy:
    """Return `base` with the knobs' values applied (missing knobs keep their value)."""
    changes: dict[str, Any] = {}
    for knob in KNOBS:
        if knob.key not in values:
            continue
        value = values[knob.key]
        if knob.dotted in ("round.slot_minutes", "pooling.default_pool_size"):
            value = int(value)
        elif knob.dotted == "heat.enabled":
            value = bool(value)
        else:
            value = float(value)
        changes[knob.dotted] = value
    return base.with_values(**changes) if changes else base


def slot_choices(policy: Policy) -> list[int]:
    """Return the slot lengths to offer, including the policy's own."""
    return sorted({*SLOT_MINUTES_CHOICES, int(policy.round.slot_minutes)})


def policy_key(policy: Policy) -> str:
    """Return a stable text of every policy value (a cache key)."""
    return json.dumps(policy.to_dict(), sort_keys=True, ensure_ascii=False, default=str)


def policy_errors(policy: Policy) -> list[Issue]:
    """Return the policy's errors (rule breaches between its numbers)."""
    return [i for i in policy.problems(source="") if i.severity == "error"]


# --- plan results -------------------------------------------------------------------


def kpi_cards(kpis: Mapping[str, Any], lang: Lang) -> list[tuple[str, str, str]]:
    """Return ``(key, label, value)`` for each KPI metric, values formatted."""
    li = 0 if lang == "zh" else 1
    metre = " 米" if lang == "zh" else " m"
    out = []
    for key, labels in KPI_LABELS.items():
        if key not in kpis:
            continue
        value = kpis[key]
        if key in ("mean_walk_m", "max_walk_m"):
            text = f"{float(value):,.0f}{metre}"
        elif key == "gap":
            text = f"{float(value) * 100:.1f}%"
        elif isinstance(value, int):
            text = f"{value:,}"
        else:
            text = str(value)
        out.append((key, labels[li], text))
    return out


def plan_warning_texts(
    warnings: Iterable[tuple[str, Mapping[str, Any]]], lang: Lang
) -> list[str]:
    """Render plan-level warnings (unknown codes are shown with their parameters)."""
    li = 0 if lang == "zh" else 1
    out = []
    for code, params in warnings:
        template = PLAN_WARNINGS.get(code)
        if template is None:
            detail = ", ".join(f"{k}={v}" for k, v in params.items())
            out.append(f"{code}: {detail}")
            continue
        try:
            out.append(template[li].format(**params))
        except (KeyError, ValueError):
            out.append(template[li])
    return out


def open_sites(sites: pd.DataFrame) -> pd.DataFrame:
    """Return the open sites of a plan's ``sites`` table, busiest first."""
    opened = sites[sites["open"].astype(bool)]
    return opened.sort_values(["site_id"]).reset_index(drop=True)


def site_label(row: Mapping[Any, Any], lang: Lang) -> str:
    """Return ``S001 名称（6台，1,234人）`` for a row of the ``sites`` table."""
    if lang == "zh":
        return (
            f"{row['site_id']} {row['name']}（{row['desks']}台，{row['people']:,}人）"
        )
    return f"{row['site_id']} {row['name']} ({row['desks']} desks, {row['people']:,})"


def slots_with_load(slots: pd.DataFrame) -> pd.DataFrame:
    """Return the ``slots`` table with ``utilisation`` = work / capacity."""
    out = slots.copy()
    cap = out["capacity_units"].astype(float)
    out["utilisation"] = (out["work_units"].astype(float) / cap.where(cap > 0)).round(3)
    return out


def site_slots(slots: pd.DataFrame, site_id: str) -> pd.DataFrame:
    """Return one site's slots with their load, in time order."""
    one = slots[slots["site_id"] == site_id]
    return slots_with_load(one).sort_values("slot_start").reset_index(drop=True)


def team_summary(home_visits: pd.DataFrame) -> pd.DataFrame:
    """Return one row per door-to-door team: depot, households, people, times."""
    cols = [
        "team_id",
        "depot_site_id",
        "households",
        "people",
        "first_arrive",
        "last_arrive",
        "team_back",
    ]
    if home_visits.empty:
        return pd.DataFrame(columns=cols)
    g = home_visits.groupby("team_id", sort=True)
    out = pd.DataFrame(
        {
            "depot_site_id": g["depot_site_id"].first(),
            "households": g["household_id"].count(),
            "people": g["people"].sum(),
            "first_arrive": g["arrive"].min(),
            "last_arrive": g["arrive"].max(),
            "team_back": g["team_back"].first(),
        }
    ).reset_index()
    return out[cols]


def clicked_site(state: Any) -> str | None:
    """Return the id of the open site clicked on the map, from the chart's state."""
    try:
        objects = state["selection"]["objects"].get("sites") or []
    except (KeyError, TypeError, AttributeError):
        return None
    for obj in objects:
        if isinstance(obj, Mapping) and obj.get("open"):
            return str(obj.get("site_id"))
    return None


PLAN_TABLES = ("sites", "assignments", "unassigned", "home_visits", "slots")
"""The tables of :func:`planner.io.plan_folder.plan_tables`."""


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Return a table as CSV in UTF-8 with BOM (Excel opens it with the right encoding)."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def tables_zip(
    tables: Mapping[str, pd.DataFrame], extra: Mapping[str, Any] | None = None
) -> bytes:
    """Return a ZIP of ``<name>.csv`` for every table, plus ``plan.json`` if given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, frame in tables.items():
            zf.writestr(f"{name}.csv", csv_bytes(frame))
        if extra is not None:
            text = json.dumps(extra, ensure_ascii=False, indent=2, default=str)
            zf.writestr("plan.json", text.encode("utf-8"))
    return buf.getvalue()


def load_heatmap(slots: pd.DataFrame, lang: Lang) -> alt.Chart:
    """Return a site × slot heat map of the load (work booked ÷ capacity)."""
    import altair as alt

    data = slots_with_load(slots)[["site_id", "slot_start", "people", "utilisation"]]
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X("slot_start:O", title=tr("heat_x", lang)),
            y=alt.Y(
                "site_id:N",
                title=tr("schedule_site", lang),
                axis=alt.Axis(labelOverlap=False),
            ),
            color=alt.Color(
                "utilisation:Q",
                title=tr("heat_colour", lang),
                scale=alt.Scale(domain=[0, 1], scheme="orangered"),
            ),
            tooltip=tooltips(["site_id", "slot_start", "people", "utilisation"], lang),
        )
        .properties(height=alt.Step(16))
    )
    return chart


def site_slot_chart(one_site: pd.DataFrame, lang: Lang) -> alt.LayerChart:
    """Return bars of the work booked per slot with the slot capacity as a line."""
    import altair as alt

    data = one_site[["slot_start", "people", "work_units", "capacity_units"]]
    base = alt.Chart(data).encode(x=alt.X("slot_start:O", title=tr("heat_x", lang)))
    bars = base.mark_bar(color="#4c78a8").encode(
        y=alt.Y("work_units:Q", title=tr("booked", lang)),
        tooltip=tooltips(
            ["slot_start", "people", "work_units", "capacity_units"], lang
        ),
    )
    cap = base.mark_line(
        color="#e45756", strokeDash=[6, 3], point=alt.OverlayMarkDef(color="#e45756")
    ).encode(y=alt.Y("capacity_units:Q", title=column_title("capacity_units", lang)))
    return alt.LayerChart(layer=[bars, cap], height=260)


# --- drills ---------------------------------------------------------------------------


def drill_specs(choices: Mapping[str, Any]) -> list[str]:
    """Turn the Drill page's choices into ``--disrupt`` specs (one per ticked box)."""

    def t(value: Any) -> str:
        return (
            f"{value.hour:02d}:{value.minute:02d}"
            if hasattr(value, "hour")
            else str(value)
        )

    out = []
    if choices.get("close"):
        out.append(f"close,site={choices['close_site']},at={t(choices['close_at'])}")
    if choices.get("no_show"):
        out.append(f"no_show,share={float(choices['no_show_share']):g}")
    if choices.get("rain"):
        out.append(
            f"rain,from={t(choices['rain_from'])},to={t(choices['rain_to'])},"
            f"factor={float(choices['rain_factor']):g}"
        )
    if choices.get("surge"):
        out.append(
            f"surge,from={t(choices['surge_from'])},to={t(choices['surge_to'])},"
            f"share={float(choices['surge_share']):g}"
        )
    if choices.get("seal"):
        out.append(
            f"seal,building={choices['seal_building']},at={t(choices['seal_at'])}"
        )
    return out


def drill_zip(run: Any, scenario: Any, work: Path) -> bytes:
    """Write the drill report into `work` and return it zipped."""
    from planner.drill.report import write_drill

    files = write_drill(run, scenario, work)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            zf.write(path, path.relative_to(work).as_posix())
    return buf.getvalue()


def drill_wait_chart(
    sites: pd.DataFrame, limit_min: float, lang: Lang
) -> alt.LayerChart:
    """Return bars of each site's 95th-percentile wait with the queue limit as a rule."""
    import altair as alt

    data = sites[["site_id", "wait_p95_min", "queue_m_p95", "p_over_limit"]]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("site_id:N", sort="-y", title=tr("drill_site", lang)),
            y=alt.Y("wait_p95_min:Q", title=tr("drill_wait_chart", lang)),
            color=alt.condition(
                alt.datum.wait_p95_min > limit_min,
                alt.value("#e45756"),
                alt.value("#4c78a8"),
            ),
            tooltip=tooltips(list(data.columns), lang),
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"limit": [limit_min]}))
        .mark_rule(color="#e45756", strokeDash=[6, 3])
        .encode(y="limit:Q")
    )
    return alt.LayerChart(layer=[bars, rule], height=260)


def drill_queue_chart(slots: pd.DataFrame, site_id: str, lang: Lang) -> alt.Chart:
    """Return the queue length per slot of one site (95th percentile, metres)."""
    import altair as alt

    data = slots[slots["site_id"] == site_id][
        ["slot_start", "queue_m_p95", "wait_p95_min", "utilisation"]
    ]
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_area(line=True, opacity=0.4)
        .encode(
            x=alt.X("slot_start:O", title=tr("heat_x", lang)),
            y=alt.Y("queue_m_p95:Q", title=tr("drill_queue_chart", lang)),
            tooltip=tooltips(list(data.columns), lang),
        )
        .properties(height=220)
    )
    return chart


# --- print-ready exports --------------------------------------------------------------


def print_exports_zip(
    tables: PlanTables,
    scenario: Scenario,
    work: Path,
    *,
    lang: Lang = "zh",
    unmasked: bool = False,
) -> tuple[bytes, ExportReport]:
    """Run :func:`planner.export.export_all` on a round's tables; return a ZIP of it.

    The tables come from memory (the round just planned, with its staff and supplies,
    so the rosters carry the staff sheets and the document its stock section); the
    files are written to ``work`` and zipped.

    Returns
    -------
    tuple
        The ZIP bytes and the export report.
    """
    from planner.export import export_all

    report = export_all(
        scenario,
        tables,
        work,
        lang=lang,
        unmasked=unmasked,
        parallel=False,  # no child processes from inside the web server
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(p for p in work.rglob("*") if p.is_file()):
            zf.write(f, f.relative_to(work).as_posix())
    return buf.getvalue(), report


# --- pictures: staff per site and shift, stock against the reserve rules ------------


def staff_fill(requirements: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """Return, per post (site or team) and shift, the people needed and rostered.

    Returns
    -------
    pandas.DataFrame
        ``site_id, shift, shift_start, shift_end, needed, filled, missing`` (missing
        = needed − filled, never negative), posts in the requirements' order.
    """
    keys = ["site_id", "shift", "shift_start", "shift_end"]
    cols = [*keys, "needed", "filled", "missing"]
    if requirements.empty:
        return pd.DataFrame(columns=cols)
    need = requirements.groupby(keys, sort=False)["needed"].sum().reset_index()
    if roster.empty:
        need["filled"] = 0
    else:
        filled = roster.groupby(keys, sort=False).size().rename("filled").reset_index()
        need = need.merge(filled, on=keys, how="left")
        need["filled"] = need["filled"].fillna(0)
    need["needed"] = need["needed"].astype(int)
    need["filled"] = need["filled"].astype(int)
    need["missing"] = (need["needed"] - need["filled"]).clip(lower=0)
    return need[cols]


def post_labels(scenario: Any, lang: Lang) -> dict[str, str]:
    """Return the display name of every staff post: ``S001 名称``, teams as they are."""
    labels = {
        str(sid): f"{sid} {name}"
        for sid, name in zip(scenario.sites.id, scenario.sites.name, strict=True)
    }
    labels[TRANSPORT_POST] = tr("transport_team", lang)
    return labels


def staff_chart(fill: pd.DataFrame, labels: Mapping[str, str], lang: Lang) -> alt.Chart:
    """Return a post × shift grid: each cell ``filled/needed``, red where short.

    Parameters
    ----------
    fill
        :func:`staff_fill`.
    labels
        Display name of each post id (site name, team id, 转运组).
    """
    import altair as alt

    data = fill.copy()
    data["post"] = data["site_id"].map(lambda s: labels.get(s, s))
    data["shift_label"] = data["shift_start"] + "–" + data["shift_end"]
    data["cell"] = data["filled"].astype(str) + "/" + data["needed"].astype(str)
    full, short = tr("staff_state_full", lang), tr("staff_state_short", lang)
    data["state"] = [short if m > 0 else full for m in data["missing"]]
    order = list(dict.fromkeys(data["post"]))
    shifts = sorted(set(data["shift_label"]))
    base = alt.Chart(data).encode(
        x=alt.X(
            "shift_label:O",
            title=tr("staff_chart_shift", lang),
            sort=shifts,
            axis=alt.Axis(orient="top", labelAngle=0),
        ),
        y=alt.Y(
            "post:N",
            title=tr("staff_chart_site", lang),
            sort=order,
            axis=alt.Axis(labelLimit=260, labelOverlap=False),
        ),
    )
    tips = [
        alt.Tooltip("post:N", title=tr("staff_chart_site", lang)),
        alt.Tooltip("shift_label:O", title=tr("staff_chart_shift", lang)),
        alt.Tooltip("filled:Q", title=tr("staff_chart_filled", lang)),
        alt.Tooltip("needed:Q", title=tr("staff_chart_needed", lang)),
        alt.Tooltip("missing:Q", title=tr("staff_chart_missing", lang)),
    ]
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "state:N",
            title=tr("staff_chart_state", lang),
            scale=alt.Scale(domain=[full, short], range=["#9bd3a4", "#e45756"]),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=tips,
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("cell:N"), color=alt.value("#1a1a1a"), tooltip=tips
    )
    chart: alt.Chart = (cells + text).properties(height=alt.Step(20))
    return chart


def stock_frame(
    supplies: pd.DataFrame, lang: Lang, cap_days: float = 60.0
) -> pd.DataFrame:
    """Return one row per item and holder for the stock chart.

    ``label`` is ``物资（储备单位）``; ``days`` the days of supply at full load, capped
    at `cap_days` so one well-stocked item does not squash the others; ``short``
    whether it falls below its reserve rule.
    """
    li = 0 if lang == "zh" else 1
    holders = VALUE_LABELS["holder"]
    out = pd.DataFrame(
        {
            "label": [
                f"{item}（{holders.get(h, (h, h))[li]}）"
                if lang == "zh"
                else f"{item} ({holders.get(h, (h, h))[li]})"
                for item, h in zip(supplies["item"], supplies["holder"], strict=True)
            ],
            "days_of_supply": supplies["days_of_supply"].astype(float),
            "reserve_days": supplies["reserve_days"].astype(float),
        }
    )
    out["days"] = out["days_of_supply"].clip(upper=cap_days)
    out["short"] = out["days_of_supply"] < out["reserve_days"]
    ok, short = tr("stock_ok", lang), tr("stock_short", lang)
    out["state"] = [short if s else ok for s in out["short"]]
    return out


def stock_chart(supplies: pd.DataFrame, lang: Lang) -> alt.LayerChart:
    """Return bars of days of supply per item with the 15- and 30-day reserve lines."""
    import altair as alt

    data = stock_frame(supplies, lang)
    ok, short = tr("stock_ok", lang), tr("stock_short", lang)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                "label:N",
                title=tr("stock_chart_item", lang),
                sort=None,
                axis=alt.Axis(labelLimit=260),
            ),
            x=alt.X("days:Q", title=tr("stock_chart_days", lang)),
            color=alt.Color(
                "state:N",
                title=tr("staff_chart_state", lang),
                scale=alt.Scale(domain=[ok, short], range=["#4c78a8", "#e45756"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=tr("stock_chart_item", lang)),
                alt.Tooltip("days_of_supply:Q", title=tr("stock_chart_days", lang)),
                alt.Tooltip("reserve_days:Q", title=tr("stock_chart_reserve", lang)),
            ],
        )
    )
    # each item's own rule as a tick, and the two rules as lines across
    ticks = (
        alt.Chart(data)
        .mark_tick(color="#1a1a1a", thickness=2)
        .encode(
            y=alt.Y("label:N", sort=None),
            x=alt.X("reserve_days:Q", title=tr("stock_chart_days", lang)),
            tooltip=[
                alt.Tooltip("reserve_days:Q", title=tr("stock_chart_reserve", lang))
            ],
        )
    )
    rules = pd.DataFrame({"reserve": [15.0, 30.0], "text": ["15", "30"]})
    lines = (
        alt.Chart(rules)
        .mark_rule(strokeDash=[6, 3], color="#555555")
        .encode(
            x=alt.X("reserve:Q", title=tr("stock_chart_days", lang)),
            tooltip=[alt.Tooltip("reserve:Q", title=tr("stock_chart_reserve", lang))],
        )
    )
    # the days as text beside each bar, red when short: an empty stock shows too
    values = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=11)
        .encode(
            y=alt.Y("label:N", sort=None),
            x=alt.X("days:Q", title=tr("stock_chart_days", lang)),
            text=alt.Text(
                "days_of_supply:Q", format=".1f", title=tr("stock_chart_days", lang)
            ),
            color=alt.Color(
                "state:N",
                scale=alt.Scale(domain=[ok, short], range=["#1a1a1a", "#e45756"]),
                legend=None,
            ),
        )
    )
    return alt.LayerChart(layer=[bars, ticks, lines, values]).properties(
        height=alt.Step(22)
    )


# --- the site card ----------------------------------------------------------------------


def card_heading(row: Mapping[str, Any], address: str, lang: Lang) -> str:
    """Return the site card's first line: name, id, address, desks, people, hours."""
    return tr(
        "card_head",
        lang,
        name=row["name"],
        site=row["site_id"],
        address=address or "—",
        desks=int(row["desks"]),
        people=int(row["people"]),
        first=str(row.get("first_slot") or ""),
        last=str(row.get("last_slot") or ""),
    )


def card_slots(slots: pd.DataFrame, site_id: str, lang: Lang) -> pd.DataFrame:
    """Return one site's slots for print: start–end, people, load (%), localised."""
    one = site_slots(slots, site_id)
    out = pd.DataFrame(
        {
            "slot": one["slot_start"] + "–" + one["slot_end"],
            "people": one["people"].astype(int),
            "desks": one["desks"].astype(int),
            "utilisation": (one["utilisation"].astype(float) * 100)
            .round(0)
            .astype(int),
        }
    )
    heads = {
        "slot": ("时段", "slot"),
        "people": ("人数", "people"),
        "desks": ("采样台", "desks"),
        "utilisation": ("负荷率(%)", "load (%)"),
    }
    li = 0 if lang == "zh" else 1
    return out.rename(columns={k: v[li] for k, v in heads.items()})


def card_staff(
    roster: pd.DataFrame, shortfall: pd.DataFrame, site_id: str, lang: Lang
) -> pd.DataFrame:
    """Return who works at a site, per shift and role, with the places left unfilled.

    Columns: shift (``08:00–11:00``), role name, count, names (、-separated), short.
    """
    li = 0 if lang == "zh" else 1
    mine = roster[roster["site_id"] == site_id]
    rows: list[dict[str, Any]] = []
    keys = ["shift_start", "shift_end", "role", "role_zh"]
    short = shortfall[shortfall["site_id"] == site_id] if len(shortfall) else shortfall
    missing: dict[tuple[str, str], int] = {}
    for r in short.itertuples(index=False):
        missing[(f"{r.shift_start}–{r.shift_end}", str(r.role))] = int(str(r.missing))
    for (start, end, role, role_zh), group in mine.groupby(keys, sort=False):
        shift = f"{start}–{end}"
        rows.append(
            {
                "shift": shift,
                "role": role_zh if lang == "zh" else role_name(str(role), "en"),
                "count": len(group),
                "names": ("、" if lang == "zh" else ", ").join(
                    group["name"].astype(str)
                ),
                "short": missing.pop((shift, str(role)), 0),
            }
        )
    for (shift, role), n in missing.items():  # roles with nobody rostered at all
        rows.append(
            {
                "shift": shift,
                "role": role_name(role, lang),
                "count": 0,
                "names": "",
                "short": n,
            }
        )
    heads = {
        "shift": ("班次", "shift"),
        "role": ("岗位", "role"),
        "count": ("人数", "people"),
        "names": ("姓名", "names"),
        "short": ("缺", "short"),
    }
    frame = pd.DataFrame(rows, columns=list(heads))
    frame = frame.sort_values(["shift"], kind="stable").reset_index(drop=True)
    return frame.rename(columns={k: v[li] for k, v in heads.items()})


def card_picks(picks: pd.DataFrame, site_id: str, lang: Lang) -> pd.DataFrame:
    """Return one site's pick list, localised (item, quantity, unit, holder)."""
    one = picks[picks["site_id"] == site_id][["item", "quantity", "unit", "holder"]]
    return display_frame(one.reset_index(drop=True), lang)
