"""One workbook per open site: cover, timetable, resident list, staff roster, pick list.

``rosters/<site_id>.xlsx`` has the sheets

* cover (封面): site, address, desks, window, site lead per shift with phone, sample
  pick-up times (the van calls of the plan's vehicle schedule), rules on site;
* timetable (时段安排): slot → grid → building with households, people, single and
  pooled tubes, and a subtotal per slot with the desks' booked load;
* residents (居民名单): everyone sent to the site in calling order (slot, grid,
  building, unit, floor, room; key-group residents first in their household) with
  masked ID number and phone and an empty "sampled" column to tick;
* staff (人员排班): the roster of the site by shift, and the positions still missing
  (only when the plan folder has ``staff.csv``);
* supplies (物资领取): the site's pick list (only with ``supplies_by_site.csv``).

Every sheet prints on A4, fitted to the page width, with its title and column heads
repeated on each page.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.export._common import (
    ExportData,
    contact_phone,
    iter_rows,
    records,
    slot_label,
)
from planner.export._xlsx import (
    Formats,
    new_workbook,
    print_setup,
    safe_file_stem,
    safe_sheet_name,
    write_cells,
    write_head,
    write_label_rows,
    write_title,
)
from planner.export.timetable import site_pickups
from planner.model.identity import mask_phone
from planner.text import ROLE_ORDER, holder_name, role_name


def write_site_rosters(data: ExportData, out: Path) -> tuple[list[Path], int]:
    """Write ``out/rosters/<site_id>.xlsx`` for every open site.

    Returns
    -------
    tuple
        Files written and the number of resident rows written in all of them.
    """
    folder = out / "rosters"
    folder.mkdir(parents=True, exist_ok=True)
    people = data.people[data.people["mode"] == "walk_up"]
    by_site = dict(tuple(people.groupby("site_id", sort=False)))
    blocks = _timetable_rows(data, people)
    slots = dict(tuple(data.files.slots.groupby("site_id", sort=False)))
    staff = _split(data.files.staff)
    short = _split(data.files.staff_shortfall)
    picks = _split(data.picks)
    written: list[Path] = []
    rows = 0
    for site in records(data.sites[data.sites["open"]]):
        sid = str(site["site_id"])
        site_people = by_site.get(sid, people.iloc[0:0])
        path = folder / f"{safe_file_stem(sid)}.xlsx"
        wb, fmts = new_workbook(str(path))
        banner = data.t("banner_unmasked") if data.unmasked else None
        name = f"{sid} {site['name']}"
        _cover(wb, fmts, data, site, site_people, banner, name)
        _timetable(
            wb,
            fmts,
            data,
            blocks.get(sid, []),
            slots.get(sid, data.files.slots.iloc[0:0]),
            banner,
            name,
        )
        _residents(wb, fmts, data, site_people, banner, name)
        if data.files.staff is not None:
            _staff(
                wb,
                fmts,
                data,
                staff.get(sid, data.files.staff.iloc[0:0]),
                short.get(sid),
                banner,
                name,
            )
        if data.picks is not None:
            _supplies(
                wb, fmts, data, picks.get(sid, data.picks.iloc[0:0]), banner, name
            )
        wb.close()
        written.append(path)
        rows += len(site_people)
    return written, rows


def _split(frame: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """Split a table with a ``site_id`` column by site."""
    if frame is None or not len(frame):
        return {}
    return {
        str(k): v for k, v in frame.groupby(frame["site_id"].astype(str), sort=False)
    }


Row = tuple[str, str, str, int, int, int]
"""A timetable row: slot, grid, building, households, people, single-tube people."""


def _timetable_rows(
    data: ExportData, people: pd.DataFrame
) -> dict[str, list[tuple[str, str, list[Row]]]]:
    """Return per site the slots in order, each with its (grid, building) rows."""
    hh = data.households[data.households["mode"] == "walk_up"]
    single = people[people["key_group"]].groupby("hh")["n"].sum()
    hh = hh.assign(single=hh["hh"].map(single).fillna(0).astype(np.int64))
    grouped = (
        hh.groupby(["site_id", "slot_start", "slot", "grid_id", "b", "building"])
        .agg(
            households=("hh", "size"), people=("size", "sum"), single=("single", "sum")
        )
        .reset_index()
        .sort_values(["site_id", "slot_start", "grid_id", "b"], kind="stable")
    )
    out: dict[str, list[tuple[str, str, list[Row]]]] = {}
    for r in iter_rows(grouped):
        slots = out.setdefault(str(r.site_id), [])
        if not slots or slots[-1][0] != r.slot_start:
            slots.append((str(r.slot_start), str(r.slot), []))
        slots[-1][2].append(
            (
                str(r.slot),
                str(r.grid_id),
                str(r.building),
                int(r.households),
                int(r.people),
                int(r.single),
            )
        )
    return out


def _cover(
    wb: Any,
    fmts: Formats,
    data: ExportData,
    site: dict[str, Any],
    people: pd.DataFrame,
    banner: str | None,
    name: str,
) -> None:
    t = data.t
    ws = wb.add_worksheet(safe_sheet_name(t("sheet_cover")))
    write_title(ws, fmts, t("roster_title", street=data.street), banner, "")
    first, last = str(site["first_slot"]), str(site["last_slot"])
    single = int(people.loc[people["key_group"], "n"].sum())
    leads = site["leads"] or []
    lead_lines = [
        t(
            "shift_lead",
            n=int(d["shift"]) + 1,
            time=d["time"],
            name=d["name"],
            phone=contact_phone(str(d["phone"])),
        )
        for d in leads
    ] or [t("to_assign")]
    # the times the vans call here (plan.json's vehicle schedule)
    pick = site_pickups(data.files.summary).get(str(site["site_id"]), [])
    rows: list[tuple[str, Any]] = [
        (t("site_id"), str(site["site_id"])),
        (t("site_name"), str(site["name"])),
        (t("address"), str(site["address"])),
        (t("community"), str(site["community"])),
        (t("kind"), str(site["kind"])),
        (t("in_out"), t("indoor") if site["indoor"] else t("outdoor")),
        (t("desks"), int(site["desks"])),
        (t("window"), f"{first}–{last}" if first else ""),
        (t("people_planned"), int(site["people"])),
        (t("households"), int(site["households"])),
        (t("buildings"), int(site["buildings"])),
        (t("grids"), str(site["grids"])),
        (t("single_people"), single),
        (
            t("pooled_people", pool=data.policy.pooling.default_pool_size),
            int(people["n"].sum()) - single,
        ),
        (t("site_lead"), "\n".join(lead_lines)),
        (
            t("pickups", h=data.policy.transport.pickup_interval_h),
            "、".join(pick) if data.lang == "zh" else ", ".join(pick),
        ),
        (
            t("site_rules"),
            "\n".join(f"{i}. {t(f'site_rule_{i}')}" for i in range(1, 5)),
        ),
    ]
    if not data.unmasked:
        rows.append(("", t("masked_note")))
    r = write_label_rows(ws, fmts, 3, rows, wrap=34)
    print_setup(
        ws,
        widths=[24, 70],
        header_rows=0,
        last_row=r - 1,
        title=name,
        banner=banner,
    )
    ws.fit_to_pages(1, 1)


def _sheet(
    wb: Any,
    fmts: Formats,
    data: ExportData,
    sheet: str,
    name: str,
    banner: str | None,
    note: str,
    heads: Sequence[str],
) -> Any:
    """Add one of a site's sheets: its title and its head row (text keys) in row 2."""
    t = data.t
    ws = wb.add_worksheet(safe_sheet_name(t(sheet)))
    write_title(ws, fmts, f"{name} · {t(sheet)}", banner, note)
    write_head(ws, fmts, 2, [t(h) for h in heads])
    return ws


def _timetable(
    wb: Any,
    fmts: Formats,
    data: ExportData,
    blocks: list[tuple[str, str, list[Row]]],
    slots: pd.DataFrame,
    banner: str | None,
    name: str,
) -> None:
    t = data.t
    heads = ["col_slot", "col_grid", "col_building", "col_households", "col_people"]
    heads += ["col_single", "col_pooled", "col_load"]
    ws = _sheet(wb, fmts, data, "sheet_timetable", name, banner, "", heads)
    load = {
        str(s): _load_pct(str(w), str(c))
        for s, w, c in zip(
            slots["slot_start"],
            slots["work_units"],
            slots["capacity_units"],
            strict=True,
        )
    }
    r = 3
    totals = [0, 0, 0]
    for start, label, rows in blocks:
        sub = [
            sum(x[3] for x in rows),
            sum(x[4] for x in rows),
            sum(x[5] for x in rows),
        ]
        totals = [a + b for a, b in zip(totals, sub, strict=True)]
        write_cells(
            ws,
            r,
            [
                t("slot_total", slot=label),
                "",
                "",
                sub[0],
                sub[1],
                sub[2],
                sub[1] - sub[2],
                load.get(start, ""),
            ],
            fmts.sub,
            fmts.sub_num,
        )
        r += 1
        for slot, grid, building, n_hh, n_people, n_single in rows:
            write_cells(
                ws,
                r,
                [
                    slot,
                    grid,
                    building,
                    n_hh,
                    n_people,
                    n_single,
                    n_people - n_single,
                    "",
                ],
                fmts.cell,
                fmts.num,
            )
            r += 1
    write_cells(
        ws,
        r,
        [
            t("total"),
            "",
            "",
            totals[0],
            totals[1],
            totals[2],
            totals[1] - totals[2],
            "",
        ],
        fmts.sub,
        fmts.sub_num,
    )
    print_setup(
        ws,
        widths=[20, 12, 26, 8, 8, 8, 8, 8],
        header_rows=3,
        last_row=r,
        title=name,
        banner=banner,
    )


def _load_pct(work: str, capacity: str) -> str:
    try:
        w, c = float(work), float(capacity)
    except ValueError:
        return ""
    return f"{w / c:.0%}" if c > 0 else ""


def _residents(
    wb: Any,
    fmts: Formats,
    data: ExportData,
    people: pd.DataFrame,
    banner: str | None,
    name: str,
) -> None:
    t = data.t
    note = t("masked_note") if data.has_register else t("no_register")
    heads = ["col_seq", "col_slot", "col_grid", "col_building", "col_unit", "col_room"]
    if data.has_register:
        heads += ["col_name", "col_id_number", "col_phone", "col_tube", "col_done"]
        widths = [6, 12, 11, 18, 7, 7, 10, 21, 14, 8, 7]
        cols = ["slot", "grid_id", "building", "unit", "room", "name"]
        cols += ["id_number", "phone", "tube"]
    else:
        heads += ["col_household", "col_people", "col_tube", "col_done"]
        widths = [6, 12, 11, 18, 7, 7, 12, 7, 8, 7]
        cols = ["slot", "grid_id", "building", "unit", "room", "household_id", "n"]
        cols += ["tube"]
    ws = _sheet(wb, fmts, data, "sheet_residents", name, banner, note, heads)
    columns: list[Sequence[Any]] = [list(range(1, len(people) + 1))]
    columns += [_cells(people[c].to_numpy()) for c in cols]
    wb.write_table(ws, 3, columns, fmts.cell, fmts.num, blank=fmts.tick)
    print_setup(
        ws,
        widths=widths,
        header_rows=3,
        last_row=2 + len(people),
        title=name,
        banner=banner,
    )


def _cells(values: np.ndarray) -> list[Any]:
    """Return a column's values as a sheet shows them: ints as numbers, else text."""
    cells: list[Any] = values.tolist()
    if all(type(v) is str for v in cells):  # most columns: text already
        return cells
    return [int(v) if isinstance(v, int | np.integer) else str(v) for v in values]


def _staff(
    wb: Any,
    fmts: Formats,
    data: ExportData,
    mine: pd.DataFrame,
    short: pd.DataFrame | None,
    banner: str | None,
    name: str,
) -> None:
    t = data.t
    heads = ("col_shift", "col_time", "col_role", "col_name", "col_org", "col_phone")
    ws = _sheet(wb, fmts, data, "sheet_staff", name, banner, t("masked_note"), heads)
    order = {role: i for i, role in enumerate(ROLE_ORDER)}
    mine = mine.assign(
        _shift=pd.to_numeric(mine["shift"], errors="coerce").fillna(0).astype(int),
        _role=mine["role"].map(order).fillna(len(order)),
    ).sort_values(["_shift", "_role", "staff_id"], kind="stable")
    missing: dict[int, list[tuple[str, int, str]]] = {}
    if short is not None:
        for row in iter_rows(short):
            missing.setdefault(int(row.shift), []).append(
                (str(row.role), int(row.missing), f"{row.shift_start}–{row.shift_end}")
            )
    mask = (lambda v: v) if data.unmasked else _mask_phone
    r = 3
    shifts = sorted(set(mine["_shift"].tolist()) | set(missing))
    for sh in shifts:
        block = mine[mine["_shift"] == sh]
        for row in iter_rows(block):
            write_cells(
                ws,
                r,
                [
                    sh + 1,
                    slot_label(str(row.shift_start), str(row.shift_end)),
                    role_name(str(row.role), data.lang),
                    str(row.name),
                    str(row.organisation),
                    mask(str(row.phone)),
                ],
                fmts.cell,
                fmts.num,
            )
            r += 1
        for role, n, when in missing.get(sh, []):
            write_cells(
                ws,
                r,
                [
                    sh + 1,
                    when,
                    role_name(role, data.lang),
                    f"{t('shortfall_row')} × {n}",
                    "",
                    "",
                ],
                fmts.sub,
                fmts.sub_num,
            )
            r += 1
    print_setup(
        ws,
        widths=[6, 14, 12, 22, 26, 14],
        header_rows=3,
        last_row=r - 1,
        title=name,
        banner=banner,
    )


def _mask_phone(value: str) -> str:
    return mask_phone(value) if value and value != "nan" else ""


def _supplies(
    wb: Any,
    fmts: Formats,
    data: ExportData,
    picks: pd.DataFrame,
    banner: str | None,
    name: str,
) -> None:
    heads = ("col_item", "col_unit_of", "col_holder", "col_quantity", "col_picked")
    ws = _sheet(wb, fmts, data, "sheet_supplies", name, banner, "", heads)
    r = 3
    for row in iter_rows(picks):
        qty = pd.to_numeric(pd.Series([row.quantity]), errors="coerce").iloc[0]
        write_cells(
            ws,
            r,
            [
                str(row.item),
                str(row.unit),
                holder_name(str(row.holder), data.lang),
                int(qty) if pd.notna(qty) else str(row.quantity),
                "",
            ],
            fmts.cell,
            fmts.num,
        )
        r += 1
    print_setup(
        ws,
        widths=[24, 8, 16, 10, 10],
        header_rows=3,
        last_row=r - 1,
        title=name,
        banner=banner,
    )
