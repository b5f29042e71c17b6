"""Describe what goes wrong on a drill day, and read it from the command line.

A disruption is plain data. The command line gives each as ``kind,key=value,...``
(Chinese kind names work too)::

    close,site=S006,at=10:00            关闭  a site closes at a time
    no_show,share=0.2                   缺员  a share of samplers does not turn up
    rain,from=09:30,to=11:00,factor=0.7 降雨  outdoor desks keep this share of rate
    surge,from=09:00,to=10:00,share=0.3[,site=S006]
                                        涌入  walk-ins on top of the bookings
    seal,building=B0123,at=10:30        封控  a building is sealed from a time on

Times are ``HH:MM`` local; omitted values take the policy's ``[drill]`` defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.errors import InputError, Issue
from planner.model.clock import hhmm, minutes_of
from planner.model.policy import DrillPolicy
from planner.text import Lang, tr


@dataclass(frozen=True, slots=True)
class SiteClosure:
    """Site `site_id` stops sampling at `at_min` (minutes after midnight)."""

    site_id: str
    at_min: int


@dataclass(frozen=True, slots=True)
class SamplerNoShow:
    """A `share` of the walk-up desks' samplers does not turn up all day."""

    share: float


@dataclass(frozen=True, slots=True)
class Rain:
    """Outdoor desks work at `rate_factor` of their rate from `from_min` to `to_min`."""

    rate_factor: float
    from_min: int
    to_min: int


@dataclass(frozen=True, slots=True)
class WalkInSurge:
    """Walk-ins of `share` × the people booked arrive from `from_min` to `to_min`.

    At every open site, or only at `site_id` when given.
    """

    share: float
    from_min: int
    to_min: int
    site_id: str = ""


@dataclass(frozen=True, slots=True)
class SealedBuilding:
    """Building `building_id` is sealed at `at_min`: nobody there walks to a site."""

    building_id: str
    at_min: int


Disruption = SiteClosure | SamplerNoShow | Rain | WalkInSurge | SealedBuilding

KIND_ALIASES = {
    "close": "close",
    "关闭": "close",
    "闭点": "close",
    "no_show": "no_show",
    "缺员": "no_show",
    "rain": "rain",
    "降雨": "rain",
    "下雨": "rain",
    "surge": "surge",
    "涌入": "surge",
    "seal": "seal",
    "封控": "seal",
}

_KEYS = {
    "close": {"site", "at"},
    "no_show": {"share"},
    "rain": {"from", "to", "factor"},
    "surge": {"from", "to", "share", "site"},
    "seal": {"building", "at"},
}
_REQUIRED = {
    "close": {"site", "at"},
    "no_show": {"share"},
    "rain": {"from", "to"},
    "surge": {"from", "to"},
    "seal": {"building", "at"},
}


def _issue(code: str, spec: str, **params: str) -> Issue:
    return Issue("error", code, "--disrupt", column=spec, params=tuple(params.items()))


def parse_disruptions(
    specs: Sequence[str], drill: DrillPolicy | None = None
) -> tuple[Disruption, ...]:
    """Read ``--disrupt`` specs; every problem of every spec is reported at once.

    Parameters
    ----------
    specs
        ``kind,key=value,...`` strings (see the module docstring).
    drill
        Defaults for omitted factors and shares.

    Raises
    ------
    InputError
        Naming each bad spec and what is wrong with it.
    """
    drill = drill or DrillPolicy()
    issues: list[Issue] = []
    out: list[Disruption] = []
    for spec in specs:
        head, *rest = [p.strip() for p in spec.split(",")]
        kind = KIND_ALIASES.get(head.lower())
        if kind is None:
            issues.append(_issue("disrupt_kind", spec, kind=head))
            continue
        values: dict[str, str] = {}
        bad = False
        for part in rest:
            key, eq, value = part.partition("=")
            key = key.strip().lower()
            if not eq or key not in _KEYS[kind]:
                issues.append(_issue("disrupt_key", spec, key=part))
                bad = True
                continue
            values[key] = value.strip()
        for key in sorted(_REQUIRED[kind] - values.keys()):
            issues.append(_issue("disrupt_missing", spec, key=key))
            bad = True
        if bad:
            continue
        parsed = _build(kind, values, spec, drill, issues)
        if parsed is not None:
            out.append(parsed)
    if issues:
        raise InputError(issues)
    return tuple(out)


def _build(
    kind: str,
    v: dict[str, str],
    spec: str,
    drill: DrillPolicy,
    issues: list[Issue],
) -> Disruption | None:
    n_before = len(issues)

    def minutes(key: str) -> int:
        try:
            return minutes_of(v[key])
        except ValueError:
            issues.append(_issue("disrupt_time", spec, key=key, value=v[key]))
            return 0

    def share(key: str, default: float, *, upper: float) -> float:
        if key not in v:
            return default
        try:
            x = float(v[key])
        except ValueError:
            x = -1.0
        if not 0 <= x <= upper:
            issues.append(
                _issue("disrupt_share", spec, key=key, value=v[key], upper=f"{upper:g}")
            )
        return x

    result: Disruption
    if kind == "close":
        result = SiteClosure(v["site"], minutes("at"))
    elif kind == "no_show":
        result = SamplerNoShow(share("share", 0.0, upper=1.0))
    elif kind == "seal":
        result = SealedBuilding(v["building"], minutes("at"))
    else:
        lo, hi = minutes("from"), minutes("to")
        if len(issues) == n_before and hi <= lo:
            issues.append(_issue("disrupt_order", spec))
        if kind == "rain":
            result = Rain(share("factor", drill.rain_rate_factor, upper=1.0), lo, hi)
        else:
            result = WalkInSurge(
                share("share", drill.surge_share, upper=10.0), lo, hi, v.get("site", "")
            )
    return result if len(issues) == n_before else None


def describe(d: Disruption, lang: Lang = "zh") -> str:
    """Return one line saying what the disruption is, for reports."""
    t = hhmm
    if isinstance(d, SiteClosure):
        return tr("disruption_close", lang, site=d.site_id, at=t(d.at_min))
    if isinstance(d, SamplerNoShow):
        return tr("disruption_no_show", lang, share=d.share)
    if isinstance(d, Rain):
        return tr(
            "disruption_rain",
            lang,
            start=t(d.from_min),
            end=t(d.to_min),
            factor=d.rate_factor,
        )
    if isinstance(d, WalkInSurge):
        return tr(
            "disruption_surge",
            lang,
            start=t(d.from_min),
            end=t(d.to_min),
            where=d.site_id or tr("disruption_every_site", lang),
            share=d.share,
        )
    return tr("disruption_seal", lang, building=d.building_id, at=t(d.at_min))
