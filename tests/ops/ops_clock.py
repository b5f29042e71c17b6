"""The service's clock in the screening-day tests (imported by tests, not collected)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def late_today() -> dt.datetime:
    """23:30 today on the street office's clock (as UTC): every test time has passed.

    The service refuses report times ahead of its clock; the tests report the
    screening day's times (09:00, 10:40, ...) whatever the hour they run at.
    """
    from planner.ops.codes import end_of_day, local_today

    return end_of_day(local_today()) - dt.timedelta(minutes=30)


SERVE_LATE_TODAY = f"""
import functools, sys
import planner.ops.service as service
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from ops_clock import late_today
service.OpsState = functools.partial(service.OpsState, clock=late_today)
from planner.cli import main
sys.exit(main(sys.argv[1:]))
"""
"""``planner serve`` with the service's clock at :func:`late_today` (tests only)."""
