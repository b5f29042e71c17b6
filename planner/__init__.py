"""Plan a street office's full-population nucleic-acid screening (全员核酸检测)."""

from typing import TYPE_CHECKING, Any

from planner.errors import InfeasibleError as InfeasibleError
from planner.errors import InputError as InputError
from planner.errors import Issue as Issue
from planner.errors import PlannerError as PlannerError
from planner.io.load import LoadedScenario as LoadedScenario
from planner.io.load import load_scenario as load_scenario
from planner.model.policy import Policy as Policy
from planner.model.scenario import Scenario as Scenario

if TYPE_CHECKING:
    from planner.solve.locate import LocateResult as LocateResult
    from planner.solve.locate import locate as locate

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # the location core pulls in OR-Tools (a sixth of a second); `planner validate`
    # and the loaders never need it, so it is imported on first use only
    if name in ("locate", "LocateResult"):
        from planner.solve import locate as module

        return getattr(module, name)
    raise AttributeError(f"module 'planner' has no attribute {name!r}")
