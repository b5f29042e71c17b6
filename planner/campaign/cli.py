"""The ``planner campaign`` command and ``planner generate --district``."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.io.output import staged_output
from planner.solve.settings import CAMPAIGN_TIME_LIMIT_S

EXIT_OK = 0


def add_campaign_parser(
    sub: Any,
    *,
    parents: list[argparse.ArgumentParser],
    epilog: str,
    number_in: Callable[..., Callable[[str], float]],
    seed: Callable[[str], float],
    force_help: str,
) -> None:
    """Add ``planner campaign`` to the CLI's sub-commands.

    The CLI's own helpers (language option, exit-code epilog, range-checked number
    types) are passed in, so the command reads like the others.
    """
    p = sub.add_parser(
        "campaign",
        epilog=epilog,
        parents=parents,
        help="plan several rounds over several days for a street or a district",
    )
    p.add_argument(
        "target",
        metavar="SCENARIO_OR_DISTRICT",
        help="a street's scenario, or a district folder with district.toml",
    )
    p.add_argument(
        "--rounds",
        type=number_in(int, 1, 100),
        help="rounds, 1 to 100 (default campaign.rounds of the policy, 3)",
    )
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--force", action="store_true", help=force_help)
    engine = p.add_argument_group("Engine")
    engine.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="local process pool (default) or Ray",
    )
    engine.add_argument(
        "--workers",
        type=number_in(int, 1, 4096),
        help="worker processes / Ray CPUs (default: all CPUs)",
    )
    engine.add_argument(
        "--address", help="address of an existing Ray cluster (with --engine ray)"
    )
    solver = p.add_argument_group("Solver")
    solver.add_argument("--seed", type=seed, default=0, help="random seed (default 0)")
    solver.add_argument(
        "--solver-workers",
        type=number_in(int, 1, 64),
        default=1,
        help="CP-SAT workers per street (default 1: the streets run in parallel)",
    )
    solver.add_argument(
        "--time-limit",
        type=number_in(float, 0, 3600, open_low=True),
        default=CAMPAIGN_TIME_LIMIT_S,
        help="wall-time cap of each street-round's location solve, seconds "
        f"(default {CAMPAIGN_TIME_LIMIT_S:g}: high, so the deterministic "
        "budget decides and every engine gives the same plans)",
    )
    p.add_argument(
        "--disrupt",
        action="append",
        metavar="SPEC",
        help="close,site=S006,round=2 or seal,building=B00123,round=2 "
        "(add street=FOLDER in a district); repeatable",
    )
    p.set_defaults(func=cmd_campaign)


def cmd_campaign(args: argparse.Namespace) -> int:
    """Run ``planner campaign``."""
    from planner.campaign.run import (
        CAMPAIGN_PARAMS,
        parse_disruption,
        run_campaign,
        summary_lines,
    )

    disruptions = tuple(parse_disruption(s) for s in args.disrupt or [])
    out = Path(args.out)
    result = run_campaign(
        Path(args.target),
        out,
        rounds=args.rounds,
        engine=args.engine,
        workers=args.workers,
        address=args.address,
        seed=args.seed,
        disruptions=disruptions,
        force=args.force,
        params=dataclasses.replace(
            CAMPAIGN_PARAMS,
            time_limit_s=args.time_limit,
            num_workers=args.solver_workers,
        ),
    )
    for line in summary_lines(result, args.lang):
        print(line)
    took = result.wall_time_s["total"]
    print(
        f"用时 {took:.1f} 秒，已写出：{out}"
        if args.lang == "zh"
        else f"Took {took:.1f} s; written to {out}"
    )
    return EXIT_OK


def add_district_options(p: argparse.ArgumentParser) -> None:
    """Add ``--district`` and ``--streets`` to ``planner generate``."""
    p.add_argument(
        "--district",
        action="store_true",
        help="generate a district: a folder of streets and district.toml",
    )
    p.add_argument(
        "--streets",
        type=int,
        default=20,
        help="streets of the district, 1 to 10,000 (default 20)",
    )


def cmd_generate_district(args: argparse.Namespace) -> int:
    """Run ``planner generate --district``."""
    from planner.campaign.engine import bad_option
    from planner.campaign.generate import generate_district

    out = Path(args.out)
    try:
        with staged_output(out, force=args.force) as stage:
            made = generate_district(
                args.streets, args.residents, seed=args.seed, out=stage
            )
    except ValueError as exc:
        raise bad_option("--streets/--residents", exc) from None
    print(
        f"已生成 {len(made.streets)} 个街道，共 {made.residents:,} 人 → {out}"
        if args.lang == "zh"
        else f"Generated {len(made.streets)} streets, {made.residents:,} residents "
        f"→ {out}"
    )
    return EXIT_OK
