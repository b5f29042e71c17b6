"""Read a district folder: street scenarios plus ``district.toml`` with the district's pools.

``district.toml``::

    [district]
    name = "江岸区"           # optional; the folder name by default
    lon = 114.31              # optional: the district warehouse (hub), WGS-84;
    lat = 30.60               #   the streets' centre by default

    [pool]
    samplers = 120            # hospital samplers the district can lend, per day
    vans = 8                  # vans for moving supplies, trips per day

    [warehouse]               # district stock, item = quantity
    "采样拭子" = 200000

    [[streets]]
    folder = "s01"            # a scenario folder or workbook inside the district
    lon = 114.30              # optional; the median of its buildings by default
    lat = 30.58

Without ``[[streets]]`` every sub-folder holding a ``buildings`` table is a street.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue
from planner.model.toml_file import read_toml

DISTRICT_FILE = "district.toml"


@dataclass(frozen=True, slots=True)
class StreetRef:
    """One street of a district.

    Attributes
    ----------
    street
        Folder (or workbook stem) name: the street's key in every output.
    path
        The scenario folder or workbook.
    lon, lat
        Position for distances, WGS-84 degrees (None: from its buildings).
    """

    street: str
    path: Path
    lon: float | None = None
    lat: float | None = None


@dataclass(frozen=True)
class DistrictSpec:
    """A district (区): its streets and its own pools.

    Attributes
    ----------
    name
        District name.
    root
        The district folder (or the single street's folder).
    streets
        Its streets, in folder order.
    samplers
        Hospital samplers the district can lend per day.
    vans
        Van trips per day for moving supplies.
    warehouse
        District stock, ``{item: quantity}``.
    lon, lat
        The warehouse (hub) position, WGS-84 degrees (None: the streets' centre).
    policy_path
        ``policy.toml`` of the district, used by streets without their own.
    single
        True when a single street was given instead of a district.
    """

    name: str
    root: Path
    streets: tuple[StreetRef, ...]
    samplers: int = 0
    vans: int = 0
    warehouse: dict[str, float] = field(default_factory=dict)
    lon: float | None = None
    lat: float | None = None
    policy_path: Path | None = None
    single: bool = False


def _is_scenario(path: Path) -> bool:
    if path.is_file():
        return path.suffix.lower() == ".xlsx"
    return path.is_dir() and any(
        f.stem.lower() in ("buildings", "楼栋") for f in path.iterdir()
    )


def _bad(column: str, value: object, why: str = "") -> Issue:
    return Issue(
        "error",
        "district_bad_value",
        DISTRICT_FILE,
        column=column,
        params=(("value", str(value)), ("why", why)),
    )


def _number(raw: dict[str, Any], key: str, where: str, issues: list[Issue]) -> float:
    value = raw.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        issues.append(_bad(f"{where}.{key}", value, "≥ 0"))
        return 0.0
    return float(value)


def _coord(raw: dict[str, Any], where: str, issues: list[Issue]) -> tuple[Any, Any]:
    lon, lat = raw.get("lon"), raw.get("lat")
    if lon is None and lat is None:
        return None, None
    ok = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat))
    if not ok or not (73 <= float(lon) <= 136 and 3 <= float(lat) <= 54):  # type: ignore[arg-type]
        issues.append(_bad(f"{where}.lon/lat", f"{lon}, {lat}", "WGS-84 in China"))
        return None, None
    return float(lon), float(lat)  # type: ignore[arg-type]


def load_district(path: Path) -> DistrictSpec:
    """Read a district folder, or wrap a single street as a district of one.

    Parameters
    ----------
    path
        A folder with ``district.toml``, or one street's scenario folder or workbook.

    Raises
    ------
    InputError
        Naming ``district.toml`` and the key of every problem (unknown key, bad
        number, street folder missing, duplicate street).
    """
    if not path.exists():
        raise InputError([Issue("error", "path_missing", str(path))])
    toml = path / DISTRICT_FILE
    if not toml.is_file():
        street = path.stem if path.is_file() else path.name
        return DistrictSpec(
            name=street, root=path, streets=(StreetRef(street, path),), single=True
        )
    _, raw = read_toml(toml)
    issues: list[Issue] = []
    for key in raw:
        if key not in ("district", "pool", "warehouse", "streets"):
            issues.append(
                Issue("error", "policy_unknown_section", DISTRICT_FILE, column=key)
            )
    head = raw.get("district", {})
    pool = raw.get("pool", {})
    for key in pool:
        if key not in ("samplers", "vans"):
            issues.append(
                Issue(
                    "error", "policy_unknown_key", DISTRICT_FILE, column=f"pool.{key}"
                )
            )
    samplers = _number(pool, "samplers", "pool", issues)
    vans = _number(pool, "vans", "pool", issues)
    warehouse = {
        str(item): _number(raw.get("warehouse", {}), item, "warehouse", issues)
        for item in raw.get("warehouse", {})
    }
    hub = _coord(head, "district", issues)
    refs: list[StreetRef] = []
    listed = raw.get("streets")
    if listed is None:
        for f in sorted(path.iterdir()):
            if not f.name.startswith((".", "_")) and _is_scenario(f):
                refs.append(StreetRef(f.stem if f.is_file() else f.name, f))
    else:
        for n, entry in enumerate(listed, start=1):
            where = f"streets[{n}]"
            folder = entry.get("folder") if isinstance(entry, dict) else None
            if not isinstance(folder, str) or not folder:
                issues.append(_bad(f"{where}.folder", folder, "folder name"))
                continue
            p = path / folder
            if not p.exists():
                issues.append(_bad(f"{where}.folder", folder, "not found"))
                continue
            lon, lat = _coord(entry, where, issues)
            refs.append(StreetRef(p.stem if p.is_file() else p.name, p, lon, lat))
    seen: set[str] = set()
    for ref in refs:
        if ref.street in seen:
            issues.append(_bad("streets.folder", ref.street, "duplicate"))
        seen.add(ref.street)
    if not refs:
        issues.append(_bad("streets", "", "no street scenario found"))
    if issues:
        raise InputError(issues)
    policy = path / "policy.toml"
    return DistrictSpec(
        name=str(head.get("name", path.name)),
        root=path,
        streets=tuple(refs),
        samplers=int(samplers),
        vans=int(vans),
        warehouse=warehouse,
        lon=hub[0],
        lat=hub[1],
        policy_path=policy if policy.is_file() else None,
    )


def policy_path_for(spec: DistrictSpec, ref: StreetRef) -> Path | None:
    """Return the policy a street is planned with: its own, else the district's."""
    own = (
        ref.path / "policy.toml"
        if ref.path.is_dir()
        else ref.path.with_suffix(".policy.toml")
    )
    if own.is_file():
        return own
    return spec.policy_path
