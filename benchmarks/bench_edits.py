"""Time a warm re-solve after one hand edit on the demo street, and what it moves.

Run: PYTHONPATH=. .venv/bin/python benchmarks/bench_edits.py [--repeat 2] [--certify]

Plans the demo cold (certification off), then for each single edit (close the busiest
site, force a closed site open, cap a site's desks, pin a building to a neighbouring
site, exactly 30 sites) re-solves warm from that plan
(:func:`planner.round.edits.plan_with_edits`) and prints the best wall seconds of
``--repeat`` runs of the whole round (solve, schedule, staff, roster, supplies) and of
the solve alone (``make_plan``), the buildings moved, whether the untouched buildings
all stayed (first stage held) and, for the single-site edits, whether every moved
building was one the edit touched. With ``--certify`` each re-solve also re-runs the
certification drill (its seconds shown apart).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from planner.geo.walking import walk_arcs
from planner.io.load import load_scenario
from planner.model.edits import Edits, PinEdit, SiteEdit
from planner.round.edits import EditedRound, building_site_of, plan_with_edits

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--certify", action="store_true")
    args = ap.parse_args()
    loaded = load_scenario(REPO / "data" / "demo")
    sc, pol = loaded.scenario, loaded.policy
    t0 = time.perf_counter()
    base = plan_with_edits(sc, pol, Edits(), certify=False)
    print(f"cold plan (certification off): {time.perf_counter() - t0:.2f} s")
    plan = base.result.plan
    before = building_site_of(plan, sc)
    sid = sc.sites.id
    busiest = int(np.argmax(np.where(sc.sites.fixed, -1, plan.site_people)))
    shut = int(np.flatnonzero(~plan.site_open)[0])
    arcs = walk_arcs(sc, pol.walking)
    b, s = next(
        (b, s)
        for b, s in zip(arcs.building.tolist(), arcs.site.tolist(), strict=True)
        if before[b] >= 0 and before[b] != s and plan.site_open[s]
    )
    capped = int(np.argsort(-plan.site_desks)[1])
    cases = {
        f"close {sid[busiest]}": (
            Edits(sites=(SiteEdit(str(sid[busiest]), "closed"),)),
            np.flatnonzero(before == busiest),
        ),
        f"open {sid[shut]}": (Edits(sites=(SiteEdit(str(sid[shut]), "open"),)), None),
        f"cap {sid[capped]} at {int(plan.site_desks[capped]) - 1} desks": (
            Edits(
                sites=(
                    SiteEdit(
                        str(sid[capped]),
                        desks=int(plan.site_desks[capped]) - 1,
                        desks_mode="at_most",
                    ),
                )
            ),
            None,
        ),
        f"pin {sc.buildings.id[b]} to {sid[s]}": (
            Edits(pins=(PinEdit("building", str(sc.buildings.id[b]), str(sid[s])),)),
            np.array([b]),
        ),
        "exactly 30 sites": (Edits(site_count=30, site_count_mode="exactly"), None),
    }
    print(
        f"{'edit':32} {'round s':>8} {'solve s':>8} {'certify s':>9} "
        f"{'moved':>6} {'held':>5} {'only touched':>12}"
    )
    for label, (edits, touched) in cases.items():
        runs: list[tuple[float, EditedRound]] = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = plan_with_edits(
                sc,
                pol,
                edits,
                current=plan,
                current_edits=Edits(),
                certify=args.certify,
            )
            runs.append((time.perf_counter() - t, r))
        wall, r = min(runs, key=lambda x: x[0])
        after = building_site_of(r.result.plan, sc)
        moved = np.flatnonzero((before >= 0) & (after != before))
        only = (
            "-"
            if touched is None
            else str(set(moved.tolist()) <= set(touched.tolist()))
        )
        assert not r.findings, r.findings
        print(
            f"{label:32} {wall:8.2f} {r.result.plan.timings_s['total']:8.2f} "
            f"{r.result.timings_s['certify']:9.2f} {len(moved):6d} "
            f"{r.held!s:>5} {only:>12}"
        )


if __name__ == "__main__":
    main()
