"""Generate a realistic synthetic street: communities, grids, buildings, people, sites, staff.

Everything is drawn from one seeded ``numpy.random.Generator`` in a fixed order, so a
seed always gives the same street. Household sizes follow China's 2020 census (mean
2.62 people; 1–6+ person shares 25.4/29.7/20.9/13.2/6.2/4.6 %) and ages its pyramid
(0–14: 17.95 %, 15–59: 63.35 %, 60+: 18.70 %). Names, ID numbers and phones are fake
but well-formed (ID check characters are correct). Buildings come as walk-ups (6
floors), mid-rises (11) and high-rises (18) in compounds; candidate sites are the
kinds real plans use (compound squares, school playgrounds, community service
centres, car parks, park spaces).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.model.identity import id_check_char

HOUSEHOLD_SIZE_SHARES = (0.254, 0.297, 0.209, 0.132, 0.062, 0.046)
"""Shares of 1..6+ person households, China 2020 census."""

PEOPLE_PER_KM2 = 12_000
"""Residential density of the generated street, people per square kilometre."""

REFERENCE_DATE = dt.date(2026, 11, 23)
"""Ages are as of this date (birth dates in ID numbers are consistent with it)."""

_SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
_GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯欣怡佳晨雪梅琳婷颖子轩睿博涵诗雨思彤一诺嘉"
)
_COMMUNITY_NAMES = [
    "桂园",
    "东湖",
    "青禾",
    "和平",
    "新华",
    "翠微",
    "滨江",
    "朝阳",
    "长青",
    "丽景",
    "锦华",
    "友谊",
    "紫阳",
    "民主",
    "建设",
    "振兴",
    "花园",
    "育才",
    "幸福",
    "光明",
]
_COMPOUND_HEADS = list(
    "锦绣金碧翠华阳光东方明珠天鹅湖滨春江万科保利绿城融创碧桂星河紫荆玉兰"
)
_COMPOUND_TAILS = ["花园", "小区", "苑", "家园", "新村", "雅居", "公寓", "名都"]
_AREA_CODES = [
    420102,
    420103,
    420104,
    420105,
    420106,
    420107,
    420111,
    420112,
    420113,
    420114,
    420115,
    420116,
    420117,
    421002,
    429004,
    430102,
    410102,
    360102,
]
_MOBILE_PREFIXES = [
    130,
    131,
    132,
    133,
    135,
    136,
    137,
    138,
    139,
    150,
    151,
    152,
    155,
    157,
    158,
    159,
    166,
    173,
    176,
    177,
    180,
    181,
    182,
    183,
    185,
    186,
    187,
    188,
    189,
    191,
    198,
    199,
]

_BUILDING_TYPES = {
    # name: (floors, units, flats per floor and unit)
    "多层": (6, 3, 2),
    "小高层": (11, 2, 2),
    "高层": (18, 2, 4),
}

_SITE_KINDS = {
    # kind: (desks low, desks high, indoor)
    "小区广场": (4, 8, False),
    "学校操场": (8, 12, False),
    "社区服务中心": (3, 6, True),
    "停车场": (6, 10, False),
    "公园空地": (4, 8, False),
}


@dataclass(frozen=True)
class GeneratedStreet:
    """A generated scenario: canonical tables and metadata.

    Attributes
    ----------
    tables
        ``buildings, households, residents, sites, staff, inventory`` with canonical
        columns (see :mod:`planner.io.schema`).
    meta
        ``name`` and ``coordinate_system`` (always ``wgs84``).
    layers
        ``grids``, ``compounds`` and ``walkways`` as GeoDataFrames in WGS-84 (see
        :func:`street_layers`), written beside the tables as GeoJSON.
    """

    tables: dict[str, pd.DataFrame]
    meta: dict[str, str]
    layers: dict[str, Any] = field(default_factory=dict)


def _street_name(rng: np.random.Generator) -> str:
    return str(rng.choice(["青禾", "明湖", "云杉", "望江", "松涛", "晴川"])) + "街道"


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    sur = rng.choice(_SURNAMES, n)
    g1 = rng.choice(_GIVEN, n)
    g2 = rng.choice(_GIVEN, n)
    two = rng.random(n) < 0.7
    return np.char.add(np.char.add(sur, g1), np.where(two, g2, "")).astype(object)


def _ages_for_households(rng: np.random.Generator, sizes: np.ndarray) -> np.ndarray:
    """Draw coherent ages: adults head each household, children live with adults."""
    n = int(sizes.sum())
    slot = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    size_of = np.repeat(sizes, sizes)
    head = np.repeat(rng.integers(25, 78, len(sizes)), sizes)
    # single-person households skew old (widowed elders) or young (workers)
    ages = np.empty(n, dtype=np.int64)
    first = slot == 0
    single = first & (size_of == 1)
    ages[single] = np.where(
        rng.random(single.sum()) < 0.3,
        rng.integers(62, 95, single.sum()),
        rng.integers(20, 45, single.sum()),
    )
    couple = first & (size_of > 1)
    ages[couple] = np.clip(head[couple] - rng.integers(0, 20, couple.sum()), 24, 86)
    second = slot == 1
    ages[second] = np.clip(
        np.repeat(ages[first], sizes)[second] + rng.integers(-4, 5, second.sum()),
        20,
        95,
    )
    rest = slot >= 2
    kind = rng.random(rest.sum())
    parent_age = np.repeat(ages[first], sizes)[rest]
    child = np.clip(parent_age - rng.integers(22, 36, rest.sum()), 0, 17)
    elder = np.clip(parent_age + rng.integers(24, 32, rest.sum()), 60, 98)
    young = rng.integers(18, 30, rest.sum())
    ages[rest] = np.where(kind < 0.86, child, np.where(kind < 0.97, elder, young))
    return ages


def _id_numbers(
    rng: np.random.Generator, ages: np.ndarray, male: np.ndarray
) -> np.ndarray:
    n = len(ages)
    area = rng.choice(_AREA_CODES, n)
    day_offset = rng.integers(0, 365, n)
    out = np.empty(n, dtype=object)
    ref = REFERENCE_DATE
    seq = rng.integers(0, 500, n) * 2 + male.astype(np.int64)  # odd = male
    for i in range(n):
        # born within the year that makes the age on the reference date exactly right
        age = int(ages[i])
        start = ref.replace(year=ref.year - age - 1) + dt.timedelta(days=1)
        span = (ref.replace(year=ref.year - age) - start).days + 1
        born = start + dt.timedelta(days=int(day_offset[i]) % span)
        first17 = f"{area[i]:06d}{born:%Y%m%d}{seq[i] % 1000:03d}"
        out[i] = first17 + id_check_char(first17)
    return out


def _phones(rng: np.random.Generator, n: int) -> np.ndarray:
    prefix = rng.choice(_MOBILE_PREFIXES, n)
    rest = rng.integers(0, 100_000_000, n)
    return np.array(
        [f"{p}{r:08d}" for p, r in zip(prefix, rest, strict=True)], dtype=object
    )


def generate_street(
    residents: int,
    *,
    seed: int = 0,
    sealed_buildings: int = 0,
    street_name: str | None = None,
    origin_lon: float = 114.30,
    origin_lat: float = 30.58,
) -> GeneratedStreet:
    """Generate a street of about `residents` people.

    Parameters
    ----------
    residents
        Target population (the result is within about 1 %).
    seed
        Random seed; the same seed always gives the same street. Default 0.
    sealed_buildings
        Whole buildings to mark sealed (封控). Default 0.
    street_name
        Street name; drawn from a list of fictional names by default.
    origin_lon, origin_lat
        South-west corner of the street, WGS-84 degrees.

    Returns
    -------
    GeneratedStreet
    """
    if residents < 50:
        raise ValueError("At least 50 residents are needed for a street.")
    rng = np.random.default_rng(seed)
    name = street_name or _street_name(rng)
    m_per_deg_lat = 110_540.0
    m_per_deg_lon = 111_320.0 * math.cos(math.radians(origin_lat))
    side_m = math.sqrt(residents / PEOPLE_PER_KM2) * 1000.0

    # --- households and their sizes, then buildings to hold them -------------------
    sizes_all = rng.choice(
        np.arange(1, 7),
        int(residents / 2.62 * 1.02) + 10,
        p=np.array(HOUSEHOLD_SIZE_SHARES),
    )
    while sizes_all.sum() < residents:  # small streets can draw short; draw more
        more = rng.choice(np.arange(1, 7), 50, p=np.array(HOUSEHOLD_SIZE_SHARES))
        sizes_all = np.concatenate([sizes_all, more])
    sizes_all = np.where(
        sizes_all == 6, 6 + (rng.random(len(sizes_all)) < 0.3), sizes_all
    )
    n_hh = int(np.searchsorted(np.cumsum(sizes_all), residents)) + 1
    sizes = sizes_all[:n_hh].astype(np.int64)

    # compounds of one building type each, about 1,500-3,500 residents
    compounds: list[tuple[str, int]] = []
    flats_needed = n_hh
    while flats_needed > 0:
        btype = str(rng.choice(list(_BUILDING_TYPES), p=[0.45, 0.3, 0.25]))
        floors, units, per = _BUILDING_TYPES[btype]
        flats_per_building = floors * units * per
        n_buildings = (
            int(rng.integers(3, 9)) if btype != "多层" else int(rng.integers(12, 30))
        )
        occupied = int(flats_per_building * n_buildings * rng.uniform(0.85, 0.95))
        compounds.append((btype, n_buildings))
        flats_needed -= occupied
    n_comp = len(compounds)
    cols = max(1, round(math.sqrt(n_comp)))
    rows_ = math.ceil(n_comp / cols)
    block_w, block_h = side_m / cols, side_m / rows_
    n_comm = max(1, round(residents / 10_000))

    b_rows: list[dict[str, object]] = []
    comp_centres = []
    comp_names: list[str] = []
    used_names: set[str] = set()
    for c, (btype, n_buildings) in enumerate(compounds):
        r, q = divmod(c, cols)
        cx = (q + 0.5) * block_w + rng.uniform(-0.12, 0.12) * block_w
        cy = (r + 0.5) * block_h + rng.uniform(-0.12, 0.12) * block_h
        comp_centres.append((cx, cy))
        while True:
            cname = "".join(rng.choice(_COMPOUND_HEADS, 2)) + str(
                rng.choice(_COMPOUND_TAILS)
            )
            if cname not in used_names:
                used_names.add(cname)
                break
        comp_names.append(cname)
        per_row = max(2, int(math.sqrt(n_buildings * 1.6)))
        spacing = 35.0 if btype == "多层" else 50.0
        for k in range(n_buildings):
            br, bq = divmod(k, per_row)
            # ix, iy: the building's place on its compound's lanes (before jitter)
            ix = cx + (bq - (per_row - 1) / 2) * spacing
            iy = cy + (br - (n_buildings / per_row - 1) / 2) * spacing
            bx = ix + rng.normal(0, 3)
            by = iy + rng.normal(0, 3)
            b_rows.append(
                {
                    "compound_i": c,
                    "btype": btype,
                    "x": bx,
                    "y": by,
                    "no": k + 1,
                    "ix": ix,
                    "iy": iy,
                }
            )
    buildings = pd.DataFrame(b_rows)
    # communities are contiguous bands of compounds, west to east then south to north
    comp_order = np.lexsort(
        (
            np.array([cc[1] for cc in comp_centres]),
            np.array(
                [
                    cc[0] // (side_m / max(1, round(math.sqrt(n_comm))))
                    for cc in comp_centres
                ]
            ),
        )
    )
    comp_comm = np.empty(n_comp, dtype=np.int64)
    for rank, c in enumerate(comp_order.tolist()):
        comp_comm[c] = min(n_comm - 1, rank * n_comm // n_comp)
    comm_names = [
        _COMMUNITY_NAMES[i % len(_COMMUNITY_NAMES)] + "社区" for i in range(n_comm)
    ]
    buildings["community_i"] = comp_comm[buildings["compound_i"]]
    buildings = buildings.sort_values(
        ["community_i", "compound_i", "no"], kind="stable"
    )
    buildings = buildings.reset_index(drop=True)

    # flats per building, then fill households in order (occupancy 85-95 %)
    cap = np.array(
        [
            _BUILDING_TYPES[t][0] * _BUILDING_TYPES[t][1] * _BUILDING_TYPES[t][2]
            for t in buildings["btype"]
        ]
    )
    occ = np.floor(cap * rng.uniform(0.85, 0.95, len(cap))).astype(np.int64)
    if occ.sum() < n_hh:  # the compound draw used other occupancies; fill up instead
        occ = cap.astype(np.int64)
    cum = np.cumsum(occ)
    last_b = int(np.searchsorted(cum, n_hh))
    buildings = buildings.iloc[: last_b + 1].reset_index(drop=True)
    occ = occ[: last_b + 1]
    occ[-1] = n_hh - (int(cum[last_b - 1]) if last_b > 0 else 0)
    hh_building = np.repeat(np.arange(len(buildings)), occ)

    # grids: 300-500 households within a community, cutting at building boundaries
    grid_ids = []
    grid_no: dict[int, int] = {}
    acc = 0
    current = -1
    target = int(rng.integers(300, 501))
    prev_comm = -1
    community_of = buildings["community_i"].to_numpy(dtype=np.int64)
    for b in range(len(buildings)):
        comm = int(community_of[b])
        if comm != prev_comm or acc >= target:
            grid_no[comm] = grid_no.get(comm, 0) + 1
            current = grid_no[comm]
            acc = 0
            target = int(rng.integers(300, 501))
            prev_comm = comm
        grid_ids.append(f"C{comm + 1:02d}-G{current:02d}")
        acc += int(occ[b])
    lon = origin_lon + buildings["x"].to_numpy() / m_per_deg_lon
    lat = origin_lat + buildings["y"].to_numpy() / m_per_deg_lat
    b_ids = np.array([f"B{i + 1:05d}" for i in range(len(buildings))], dtype=object)
    comp_name_of = np.array(comp_names, dtype=object)[buildings["compound_i"]]
    comm_name_of = np.array(comm_names, dtype=object)[buildings["community_i"]]
    buildings_out = pd.DataFrame(
        {
            "building_id": b_ids,
            "grid_id": grid_ids,
            "community": comm_name_of,
            "compound": comp_name_of,
            "lon": np.round(lon, 6),
            "lat": np.round(lat, 6),
            "address": [
                f"{name}{cm}{cp}{no}栋"
                for cm, cp, no in zip(
                    comm_name_of, comp_name_of, buildings["no"], strict=True
                )
            ],
            "building_type": buildings["btype"].to_numpy(),
            "floors": [_BUILDING_TYPES[t][0] for t in buildings["btype"]],
            "units": [_BUILDING_TYPES[t][1] for t in buildings["btype"]],
        }
    )

    # --- households: unit, floor, room --------------------------------------------
    flat_index = np.arange(n_hh) - np.repeat(np.cumsum(occ) - occ, occ)
    per_floor = np.array([_BUILDING_TYPES[t][2] for t in buildings["btype"]])[
        hh_building
    ]
    hh_floors = np.array([_BUILDING_TYPES[t][0] for t in buildings["btype"]])[
        hh_building
    ]
    unit = flat_index // (per_floor * hh_floors) + 1
    within = flat_index % (per_floor * hh_floors)
    floor = within // per_floor + 1
    door = within % per_floor + 1
    sealed = np.zeros(n_hh, dtype=bool)
    if sealed_buildings:
        pick = rng.choice(
            len(buildings), min(sealed_buildings, len(buildings)), replace=False
        )
        sealed = np.isin(hh_building, pick)
    h_ids = np.array([f"H{i + 1:06d}" for i in range(n_hh)], dtype=object)
    households_out = pd.DataFrame(
        {
            "household_id": h_ids,
            "building_id": b_ids[hh_building],
            "size": sizes,
            "unit": [f"{u}单元" for u in unit],
            "floor": floor,
            "room": [f"{f}{d:02d}" for f, d in zip(floor, door, strict=True)],
            "sealed": sealed,
        }
    )

    # --- residents -----------------------------------------------------------------
    n_res = int(sizes.sum())
    ages = _ages_for_households(rng, sizes)
    male = rng.random(n_res) < 0.512
    names = _names(rng, n_res)
    ids = _id_numbers(rng, ages, male)
    phones = _phones(rng, n_res)
    res_hh = np.repeat(np.arange(n_hh), sizes)
    head_of = np.repeat(np.cumsum(sizes) - sizes, sizes)
    phones = np.where(
        ages < 16, phones[head_of], phones
    )  # children give a parent's phone
    key = (ages >= 20) & (ages <= 60) & (rng.random(n_res) < 0.04)
    homebound = ((ages >= 80) & (rng.random(n_res) < 0.35)) | (
        rng.random(n_res) < 0.005
    )
    residents_out = pd.DataFrame(
        {
            "resident_id": [f"R{i + 1:07d}" for i in range(n_res)],
            "household_id": h_ids[res_hh],
            "name": names,
            "id_number": ids,
            "phone": phones,
            "age": ages,
            "sex": np.where(male, "男", "女"),
            "key_group": key,
            "homebound": homebound,
        }
    )

    # --- candidate sites -----------------------------------------------------------
    s_rows: list[dict[str, object]] = []
    comp_x = np.array([c[0] for c in comp_centres])
    comp_y = np.array([c[1] for c in comp_centres])
    for c in range(n_comp):
        # squares in about two compounds out of three; the rest share neighbours'
        if not (buildings["compound_i"] == c).any() or rng.random() < 0.35:
            continue
        s_rows.append(
            {
                "kind": "小区广场",
                "x": comp_x[c] + rng.normal(0, 15),
                "y": comp_y[c] + rng.normal(0, 15),
                "label": comp_names[c] + "中心广场",
                "comm": int(comp_comm[c]),
            }
        )
    for comm in range(n_comm):
        members = np.flatnonzero(comp_comm == comm)
        cx, cy = comp_x[members].mean(), comp_y[members].mean()
        cname = comm_names[comm]
        s_rows.append(
            {
                "kind": "社区服务中心",
                "x": cx + rng.normal(0, 40),
                "y": cy + rng.normal(0, 40),
                "label": cname + "服务中心",
                "comm": comm,
            }
        )
        for k in range(2):
            pick_i = int(rng.choice(members))
            s_rows.append(
                {
                    "kind": "学校操场" if k == 0 else "停车场",
                    "x": comp_x[pick_i] + block_w * 0.45,
                    "y": comp_y[pick_i] + rng.normal(0, 30),
                    "label": (cname[:-2] + ("小学操场" if k == 0 else "公共停车场")),
                    "comm": comm,
                }
            )
        if len(members) > 3:
            pick_i = int(rng.choice(members))
            s_rows.append(
                {
                    "kind": "公园空地",
                    "x": comp_x[pick_i] - block_w * 0.45,
                    "y": comp_y[pick_i],
                    "label": cname[:-2] + "街心公园",
                    "comm": comm,
                }
            )
    sites = pd.DataFrame(s_rows)
    lo_hi = np.array([_SITE_KINDS[k][:2] for k in sites["kind"]])
    sites_out = pd.DataFrame(
        {
            "site_id": [f"S{i + 1:03d}" for i in range(len(sites))],
            "name": sites["label"],
            "lon": np.round(origin_lon + sites["x"].to_numpy() / m_per_deg_lon, 6),
            "lat": np.round(origin_lat + sites["y"].to_numpy() / m_per_deg_lat, 6),
            "max_desks": rng.integers(lo_hi[:, 0], lo_hi[:, 1] + 1),
            "kind": sites["kind"],
            "address": [
                f"{name}{comm_names[c]}{lbl}"
                for c, lbl in zip(sites["comm"], sites["label"], strict=True)
            ],
            "community": [comm_names[c] for c in sites["comm"]],
            "indoor": [_SITE_KINDS[k][2] for k in sites["kind"]],
            "fixed": (sites["kind"] == "社区服务中心").to_numpy(),
            "open_from": "07:00",
            "open_to": np.where(sites["kind"] == "学校操场", "17:00", "20:00"),
        }
    )

    # --- staff pool: samplers a little short of two shifts of desks ------------------
    n_samplers = math.ceil(n_res / 360 * 2.5)
    n_support = math.ceil(n_samplers * 1.6)
    hc = name[:-2] + "社区卫生服务中心"
    hosp = name[:-2] + "区人民医院"
    sampler_org = np.where(rng.random(n_samplers) < 0.7, hc, hosp)
    support_org = np.array(
        [comm_names[i % n_comm] + "居委会" for i in range(n_support)], dtype=object
    )
    other = rng.random(n_support)
    support_org = np.where(
        other < 0.15, name + "办事处", np.where(other < 0.25, "志愿者", support_org)
    )
    staff_out = pd.DataFrame(
        {
            "staff_id": [f"P{i + 1:04d}" for i in range(n_samplers + n_support)],
            "name": _names(rng, n_samplers + n_support),
            "role": ["sampler"] * n_samplers + ["support"] * n_support,
            "organisation": np.concatenate([sampler_org, support_org]),
            "phone": _phones(rng, n_samplers + n_support),
            "available_from": "07:00",
            "available_to": np.where(
                rng.random(n_samplers + n_support) < 0.1, "12:00", "20:00"
            ),
        }
    )

    inventory_out = _inventory(rng, n_res)
    tables = {
        "buildings": buildings_out,
        "households": households_out,
        "residents": residents_out,
        "sites": sites_out,
        "staff": staff_out,
        "inventory": inventory_out,
    }
    layout = _Layout(
        cols=cols,
        rows=rows_,
        block_w=block_w,
        block_h=block_h,
        to_lon=lambda x: origin_lon + np.asarray(x, dtype=np.float64) / m_per_deg_lon,
        to_lat=lambda y: origin_lat + np.asarray(y, dtype=np.float64) / m_per_deg_lat,
    )
    layers = street_layers(
        layout,
        buildings,
        np.asarray(comp_centres, dtype=np.float64),
        buildings_out,
    )
    return GeneratedStreet(tables, {"name": name, "coordinate_system": "wgs84"}, layers)


def _inventory(rng: np.random.Generator, population: int) -> pd.DataFrame:
    """Stock that meets the reserve rules for most items but not all (a shortfall shows).

    Daily full-load use per item is approximated from the default bill of materials
    for one round a day (swabs ≈ 1.1 per person, a PPE set per sampler-shift and per
    home-visit household, …); holders keep 1.15–1.6 times their reserve days, except
    N95 masks at the street and swabs at the health centre, kept at 55–75 %.
    """
    per_day = {  # item: (people per unit used a day, unit, holder)
        "采样拭子": (0.9, "支", "health_center"),
        "采样管(单采)": (30.0, "支", "health_center"),
        "采样管(10混1)": (8.0, "支", "health_center"),
        "医用防护服": (36.0, "套", "health_center"),
        "医用防护口罩(N95)": (20.0, "个", "street"),
        "隔离衣": (43.0, "件", "street"),
        "面屏": (36.0, "个", "health_center"),
        "乳胶手套": (6.0, "副", "health_center"),
        "鞋套": (36.0, "双", "health_center"),
        "手消毒液": (280.0, "瓶", "street"),
        "医疗废物袋": (360.0, "个", "street"),
        "转运箱": (1400.0, "个", "street"),
        "含氯消毒片": (1400.0, "瓶", "street"),
    }
    reserve = {"street": 15, "health_center": 30}
    short = {"医用防护口罩(N95)", "采样拭子"}
    rows: list[dict[str, object]] = []
    for item, (people_per_unit, unit, holder) in per_day.items():
        daily = population / people_per_unit
        factor = rng.uniform(0.55, 0.75) if item in short else rng.uniform(1.15, 1.6)
        on_hand = math.ceil(daily * reserve[holder] * factor / 10) * 10
        if item in ("采样拭子", "医用防护服", "医用防护口罩(N95)"):
            for k, date in enumerate(("2026-11-20", "2026-11-21", "2026-11-22")):
                burn = daily * rng.uniform(
                    0.05, 0.15
                )  # 常态化 use, far below full load
                rows.append(
                    {
                        "item": item,
                        "holder": holder,
                        "on_hand": math.ceil(on_hand + burn * (2 - k)),
                        "unit": unit,
                        "date": date,
                    }
                )
        else:
            rows.append(
                {
                    "item": item,
                    "holder": holder,
                    "on_hand": on_hand,
                    "unit": unit,
                    "date": "",
                }
            )
    rows.append(
        {
            "item": "医用防护服",
            "holder": "hospital",
            "on_hand": 2400,
            "unit": "套",
            "date": "",
        }
    )
    return pd.DataFrame(rows)


def write_demo(out_dir: Path) -> None:
    """Write the shipped demo: ``demo/`` (English CSV headers) and ``demo.xlsx`` (Chinese)."""
    from planner.io.writers import (
        write_geo_layers,
        write_scenario_folder,
        write_scenario_workbook,
    )

    street = generate_street(
        60_000, seed=20261123, sealed_buildings=2, street_name="青禾街道"
    )
    write_scenario_folder(street.tables, street.meta, out_dir / "demo", headers="en")
    write_geo_layers(street.layers, out_dir / "demo")
    write_scenario_workbook(
        street.tables, street.meta, out_dir / "demo.xlsx", headers="zh"
    )
    write_geo_layers(street.layers, out_dir / "demo.xlsx")


# --- map layers: grids, compounds, walkways ------------------------------------------

WALKWAY_NODE_SPACING_M = 60.0
"""Longest street segment between walkway nodes, metres: buildings and sites are
snapped to their nearest node, so nodes this close keep the snap short."""

COMPOUND_MARGIN_M = 20.0
"""How far a compound's wall stands outside its outermost buildings, metres."""

STREET_MARGIN_M = 60.0
"""How far the street's outer grids reach beyond its outermost buildings, metres."""


@dataclass(frozen=True)
class _Layout:
    """The street's block layout: ``cols × rows`` blocks between the streets."""

    cols: int
    rows: int
    block_w: float
    block_h: float
    to_lon: Callable[[Any], np.ndarray]
    to_lat: Callable[[Any], np.ndarray]


def _densify(a: float, b: float, breaks: set[float]) -> list[float]:
    """Return the stations from `a` to `b` with `breaks` and no gap over the spacing."""
    cuts = sorted({a, b, *(v for v in breaks if a < v < b)})
    out = [cuts[0]]
    for lo, hi in itertools.pairwise(cuts):
        n = max(1, math.ceil((hi - lo) / WALKWAY_NODE_SPACING_M))
        out.extend(lo + (hi - lo) * k / n for k in range(1, n))
        out.append(hi)
    return out


def street_layers(
    layout: _Layout,
    buildings: pd.DataFrame,
    comp_centres: np.ndarray,
    buildings_out: pd.DataFrame,
) -> dict[str, Any]:
    """Return the street's grid polygons, compound outlines and walking network.

    They are made from the same layout as the buildings, so the map and the walking
    distances are those of one plausible street:

    - ``walkways``: streets on every block edge (the city grid), and in each compound
      one lane along each row of buildings, a spine across the rows at the compound's
      centre and two gates from the spine to the streets south and north of it;
    - ``compounds``: each compound's wall, a rectangle :data:`COMPOUND_MARGIN_M`
      outside its buildings;
    - ``grids``: each grid's territory, the union of its buildings' Voronoi cells
      within the street's outline (grids tile the street, as 网格 do).

    Parameters
    ----------
    layout
        Blocks and the metre → degree conversion.
    buildings
        Generator rows with ``compound_i``, ``x``, ``y`` (metres) and ``ix``, ``iy``
        (the building's place on its lane).
    comp_centres
        ``(n_compounds, 2)`` compound centres, metres.
    buildings_out
        The ``buildings`` table (ids, grids, compounds, communities), same order.

    Returns
    -------
    dict
        ``grids`` (``grid_id``, ``community``), ``compounds`` (``compound``,
        ``community``) and ``walkways`` (``kind``: 街道/小区道路) GeoDataFrames in
        EPSG:4326.
    """
    import geopandas as gpd
    import shapely
    from shapely.geometry import LineString, MultiPoint, Polygon, box

    width = layout.cols * layout.block_w
    height = layout.rows * layout.block_h

    def line(xy: list[tuple[float, float]]) -> LineString:
        a = np.asarray(xy, dtype=np.float64)
        return LineString(np.stack([layout.to_lon(a[:, 0]), layout.to_lat(a[:, 1])], 1))

    def poly(geom: Any) -> Any:
        return shapely.transform(
            geom,
            lambda a: np.stack([layout.to_lon(a[:, 0]), layout.to_lat(a[:, 1])], 1),
        )

    ways: list[tuple[str, LineString]] = []
    gates_on_row: dict[int, set[float]] = {}  # street y index → gate x positions
    comp_of = buildings["compound_i"].to_numpy(dtype=np.int64)
    for c in np.unique(comp_of).tolist():
        rows = buildings[comp_of == c]
        cx = float(comp_centres[c, 0])
        block_row = min(
            layout.rows - 1, max(0, int(comp_centres[c, 1] // layout.block_h))
        )
        lane_ys = sorted(set(rows["iy"].round(3).tolist()))
        for y in lane_ys:
            xs = sorted({*rows.loc[rows["iy"].round(3) == y, "ix"].tolist(), cx})
            if len(xs) > 1:
                ways.append(("小区道路", line([(x, y) for x in xs])))
        south, north = block_row * layout.block_h, (block_row + 1) * layout.block_h
        spine = sorted({south, *lane_ys, north})
        ways.append(("小区道路", line([(cx, y) for y in spine])))
        gates_on_row.setdefault(block_row, set()).add(cx)
        gates_on_row.setdefault(block_row + 1, set()).add(cx)
    for r in range(layout.rows + 1):
        y = r * layout.block_h
        breaks = {q * layout.block_w for q in range(layout.cols + 1)}
        xs = _densify(0.0, width, breaks | gates_on_row.get(r, set()))
        ways.append(("街道", line([(x, y) for x in xs])))
    for q in range(layout.cols + 1):
        x = q * layout.block_w
        breaks = {r * layout.block_h for r in range(layout.rows + 1)}
        ways.append(("街道", line([(x, y) for y in _densify(0.0, height, breaks)])))
    walkways = gpd.GeoDataFrame(
        {"kind": [k for k, _ in ways]}, geometry=[g for _, g in ways], crs="EPSG:4326"
    )

    comp_rows = []
    for c in np.unique(comp_of).tolist():
        members = np.flatnonzero(comp_of == c)
        bx = buildings["x"].to_numpy(dtype=np.float64)[members]
        by = buildings["y"].to_numpy(dtype=np.float64)[members]
        m = COMPOUND_MARGIN_M
        outline = box(bx.min() - m, by.min() - m, bx.max() + m, by.max() + m)
        first = int(members[0])
        comp_rows.append(
            (
                str(buildings_out["compound"].iloc[first]),
                str(buildings_out["community"].iloc[first]),
                poly(outline),
            )
        )
    compounds = gpd.GeoDataFrame(
        {"compound": [r[0] for r in comp_rows], "community": [r[1] for r in comp_rows]},
        geometry=[r[2] for r in comp_rows],
        crs="EPSG:4326",
    )

    xy = buildings[["x", "y"]].to_numpy(dtype=np.float64)
    m = STREET_MARGIN_M
    outline = box(
        min(0.0, xy[:, 0].min()) - m,
        min(0.0, xy[:, 1].min()) - m,
        max(width, xy[:, 0].max()) + m,
        max(height, xy[:, 1].max()) + m,
    )
    cells = shapely.voronoi_polygons(MultiPoint(xy), extend_to=outline, ordered=True)
    cell_list: list[Polygon] = [g.intersection(outline) for g in cells.geoms]
    grid_of = buildings_out["grid_id"].to_numpy()
    grid_rows = []
    for gid in dict.fromkeys(grid_of.tolist()):
        members = np.flatnonzero(grid_of == gid)
        area = shapely.union_all([cell_list[i] for i in members.tolist()])
        grid_rows.append(
            (
                str(gid),
                str(buildings_out["community"].iloc[int(members[0])]),
                poly(area),
            )
        )
    grids = gpd.GeoDataFrame(
        {"grid_id": [r[0] for r in grid_rows], "community": [r[1] for r in grid_rows]},
        geometry=[r[2] for r in grid_rows],
        crs="EPSG:4326",
    )
    return {"grids": grids, "compounds": compounds, "walkways": walkways}
