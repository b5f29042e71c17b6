"""Hold the office's hand edits of a plan (领导小组的决定) as frozen data, read from TOML.

A street office never signs the first plan an optimiser proposes: the leading group
opens the school rather than the market, closes a square booked that morning, gives a
compound its own site, asks for exactly 30 sites, moves the start to 07:00. These
decisions are kept beside the scenario in ``edits.toml`` and applied as constraints
on every solve (:mod:`planner.round.edits`), so a re-solve never drops them.

File format (every table optional)::

    version = 3                      # bumped by each saved change

    [round]
    date = "2026-12-12"              # screening date, ISO
    window_start = "07:00"           # start of sampling, HH:MM

    [sites]
    count = 30                       # number of sites …
    mode = "exactly"                 # … "at_most" (default) or "exactly"

    [[site]]
    id = "S006"
    state = "closed"                 # "open" (forced open) or "closed"; "" = free
    reason = "广场当天上午已被预订"
    desks = 4                        # optional: desks at this site …
    desks_mode = "fixed"             # … "fixed" (exactly) or "at_most"

    [[pin]]
    building = "B0123"               # or compound = "…", or grid = "…"
    site = "S012"
    slot = "09:00"                   # optional: slot start, HH:MM

Problems carry the file, the line of the table (``row``) and its key (``column``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue
from planner.model.clock import minutes_of
from planner.model.toml_file import read_toml

SITE_STATES = ("", "open", "closed")
"""A site edit's state: free (only desks edited), forced open, or closed."""

DESK_MODES = ("fixed", "at_most")
"""How a site edit's desks count: exactly that many, or at most."""

PIN_KINDS = ("building", "compound", "grid")
"""What a pin sends to a site."""

COUNT_MODES = ("at_most", "exactly")
"""How the number of sites counts (as :class:`planner.model.policy.SitesPolicy`)."""


@dataclass(frozen=True, slots=True)
class SiteEdit:
    """One site decided by hand.

    Parameters
    ----------
    site
        Site id.
    state
        ``open`` (must open, like a 固定点), ``closed`` (must not open), or ``""``.
    reason
        Why, in the office's words (printed in the plan document).
    desks
        Desks edited (0: not edited).
    desks_mode
        ``fixed`` (exactly `desks`, the site opens) or ``at_most``.
    """

    site: str
    state: str = ""
    reason: str = ""
    desks: int = 0
    desks_mode: str = "fixed"


@dataclass(frozen=True, slots=True)
class PinEdit:
    """A building, compound or grid sent to one site (and optionally one slot).

    Parameters
    ----------
    kind
        ``building``, ``compound`` or ``grid``.
    target
        Its id (building, grid) or name (compound).
    site
        Site id every walk-up household of the target goes to.
    slot
        Slot start ``HH:MM`` its households are booked in while the slot has room,
        or ``""``.
    """

    kind: str
    target: str
    site: str
    slot: str = ""


AREA_STATUSES = {
    "sealed": "sealed",
    "封控": "sealed",
    "controlled": "controlled",
    "管控": "controlled",
    "precaution": "precaution",
    "防范": "precaution",
}
"""An area's status by its Chinese or English name: 封控 (sealed: everyone sampled at
home), 管控 (controlled: sampled inside the area, at a site in it or door to door),
防范 (precaution: as usual, and exempt from closed management)."""

AREA_KINDS = ("compound", "grid")
"""What an area status is given for."""


@dataclass(frozen=True, slots=True)
class AreaEdit:
    """The office's status for one compound or grid (区域分级).

    Parameters
    ----------
    kind
        ``compound`` or ``grid``.
    target
        The compound's name (``小区`` or ``社区/小区``) or the grid id.
    status
        ``sealed`` (封控), ``controlled`` (管控) or ``precaution`` (防范).
    since
        When the status was set, ``YYYY-MM-DD HH:MM`` (for the first-round
        deadline: 24 h sealed, 48 h controlled), or ``""``.
    """

    kind: str
    target: str
    status: str
    since: str = ""

    def __post_init__(self) -> None:
        # 封控/管控/防范 are the same statuses as sealed/controlled/precaution
        object.__setattr__(self, "status", AREA_STATUSES.get(self.status, self.status))


@dataclass(frozen=True, slots=True)
class Edits:
    """The office's decisions, applied to every solve of a scenario.

    Parameters
    ----------
    version
        Count of saved changes (the app bumps it; the plan records it).
    sites
        Site edits, at most one per site.
    pins
        Pins, at most one per target.
    site_count
        Number of sites (fixed and forced-open ones included); 0 = not edited.
    site_count_mode
        ``at_most`` or ``exactly``.
    date
        Screening date ``YYYY-MM-DD``, or ``""``.
    window_start
        Start of sampling ``HH:MM``, or ``""`` (the policy's).
    areas
        Area statuses per compound or grid (封控/管控/防范).
    """

    version: int = 0
    sites: tuple[SiteEdit, ...] = ()
    pins: tuple[PinEdit, ...] = ()
    site_count: int = 0
    site_count_mode: str = "at_most"
    date: str = ""
    window_start: str = ""
    areas: tuple[AreaEdit, ...] = ()
    source: str = field(default="edits.toml", compare=False)

    @property
    def empty(self) -> bool:
        """Whether no decision is recorded."""
        return not (
            self.sites or self.pins or self.site_count or self.date or self.window_start
        )

    def site(self, site_id: str) -> SiteEdit | None:
        """Return the edit of `site_id`, or None."""
        return next((e for e in self.sites if e.site == site_id), None)

    def with_site(self, edit: SiteEdit) -> Edits:
        """Return a copy with `edit` replacing any edit of its site (a blank one drops it)."""
        rest = tuple(e for e in self.sites if e.site != edit.site)
        keep = edit.state != "" or edit.desks > 0
        return replace(self, sites=(*rest, edit) if keep else rest)

    def with_pin(self, pin: PinEdit) -> Edits:
        """Return a copy with `pin` replacing any pin of the same target."""
        rest = tuple(
            p for p in self.pins if (p.kind, p.target) != (pin.kind, pin.target)
        )
        return replace(self, pins=(*rest, pin))

    def lines(self, say: Callable[..., tuple[str, str]]) -> list[tuple[str, str]]:
        """Return the decisions as short lines, each ``(zh, en)``.

        `say` is :func:`planner.text.tr_both` (the model does not import the text).
        """
        out: list[tuple[str, str]] = []
        if self.date:
            out.append(say("edits_doc_date", date=self.date))
        if self.window_start:
            out.append(say("edits_doc_start", start=self.window_start))
        if self.site_count:
            out.append(
                say(f"edits_doc_count_{self.site_count_mode}", n=self.site_count)
            )
        for e in self.sites:
            parts: list[tuple[str, str]] = []
            if e.state == "closed":
                parts.append(say("edits_doc_close", site=e.site))
            elif e.state == "open":
                parts.append(say("edits_doc_open", site=e.site))
            if e.desks and e.state != "closed":
                parts.append(
                    say(f"edits_doc_desks_{e.desks_mode}", site=e.site, desks=e.desks)
                )
            why = say("edits_doc_reason", reason=e.reason) if e.reason else ("", "")
            out.extend((zh + why[0], en + why[1]) for zh, en in parts)
        for p in self.pins:
            key = "edits_doc_pin_slot" if p.slot else "edits_doc_pin"
            out.append(say(key, target=p.target, site=p.site, slot=p.slot))
        return out

    def bumped(self) -> Edits:
        """Return a copy one version on."""
        return replace(self, version=self.version + 1)

    def to_dict(self) -> dict[str, Any]:
        """Return the edits as plain values (``plan.json``, TOML)."""
        out: dict[str, Any] = {"version": self.version}
        rnd = {
            k: v
            for k, v in (("date", self.date), ("window_start", self.window_start))
            if v
        }
        if rnd:
            out["round"] = rnd
        if self.site_count:
            out["sites"] = {"count": self.site_count, "mode": self.site_count_mode}
        if self.sites:
            out["site"] = [
                {
                    "id": e.site,
                    **({"state": e.state} if e.state else {}),
                    **({"reason": e.reason} if e.reason else {}),
                    **(
                        {"desks": e.desks, "desks_mode": e.desks_mode}
                        if e.desks
                        else {}
                    ),
                }
                for e in self.sites
            ]
        if self.pins:
            out["pin"] = [
                {
                    p.kind: p.target,
                    "site": p.site,
                    **({"slot": p.slot} if p.slot else {}),
                }
                for p in self.pins
            ]
        if self.areas:
            out["area"] = [
                {
                    a.kind: a.target,
                    "status": a.status,
                    **({"since": a.since} if a.since else {}),
                }
                for a in self.areas
            ]
        return out

    def with_area(self, area: AreaEdit) -> Edits:
        """Return a copy with `area` replacing any status of the same area."""
        rest = tuple(
            a for a in self.areas if (a.kind, a.target) != (area.kind, area.target)
        )
        return replace(self, areas=(*rest, area))

    def to_toml(self) -> str:
        """Return the edits as the text of ``edits.toml`` (read back equal)."""
        d = self.to_dict()
        lines = [f"version = {d['version']}"]
        for table in ("round", "sites"):
            if table in d:
                lines += ["", f"[{table}]"]
                lines += [f"{k} = {_toml_value(v)}" for k, v in d[table].items()]
        for array in ("site", "pin", "area"):
            for row in d.get(array, []):
                lines += ["", f"[[{array}]]"]
                lines += [f"{k} = {_toml_value(v)}" for k, v in row.items()]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_toml(cls, path: Path) -> Edits:
        """Read ``edits.toml``.

        Raises
        ------
        InputError
            Every unreadable, unknown or invalid entry, with its line and key.
        """
        text, raw = read_toml(path)
        return cls.from_dict(raw, source=path.name, text=text)

    @classmethod
    def from_dict(
        cls, raw: dict[str, Any], *, source: str = "edits.toml", text: str = ""
    ) -> Edits:
        """Build edits from the parsed TOML; `text` locates problems by line."""
        issues: list[Issue] = []
        lines = _Lines(text)

        def bad(code: str, key: str, line: int | None, value: object = "") -> None:
            issues.append(
                Issue(
                    "error",
                    code,
                    source,
                    row=line,
                    column=key,
                    params=(("value", str(value)),),
                )
            )

        known = {"version", "round", "sites", "site", "pin", "area"}
        for key in raw:
            if key not in known:
                bad("edits_unknown_key", key, lines.of_key(key), key)
        version = raw.get("version", 0)
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            bad("edits_bad_value", "version", lines.of_key("version"), version)
            version = 0

        rnd = _table(raw, "round", bad, lines)
        date = _str(rnd, "date", "round", bad, lines.of_table("round"))
        if date and not _is_date(date):
            bad("edits_bad_date", "round.date", lines.of_table("round"), date)
        start = _str(rnd, "window_start", "round", bad, lines.of_table("round"))
        if start and not _is_clock(start):
            bad("edits_bad_time", "round.window_start", lines.of_table("round"), start)
        _unknown(rnd, {"date", "window_start"}, "round", bad, lines.of_table("round"))

        cnt = _table(raw, "sites", bad, lines)
        at = lines.of_table("sites")
        count = cnt.get("count", 0)
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            bad("edits_bad_value", "sites.count", at, count)
            count = 0
        mode = _str(cnt, "mode", "sites", bad, at) or "at_most"
        if mode not in COUNT_MODES:
            bad("edits_bad_choice", "sites.mode", at, mode)
        _unknown(cnt, {"count", "mode"}, "sites", bad, at)

        sites: list[SiteEdit] = []
        for n, row in enumerate(_array(raw, "site", bad, lines)):
            at = lines.of_array("site", n)
            where = f"site[{n + 1}]"
            sid = _str(row, "id", where, bad, at)
            if not sid:
                bad("edits_missing", f"{where}.id", at, "id")
            state = _str(row, "state", where, bad, at)
            if state not in SITE_STATES:
                bad("edits_bad_choice", f"{where}.state", at, state)
            desks = row.get("desks", 0)
            if not isinstance(desks, int) or isinstance(desks, bool) or desks < 0:
                bad("edits_bad_value", f"{where}.desks", at, desks)
                desks = 0
            dmode = _str(row, "desks_mode", where, bad, at) or "fixed"
            if dmode not in DESK_MODES:
                bad("edits_bad_choice", f"{where}.desks_mode", at, dmode)
            if state == "closed" and desks > 0 and dmode == "fixed":
                bad("edits_closed_with_desks", where, at, sid)
            _unknown(
                row, {"id", "state", "reason", "desks", "desks_mode"}, where, bad, at
            )
            if any(e.site == sid for e in sites):
                bad("edits_duplicate", f"{where}.id", at, sid)
            sites.append(
                SiteEdit(
                    sid,
                    state,
                    _str(row, "reason", where, bad, at),
                    int(desks),
                    dmode,
                )
            )

        pins: list[PinEdit] = []
        for n, row in enumerate(_array(raw, "pin", bad, lines)):
            at = lines.of_array("pin", n)
            where = f"pin[{n + 1}]"
            kinds = [k for k in PIN_KINDS if k in row]
            if len(kinds) != 1:
                bad("edits_pin_kind", where, at, ", ".join(kinds))
                continue
            kind = kinds[0]
            target = _str(row, kind, where, bad, at)
            site = _str(row, "site", where, bad, at)
            if not site:
                bad("edits_missing", f"{where}.site", at, "site")
            slot = _str(row, "slot", where, bad, at)
            if slot and not _is_clock(slot):
                bad("edits_bad_time", f"{where}.slot", at, slot)
            _unknown(row, {*PIN_KINDS, "site", "slot"}, where, bad, at)
            if any((p.kind, p.target) == (kind, target) for p in pins):
                bad("edits_duplicate", f"{where}.{kind}", at, target)
            pins.append(PinEdit(kind, target, site, slot))

        areas: list[AreaEdit] = []
        for n, row in enumerate(_array(raw, "area", bad, lines)):
            at = lines.of_array("area", n)
            where = f"area[{n + 1}]"
            kinds = [k for k in AREA_KINDS if k in row]
            if len(kinds) != 1:
                bad("edits_area_kind", where, at, ", ".join(kinds))
                continue
            kind = kinds[0]
            target = _str(row, kind, where, bad, at)
            status = _str(row, "status", where, bad, at)
            if status not in AREA_STATUSES:
                bad("edits_bad_choice", f"{where}.status", at, status)
            since = _str(row, "since", where, bad, at)
            if since and not _is_moment(since):
                bad("edits_bad_moment", f"{where}.since", at, since)
            _unknown(row, {*AREA_KINDS, "status", "since"}, where, bad, at)
            if any((a.kind, a.target) == (kind, target) for a in areas):
                bad("edits_duplicate", f"{where}.{kind}", at, target)
            areas.append(AreaEdit(kind, target, AREA_STATUSES.get(status, ""), since))

        if issues:
            raise InputError(issues)
        return cls(
            version=int(version),
            sites=tuple(sites),
            pins=tuple(pins),
            site_count=int(count),
            site_count_mode=mode,
            date=date,
            window_start=start,
            areas=tuple(areas),
            source=source,
        )


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    s = str(v).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{s}"'


def _is_clock(text: str) -> bool:
    try:
        minutes_of(text)
    except ValueError:
        return False
    return True


def _is_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _is_moment(text: str) -> bool:
    """Whether `text` is ``YYYY-MM-DD HH:MM``."""
    day, _, clock = text.partition(" ")
    return _is_date(day) and _is_clock(clock)


class _Lines:
    """Find the line of a key or table in the TOML text (1-based, None if unknown)."""

    def __init__(self, text: str) -> None:
        self.rows = [r.strip() for r in text.splitlines()]

    def of_key(self, key: str) -> int | None:
        for n, r in enumerate(self.rows, 1):
            if r.split("=", 1)[0].strip() == key:
                return n
            if r.startswith("["):
                break
        return None

    def of_table(self, name: str) -> int | None:
        return next(
            (n for n, r in enumerate(self.rows, 1) if r.startswith(f"[{name}]")), None
        )

    def of_array(self, name: str, index: int) -> int | None:
        found = [n for n, r in enumerate(self.rows, 1) if r.startswith(f"[[{name}]]")]
        return found[index] if index < len(found) else None


def _table(raw: dict[str, Any], name: str, bad: Any, lines: _Lines) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        bad("edits_bad_value", name, lines.of_key(name), type(value).__name__)
        return {}
    return value


def _array(
    raw: dict[str, Any], name: str, bad: Any, lines: _Lines
) -> list[dict[str, Any]]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        bad("edits_bad_value", name, lines.of_key(name), type(value).__name__)
        return []
    return value


def _str(row: dict[str, Any], key: str, where: str, bad: Any, at: int | None) -> str:
    value = row.get(key, "")
    if not isinstance(value, str):
        bad("edits_bad_value", f"{where}.{key}", at, value)
        return ""
    return value.strip()


def _unknown(
    row: dict[str, Any], keys: set[str], where: str, bad: Any, at: int | None
) -> None:
    for key in row:
        if key not in keys:
            bad("edits_unknown_key", f"{where}.{key}", at, key)


def load_edits(path: Path | None) -> Edits:
    """Read `path`, or return no edits when it is None."""
    return Edits() if path is None else Edits.from_toml(path)
