"""Hold a finished plan: sites, household assignments, home-visit routes and solver facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.model.modes import HOME_VISIT, UNASSIGNED, WALK_UP
from planner.model.policy import Policy
from planner.model.slots import SlotGrid
from planner.model.types import BoolArray, FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class SolverReport:
    """What the optimiser did.

    Attributes
    ----------
    status
        ``optimal``, ``feasible`` or ``greedy`` (CP-SAT found nothing better in time).
    objective, bound
        Objective of the plan and the proven lower bound, person-minutes of walking
        (site, desk and grid-split costs included).
    gap
        ``(objective - bound) / objective``.
    wall_time_s
        Seconds spent in the location solve.
    """

    status: str
    objective: float
    bound: float
    gap: float
    wall_time_s: float


@dataclass(frozen=True, slots=True)
class HomeVisitTeam:
    """One door-to-door team's route.

    Attributes
    ----------
    team_id
        Stable id, ``<community index>-T<n>``.
    community
        Community the team serves.
    depot_site
        Site index the team starts from and returns to.
    households
        Household indices in visiting order.
    arrive_min
        Arrival at each household, minutes after midnight.
    finish_min
        Back at the depot, minutes after midnight.
    """

    team_id: str
    community: int
    depot_site: int
    households: tuple[int, ...]
    arrive_min: tuple[int, ...]
    finish_min: int


@dataclass(frozen=True)
class Plan:
    """A screening plan for one round.

    Attributes
    ----------
    policy
        The policy the plan was made under.
    slots
        The round's slot grid.
    site_open, site_desks, site_people, site_units
        Per candidate site: opened, desks, people sent there, work booked.
    site_slot_units
        ``(sites, slots)`` work booked per slot.
    hh_mode
        Per household: 0 walk-up, 1 home visit, 2 unassigned.
    hh_site, hh_slot
        Site and slot of walk-up households (-1 otherwise).
    hh_walk_m
        Walk to the site, metres (-1 otherwise).
    hh_people
        Residents of each household.
    hh_tube_mode
        ``pooled``, ``single``, ``mixed`` or ``household``.
    unassigned_reason
        Reason code per household ("" when assigned).
    teams
        Door-to-door routes.
    solver
        What the location solver reported.
    timings_s
        Wall seconds per stage.
    warnings
        Plan-level remarks (codes with parameters), e.g. grids out of reach.
    """

    policy: Policy
    slots: SlotGrid
    site_open: BoolArray
    site_desks: IntArray
    site_people: IntArray
    site_units: FloatArray
    site_slot_units: FloatArray
    hh_mode: IntArray
    hh_site: IntArray
    hh_slot: IntArray
    hh_walk_m: IntArray
    hh_people: IntArray
    hh_tube_mode: npt.NDArray[np.object_]
    unassigned_reason: npt.NDArray[np.object_]
    teams: tuple[HomeVisitTeam, ...]
    solver: SolverReport
    timings_s: dict[str, float] = field(default_factory=dict)
    warnings: tuple[tuple[str, dict[str, Any]], ...] = ()

    def kpis(self) -> dict[str, Any]:
        """Return the headline figures of the plan."""
        walk = self.hh_mode == WALK_UP
        people_walk = self.hh_people[walk]
        walk_m = self.hh_walk_m[walk]
        used = self.site_slot_units.sum(axis=0) > 0
        last = int(np.flatnonzero(used).max()) if used.any() else -1
        finish = (
            self.slots.label(last)[1] if last >= 0 else self.policy.round.window_start
        )
        avg_walk = float((people_walk * walk_m).sum() / max(1, people_walk.sum()))
        return {
            "sites_open": int(self.site_open.sum()),
            "desks": int(self.site_desks.sum()),
            "samplers_on_duty": int(self.site_desks.sum())
            * self.policy.sampling.samplers_per_desk
            + len(self.teams),
            "people_walk_up": int(people_walk.sum()),
            "people_home_visit": int(self.hh_people[self.hh_mode == HOME_VISIT].sum()),
            "people_unassigned": int(self.hh_people[self.hh_mode == UNASSIGNED].sum()),
            "households_unassigned": int((self.hh_mode == UNASSIGNED).sum()),
            "home_visit_teams": len(self.teams),
            "mean_walk_m": round(avg_walk, 1),
            "max_walk_m": int(walk_m.max()) if len(walk_m) else 0,
            "finish_time": finish,
            "gap": round(self.solver.gap, 5),
        }
