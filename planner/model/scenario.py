"""Hold a street's scenario as frozen, typed arrays the solver uses without geopandas.

Units are chosen once, here: positions are whole metres east/north of the street's
centre (``x_m``, ``y_m``, a local azimuthal equidistant projection of WGS-84), times
are whole minutes after local midnight, counts are integers. Ids are the strings of
the input; rows keep input order, so plans are stable across runs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from planner.model.types import BoolArray, FloatArray, IntArray, StrArray


def _freeze(obj: object) -> None:
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if isinstance(value, np.ndarray):
            value.setflags(write=False)


@dataclass(frozen=True, slots=True)
class Buildings:
    """Buildings (楼栋), one row per building.

    Attributes
    ----------
    id
        Building id as given.
    grid, community, compound
        Index into :attr:`Scenario.grid_ids`, ``communities`` and ``compounds``.
    lon, lat
        WGS-84 degrees.
    x_m, y_m
        Metres east/north of the street centre.
    address
        Address text ("" when not given).
    floors
        Floors above ground (0 when not given).
    rural
        Whether the building's terrain is mountain/rural (longer walk limit applies).
    """

    id: StrArray
    grid: IntArray
    community: IntArray
    compound: IntArray
    lon: FloatArray
    lat: FloatArray
    x_m: IntArray
    y_m: IntArray
    address: StrArray
    floors: IntArray
    rural: BoolArray

    def __post_init__(self) -> None:
        _freeze(self)

    def __len__(self) -> int:
        return len(self.id)


@dataclass(frozen=True, slots=True)
class Households:
    """Households (户), one row per household.

    Attributes
    ----------
    id
        Household id as given.
    building
        Index into :attr:`Scenario.buildings`.
    size
        People living in the household.
    sealed
        Whether the household is sealed (封控/封闭到户): sampled at home, one tube for
        the household (key-group residents keep their single tube).
    unit, room
        Unit (单元) and room (房号) text, "" when not given.
    floor
        Floor number, 0 when not given.
    pending
        Awaiting a single-tube review after a positive pool (混管阳性待复核): isolated
        at home, sampled there one tube per person with full PPE. Takes precedence
        over ``sealed`` for the tubes.
    """

    id: StrArray
    building: IntArray
    size: IntArray
    sealed: BoolArray
    unit: StrArray
    room: StrArray
    floor: IntArray
    pending: BoolArray

    def __post_init__(self) -> None:
        _freeze(self)

    def __len__(self) -> int:
        return len(self.id)


@dataclass(frozen=True, slots=True)
class Residents:
    """Residents (居民), one row per person; personal data stays in this object.

    Attributes
    ----------
    id
        Resident id as given.
    household
        Index into :attr:`Scenario.households`.
    name, id_number, phone, sex
        As given.
    age
        Age in whole years.
    key_group
        Key group (重点人群): single tube, sampled first.
    homebound
        Cannot come to a site (行动不便/卧床): sampled at home.
    """

    id: StrArray
    household: IntArray
    name: StrArray
    id_number: StrArray
    phone: StrArray
    sex: StrArray
    age: IntArray
    key_group: BoolArray
    homebound: BoolArray

    def __post_init__(self) -> None:
        _freeze(self)

    def __len__(self) -> int:
        return len(self.id)


@dataclass(frozen=True, slots=True)
class Sites:
    """Candidate sampling sites (采样点).

    Attributes
    ----------
    id, name, kind, address, community
        As given ("" when not given).
    lon, lat
        WGS-84 degrees.
    x_m, y_m
        Metres east/north of the street centre.
    max_desks
        Most desks (采样台) the site can hold.
    indoor
        Indoor site (heat hours do not apply).
    fixed
        Already running; must stay open.
    open_from_min, open_to_min
        Opening hours, minutes after midnight (0 and 1440 when not given).
    """

    id: StrArray
    name: StrArray
    kind: StrArray
    address: StrArray
    community: StrArray
    lon: FloatArray
    lat: FloatArray
    x_m: IntArray
    y_m: IntArray
    max_desks: IntArray
    indoor: BoolArray
    fixed: BoolArray
    open_from_min: IntArray
    open_to_min: IntArray

    def __post_init__(self) -> None:
        _freeze(self)

    def __len__(self) -> int:
        return len(self.id)


@dataclass(frozen=True, slots=True)
class Staff:
    """The staff pool.

    Attributes
    ----------
    id, name, organisation, phone
        As given.
    role
        ``sampler`` (medically qualified) or ``support``.
    available_from_min, available_to_min
        Availability, minutes after midnight (0 and 1440 when not given).
    """

    id: StrArray
    name: StrArray
    role: StrArray
    organisation: StrArray
    phone: StrArray
    available_from_min: IntArray
    available_to_min: IntArray

    def __post_init__(self) -> None:
        _freeze(self)

    def __len__(self) -> int:
        return len(self.id)


@dataclass(frozen=True, slots=True)
class Inventory:
    """Stock counts of consumables by holder.

    Attributes
    ----------
    item, unit
        Item name and counting unit.
    holder
        ``street``, ``health_center`` or ``hospital``.
    on_hand
        Quantity counted, in `unit`.
    date
        Count date (``NaT`` for an undated current count).
    """

    item: StrArray
    holder: StrArray
    on_hand: FloatArray
    unit: StrArray
    date: npt.NDArray[np.datetime64]

    def __post_init__(self) -> None:
        _freeze(self)

    def __len__(self) -> int:
        return len(self.item)


@dataclass(frozen=True, slots=True)
class Labs:
    """The labs a street's sample boxes go to.

    Attributes
    ----------
    name
        Lab name (unique).
    lon, lat
        Location, WGS-84 degrees (NaN when not given).
    x_m, y_m
        Location in the street's metric frame, metres (NaN when not given: the
        drive from the last pick-up is then ``drill.lab_drive_min``).
    tubes_per_h
        Intake, tubes per hour (0 = not limited).
    open_min, close_min
        Hours the lab takes in boxes, minutes after midnight.
    result_h
        Intake to result, hours (NaN: ``transport.lab_result_h``).
    """

    name: StrArray
    lon: FloatArray
    lat: FloatArray
    x_m: FloatArray
    y_m: FloatArray
    tubes_per_h: FloatArray
    open_min: IntArray
    close_min: IntArray
    result_h: FloatArray

    def __post_init__(self) -> None:
        _freeze(self)

    def __len__(self) -> int:
        return len(self.name)


@dataclass(frozen=True, slots=True)
class WalkNetwork:
    """A walking network as an undirected graph in local metres.

    Attributes
    ----------
    node_x_m, node_y_m
        Node positions, metres.
    edge_u, edge_v
        Node indices of each edge.
    edge_len_m
        Edge lengths along the line, metres.
    """

    node_x_m: IntArray
    node_y_m: IntArray
    edge_u: IntArray
    edge_v: IntArray
    edge_len_m: IntArray

    def __post_init__(self) -> None:
        _freeze(self)


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything a street office supplies for one screening round.

    Attributes
    ----------
    name
        Scenario (street) name.
    coordinate_system
        System the input coordinates were given in (all stored ones are WGS-84).
    origin_lon, origin_lat
        Centre of the local metric frame, WGS-84 degrees.
    grid_ids, communities, compounds
        Distinct grid ids, community and compound names, in first-seen order.
    grid_community
        Community index of each grid.
    buildings, households, residents, sites, staff, inventory
        The tables; `residents` is None when no person-level register was given.
    grid_areas
        Optional grid polygons as ``(grid_id, WKT in WGS-84)``.
    walk_network
        Optional walking network.
    compound_areas
        Optional compound outlines as ``(compound name, WKT in WGS-84)``.
    hotlines
        Phones residents may call, as ``(community, phone)``; community ``""`` is
        the street's own line (``scenario.toml``: ``hotline`` and ``[scenario.hotlines]``).
    labs
        Optional labs table; None: one lab, ``drill.lab_drive_min`` from the
        street, with the ``transport.lab_*`` defaults.
    """

    name: str
    coordinate_system: str
    origin_lon: float
    origin_lat: float
    grid_ids: tuple[str, ...]
    grid_community: tuple[int, ...]
    communities: tuple[str, ...]
    compounds: tuple[str, ...]
    buildings: Buildings
    households: Households
    residents: Residents | None
    sites: Sites
    staff: Staff
    inventory: Inventory
    grid_areas: tuple[tuple[str, str], ...] = ()
    walk_network: WalkNetwork | None = None
    compound_areas: tuple[tuple[str, str], ...] = ()
    hotlines: tuple[tuple[str, str], ...] = ()

    def hotline(self, community: str) -> str:
        """Return `community`'s hotline, else the street's, else ``""``."""
        lines = dict(self.hotlines)
        return lines.get(community) or lines.get("", "")

    labs: Labs | None = None

    @property
    def population(self) -> int:
        """Residents living in the street (sum of household sizes)."""
        return int(self.households.size.sum())

    def summary(self) -> dict[str, int]:
        """Return the counts a user checks first."""
        return {
            "communities": len(self.communities),
            "grids": len(self.grid_ids),
            "buildings": len(self.buildings),
            "households": len(self.households),
            "residents": self.population,
            "residents_registered": 0
            if self.residents is None
            else len(self.residents),
            "key_group": 0
            if self.residents is None
            else int(self.residents.key_group.sum()),
            "homebound": 0
            if self.residents is None
            else int(self.residents.homebound.sum()),
            "sealed_households": int(self.households.sealed.sum()),
            "sites": len(self.sites),
            "site_desks": int(self.sites.max_desks.sum()),
            "staff": len(self.staff),
            "samplers": int((self.staff.role == "sampler").sum()),
            "support": int((self.staff.role == "support").sum()),
        }
