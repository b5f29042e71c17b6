"""Drills: simulate the screening day, stress it with disruptions, and re-plan."""

from planner.drill.day import DrillDay, build_day
from planner.drill.disruptions import (
    Disruption,
    Rain,
    SamplerNoShow,
    SealedBuilding,
    SiteClosure,
    WalkInSurge,
    parse_disruptions,
)
from planner.drill.simulate import DrillReport, simulate

__all__ = [
    "Disruption",
    "DrillDay",
    "DrillReport",
    "Rain",
    "SamplerNoShow",
    "SealedBuilding",
    "SiteClosure",
    "WalkInSurge",
    "build_day",
    "parse_disruptions",
    "simulate",
]
