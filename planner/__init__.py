"""Plan a street office's full-population nucleic-acid screening (全员核酸检测)."""

from ._errors import InfeasibleError as InfeasibleError
from ._errors import InputError as InputError
from ._errors import Issue as Issue
from ._errors import PlannerError as PlannerError
from .load import LoadedScenario as LoadedScenario
from .load import load_scenario as load_scenario
from .locate import LocateResult as LocateResult
from .locate import locate as locate
from .policy import Policy as Policy
from .scenario import Scenario as Scenario

__version__ = "0.1.0"
