"""Benchmark `planner.export` on the demo street (about 60k residents): target ≤ 15 s.

Plans ``data/demo`` first (not timed) unless ``--plan`` names a plan folder written by
``planner plan`` for the same scenario, then exports everything — site rosters, building
notices, door-to-door sheets, the plan document and GIS layers — and prints the wall and
CPU seconds of the export with the time of each stage. Nothing personal is printed.

Run: .venv/bin/python benchmarks/bench_export.py [--scenario data/demo] [--plan DIR]
     [--lang zh|en] [--unmasked]
"""

import argparse
import tempfile
import time
from pathlib import Path

from planner.export import export_all
from planner.io.load import load_scenario
from planner.io.plan_folder import read_plan_folder, write_plan_folder
from planner.planning.plan import SolveParams
from planner.round.run import round_tables, run_round

TARGET_S = 15.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="data/demo")
    parser.add_argument("--plan", help="existing plan folder (default: plan it now)")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--unmasked", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        t0 = time.perf_counter()
        loaded = load_scenario(Path(args.scenario))
        load_s = time.perf_counter() - t0
        if args.plan:
            plan_dir = Path(args.plan)
        else:
            plan_dir = Path(tmp) / "plan"
            t0 = time.perf_counter()
            result = run_round(loaded.scenario, loaded.policy, SolveParams())
            write_plan_folder(round_tables(result, loaded.scenario), plan_dir)
            print(f"planned {args.scenario} in {time.perf_counter() - t0:.1f} s")
        files = read_plan_folder(plan_dir)

        out = Path(tmp) / "export"
        w0, c0 = time.perf_counter(), time.process_time()
        report = export_all(
            loaded.scenario,
            files,
            out,
            lang=args.lang,
            unmasked=args.unmasked,
        )
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        size_mb = sum(p.stat().st_size for p in report.files) / 1e6

    print(
        f"scenario {args.scenario}: {loaded.scenario.population:,} residents, "
        f"loaded in {load_s:.1f} s"
    )
    print(
        f"export: {len(report.files)} files ({size_mb:.1f} MB): {report.sites} site "
        f"rosters with {report.roster_rows:,} resident rows, {report.teams} "
        f"door-to-door sheets with {report.door_to_door_rows:,} rows, "
        f"{report.notice_pages} notice pages"
    )
    stages = ", ".join(f"{k} {v:.2f}" for k, v in report.timings_s.items())
    print(f"stages (s): {stages}")
    verdict = "OK" if wall <= TARGET_S else "SLOW"
    print(
        f"export wall {wall:.2f} s, CPU {cpu:.2f} s (target ≤ {TARGET_S:g} s): {verdict}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
