"""Let a user cancel a running solve from another thread (the app's cancel button)."""

from __future__ import annotations

import threading
from typing import Any

from planner.errors import PlannerError


class SolveCancelled(PlannerError):
    """The user cancelled the solve; no plan was made."""


class CancelToken:
    """A flag the planner checks between stages, plus the CP-SAT solvers to stop.

    The planner registers each CP-SAT solver before it searches; :meth:`cancel` stops
    every registered search at once (``CpSolver.stop_search`` is thread-safe) and the
    planner then raises :class:`SolveCancelled` instead of returning a plan.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._solvers: list[Any] = []

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` has been called."""
        return self._event.is_set()

    def register(self, solver: Any) -> None:
        """Remember a solver to stop on cancel, just before it searches.

        Raises
        ------
        SolveCancelled
            When the solve was already cancelled: the search must not start, since a
            CP-SAT solver that is not yet searching ignores ``stop_search`` and would
            run its whole time limit. (A cancel in the microseconds between this
            check and the search's start is caught by the check after the search,
            which then runs its limit.)
        """
        with self._lock:
            self.check()
            self._solvers.append(solver)

    def cancel(self) -> None:
        """Stop every registered search and mark the solve cancelled."""
        with self._lock:
            self._event.set()
            for solver in self._solvers:
                solver.stop_search()

    def check(self) -> None:
        """Raise :class:`SolveCancelled` when the solve was cancelled."""
        if self._event.is_set():
            raise SolveCancelled("求解已取消 / The solve was cancelled.")
