"""Join the scenario and the plan folder's tables into the frames every export reads.

Personal data (names, ID numbers, phones) is masked here, once, unless the caller asks
for full values; nothing downstream sees an unmasked value by default.

The contact named on a building notice and on a site's cover sheet (the site lead, a
staff member on duty) is printed with the full phone number: it is a published work
contact, and a masked one could not be called. Residents' phones and the phones in staff
lists are masked.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from planner.model.clock import hhmm, minutes_of
from planner.model.identity import mask_id_number, mask_phone
from planner.model.plan_tables import PlanTables
from planner.model.policy import Policy, parse_day
from planner.model.scenario import Scenario
from planner.text import Lang, tr


class PlanMismatchError(ValueError):
    """The plan folder's tables do not belong to the scenario."""


CONTACT_PHONE_FULL = True
"""Print the on-duty contact's phone in full on notices and cover sheets."""


def _sort_key_text(value: str) -> tuple[int, str]:
    """Sort ``"10"`` after ``"9"`` and ``"2单元"`` after ``"10单元"``'s digits."""
    m = re.match(r"\d+", value)
    return (int(m.group()) if m else 1 << 30, value)


def natural_rank(values: pd.Series) -> npt.NDArray[np.int64]:
    """Return each value's rank in natural order (numbers by value, then text)."""
    uniq = sorted(set(values.tolist()), key=lambda v: _sort_key_text(str(v)))
    rank = {v: i for i, v in enumerate(uniq)}
    return values.map(rank).to_numpy(dtype=np.int64)


def iter_rows(frame: pd.DataFrame) -> Iterator[Any]:
    """Iterate over `frame`'s rows as named tuples (fields typed loosely)."""
    return iter(frame.itertuples(index=False))


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return `frame`'s rows as dicts keyed by column name."""
    return cast(list[dict[str, Any]], frame.to_dict("records"))


def slot_label(start: str, end: str) -> str:
    """Return ``08:00–08:30``."""
    return f"{start}–{end}" if start else ""


def bearing_index(lon0: float, lat0: float, lon1: float, lat1: float) -> int:
    """Return the compass point (0 north … 7 north-west) from point 0 to point 1."""
    dx = (lon1 - lon0) * math.cos(math.radians((lat0 + lat1) / 2))
    dy = lat1 - lat0
    if dx == 0 and dy == 0:
        return 0
    angle = math.degrees(math.atan2(dx, dy)) % 360
    return int(((angle + 22.5) % 360) // 45)


def pickup_times(first: str, last: str, interval_h: float) -> list[str]:
    """Return sample pick-up times: every `interval_h` hours after `first`, and `last`."""
    if not first or not last:
        return []
    a, b = minutes_of(first), minutes_of(last)
    step = max(1, int(interval_h * 60))
    times = [*range(a + step, b, step), b]
    return [hhmm(t) for t in times]


def screening_day(policy: Policy) -> datetime.date | None:
    """Return the screening day the policy fixes (``round.screening_date``), if any."""
    return (
        parse_day(policy.round.screening_date) if policy.round.screening_date else None
    )


def day_text(day: datetime.date, lang: Lang, *, year: bool = True) -> str:
    """Return ``2026年12月9日`` (or ``12月9日`` without the year)."""
    key = "notices_day" if year else "notices_day_short"
    return tr(key, lang, y=day.year, m=day.month, d=day.day)


def weekday_text(day: datetime.date, lang: Lang) -> str:
    """Return ``星期三``."""
    return tr(f"notices_weekday_{day.weekday()}", lang)


def date_line(policy: Policy, lang: Lang) -> str:
    """Return the notice's date line: the day and weekday, or a blank to fill in."""
    day = screening_day(policy)
    if day is None:
        return tr("notices_date_blank", lang)
    return tr(
        "notices_date", lang, date=day_text(day, lang), weekday=weekday_text(day, lang)
    )


class InOneLanguage:
    """A part of an export printed in one language (its `lang`), with :meth:`t`.

    The export's data and the small parts of it sent to the PDF process share it.
    """

    lang: Lang

    def t(self, key: str, /, **values: object) -> str:
        """Return string `key` in the export's language."""
        return tr(key, self.lang, **values)


@dataclass(frozen=True)
class ExportData(InOneLanguage):
    """Everything the writers need, joined once.

    Attributes
    ----------
    scenario, files, policy, lang, unmasked
        Inputs.
    street
        Street name.
    households
        One row per household in scenario order: ids, building, grid, community,
        address, unit/floor/room, size, sealed, mode, site, slot, tube mode, walk, and
        for home visits team, stop and arrival.
    people
        One row per resident (or per household when there is no register): the
        household's columns plus name, masked ID number and phone, key group,
        homebound and tube label. Sorted in calling order.
    sites
        One row per candidate site with the plan's columns and the scenario's address,
        community, kind and contact (site lead) per site.
    buildings
        One row per building: address, short label, grid, site, slots, counts, walk.
    picks
        Per-site pick lists (``supplies_by_site``) or None.
    """

    scenario: Scenario
    files: PlanTables
    policy: Policy
    lang: Lang
    unmasked: bool
    street: str
    households: pd.DataFrame
    people: pd.DataFrame
    sites: pd.DataFrame
    buildings: pd.DataFrame
    picks: pd.DataFrame | None
    has_register: bool


def _short_address(address: str, street: str, community: str) -> str:
    out = address
    for prefix in (street, community):
        if prefix and out.startswith(prefix) and len(out) > len(prefix):
            out = out[len(prefix) :]
    return out


def _tube_label(
    key_group: bool, sealed: bool, lang: Lang, pending: bool = False
) -> str:
    # a key-group resident keeps the single tube in a sealed household, and a
    # household pending a single-tube review has one tube per person
    if key_group or pending:
        return tr("tube_single", lang)
    return tr("tube_household" if sealed else "tube_pooled", lang)


def _int_column(frame: pd.DataFrame, column: str, default: int = 0) -> pd.Series:
    if column not in frame:
        return pd.Series(default, index=frame.index, dtype=np.int64)
    return (
        pd.to_numeric(frame[column], errors="coerce").fillna(default).astype(np.int64)
    )


def prepare(
    scenario: Scenario,
    files: PlanTables,
    *,
    lang: Lang,
    unmasked: bool,
) -> ExportData:
    """Join the scenario and plan tables into :class:`ExportData`."""
    sc = scenario
    b, h = sc.buildings, sc.households
    street = sc.name
    grid_ids = np.asarray(sc.grid_ids, dtype=object)
    communities = np.asarray(sc.communities, dtype=object)
    compounds = np.asarray(sc.compounds, dtype=object)
    b_comm = communities[b.community] if len(communities) else np.full(len(b), "")
    b_addr = np.where(
        b.address != "",
        b.address,
        compounds[b.compound].astype(str) + b.id.astype(str),
    )
    short = [
        _short_address(str(a), street, str(c))
        for a, c in zip(b_addr, b_comm, strict=True)
    ]

    # households: scenario order, plan columns joined by id
    asg = files.assignments.set_index("household_id")
    idx = pd.Index(asg.index).get_indexer(pd.Index(h.id))
    if (idx < 0).any():
        raise PlanMismatchError(
            "assignments.csv does not match the scenario's households "
            f"({int((idx < 0).sum())} household ids missing)"
        )
    a = asg.iloc[idx]
    if len(asg) != len(h) or (
        "building_id" in a
        and (a["building_id"].to_numpy(dtype=object) != b.id[h.building]).any()
    ):
        raise PlanMismatchError(
            "assignments.csv does not match the scenario's households and buildings"
        )
    hh = pd.DataFrame(
        {
            "household_id": h.id,
            "hh": np.arange(len(h)),
            "b": h.building,
            "building_id": b.id[h.building],
            "grid_id": grid_ids[b.grid[h.building]],
            "community": b_comm[h.building],
            "address": b_addr[h.building],
            "building": np.asarray(short, dtype=object)[h.building],
            "unit": h.unit,
            "floor": h.floor,
            "room": h.room,
            "size": h.size,
            "sealed": h.sealed,
            "pending": h.pending,
            "mode": a["mode"].to_numpy(dtype=object),
            "site_id": a["site_id"].to_numpy(dtype=object),
            "slot_start": a["slot_start"].to_numpy(dtype=object),
            "slot_end": a["slot_end"].to_numpy(dtype=object),
            "tube_mode": a["tube_mode"].to_numpy(dtype=object),
            "walk_m": _int_column(a, "walk_m", -1).to_numpy(),
        }
    )
    hv = files.home_visits
    hh["team_id"] = ""
    hh["stop"] = 0
    hh["arrive"] = ""
    if len(hv):
        pos = pd.Index(h.id).get_indexer(pd.Index(hv["household_id"]))
        ok = pos >= 0
        hh.loc[pos[ok], "team_id"] = hv["team_id"].to_numpy(dtype=object)[ok]
        hh.loc[pos[ok], "stop"] = _int_column(hv, "stop").to_numpy()[ok]
        hh.loc[pos[ok], "arrive"] = hv["arrive"].to_numpy(dtype=object)[ok]
    hh["slot"] = [
        slot_label(str(s), str(e))
        for s, e in zip(hh["slot_start"], hh["slot_end"], strict=True)
    ]
    hh["unit_rank"] = natural_rank(hh["unit"].astype(str))
    hh["room_rank"] = natural_rank(hh["room"].astype(str))

    # people: one row per resident, or per household without a register
    r = sc.residents
    has_register = r is not None and len(r) > 0
    if r is not None and has_register:
        mask_id = (lambda v: str(v)) if unmasked else mask_id_number
        mask_ph = (lambda v: str(v)) if unmasked else mask_phone
        people = pd.DataFrame(
            {
                "hh": r.household,
                "r": np.arange(len(r)),
                "name": r.name,
                "id_number": [mask_id(str(v)) for v in r.id_number],
                "phone": [mask_ph(str(v)) for v in r.phone],
                "key_group": r.key_group,
                "homebound": r.homebound,
                "n": 1,
            }
        )
    else:
        people = pd.DataFrame(
            {
                "hh": np.arange(len(h)),
                "r": np.arange(len(h)),
                "name": "",
                "id_number": "",
                "phone": "",
                "key_group": False,
                "homebound": False,
                "n": h.size,
            }
        )
    people = people.merge(hh, on="hh", how="left", sort=False)
    people["tube"] = [
        _tube_label(bool(k), bool(s), lang, bool(q))
        for k, s, q in zip(
            people["key_group"], people["sealed"], people["pending"], strict=True
        )
    ]
    people = people.sort_values(
        [
            "site_id",
            "slot_start",
            "grid_id",
            "b",
            "unit_rank",
            "floor",
            "room_rank",
            "hh",
            "key_group",
            "r",
        ],
        ascending=[True, True, True, True, True, True, True, True, False, True],
        kind="stable",
    ).reset_index(drop=True)

    sites = _site_frame(sc, files, hh)
    buildings = _building_frame(sc, hh, b_addr, short, b_comm, compounds, sites)
    return ExportData(
        scenario=sc,
        files=files,
        policy=files.policy,
        lang=lang,
        unmasked=unmasked,
        street=street,
        households=hh,
        people=people,
        sites=sites,
        buildings=buildings,
        picks=files.supplies_by_site,
        has_register=has_register,
    )


def _site_frame(sc: Scenario, files: PlanTables, hh: pd.DataFrame) -> pd.DataFrame:
    s = sc.sites
    plan = files.sites.set_index("site_id")
    idx = pd.Index(plan.index).get_indexer(pd.Index(s.id))
    if (idx < 0).any() or len(plan) != len(s):
        raise PlanMismatchError("sites.csv does not match the scenario's sites")
    p = plan.iloc[idx]
    frame = pd.DataFrame(
        {
            "site_id": s.id,
            "name": s.name,
            "address": np.where(s.address != "", s.address, s.name),
            "community": s.community,
            "kind": s.kind,
            "indoor": s.indoor,
            "fixed": s.fixed,
            "lon": s.lon,
            "lat": s.lat,
            "open": p["open"].to_numpy(dtype=bool),
            "desks": _int_column(p, "desks").to_numpy(),
            "people": _int_column(p, "people").to_numpy(),
            "first_slot": p["first_slot"].to_numpy(dtype=object),
            "last_slot": p["last_slot"].to_numpy(dtype=object),
        }
    )
    walk = hh[hh["mode"] == "walk_up"]
    counts = walk.groupby("site_id").agg(
        households=("hh", "size"),
        buildings=("b", "nunique"),
        grids=("grid_id", lambda g: "、".join(dict.fromkeys(g.astype(str)))),
    )
    frame = frame.join(counts, on="site_id")
    frame["households"] = frame["households"].fillna(0).astype(np.int64)
    frame["buildings"] = frame["buildings"].fillna(0).astype(np.int64)
    frame["grids"] = frame["grids"].fillna("")
    leads = _site_leads(files.staff)
    frame["leads"] = pd.Series(
        [leads.get(str(sid), []) for sid in frame["site_id"]],
        index=frame.index,
        dtype=object,
    )
    return frame


def _site_leads(staff: pd.DataFrame | None) -> dict[str, list[dict[str, Any]]]:
    """Return each site's leads per shift: shift, time, name, phone (full)."""
    if staff is None or not len(staff) or "role" not in staff:
        return {}
    leads = staff[staff["role"] == "site_lead"]
    out: dict[str, list[dict[str, Any]]] = {}
    for row in iter_rows(leads):
        out.setdefault(str(row.site_id), []).append(
            {
                "shift": int(row.shift),
                "time": f"{row.shift_start}–{row.shift_end}",
                "name": str(row.name),
                "phone": str(row.phone),
            }
        )
    for v in out.values():
        v.sort(key=lambda d: int(d["shift"]))
    return out


def contact_phone(phone: str) -> str:
    """Return the contact's phone as printed on notices and cover sheets."""
    return phone if CONTACT_PHONE_FULL else mask_phone(phone)


def main_site(walk: pd.DataFrame) -> pd.Series:
    """Return, by building ``b``, the site most of its walk-up households go to.

    On a tie the first site id in order, as ``Series.mode`` gives it; counted for
    every building at once (a ``mode`` per building took a tenth of a second).
    """
    pairs = walk.groupby(["b", "site_id"]).size().reset_index(name="n")
    pairs = pairs.sort_values(["b", "n", "site_id"], ascending=[True, False, True])
    return pairs.drop_duplicates("b").set_index("b")["site_id"]


def slot_lists(walk: pd.DataFrame) -> pd.Series:
    """Return, by building ``b``, its households' distinct slots in order, ``;``-joined."""
    distinct = walk[["b", "slot"]].astype({"slot": str}).drop_duplicates()
    return distinct.sort_values(["b", "slot"]).groupby("b")["slot"].agg(";".join)


def _building_frame(
    sc: Scenario,
    hh: pd.DataFrame,
    b_addr: np.ndarray,
    short: list[str],
    b_comm: np.ndarray,
    compounds: np.ndarray,
    sites: pd.DataFrame,
) -> pd.DataFrame:
    b = sc.buildings
    frame = pd.DataFrame(
        {
            "b": np.arange(len(b)),
            "building_id": b.id,
            "address": b_addr,
            "building": short,
            "grid_id": np.asarray(sc.grid_ids, dtype=object)[b.grid],
            "community": b_comm,
            "compound": compounds[b.compound],
            "lon": b.lon,
            "lat": b.lat,
        }
    )
    g = hh.groupby("b")
    frame["households"] = g.size().reindex(frame["b"]).fillna(0).astype(int).values
    frame["people"] = g["size"].sum().reindex(frame["b"]).fillna(0).astype(int).values
    walk = hh[hh["mode"] == "walk_up"]
    gw = walk.groupby("b")
    frame["walk_up_households"] = (
        gw.size().reindex(frame["b"]).fillna(0).astype(int).values
    )
    frame["walk_up_people"] = (
        gw["size"].sum().reindex(frame["b"]).fillna(0).astype(int).values
    )
    home = hh[hh["mode"] == "home_visit"]
    gh = home.groupby("b")
    frame["home_households"] = (
        gh.size().reindex(frame["b"]).fillna(0).astype(int).values
    )
    frame["home_people"] = (
        gh["size"].sum().reindex(frame["b"]).fillna(0).astype(int).values
    )
    frame["site_id"] = main_site(walk).reindex(frame["b"]).fillna("").values
    frame["walk_m"] = (
        gw["walk_m"].max().reindex(frame["b"]).fillna(-1).astype(int).values
    )
    frame["slots"] = slot_lists(walk).reindex(frame["b"]).fillna("").values
    first = gw["slot_start"].min()
    frame["first_slot"] = first.reindex(frame["b"]).fillna("").values
    mode = np.where(
        frame["walk_up_households"] == 0,
        np.where(frame["home_households"] > 0, "home_visit", "none"),
        np.where(frame["home_households"] > 0, "mixed", "walk_up"),
    )
    frame["mode"] = mode
    names = dict(zip(sites["site_id"], sites["name"], strict=True))
    frame["site_name"] = [names.get(str(s), "") for s in frame["site_id"]]
    return frame
