"""A person-by-person SimPy model of one site's queue, the yardstick for the fast one.

Every person is a SimPy process that arrives, requests a desk from a
``simpy.Resource`` (first come, first served) and holds it for their swab. It is
slow for a whole street but plainly right; the tests check :func:`planner.drill.desks.
serve_fcfs` against it and against Erlang C.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from planner.model.types import FloatArray


def simulate_site_simpy(
    arrive: FloatArray, service: FloatArray, desks: int, open_min: float = 0.0
) -> FloatArray:
    """Return each person's swab start, minutes, for one replication.

    Parameters
    ----------
    arrive
        ``(n,)`` arrival minutes, ascending.
    service
        ``(n,)`` swab minutes.
    desks
        Desks (resource capacity).
    open_min
        When the desks start.
    """
    env = simpy.Environment(initial_time=min(float(open_min), float(arrive.min())))
    desk = simpy.Resource(env, capacity=desks)
    start = np.full(len(arrive), np.inf)

    def opening() -> Generator[Any, Any, None]:
        # every desk is held until the site opens
        reqs = [desk.request() for _ in range(desks)]
        yield env.timeout(max(0.0, open_min - env.now))
        for req in reqs:
            desk.release(req)

    def person(i: int) -> Generator[Any, Any, None]:
        yield env.timeout(float(arrive[i]) - env.now)
        with desk.request() as req:
            yield req
            start[i] = env.now
            yield env.timeout(float(service[i]))

    env.process(opening())
    # arrivals are started in order so equal arrival times keep their order
    for i in range(len(arrive)):
        env.process(person(i))
    env.run()
    return start
