"""Run the planner from the command line: ``planner validate|generate|...``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from planner.errors import InputError, Issue, PlannerError
from planner.solve.settings import DEFAULT_TIME_LIMIT_S
from planner.text import KPI_LINES, PLAN_WARNINGS, SUMMARY_LABELS, Lang, render_issues

if TYPE_CHECKING:
    from planner.planning.round import RoundResult

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    """Pad `text` to `width` terminal columns (CJK characters take two)."""
    return text + " " * max(0, width - _display_width(text))


def _print_issues(
    issues: Sequence[Issue], lang: Lang, *, stream: TextIO | None = None
) -> None:
    out = stream or sys.stderr
    for line in render_issues(issues, lang=lang):
        print(line, file=out)


def _cmd_validate(args: argparse.Namespace) -> int:
    from planner.io.load import load_scenario

    lang: Lang = args.lang
    loaded = load_scenario(Path(args.scenario), policy_path=_opt_path(args.policy))
    s = loaded.scenario
    title = "情景" if lang == "zh" else "Scenario"
    print(f"{title}: {s.name}  ({Path(args.scenario)})")
    li = 0 if lang == "zh" else 1
    width = max(_display_width(v[li]) for v in SUMMARY_LABELS.values()) + 2
    for key, value in s.summary().items():
        print(f"  {_pad(SUMMARY_LABELS[key][li], width)}{value:>10,}")
    if loaded.warnings:
        head = (
            f"警告 {len(loaded.warnings)} 条："
            if lang == "zh"
            else f"{len(loaded.warnings)} warning(s):"
        )
        print(head)
        _print_issues(loaded.warnings, lang, stream=sys.stdout)
    print("校验通过。" if lang == "zh" else "Validation passed.")
    return EXIT_OK


def _cmd_generate(args: argparse.Namespace) -> int:
    from planner.generate import generate_street
    from planner.io.writers import write_scenario_folder, write_scenario_workbook

    street = generate_street(
        args.residents, seed=args.seed, sealed_buildings=args.sealed_buildings
    )
    out = Path(args.out)
    if out.suffix.lower() == ".xlsx":
        write_scenario_workbook(street.tables, street.meta, out, headers=args.headers)
    else:
        write_scenario_folder(street.tables, street.meta, out, headers=args.headers)
    n = int(street.tables["households"]["size"].sum())
    msg = (
        f"已生成 {street.meta['name']}：{n:,} 人 → {out}"
        if args.lang == "zh"
        else f"Generated {street.meta['name']}: {n:,} residents → {out}"
    )
    print(msg)
    return EXIT_OK


def _print_kpis(kpis: dict[str, object], lang: Lang) -> None:
    li = 0 if lang == "zh" else 1
    width = max(_display_width(v[li]) for v in KPI_LINES.values()) + 2
    for key, value in kpis.items():
        text = f"{value:,}" if isinstance(value, int) else str(value)
        print(f"  {_pad(KPI_LINES[key][li], width)}{text:>10}")


def _cmd_plan(args: argparse.Namespace) -> int:
    from planner.io.load import load_scenario
    from planner.io.plan_folder import write_plan_folder
    from planner.planning.plan import SolveParams
    from planner.planning.round import round_tables, run_round

    lang: Lang = args.lang
    loaded = load_scenario(Path(args.scenario), policy_path=_opt_path(args.policy))
    if loaded.warnings:
        _print_issues(loaded.warnings, lang, stream=sys.stdout)
    params = SolveParams(time_limit_s=args.time_limit, seed=args.seed)
    result = run_round(loaded.scenario, loaded.policy, params)
    plan = result.plan
    out = Path(args.out)
    tables = round_tables(result, loaded.scenario)
    write_plan_folder(tables, out)
    li = 0 if lang == "zh" else 1
    sv = plan.solver
    print(("方案：" if lang == "zh" else "Plan: ") + loaded.scenario.name)
    print(
        f"  {'求解状态' if lang == 'zh' else 'status'}: {sv.status}, "
        f"{'目标' if lang == 'zh' else 'objective'} {sv.objective:,.0f}, "
        f"{'下界' if lang == 'zh' else 'bound'} {sv.bound:,.0f}, "
        f"gap {sv.gap:.2%}, {plan.timings_s.get('total', 0.0):.1f} s"
    )
    _print_kpis(plan.kpis(), lang)
    for code, params_ in plan.warnings:
        print(
            "["
            + ("警告" if lang == "zh" else "warning")
            + "] "
            + PLAN_WARNINGS[code][li].format(**params_)
        )
    _print_staff_and_stock(result, lang)
    print(("已写出：" if lang == "zh" else "Written to: ") + str(out))
    if not args.no_export:
        from planner.export import export_all

        report = export_all(loaded.scenario, tables, out / "export", lang=lang)
        for line in report.summary(lang):
            print(line)
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from planner.export import export_command
    from planner.io.load import load_scenario

    loaded = load_scenario(Path(args.scenario))
    report = export_command(
        loaded.scenario,
        Path(args.plan_dir),
        _opt_path(args.out),
        lang=args.lang,
        unmasked=args.unmasked,
    )
    for line in report.summary(args.lang):
        print(line)
    return EXIT_OK


def _print_staff_and_stock(result: RoundResult, lang: Lang) -> None:
    zh = lang == "zh"
    g = result.guideline
    req = int(result.requirements["needed"].sum())
    short = result.roster.shortfall
    missing = int(short["missing"].sum()) if len(short) else 0
    print(
        ("人员：" if zh else "Staff: ")
        + (
            f"需 {req} 人次，已排 {len(result.roster.assignments)} 人次，缺 {missing} 人次"
            if zh
            else f"{req} positions, {len(result.roster.assignments)} rostered, "
            f"{missing} missing"
        )
    )
    if missing:
        by_role = short.groupby("role_zh" if zh else "role")["missing"].sum()
        print(
            "  "
            + ("需申请支援：" if zh else "request support: ")
            + ", ".join(f"{k} {v}" for k, v in by_role.items())
        )
    print(
        ("  指南对照（人口÷360）：" if zh else "  guideline (population ÷ 360): ")
        + f"{g.guideline_samplers} / "
        + (
            f"在岗 {g.on_duty} / 总班次 {g.headcount}"
            if zh
            else f"on duty {g.on_duty} / shifts {g.headcount}"
        )
    )
    for r in g.reasons:
        print("    - " + (r[0] if zh else r[1]))
    stock = result.stock
    low = stock[stock["shortfall"] > 0]
    print(
        ("物资：" if zh else "Supplies: ")
        + (
            f"{len(low)} 项储备不足"
            if zh
            else f"{len(low)} item(s) below the reserve rule"
        )
    )
    for r in low.itertuples():
        holder = (
            {"street": "街道", "health_center": "卫生服务中心", "hospital": "医院"}.get(
                str(r.holder), str(r.holder)
            )
            if zh
            else str(r.holder)
        )
        print(
            f"  {r.item}（{holder}）: "
            + (
                f"现有 {r.on_hand:,.0f}{r.unit}，可用 {r.days_of_supply:g} 天，"
                f"需储备 {r.reserve_days} 天 {r.required_stock:,}，缺 {r.shortfall:,}"
                if zh
                else f"on hand {r.on_hand:,.0f}, {r.days_of_supply:g} days, "
                f"{r.reserve_days}-day reserve {r.required_stock:,}, short {r.shortfall:,}"
            )
        )


def _cmd_check(args: argparse.Namespace) -> int:
    from planner.io.load import load_scenario
    from planner.io.plan_folder import read_plan_folder, require_same_scenario
    from planner.rules.plan import check_plan

    lang: Lang = args.lang
    folder = Path(args.plan_dir)
    tables = read_plan_folder(folder)
    loaded = load_scenario(Path(args.scenario), policy_path=_opt_path(args.policy))
    require_same_scenario(tables, loaded.scenario, folder)
    policy = loaded.policy if args.policy else tables.policy
    violations = check_plan(loaded.scenario, policy, tables)
    for v in violations:
        print(v.render(lang))
    if violations:
        print(
            f"共 {len(violations)} 处违反规则。"
            if lang == "zh"
            else f"{len(violations)} rule violation(s)."
        )
        return EXIT_FAILED
    print("方案符合全部规则。" if lang == "zh" else "The plan satisfies every rule.")
    return EXIT_OK


def _cmd_drill(args: argparse.Namespace) -> int:
    from planner.drill import parse_disruptions
    from planner.drill.report import run_drill, summary_lines, write_drill
    from planner.io.load import load_scenario
    from planner.io.plan_folder import (
        plan_from_tables,
        read_plan_folder,
        require_same_scenario,
    )

    lang: Lang = args.lang
    folder = Path(args.plan_dir)
    tables = read_plan_folder(folder)
    loaded = load_scenario(Path(args.scenario), policy_path=_opt_path(args.policy))
    require_same_scenario(tables, loaded.scenario, folder)
    policy = loaded.policy
    disruptions = parse_disruptions(args.disrupt or [], policy.drill)
    if args.replications < 1:
        raise InputError(
            [
                Issue(
                    "error",
                    "policy_bad_value",
                    "--replications",
                    params=(("value", str(args.replications)),),
                )
            ]
        )
    plan = plan_from_tables(loaded.scenario, tables)
    shortfall = tables.staff_shortfall if args.unfilled_posts else None
    run = run_drill(
        loaded.scenario,
        plan,
        policy,
        disruptions,
        replications=args.replications,
        seed=args.seed,
        replan_mode=args.replan,
        staff_shortfall=shortfall,
    )
    out = Path(args.out)
    write_drill(run, loaded.scenario, out)
    for line in summary_lines(run, lang):
        if line:
            print(line)
    took = sum(run.timings_s.values())
    print(
        f"用时 {took:.1f} 秒，报告已写出：{out}"
        if lang == "zh"
        else f"Took {took:.1f} s; report written to {out}"
    )
    return EXIT_OK


def _opt_path(value: str | None) -> Path | None:
    return None if value is None else Path(value)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="planner",
        description="全员核酸检测规划工具 / Mass screening planner for a street office.",
    )
    parser.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help="language of messages (default zh)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a scenario and print its summary")
    p.add_argument("scenario", help="scenario folder or .xlsx workbook")
    p.add_argument(
        "--policy", help="policy TOML (default: policy.toml in the scenario)"
    )
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("plan", help="make a plan and write it to a folder")
    p.add_argument("scenario", help="scenario folder or .xlsx workbook")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument(
        "--policy", help="policy TOML (default: policy.toml in the scenario)"
    )
    solver = p.add_argument_group("Solver")
    solver.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT_S,
        help=f"location solve limit, seconds (default {DEFAULT_TIME_LIMIT_S:g})",
    )
    solver.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--no-export",
        action="store_true",
        help="skip rosters, notices and the plan document (written by default "
        "to OUT/export)",
    )
    p.set_defaults(func=_cmd_plan)

    p = sub.add_parser(
        "export",
        help="write rosters, notices, door-to-door sheets, the plan "
        "document and GIS files",
    )
    p.add_argument("scenario", help="scenario folder or .xlsx workbook")
    p.add_argument("plan_dir", help="folder written by `planner plan`")
    p.add_argument("--out", help="output folder (default PLAN_DIR/export)")
    p.add_argument(
        "--unmasked",
        action="store_true",
        help="print full ID numbers and phones (every sheet then says so)",
    )
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("check", help="check a written plan against every rule")
    p.add_argument("scenario", help="scenario folder or .xlsx workbook")
    p.add_argument("plan_dir", help="folder written by `planner plan`")
    p.add_argument("--policy", help="policy TOML (default: the one stored in the plan)")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser(
        "drill",
        help="simulate the day many times, with disruptions, and re-plan",
        description="Simulate a written plan's day (SimPy Monte Carlo), optionally "
        "with disruptions, and re-plan the households not yet sampled when it "
        "breaks. Disruptions: close,site=S006,at=10:00 | no_show,share=0.2 | "
        "rain,from=09:30,to=11:00[,factor=0.7] | "
        "surge,from=09:00,to=10:00[,share=0.3][,site=S006] | "
        "seal,building=B0123,at=10:30 (Chinese kinds 关闭/缺员/降雨/涌入/封控 work too).",
    )
    p.add_argument("scenario", help="scenario folder or .xlsx workbook")
    p.add_argument("plan_dir", help="folder written by `planner plan`")
    p.add_argument("--out", required=True, help="output folder for the drill report")
    p.add_argument(
        "--replications",
        type=int,
        default=200,
        help="simulated days (default 200)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--disrupt",
        action="append",
        metavar="SPEC",
        help="a disruption, e.g. close,site=S006,at=10:00 (repeatable)",
    )
    p.add_argument(
        "--replan",
        choices=["auto", "always", "never"],
        default="auto",
        help="re-plan when disrupted or broken (auto, default), always or never",
    )
    p.add_argument(
        "--unfilled-posts",
        action="store_true",
        help="leave desks empty where the roster could not fill the sampler post "
        "(default: the requested support arrives)",
    )
    p.add_argument(
        "--policy",
        help="the drill's policy TOML (default: policy.toml in the scenario)",
    )
    p.set_defaults(func=_cmd_drill)

    p = sub.add_parser("generate", help="generate a realistic synthetic street")
    p.add_argument(
        "--residents", type=int, default=60_000, help="residents (default 60000)"
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--sealed-buildings", type=int, default=0, help="buildings to seal (default 0)"
    )
    p.add_argument(
        "--headers",
        choices=["en", "zh"],
        default="en",
        help="column headers to write (default en)",
    )
    p.add_argument(
        "--out", required=True, help="output folder, or a path ending in .xlsx"
    )
    p.set_defaults(func=_cmd_generate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 1 failed, 2 bad input).

    Parameters
    ----------
    argv
        Arguments without the program name; defaults to ``sys.argv[1:]``.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    lang: Lang = args.lang
    try:
        return int(args.func(args))
    except InputError as exc:
        n = sum(1 for i in exc.issues if i.severity == "error")
        print(
            f"输入有 {n} 处错误，未继续："
            if lang == "zh"
            else f"The input has {n} error(s); stopped:",
            file=sys.stderr,
        )
        _print_issues(exc.issues, lang)
        return EXIT_BAD_INPUT
    except PlannerError as exc:
        print(
            ("无法完成：" if lang == "zh" else "Cannot finish: ") + str(exc),
            file=sys.stderr,
        )
        return EXIT_FAILED
    except BrokenPipeError:  # output piped into `head`; nothing is wrong
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
