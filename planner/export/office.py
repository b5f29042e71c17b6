"""What a street office downloads: readable workbooks and the files grouped as it works.

The plan folder's CSVs keep codes and English headers for other programs. A person
reads the same tables in :func:`write_tables_book`: one workbook, a sheet a table,
Chinese headers, 是/否, labels for codes, site names beside site codes, no lon/lat.
:func:`write_support_request` puts the staff and stock the street must ask for on one
page (samplers first, largest gaps first). :func:`office_layout` names every export by
street, site or team, and day, and groups them as the office hands them out::

    工作方案/      the plan document, its map, the tables workbook, the support request
    楼栋通知/<社区>/ the community's building notices (one PDF), its grids' WeChat
                   long images; the WeChat texts
    采样点手册/    one workbook per site
    上门采样/      one workbook per door-to-door team
    地图数据/      GIS layers (for other programs)
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.export._common import screening_day
from planner.export._xlsx import (
    new_workbook,
    print_setup,
    safe_file_stem,
    safe_sheet_name,
    write_head,
)
from planner.export.wechat_image import FOLDER as IMAGE_FOLDER
from planner.model.plan_tables import PlanTables
from planner.model.scenario import Scenario
from planner.text import (
    COLUMN_LABELS,
    TABLE_LABELS,
    VALUE_LABELS,
    Lang,
    lang_index,
    role_name,
    tr,
)

HIDDEN_COLUMNS = ("lon", "lat", "role_zh")
"""Columns a person does not read in a table (positions are on the map)."""

TRANSPORT_POST = "TRANSPORT"
"""Pseudo site id of the sample-transport crew in the staff tables."""

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def file_day(tables: PlanTables, today: datetime.date | None = None) -> str:
    """Return the day files are named by: the screening day, else today in Beijing."""
    day = screening_day(tables.policy)
    if day is None:
        day = today or datetime.datetime.now(BEIJING).date()
    return day.isoformat()


def readable_table(
    frame: pd.DataFrame, scenario: Scenario, lang: Lang = "zh", *, table: str = ""
) -> pd.DataFrame:
    """Return a plan table as a person reads it.

    Codes become labels (roles, modes, tube modes, holders, reasons), yes/no columns
    是/否, the transport crew its name; a site's name goes before its code, and
    longitude and latitude are left out. Headers are Chinese in ``zh``. `table` is
    the plan table's name (``sites`` already names its sites; elsewhere ``name`` is a
    person's).
    """
    li = lang_index(lang)
    out = frame.copy()
    if "role" in out.columns:
        if lang == "zh" and "role_zh" in out.columns:
            out["role"] = out["role_zh"]
        else:
            out["role"] = out["role"].map(lambda r: role_name(str(r), lang))
    out = out.drop(columns=[c for c in HIDDEN_COLUMNS if c in out.columns])
    for column, labels in _value_labels().items():
        if column in out.columns:
            out[column] = out[column].map(
                lambda v, labels=labels: labels[v][li] if v in labels else v
            )
    yes, no = tr("yes", lang), tr("no", lang)
    for column in out.columns:
        values = out[column]
        if values.dtype == bool or (
            len(values)
            and values.dtype == object
            and values.map(lambda v: isinstance(v, bool | np.bool_)).all()
        ):
            out[column] = values.map(lambda v: yes if v else no)
        elif (
            column in ("open", "fixed", "indoor", "team_back")
            and values.dtype == object
            and values.isin(["True", "False", "true", "false"]).all()
        ):
            out[column] = values.map(lambda v: yes if v.lower() == "true" else no)
    names = {
        str(i): str(n)
        for i, n in zip(scenario.sites.id, scenario.sites.name, strict=True)
    }
    names[TRANSPORT_POST] = tr("transport_team", lang)
    for column in ("site_id", "depot_site_id", "new_site_id", "old_site_id"):
        if column in out.columns and table != "sites":
            site_names = out[column].astype(str).map(lambda s: names.get(s, ""))
            at = list(out.columns).index(column)
            out.insert(at, f"{column}_name", site_names)
        if column in out.columns:  # the transport crew has no code of its own
            out[column] = out[column].replace({TRANSPORT_POST: ""})
    if lang != "zh":
        return out
    heads = {**COLUMN_LABELS, **_NAME_LABELS}
    if table != "sites":
        heads["name"] = tr("office_person_name", lang)
    return out.rename(columns={c: heads.get(c, c) for c in out.columns})


def _value_labels() -> dict[str, dict[str, tuple[str, str]]]:
    """Return the labels of coded values: the shared ones and the tube modes of a household."""
    labels = {column: dict(values) for column, values in VALUE_LABELS.items()}
    tube = labels.setdefault("tube_mode", {})
    for code in ("household", "mixed"):
        zh, en = tr(f"office_tube_{code}", "zh"), tr(f"office_tube_{code}", "en")
        tube.setdefault(code, (zh, en))
    return labels


_NAME_LABELS = {
    "site_id_name": "采样点",
    "depot_site_id_name": "出发采样点",
    "new_site_id_name": "新采样点名称",
    "old_site_id_name": "原采样点名称",
}
"""Chinese headers of the site-name columns :func:`readable_table` adds."""


def write_tables_book(
    tables: PlanTables, scenario: Scenario, path: Path, lang: Lang = "zh"
) -> Path:
    """Write every plan table into one workbook a person reads (a sheet a table)."""
    wb, fmts = new_workbook(str(path))
    for name, frame in tables.frames().items():
        readable = readable_table(frame, scenario, lang, table=name)
        label = TABLE_LABELS.get(name, (name, name))[lang_index(lang)]
        ws = wb.add_worksheet(safe_sheet_name(label))
        ws.write(0, 0, f"{scenario.name} {label}", fmts.title)
        heads = [str(c) for c in readable.columns]
        write_head(ws, fmts, 2, heads)
        columns = [_cells(readable[c]) for c in readable.columns]
        last = (
            wb.write_table(ws, 3, columns, fmts.cell, fmts.num) if len(readable) else 2
        )
        print_setup(
            ws,
            widths=[max(8, min(24, 2 * len(h) + 2)) for h in heads],
            header_rows=3,
            last_row=last,
            title=f"{scenario.name} {label}",
            banner=None,
            landscape=len(heads) > 8,
        )
    wb.close()
    return path


def _cells(values: pd.Series) -> list[Any]:
    """Return a column's cells: whole numbers as ints, others as they are."""
    if values.dtype.kind in "iu":
        return [int(v) for v in values]
    if values.dtype.kind == "f":
        return [
            "—"
            if not math.isfinite(float(v))
            else int(v)
            if float(v).is_integer()
            else round(float(v), 2)
            for v in values
        ]
    return ["" if v is None else str(v) for v in values]


def support_request(
    tables: PlanTables, scenario: Scenario, lang: Lang = "zh"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the staff and the stock to ask for.

    Staff: per role and shift, people missing and the sites short of them; samplers
    first, then by size. Stock: the items to order, largest first.
    """
    short = tables.staff_shortfall
    names = {
        str(i): str(n)
        for i, n in zip(scenario.sites.id, scenario.sites.name, strict=True)
    }
    names[TRANSPORT_POST] = tr("transport_team", lang)
    staff = pd.DataFrame(columns=["role", "shift", "missing", "where"])
    if short is not None and len(short):
        s = short.copy()
        s["missing"] = (
            pd.to_numeric(s["missing"], errors="coerce").fillna(0).astype(int)
        )
        s = s[s["missing"] > 0]
        s["post"] = [names.get(str(v), str(v)) for v in s["site_id"]]
        grouped = s.groupby(["role", "shift_start", "shift_end"], sort=False).agg(
            missing=("missing", "sum"),
            where=("post", lambda v: "、".join(dict.fromkeys(v))),
        )
        staff = grouped.reset_index()
        staff["shift"] = staff["shift_start"] + "–" + staff["shift_end"]
        staff["first"] = ~staff["role"].isin(("sampler", "home_sampler"))
        staff = staff.sort_values(
            ["first", "missing", "shift"], ascending=[True, False, True]
        )
        staff["role"] = staff["role"].map(lambda r: role_name(str(r), lang))
        staff = staff[["role", "shift", "missing", "where"]].reset_index(drop=True)
    stock = pd.DataFrame(columns=["item", "unit", "quantity"])
    if tables.procurement is not None and len(tables.procurement):
        p = tables.procurement.copy()
        p["quantity"] = pd.to_numeric(p["quantity"], errors="coerce").fillna(0)
        p = p[p["quantity"] > 0]
        stock = (
            p.groupby(["item", "unit"], sort=False)["quantity"]
            .sum()
            .reset_index()
            .sort_values("quantity", ascending=False)
            .reset_index(drop=True)
        )
        stock["quantity"] = stock["quantity"].round().astype(int)
    return staff, stock


def write_support_request(
    tables: PlanTables, scenario: Scenario, path: Path, lang: Lang = "zh"
) -> Path:
    """Write the support request: the staff and stock to ask for, on one A4 page."""
    staff, stock = support_request(tables, scenario, lang)
    wb, fmts = new_workbook(str(path))
    ws = wb.add_worksheet(safe_sheet_name(tr("office_support_sheet", lang)))
    t = _in(lang)
    ws.write(0, 0, t("office_support_title", street=scenario.name), fmts.title)
    ws.write(1, 0, t("office_support_day", day=file_day(tables)), fmts.note)
    row = 3
    ws.write(row, 0, t("office_support_staff"), fmts.sub)
    row += 1
    if len(staff):
        write_head(
            ws, fmts, row, [t(f"office_support_staff_{c}") for c in staff.columns]
        )
        for role, shift, missing, where in staff.itertuples(index=False, name=None):
            row += 1
            ws.write_string(row, 0, str(role), fmts.cell)
            ws.write_string(row, 1, str(shift), fmts.cell)
            ws.write_number(row, 2, int(missing), fmts.num)
            ws.write_string(row, 3, str(where), fmts.cell)
        row += 1
        ws.write(
            row,
            0,
            t("office_support_staff_total", n=int(staff["missing"].sum())),
            fmts.label,
        )
    else:
        ws.write(row, 0, t("office_support_none"), fmts.cell)
    row += 2
    ws.write(row, 0, t("office_support_stock"), fmts.sub)
    row += 1
    if len(stock):
        write_head(
            ws, fmts, row, [t(f"office_support_stock_{c}") for c in stock.columns]
        )
        for item, unit, quantity in stock.itertuples(index=False, name=None):
            row += 1
            ws.write_string(row, 0, str(item), fmts.cell)
            ws.write_string(row, 1, str(unit), fmts.cell)
            ws.write_number(row, 2, int(quantity), fmts.num)
    else:
        ws.write(row, 0, t("office_support_none"), fmts.cell)
    row += 2
    ws.write(row, 0, t("office_support_sign"), fmts.cell)
    print_setup(
        ws,
        widths=[14, 14, 10, 60],
        header_rows=0,
        last_row=row,
        title=t("office_support_title", street=scenario.name),
        banner=None,
    )
    ws.fit_to_pages(1, 1)  # one page
    wb.close()
    return path


def _in(lang: Lang) -> Callable[..., str]:
    """Return ``t(key, **values)`` in `lang`."""

    def t(key: str, /, **values: object) -> str:
        return tr(key, lang, **values)

    return t


def office_layout(
    out: Path, scenario: Scenario, tables: PlanTables, lang: Lang = "zh"
) -> list[tuple[str, Path]]:
    """Return the export folder's files with the names and folders the office uses.

    Also writes the tables workbook and the support request into `out` (they are
    part of the office's set). Each pair is (name in the download, file).
    """
    t = _in(lang)
    street = safe_file_stem(scenario.name)
    day = file_day(tables)
    plan_dir, notice_dir = t("office_dir_plan"), t("office_dir_notices")
    site_dir, team_dir, gis_dir = (
        t("office_dir_sites"),
        t("office_dir_teams"),
        t("office_dir_gis"),
    )
    site_name = {
        str(i): safe_file_stem(str(n))
        for i, n in zip(scenario.sites.id, scenario.sites.name, strict=True)
    }
    book = write_tables_book(tables, scenario, out / "plan_tables.xlsx", lang)
    request = write_support_request(
        tables, scenario, out / "support_request.xlsx", lang
    )
    pairs: list[tuple[str, Path]] = []
    named: Mapping[str, str] = {
        "plan_document.pdf": f"{plan_dir}/{street}_{day}_{t('office_file_plan')}.pdf",
        "plan_document.docx": f"{plan_dir}/{street}_{day}_{t('office_file_plan')}.docx",
        "plan_map.png": f"{plan_dir}/{street}_{day}_{t('office_file_map')}.png",
        book.name: f"{plan_dir}/{street}_{day}_{t('office_file_tables')}.xlsx",
        request.name: f"{street}_{day}_{t('office_file_support')}.xlsx",
    }
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        folder, _, stem = rel.rpartition("/")
        name = Path(stem).stem
        if rel in named:
            pairs.append((named[rel], path))
        elif folder.startswith(f"notices/{IMAGE_FOLDER}/") and path.suffix == ".png":
            # notices/wechat/<community>/<grid>.png: beside the community's notices
            community = folder.rpartition("/")[2]
            image = t("outputs_file_image", grid=name, day=day)
            pairs.append((f"{notice_dir}/{community}/{street}_{image}.png", path))
        elif folder == "notices" and path.suffix == ".pdf":
            # notices/<community>.pdf: every notice the community posts, in its folder
            community = name
            pairs.append(
                (
                    f"{notice_dir}/{community}/"
                    f"{street}_{community}_{day}_{t('office_file_notices')}.pdf",
                    path,
                )
            )
        elif folder == "notices":
            pairs.append(
                (f"{notice_dir}/{street}_{day}_{t('office_file_wechat')}.xlsx", path)
            )
        elif folder == "rosters" and name in site_name:
            pairs.append((f"{site_dir}/{street}_{site_name[name]}_{day}.xlsx", path))
        elif folder == "door_to_door":
            label = (
                t("office_file_unrouted")
                if name == "unrouted"
                else t("office_file_team", team=name)
            )
            pairs.append((f"{team_dir}/{street}_{label}_{day}.xlsx", path))
        else:
            pairs.append((f"{gis_dir}/{rel.rpartition('/')[2]}", path))
    return pairs
