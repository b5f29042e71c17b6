"""The app's edit history: each edit a version re-solved warm, undo restores the one before."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.app import steer
from planner.errors import InfeasibleError
from planner.io.load import load_scenario
from planner.model.edits import Edits
from planner.planning.plan import SolveParams
from planner.round.run import run_round


def test_edit_versions_and_undo(
    tiny_dir: Path, deterministic_params: SolveParams
) -> None:
    loaded = load_scenario(tiny_dir)
    sc, policy = (
        loaded.scenario,
        loaded.policy.with_values(**{"certify.enabled": False}),
    )
    first = run_round(sc, policy, deterministic_params)
    history = steer.EditHistory().start(Edits(), first)
    edits = steer.set_desks(history.edits, "S1", 1, "fixed")
    edits = steer.date_and_start(edits, "2026-12-12", "07:00")
    longer = steer.apply_edit(history, sc, policy, edits, deterministic_params)
    now = longer.current
    assert now is not None and now.edits.version == 1 and now.findings == ()
    assert now.result.plan.site_desks[0] == 1
    assert now.result.plan.policy.round.window_start == "07:00"
    assert now.change is not None
    back = longer.undo()
    assert back.current is not None and back.current.result is first
    assert back.undo() is back  # the first plan stays
    # an edit that cannot hold leaves the history as it was
    with pytest.raises(InfeasibleError):
        steer.apply_edit(
            longer,
            sc,
            policy,
            steer.close_site(longer.edits, "S1"),
            deterministic_params,
        )
    assert len(longer.versions) == 2


def test_site_helpers_keep_what_they_do_not_change() -> None:
    e = steer.set_desks(Edits(), "S1", 3, "at_most")
    e = steer.open_site(e, "S1", "学校")
    kept = e.site("S1")
    assert kept is not None and (kept.state, kept.desks, kept.desks_mode) == (
        "open",
        3,
        "at_most",
    )
    e = steer.close_site(e, "S1")
    assert e.site("S1") is not None and e.site("S1").desks == 0  # type: ignore[union-attr]
    assert steer.free_site(e, "S1").site("S1") is None
    e = steer.pin(steer.pin(e, "grid", "G1", "S1"), "grid", "G1", "S2")
    assert [(p.target, p.site) for p in e.pins] == [("G1", "S2")]
    assert steer.site_count(e, 30).site_count_mode == "exactly"
