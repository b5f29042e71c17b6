"""Generate a synthetic district: streets of realistic, different sizes and ``district.toml``.

Street populations are drawn log-normally (σ = 0.45, so the largest street is
typically three to four times the smallest, as among a city district's 街道) and
scaled to sum to about the requested total; streets are laid out on a grid a
little wider than the largest street, so neighbours are a few kilometres apart.
The district pool holds hospital samplers for about a tenth of the guideline's
``population ÷ 360`` and a warehouse of swabs, tubes and masks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planner.campaign.district import DISTRICT_FILE
from planner.generate import PEOPLE_PER_KM2, generate_street
from planner.io.writers import write_scenario_folder

_NAMES = (
    "青禾",
    "明湖",
    "云杉",
    "望江",
    "松涛",
    "晴川",
    "柳岸",
    "桂园",
    "枫林",
    "竹溪",
    "梅岭",
    "兰亭",
    "荷塘",
    "石桥",
    "金沙",
    "银湖",
    "锦绣",
    "丹霞",
    "翠屏",
    "玉泉",
    "长乐",
    "永安",
    "康宁",
    "福田",
    "和平",
    "光明",
    "新华",
    "东湖",
    "西岭",
    "南湾",
    "北苑",
    "中山",
    "文昌",
    "武胜",
    "清河",
    "白沙",
    "黄鹤",
    "紫阳",
    "青山",
    "绿洲",
)

MIN_STREET_RESIDENTS = 200
"""Smallest generated street (a few buildings), residents."""


@dataclass(frozen=True, slots=True)
class GeneratedDistrict:
    """What :func:`generate_district` wrote.

    Attributes
    ----------
    path
        The district folder.
    streets
        ``(folder, street name, residents)`` per street.
    """

    path: Path
    streets: tuple[tuple[str, str, int], ...]

    @property
    def residents(self) -> int:
        """Residents of the whole district."""
        return sum(r for _f, _n, r in self.streets)


def street_sizes(streets: int, residents: int, rng: np.random.Generator) -> list[int]:
    """Return `streets` populations of different sizes summing to about `residents`."""
    if streets < 1:
        raise ValueError("At least one street is needed.")
    if residents < streets * MIN_STREET_RESIDENTS:
        raise ValueError(
            f"{residents} residents are too few for {streets} streets "
            f"(at least {MIN_STREET_RESIDENTS} each)."
        )
    weights = rng.lognormal(0.0, 0.45, streets)
    raw = weights / weights.sum() * residents
    sizes = np.maximum(MIN_STREET_RESIDENTS, np.rint(raw)).astype(np.int64)
    return [int(s) for s in sizes]


def generate_district(
    streets: int,
    residents: int,
    *,
    seed: int = 0,
    out: Path,
    name: str = "示例区",
    origin_lon: float = 114.20,
    origin_lat: float = 30.50,
    only: tuple[int, ...] | None = None,
) -> GeneratedDistrict:
    """Write a district of `streets` generated streets, about `residents` in all.

    Parameters
    ----------
    streets
        Number of streets.
    residents
        Total population (each street within about 1 % of its drawn size).
    seed
        Random seed; the same seed always gives the same district. Default 0.
    out
        District folder to write (``s01/``, ``s02/``, … and ``district.toml``).
    name
        District name. Default 示例区.
    origin_lon, origin_lat
        South-west corner, WGS-84 degrees.
    only
        Write only the streets with these indices (from 0) — a sample of a city too
        large to write whole; the others are drawn but not written. Default: all.

    Raises
    ------
    ValueError
        When there are too few residents for the streets.
    """
    rng = np.random.default_rng(seed)
    sizes = street_sizes(streets, residents, rng)
    cols = max(1, math.ceil(math.sqrt(streets)))
    cell_m = math.sqrt(max(sizes) / PEOPLE_PER_KM2) * 1000.0 * 1.3 + 500.0
    m_per_deg_lat = 110_540.0
    m_per_deg_lon = 111_320.0 * math.cos(math.radians(origin_lat))
    width = max(2, len(str(streets)))
    out.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, str, int]] = []
    entries: list[str] = []
    for i, size in enumerate(sizes):
        street_seed = int(rng.integers(0, 2**31 - 1))
        if only is not None and i not in only:
            continue
        r, q = divmod(i, cols)
        lon = origin_lon + q * cell_m / m_per_deg_lon
        lat = origin_lat + r * cell_m / m_per_deg_lat
        base = _NAMES[i % len(_NAMES)]
        street_name = (
            base + ("" if i < len(_NAMES) else str(i // len(_NAMES) + 1)) + "街道"
        )
        street = generate_street(
            size,
            seed=street_seed,
            street_name=street_name,
            origin_lon=lon,
            origin_lat=lat,
        )
        folder = f"s{i + 1:0{width}d}"
        write_scenario_folder(street.tables, street.meta, out / folder)
        n = int(street.tables["households"]["size"].sum())
        written.append((folder, street_name, n))
        side = math.sqrt(size / PEOPLE_PER_KM2) * 1000.0
        entries.append(
            "\n".join(
                [
                    "[[streets]]",
                    f'folder = "{folder}"',
                    f"lon = {lon + side / 2 / m_per_deg_lon:.6f}",
                    f"lat = {lat + side / 2 / m_per_deg_lat:.6f}",
                ]
            )
        )
    total = sum(n for _f, _s, n in written)
    hub_lon = origin_lon + (cols * cell_m / 2) / m_per_deg_lon
    hub_lat = origin_lat + (math.ceil(streets / cols) * cell_m / 2) / m_per_deg_lat
    text = [
        "# District: its streets, the samplers it can lend and its warehouse.",
        "[district]",
        f'name = "{name}"',
        f"lon = {hub_lon:.6f}",
        f"lat = {hub_lat:.6f}",
        "",
        "[pool]",
        f"samplers = {max(1, round(total / 360 / 10))}  # hospital samplers, per day",
        f"vans = {max(1, streets // 2)}",
        "",
        "[warehouse]",
        f'"采样拭子" = {math.ceil(total * 0.5 / 100) * 100}',
        f'"采样管(10混1)" = {math.ceil(total * 0.05 / 100) * 100}',
        f'"采样管(单采)" = {math.ceil(total * 0.02 / 100) * 100}',
        f'"医用防护服" = {math.ceil(total / 200 / 10) * 10}',
        f'"医用防护口罩(N95)" = {math.ceil(total / 100 / 10) * 10}',
        "",
        *(e + "\n" for e in entries),
    ]
    (out / DISTRICT_FILE).write_text("\n".join(text), encoding="utf-8")
    return GeneratedDistrict(out, tuple(written))
