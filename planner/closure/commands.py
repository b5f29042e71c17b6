"""``planner records simulate|close`` and ``planner report``: close a round from the CLI.

``simulate`` turns the plan's drilled day into a registration export, a lab's results
and the grid workers' filled reasons (plus the truth, for checking); ``close`` reads
them back and writes coverage, the grids' 未检 lists, the unresolved records, the
catch-up, the positive pools' follow-up, ``next_round_status.csv`` and the 日报;
``report`` writes the 日报 alone (the zero-report when there were no records).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any


def add_commands(
    sub: argparse._SubParsersAction[Any],
    *,
    parents: list[argparse.ArgumentParser],
    epilog: str,
    force_help: str,
    seed: Callable[[str], float],
    date: Callable[[str], str],
) -> None:
    """Add ``records`` and ``report`` to the CLI's subcommands.

    `seed` and `date` are the CLI's checked argument types (a bad seed or date is
    exit 2, named in the run's language).
    """
    common: dict[str, Any] = {"parents": parents, "epilog": epilog}
    p = sub.add_parser(
        "records",
        help="the day's sampling records: simulate them, or close the round with them",
        **common,
    )
    acts = p.add_subparsers(dest="action", required=True)
    sim = acts.add_parser(
        "simulate", help="records and lab results of the plan's drilled day", **common
    )
    close = acts.add_parser(
        "close",
        help="coverage, grid lists, catch-up, positive pools and the daily report",
        **common,
    )
    rep = sub.add_parser(
        "report",
        help="the daily report, a zero-report without records",
        **common,
    )
    for q in (sim, close, rep):
        q.add_argument("scenario", help="scenario folder or .xlsx workbook")
        q.add_argument("plan_dir", help="the plan folder of the day")
        q.add_argument("--out", required=True, help="output folder")
        q.add_argument("--force", action="store_true", help=force_help)
        q.add_argument(
            "--date",
            type=date,
            help="the day, YYYY-MM-DD (default: the records' day)",
        )
    sim.add_argument("--seed", type=seed, default=0, help="random seed (default 0)")
    for q in (close, rep):
        q.add_argument("--records", nargs="*", default=[], help="registration exports")
        q.add_argument("--results", nargs="*", default=[], help="labs' results")
        q.add_argument(
            "--reasons", nargs="*", default=[], help="the grid workers' filled lists"
        )
    close.add_argument(
        "--no-catchup", action="store_true", help="do not route the catch-up"
    )
    sim.set_defaults(func=_cmd_simulate)
    close.set_defaults(func=_cmd_close)
    rep.set_defaults(func=_cmd_report)


def _need_register(scenario: Any, path: str) -> None:
    """Refuse a street without a person-level register (nobody to match records to)."""
    from planner.errors import InputError, Issue

    if scenario.residents is None or not len(scenario.residents):
        raise InputError([Issue("error", "closure_no_register", str(path))])


def _day(text: str | None) -> dt.date | None:
    return None if not text else dt.date.fromisoformat(text)


def _load(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    from planner.io.load import load_scenario
    from planner.io.plan_folder import read_plan_folder, require_same_scenario
    from planner.planning.codec import plan_from_tables

    folder = Path(args.plan_dir)
    tables = read_plan_folder(folder)
    loaded = load_scenario(Path(args.scenario))
    require_same_scenario(tables, loaded.scenario, folder)
    return loaded, plan_from_tables(loaded.scenario, tables), tables


def _cmd_simulate(args: argparse.Namespace) -> int:
    from planner.closure.simulate import simulate_day
    from planner.io.output import staged_output
    from planner.io.record_files import write_records, write_results
    from planner.text import tr

    loaded, plan, _ = _load(args)
    _need_register(loaded.scenario, args.scenario)
    day = _day(args.date) or dt.date.today()
    sim = simulate_day(loaded.scenario, plan, loaded.policy, day=day, seed=args.seed)
    out = Path(args.out)
    with staged_output(out, force=args.force) as stage:
        write_day(sim, stage, loaded.scenario.name, args.seed)
    print(
        tr(
            "closure_cli_simulated",
            args.lang,
            records=len(sim.records),
            results=len(sim.results),
            positives=len(sim.positive_tubes),
            out=out,
        )
    )
    del write_records, write_results
    return 0


def write_day(sim: Any, folder: Path, street: str, seed: int) -> list[Path]:
    """Write a simulated day as the files a street receives (and the truth)."""
    from planner.io.record_files import write_records, write_results

    rec = sim.records
    # one third of the sites export GBK CSV, the rest a workbook with a title line
    per_site = rec.groupby("site").size().sort_index()
    first = set(per_site.index[per_site.cumsum() <= len(rec) // 3])
    part = rec["site"].isin(first).to_numpy()
    title = f"{street} {rec['sampled_at'].min():%Y-%m-%d}"
    paths = [
        write_records(
            rec[part], folder / "records_1.csv", encoding="gbk", seed=seed, title=title
        ),
        write_records(
            rec[~part], folder / "records_2.xlsx", seed=seed + 1, title=title
        ),
        write_results(sim.results, folder / "lab_results.csv"),
    ]
    filled = sim.truth[sim.truth["reason"] != ""]
    from planner.text import tr

    words = [tr(f"closure_reason_{r}", "zh") for r in filled["reason"]]
    import pandas as pd

    pd.DataFrame(
        {
            tr("closure_col_resident", "zh"): filled["resident_id"].to_numpy(),
            tr("closure_col_reason", "zh"): words,
        }
    ).to_csv(folder / "reasons_filled.csv", index=False, encoding="utf-8-sig")
    # the truth, kept small: everyone not listed here is counted as sampled
    truth = sim.truth[~sim.truth["counted"]]
    truth.to_csv(folder / "truth_not_counted.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"tube": list(sim.positive_tubes)}).to_csv(
        folder / "truth_positive_tubes.csv", index=False
    )
    return paths


def _closing(args: argparse.Namespace, catchup: bool) -> tuple[Any, Any, Any, Any]:
    from planner.closure.close import close_round
    from planner.export.closure import reason_words
    from planner.io.records import read_reason_lists, read_records, read_results

    loaded, plan, tables = _load(args)
    sc = loaded.scenario
    _need_register(sc, args.scenario)
    day = _day(args.date)
    records = read_records([Path(p) for p in args.records], day=day)
    if day is None:
        day = pd_day(records["sampled_at"]) if len(records) else dt.date.today()
    results = read_results([Path(p) for p in args.results], day=day)
    reasons = None
    if args.reasons:
        assert sc.residents is not None
        reasons = read_reason_lists(
            [Path(p) for p in args.reasons],
            reason_words(),
            set(sc.residents.id.astype(str).tolist()),
        )
    closing = close_round(
        sc, plan, loaded.policy, records, results, reasons, day=day, catchup=catchup
    )
    return loaded, plan, tables, closing


def pd_day(times: Any) -> dt.date:
    """Return the most common date of `times`."""
    import pandas as pd

    days = pd.to_datetime(times).dt.date
    return days.mode().iloc[0]  # type: ignore[no-any-return]


def _cmd_close(args: argparse.Namespace) -> int:
    from planner.closure.coverage import grid_lists
    from planner.closure.daily import daily_report
    from planner.export.closure import write_closing
    from planner.io.output import staged_output
    from planner.office.scope import masked_view
    from planner.text import tr

    loaded, _, tables, closing = _closing(args, not args.no_catchup)
    sc = loaded.scenario
    report = daily_report(closing, sc.name, loaded.policy, tables.staff_requirements)
    masked, _ = masked_view(sc, None)
    lists = grid_lists(closing.coverage, masked)
    out = Path(args.out)
    with staged_output(out, force=args.force) as stage:
        write_closing(closing, sc, lists, report, stage, args.lang)
    s = closing.coverage.street
    n = closing.matching.counts()
    print(
        tr(
            "closure_cli_closed",
            args.lang,
            sampled=int(s["sampled"]),
            due=int(s["due"]),
            rate=s["rate"],
            missing=int(s["missing"]),
            exempt=int(s["exempt"]),
            ambiguous=n["ambiguous"],
            unmatched=n["unmatched"],
            repeat=n["repeat"],
            catchup=closing.catchup.people if closing.catchup else 0,
            positives=len(closing.positives.tubes),
            control=len(closing.positives.control),
            out=out,
        )
    )
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from planner.closure.daily import daily_report
    from planner.export.closure import write_daily
    from planner.io.output import staged_output
    from planner.text import tr

    loaded, _, tables, closing = _closing(args, True)
    report = daily_report(
        closing, loaded.scenario.name, loaded.policy, tables.staff_requirements
    )
    out = Path(args.out)
    with staged_output(out, force=args.force) as stage:
        write_daily(report, stage, args.lang)
    zero = tr("closure_cli_zero", args.lang) if report.zero else ""
    print(tr("closure_cli_report", args.lang, out=out, zero=zero))
    return 0
