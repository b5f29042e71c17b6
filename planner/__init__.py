"""Plan a street office's full-population nucleic-acid screening (全员核酸检测).

The public names are imported on first use (PEP 562): ``python -m planner`` then
starts without importing pandas, so the CLI can begin parsing a workbook in the
background before the heavy imports (see :mod:`planner.io.prefetch`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.lazy import lazy_exports

if TYPE_CHECKING:
    from planner.errors import InfeasibleError as InfeasibleError
    from planner.errors import InputError as InputError
    from planner.errors import Issue as Issue
    from planner.errors import PlannerError as PlannerError
    from planner.io.load import LoadedScenario as LoadedScenario
    from planner.io.load import load_scenario as load_scenario
    from planner.model.policy import Policy as Policy
    from planner.model.scenario import Scenario as Scenario
    from planner.solve.locate import LocateResult as LocateResult
    from planner.solve.locate import locate as locate

__version__ = "0.1.0"

_HOMES = {
    "InfeasibleError": "planner.errors",
    "InputError": "planner.errors",
    "Issue": "planner.errors",
    "PlannerError": "planner.errors",
    "LoadedScenario": "planner.io.load",
    "load_scenario": "planner.io.load",
    "Policy": "planner.model.policy",
    "Scenario": "planner.model.scenario",
    "LocateResult": "planner.solve.locate",
    "locate": "planner.solve.locate",
}

__all__ = sorted(_HOMES)


__getattr__ = lazy_exports(__name__, _HOMES)
