"""Jobs shared between this process and a helper process, whichever is free first.

The machine has two cores, and ``planner plan`` keeps a second process (the PDF
process) for the exports, which it lends to the plan's door-to-door routing first.
Work that splits into independent jobs is queued for that process up front; when this
process has finished its own part it takes back the jobs the other has not started,
from the end of the queue, and runs them itself, so both stay busy to the last job.
Which process ran a job changes nothing in its result.

Uses: the door-to-door routing of a plan (:mod:`planner.planning.plan`, while this
process chooses the sites) and the exports (:mod:`planner.export`: the map and PDFs,
then the door-to-door workbooks, while this process writes the site rosters).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

Job = tuple[Callable[..., Any], tuple[Any, ...]]
"""A module-level function (so the other process can run it) and its arguments."""


def _nothing() -> None:
    """Do nothing: the setup of jobs that need none."""


class SharedJobs:
    """Queue `setup` then `jobs` on `pool`; :meth:`finish` shares out what is left.

    Parameters
    ----------
    pool
        The second process, or None to run everything here on :meth:`finish`.
    setup
        Run before any job (the font every PDF sets); None for none.
    jobs
        Independent of each other, each needing only `setup`.
    """

    def __init__(
        self, pool: ProcessPoolExecutor | None, setup: Job | None, jobs: Sequence[Job]
    ) -> None:
        self._all = [setup or (_nothing, ()), *jobs]
        self._futures: list[Future[Any] | None] = [None] * len(self._all)
        self._done: dict[int, Any] = {}
        if pool is None:
            return
        with contextlib.suppress(OSError, BrokenProcessPool, RuntimeError):
            for i, (fn, args) in enumerate(self._all):
                self._futures[i] = pool.submit(fn, *args)

    def finish(self) -> list[Any]:
        """Run here the jobs the other process has not started; return all results.

        Jobs are taken back one at a time from the end of the queue while the other
        process goes on from its front, so both stay busy to the last job. Results
        come in the jobs' order (setup's first). A job the other process could not
        run for want of a process (a broken pool) is run here too.
        """
        for i in reversed(range(1, len(self._all))):
            if not self._take_back(i):
                break  # a queue runs in order: every job before this one has started
            self.setup()
            self._done[i] = self._run_here(i)
        self.setup()
        for i in range(1, len(self._all)):
            if i not in self._done:
                self._done[i] = self._result(i)
        return [self._done[i] for i in range(len(self._all))]

    def setup(self) -> Any:
        """Return setup's result once it is done (run here if not yet started)."""
        if 0 not in self._done:
            self._done[0] = self._run_here(0) if self._take_back(0) else self._result(0)
        return self._done[0]

    def _take_back(self, i: int) -> bool:
        future = self._futures[i]
        return future is None or future.cancel()

    def _run_here(self, i: int) -> Any:
        fn, args = self._all[i]
        return fn(*args)

    def _result(self, i: int) -> Any:
        future = self._futures[i]
        assert future is not None
        try:
            return future.result()
        except (OSError, BrokenProcessPool):
            return self._run_here(i)
