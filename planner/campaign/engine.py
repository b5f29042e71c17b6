"""Run the streets' campaigns on a local process pool (default) or on Ray.

Each street is one task (:func:`planner.campaign.street.run_street`): it loads its
scenario, plans and writes its rounds and returns its needs per day. Tasks share
nothing, carry their own seed and use CP-SAT's deterministic search, so the plans
are the same on either engine and with any number of workers. Larger streets go
first so the last task to finish is a small one.

On Ray the workers read the scenarios and write the plans at the paths given, so
on a multi-machine cluster those paths must be on a shared file system.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Literal

from planner.campaign.street import StreetOutcome, StreetTask, run_street
from planner.errors import InputError, Issue

Engine = Literal["local", "ray"]
ENGINES = ("local", "ray")

RAY_OBJECT_STORE_BYTES = 256 * 1024**2
"""Object store of a Ray instance started here: outcomes are small (bytes)."""


def _size(path: str) -> int:
    p = Path(path)
    if p.is_file():
        return p.stat().st_size
    return sum(f.stat().st_size for f in p.iterdir() if f.is_file())


def _largest_first(tasks: Sequence[StreetTask]) -> list[int]:
    sizes = [_size(t.path) for t in tasks]
    return sorted(range(len(tasks)), key=lambda i: (-sizes[i], i))


def default_workers() -> int:
    """Return the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def bad_option(option: str, value: object) -> InputError:
    """Return the error for a campaign option's bad `value` (``campaign_bad_option``)."""
    return InputError(
        [Issue("error", "campaign_bad_option", option, params=(("value", str(value)),))]
    )


def run_streets(
    tasks: Sequence[StreetTask],
    *,
    engine: Engine = "local",
    workers: int | None = None,
    address: str | None = None,
) -> list[StreetOutcome]:
    """Run every street's campaign and return the outcomes in task order.

    Parameters
    ----------
    tasks
        One per street.
    engine
        ``local``: a process pool on this machine (one worker runs the streets one
        after another in this process). ``ray``: Ray tasks, on the cluster at
        `address` or on a Ray instance started here for the call.
    workers
        Processes of the local pool, or CPUs of the Ray instance started here;
        default: the CPUs of this machine. Ignored for an existing Ray cluster.
    address
        Ray cluster address (``ray://host:10001`` or ``host:6379``), only with
        ``engine="ray"``.

    Raises
    ------
    InputError
        For an unknown engine, a bad worker count, an address without Ray, or Ray
        not installed.
    """
    if engine not in ENGINES:
        raise bad_option("--engine", engine)
    if workers is not None and workers < 1:
        raise bad_option("--workers", workers)
    if address is not None and engine != "ray":
        raise InputError([Issue("error", "campaign_address_without_ray", "--address")])
    order = _largest_first(tasks)
    n = workers or default_workers()
    if engine == "ray":
        results = _run_ray([tasks[i] for i in order], n, address)
    elif n == 1 or len(tasks) == 1:
        results = [run_street(tasks[i]) for i in order]
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=min(n, len(tasks)), mp_context=context
        ) as pool:
            results = list(pool.map(run_street, [tasks[i] for i in order]))
    out: list[StreetOutcome | None] = [None] * len(tasks)
    for i, r in zip(order, results, strict=True):
        out[i] = r
    return [r for r in out if r is not None]


def _run_ray(
    tasks: list[StreetTask], workers: int, address: str | None
) -> list[StreetOutcome]:
    try:
        import ray
    except ImportError:
        raise InputError([Issue("error", "campaign_ray_missing", "--engine")]) from None
    started = not ray.is_initialized()
    if started:
        options: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": False,
            "configure_logging": False,
        }
        if address is None:
            options.update(num_cpus=workers, object_store_memory=RAY_OBJECT_STORE_BYTES)
        else:
            options["address"] = address
        ray.init(**options)
    try:
        remote = ray.remote(num_cpus=1, max_retries=0)(run_street)
        return list(ray.get([remote.remote(t) for t in tasks]))
    finally:
        if started:
            ray.shutdown()
