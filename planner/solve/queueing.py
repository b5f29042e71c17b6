"""Predict queue waits at a site with the Erlang-C (M/M/c) model.

A site with ``c`` desks, each sampling ``mu`` people per minute, receiving ``lam``
people per minute, is treated as an M/M/c queue. Erlang C gives the probability that
an arrival waits and the mean wait; the planner keeps every slot's arrival rate low
enough that the predicted mean wait stays under the policy limit.
"""

from __future__ import annotations

import math


def erlang_c(servers: int, offered_load: float) -> float:
    """Return the probability that an arrival has to wait (Erlang C).

    Parameters
    ----------
    servers
        Number of parallel servers (desks), ``c ≥ 1``.
    offered_load
        ``a = lam / mu``, in Erlangs; must be below `servers` for a steady state.

    Returns
    -------
    float
        Probability of waiting, in [0, 1]; 1.0 when the queue is unstable.
    """
    if servers < 1:
        raise ValueError("At least one server needed.")
    if offered_load <= 0:
        return 0.0
    if offered_load >= servers:
        return 1.0
    # iterative Erlang B avoids factorial overflow for large c
    b = 1.0
    for n in range(1, servers + 1):
        b = offered_load * b / (n + offered_load * b)
    rho = offered_load / servers
    return b / (1.0 - rho + rho * b)


def mean_wait_min(servers: int, arrivals_per_min: float, rate_per_min: float) -> float:
    """Return the mean wait in the queue, minutes (M/M/c), ``inf`` when overloaded.

    Parameters
    ----------
    servers
        Desks open.
    arrivals_per_min
        Arrival rate, people per minute.
    rate_per_min
        Service rate of one desk, people per minute.
    """
    if arrivals_per_min <= 0:
        return 0.0
    a = arrivals_per_min / rate_per_min
    if a >= servers:
        return math.inf
    return erlang_c(servers, a) / (servers * rate_per_min - arrivals_per_min)


def max_arrival_rate(
    servers: int, rate_per_min: float, max_wait_min: float, *, tol: float = 1e-6
) -> float:
    """Return the highest arrival rate whose mean M/M/c wait stays within the limit.

    Parameters
    ----------
    servers
        Desks open.
    rate_per_min
        Service rate of one desk, people per minute.
    max_wait_min
        Wait limit, minutes.
    tol
        Bisection tolerance, people per minute.

    Returns
    -------
    float
        People per minute, strictly below ``servers * rate_per_min``.
    """
    lo, hi = 0.0, servers * rate_per_min
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if mean_wait_min(servers, mid, rate_per_min) <= max_wait_min:
            lo = mid
        else:
            hi = mid
    return lo
