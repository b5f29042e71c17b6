"""Jobs shared between this process and a second one: all done once, results in order."""

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from planner.shared_jobs import SharedJobs


def _who(tag: int) -> tuple[int, int]:
    """Return the job's tag and the process that ran it."""
    return tag, os.getpid()


def _slow(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _die_unless(pid: int) -> int:
    """End the process that runs this (a crash) unless it is process `pid`."""
    if os.getpid() != pid:
        os._exit(3)
    return pid


def _pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


def test_without_a_second_process_everything_runs_here() -> None:
    jobs = SharedJobs(None, (_slow, (0.0,)), [(_who, (k,)) for k in range(5)])
    setup, *results = jobs.finish()
    assert setup == os.getpid()
    assert results == [(k, os.getpid()) for k in range(5)]


def test_jobs_not_started_are_taken_back_and_results_keep_their_order() -> None:
    with _pool() as pool:
        # the second process is busy with setup, so the last jobs are still queued
        jobs = SharedJobs(pool, (_slow, (1.0,)), [(_who, (k,)) for k in range(8)])
        setup, *results = jobs.finish()
    assert setup != os.getpid()  # setup ran there: it had started
    assert [tag for tag, _ in results] == list(range(8))
    here = [tag for tag, pid in results if pid == os.getpid()]
    assert 7 in here  # the last one, taken back first
    assert {pid for _, pid in results} <= {os.getpid(), setup}


def test_setup_is_done_before_any_job_runs_here() -> None:
    with _pool() as pool:
        jobs = SharedJobs(pool, (_slow, (0.5,)), [(_who, (0,))])
        t0 = time.perf_counter()
        assert jobs.setup() != os.getpid()
        assert time.perf_counter() - t0 > 0.3  # waited for the other process
        assert [tag for tag, _ in jobs.finish()[1:]] == [0]


# Python 3.11's pool thread, when the pool breaks, sets an exception on futures this
# process took back (cancelled) and raises InvalidStateError there; harmless, and
# fixed in 3.12 (CPython gh-107219, PR 108974)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_crashed_second_process_leaves_its_jobs_to_this_one() -> None:
    me = os.getpid()
    with _pool() as pool:
        jobs = SharedJobs(pool, (_die_unless, (me,)), [(_who, (k,)) for k in range(3)])
        setup, *results = jobs.finish()
    assert setup == me
    assert results == [(k, me) for k in range(3)]


def test_a_pool_that_is_shut_down_runs_everything_here() -> None:
    pool = _pool()
    pool.shutdown()
    jobs = SharedJobs(pool, (_slow, (0.0,)), [(_who, (0,))])
    assert jobs.finish() == [os.getpid(), (0, os.getpid())]
