"""Door-to-door sheets: one workbook per team, ``door_to_door/<team_id>.xlsx``.

Each has a team sheet (community, base, first and last door, counts, PPE rules) and a
route sheet with one row per resident in visiting order: stop, arrival time, building,
unit and room, household, name, masked ID number and phone, tube mode, a note (key
group, homebound, sealed) and an empty "sampled" column. Household columns are filled
on a household's first row only, so the printed sheet reads door by door.

Home-visit households the router could not place go to ``door_to_door/unrouted.xlsx``.

:func:`door_to_door_sheets` cuts the export's residents into one :class:`TeamSheet` per
workbook (here); :func:`write_team_sheets` writes any of them, in this process or in
the PDF process (:mod:`planner.shared_jobs`), which is why a sheet carries its
residents as plain lists and its texts as a small :class:`SheetTexts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.export._common import ExportData, InOneLanguage
from planner.export._xlsx import (
    Formats,
    new_workbook,
    print_setup,
    safe_file_stem,
    safe_sheet_name,
    write_head,
    write_label_rows,
    write_title,
)
from planner.export.timetable import team_handovers
from planner.text import Lang

UNROUTED = "unrouted"
"""File stem of the sheet of home-visit households without a route."""


ROUTE_FIELDS = (
    "team_id",
    "hh",
    "stop",
    "arrive",
    "address",
    "unit",
    "room",
    "household_id",
    "size",
    "name",
    "id_number",
    "phone",
    "tube",
    "sealed",
    "key_group",
    "homebound",
    "community",
)
"""Columns of the people frame a door-to-door workbook reads."""

Block = dict[str, list[Any]]
"""One workbook's residents, visiting order: a list of values per `ROUTE_FIELDS` name."""


@dataclass(frozen=True)
class SheetTexts(InOneLanguage):
    """What a door-to-door workbook needs of the export besides its residents.

    Small enough to send to the PDF process with the sheets it writes.
    """

    lang: Lang
    unmasked: bool
    street: str
    has_register: bool

    @classmethod
    def of(cls, data: ExportData) -> SheetTexts:
        """Return the texts of `data`'s export."""
        return cls(data.lang, data.unmasked, data.street, data.has_register)


@dataclass(frozen=True)
class TeamSheet:
    """One door-to-door workbook to write.

    Attributes
    ----------
    path
        The ``.xlsx`` file.
    info
        The team sheet's figures: team, community, depot, start, back.
    people
        The residents in visiting order.
    routed
        False for the sheet of households without a route.
    """

    path: Path
    info: dict[str, str]
    people: Block
    routed: bool

    @property
    def rows(self) -> int:
        """Resident rows."""
        return len(self.people["hh"])


def door_to_door_sheets(data: ExportData, out: Path) -> list[TeamSheet]:
    """Return the workbooks to write, one per team (and the unrouted households')."""
    folder = out / "door_to_door"
    people = data.people[data.people["mode"] == "home_visit"]
    if not len(people):
        return []
    folder.mkdir(parents=True, exist_ok=True)
    hv = data.files.home_visits
    depot = (
        dict(zip(hv["team_id"], hv["depot_site_id"], strict=True)) if len(hv) else {}
    )
    back = dict(zip(hv["team_id"], hv["team_back"], strict=True)) if len(hv) else {}
    site_names = dict(zip(data.sites["site_id"], data.sites["name"], strict=True))
    sheets: list[TeamSheet] = []
    # teams in order, each in visiting order (a stable sort keeps a stop's residents
    # in the people frame's order): one sort here, not one per team
    routed = _columns(
        people[people["team_id"] != ""].sort_values(
            ["team_id", "stop", "key_group", "r"],
            ascending=[True, True, False, True],
            kind="stable",
        )
    )
    handovers = team_handovers(data.files.summary)
    for block in _runs(routed):
        team = str(block["team_id"][0])
        dep = str(depot.get(team, ""))
        info = {
            "team": team,
            "community": str(block["community"][0]),
            "depot": f"{dep} {site_names.get(dep, '')}".strip(),
            "start": str(block["arrive"][0]),
            "back": str(back.get(team, "")),
            "handover": "\n".join(
                data.t(
                    "transport_handover_runner" if runner else "transport_handover_van",
                    at=at,
                    place=f"{place} {site_names.get(place, '')}".strip(),
                    first=lo,
                    last=hi,
                )
                for at, place, lo, hi, runner in handovers.get(team, [])
            )
            or data.t("transport_handover_none"),
        }
        path = folder / f"{safe_file_stem(team)}.xlsx"
        sheets.append(TeamSheet(path, info, block, routed=True))
    unrouted = _columns(people[people["team_id"] == ""])
    if unrouted["hh"]:
        path = folder / f"{UNROUTED}.xlsx"
        info = {"team": data.t("unrouted_title"), "community": "", "depot": ""}
        info |= {"start": "", "back": "", "handover": ""}
        sheets.append(TeamSheet(path, info, unrouted, routed=False))
    return sheets


def write_team_sheets(sheets: Sequence[TeamSheet], texts: SheetTexts) -> list[Path]:
    """Write `sheets` and return their files."""
    for sheet in sheets:
        _write_team(texts, sheet.info, sheet.people, sheet.path, routed=sheet.routed)
    return [sheet.path for sheet in sheets]


def _columns(people: pd.DataFrame) -> Block:
    return {name: people[name].tolist() for name in ROUTE_FIELDS}


def _runs(people: Block) -> list[Block]:
    """Cut `people` (sorted by team) into one block per team."""
    teams = people["team_id"]
    starts = [i for i in range(len(teams)) if i == 0 or teams[i] != teams[i - 1]]
    ends = [*starts[1:], len(teams)]
    return [
        {name: values[a:b] for name, values in people.items()}
        for a, b in zip(starts, ends, strict=True)
    ]


def _write_team(
    data: SheetTexts,
    info: dict[str, str],
    people: Block,
    path: Path,
    *,
    routed: bool,
) -> None:
    wb, fmts = new_workbook(str(path))
    banner = data.t("banner_unmasked") if data.unmasked else None
    title = data.t("d2d_title", street=data.street, team=info["team"])
    _team_sheet(wb, fmts, data, info, people, banner, title)
    _route_sheet(wb, fmts, data, people, banner, title, routed=routed)
    wb.close()


def _team_sheet(
    wb: Any,
    fmts: Formats,
    data: SheetTexts,
    info: dict[str, str],
    people: Block,
    banner: str | None,
    title: str,
) -> None:
    t = data.t
    ws = wb.add_worksheet(safe_sheet_name(t("sheet_team")))
    write_title(ws, fmts, title, banner, "")
    size = dict(zip(people["hh"], people["size"], strict=True))
    rows: list[tuple[str, Any]] = [
        (t("team"), info["team"]),
        (t("community"), info["community"]),
        (t("depot"), info["depot"]),
        (t("start"), info["start"]),
        (t("back"), info["back"]),
        (t("transport_handover"), info.get("handover", "")),
        (t("households"), len(size)),
        (t("people_total"), int(sum(size.values()))),
        (
            t("site_rules"),
            "\n".join(f"{i}. {t(f'd2d_rule_{i}')}" for i in range(1, 4)),
        ),
    ]
    if not data.unmasked:
        rows.append(("", t("masked_note")))
    r = write_label_rows(ws, fmts, 3, rows)
    print_setup(
        ws, widths=[18, 70], header_rows=0, last_row=r - 1, title=title, banner=banner
    )
    ws.fit_to_pages(1, 1)


def _note(sealed: bool, key_group: bool, homebound: bool, data: SheetTexts) -> str:
    notes = []
    if sealed:
        notes.append(data.t("sealed"))
    if key_group:
        notes.append(data.t("key_group"))
    if homebound:
        notes.append(data.t("homebound"))
    return "、".join(notes) if data.lang == "zh" else ", ".join(notes)


def _route_sheet(
    wb: Any,
    fmts: Formats,
    data: SheetTexts,
    people: Block,
    banner: str | None,
    title: str,
    *,
    routed: bool,
) -> None:
    t = data.t
    ws = wb.add_worksheet(safe_sheet_name(t("sheet_route")))
    note = t("masked_note") if data.has_register else t("no_register")
    write_title(ws, fmts, title, banner, note)
    heads = [
        t("col_stop"),
        t("col_arrive"),
        t("col_address"),
        t("col_household"),
        t("col_people"),
        t("col_name"),
        t("col_id_number"),
        t("col_phone"),
        t("col_tube"),
        t("col_note"),
        t("col_done"),
    ]
    write_head(ws, fmts, 2, heads)
    rows: list[list[int | str]] = []
    last_hh = -1
    p = people
    for hh, stop, arrive, address, unit, room, household, size, *person in zip(
        p["hh"],
        p["stop"],
        p["arrive"],
        p["address"],
        p["unit"],
        p["room"],
        p["household_id"],
        p["size"],
        p["name"],
        p["id_number"],
        p["phone"],
        p["tube"],
        p["sealed"],
        p["key_group"],
        p["homebound"],
        strict=True,
    ):
        name, id_number, phone, tube, sealed, key_group, homebound = person
        first = hh != last_hh
        last_hh = hh
        rows.append(
            [
                int(stop) if routed and first else "",
                str(arrive) if first else "",
                f"{address} {unit}{room}".strip() if first else "",
                str(household) if first else "",
                int(size) if first else "",
                str(name),
                str(id_number),
                str(phone),
                str(tube),
                _note(sealed, key_group, homebound, data),
            ]
        )
    columns = [list(c) for c in zip(*rows, strict=True)] if rows else []
    r = 1 + wb.write_table(ws, 3, columns, fmts.cell, fmts.num, blank=fmts.tick)
    print_setup(
        ws,
        widths=[6, 9, 30, 11, 6, 10, 21, 14, 12, 12, 7],
        header_rows=3,
        last_row=r - 1,
        title=title,
        banner=banner,
        landscape=True,
    )
