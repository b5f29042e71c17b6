"""Run the planner from the command line: ``planner validate|generate|...``."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import os
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from planner.errors import InputError, Issue, PlannerError
from planner.io.output import check_output, staged_output
from planner.io.prefetch import prefetch_workbook
from planner.runtime import keep_freed_memory
from planner.solve.settings import DEFAULT_TIME_LIMIT_S
from planner.text import (
    KPI_LINES,
    PLAN_WARNINGS,
    SUMMARY_LABELS,
    TRADEOFF_COLUMNS,
    Lang,
    error_text,
    holder_name,
    join_list,
    lang_index,
    render_issues,
    role_name,
    status_label,
    tr,
    tr_both,
)

if TYPE_CHECKING:
    from planner.export import PdfProcess
    from planner.model.edits import Edits
    from planner.model.policy import Policy
    from planner.model.result import Plan
    from planner.round.run import RoundResult
    from planner.rules.plan import Violation

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_GAPS = 3
"""`planner check`: no rule broken, but gaps need action (unfilled posts, stock, …)."""
EXIT_INTERNAL = 70
"""Exit codes: see :data:`EXIT_CODES_HELP` (printed by ``--help``)."""

_LANG: list[Lang] = ["zh"]
"""The run's language, known before the arguments are parsed (for parser errors)."""


def _lang_of(argv: Sequence[str]) -> Lang:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "zh"
    return "zh"


_PARSER_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (
            r"the following arguments are required: (?P<argument>.+)",
            "cli_args_required",
        ),
        (
            r"argument (?P<argument>\S+): invalid choice: '(?P<value>.*)' "
            r"\(choose from (?P<choices>.+)\)",
            "cli_args_choice",
        ),
        (r"argument (?P<argument>\S+): expected one argument", "cli_args_no_value"),
        (r"unrecognized arguments: (?P<argument>.+)", "cli_args_unknown"),
        (r"argument (?P<argument>\S+): (?P<why>.+)", "cli_args_other"),
    )
)
"""argparse's messages, matched, and the text each is said with."""


def _parser_message(message: str, lang: Lang) -> str:
    """Say an argparse error in the run's language."""
    for pattern, key in _PARSER_MESSAGES:
        m = pattern.fullmatch(message)
        if m is not None:
            parts = m.groupdict()
            if parts.get("argument") == "command":  # the subcommand's own name
                parts["argument"] = tr("cli_args_command", lang)
            return tr(key, lang, **parts)
    return tr("cli_args_bad", lang, message=message)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors speak the run's language and exit 2."""

    def format_usage(self) -> str:
        """Return the usage line, headed in the run's language."""
        text = super().format_usage()
        return text.replace("usage: ", tr("cli_usage", _LANG[0]), 1)

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in the run's language; exit 2."""
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {_parser_message(message, _LANG[0])}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _date_arg(text: str) -> str:
    """Return `text` when it is a date ``YYYY-MM-DD`` (an argparse type)."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("closure_cli_bad_date", _LANG[0], text=text)
        ) from None
    return text


def _num(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _number_in(
    kind: type[int] | type[float], low: float, high: float, *, open_low: bool = False
) -> Callable[[str], float]:
    """Return an argparse type: a number of `kind` in [low, high] (or (low, high])."""

    def parse(text: str) -> float:
        lang = _LANG[0]
        try:
            value = kind(text)
        except ValueError:
            what = tr("cli_whole_number" if kind is int else "cli_number", lang)
            raise argparse.ArgumentTypeError(
                tr("cli_not_a", lang, text=text, what=what)
            ) from None
        if value < low or value > high or (open_low and value == low):
            raise argparse.ArgumentTypeError(
                tr(
                    "cli_out_of_range",
                    lang,
                    text=text,
                    bound=tr("cli_above" if open_low else "cli_at_least", lang),
                    low=_num(low),
                    high=_num(high),
                )
            )
        return value

    return parse


EXIT_CODES_HELP = tr("cli_exit_codes", "zh")  # both languages in one text


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
    from planner.io.load import inspect_scenario

    lang: Lang = args.lang
    marked = _opt_path(args.marked)
    if marked is not None:
        check_output(marked, force=args.force, folder=False, option="--marked")
    inspection = inspect_scenario(
        Path(args.scenario), policy_path=_opt_path(args.policy)
    )
    if marked is not None:
        from planner.export.marked import write_marked_workbook

        with staged_output(
            marked, force=args.force, folder=False, option="--marked"
        ) as stage:
            write_marked_workbook(inspection, stage, lang=lang)
        print(tr("validate_marked", lang, path=marked))
    loaded = inspection.loaded
    if loaded is None:
        raise InputError(inspection.issues)
    s = loaded.scenario
    print(tr("cli_scenario_head", lang, name=s.name, path=Path(args.scenario)))
    li = lang_index(lang)
    width = max(_display_width(v[li]) for v in SUMMARY_LABELS.values()) + 2
    for key, value in s.summary().items():
        print(f"  {_pad(SUMMARY_LABELS[key][li], width)}{value:>10,}")
    if loaded.warnings:
        print(tr("cli_warnings_head", lang, n=len(loaded.warnings)))
        _print_issues(loaded.warnings, lang, stream=sys.stdout)
    if loaded.notes:
        print(tr("notes_head", lang, n=len(loaded.notes)))
        _print_issues(loaded.notes, lang, stream=sys.stdout)
    print(tr("cli_validated", lang))
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from planner.io.schema import TABLES
    from planner.io.template import write_template

    out = Path(args.out)
    with staged_output(out, force=args.force, folder=False) as stage:
        write_template(stage, lang=args.lang)
    print(tr("template_written", args.lang, path=out, sheets=len(TABLES)))
    return EXIT_OK


def _cmd_generate(args: argparse.Namespace) -> int:
    if args.district:
        from planner.campaign.cli import cmd_generate_district

        return cmd_generate_district(args)
    from planner.generate import generate_street
    from planner.io.writers import (
        write_geo_layers,
        write_scenario_folder,
        write_scenario_workbook,
    )

    if args.residents > 2_000_000:
        raise InputError(
            [
                Issue(
                    "error",
                    "street_too_large",
                    "--residents",
                    params=(("value", f"{args.residents:,}"),),
                )
            ]
        )
    out = Path(args.out)
    book = out.suffix.lower() == ".xlsx"
    check_output(out, force=args.force, folder=not book)
    street = generate_street(
        args.residents, seed=args.seed, sealed_buildings=args.sealed_buildings
    )
    with staged_output(out, force=args.force, folder=not book) as stage:
        if book:
            write_scenario_workbook(
                street.tables, street.meta, stage, headers=args.headers
            )
        else:
            write_scenario_folder(
                street.tables, street.meta, stage, headers=args.headers
            )
            # grids, compounds and walkways beside the tables (map and walks use them)
            write_geo_layers(street.layers, stage)
    if book:  # beside the workbook as book.<layer>.geojson, once it is in place
        write_geo_layers(street.layers, out)
    n = int(street.tables["households"]["size"].sum())
    print(tr("cli_generated", args.lang, name=street.meta["name"], people=n, out=out))
    return EXIT_OK


def _print_kpis(kpis: dict[str, object], lang: Lang) -> None:
    li = lang_index(lang)
    width = max(_display_width(v[li]) for v in KPI_LINES.values()) + 2
    for key, value in kpis.items():
        # whole metres and people with thousands separators; the gap as a percentage
        if key == "gap" and isinstance(value, float):
            text = f"{value:.2%}"
        elif isinstance(value, int | float) and not isinstance(value, bool):
            text = f"{value:,.0f}"
        else:
            text = str(value)
        print(f"  {_pad(KPI_LINES[key][li], width)}{text:>10}")


def plan_made_lines(plan: Plan, lang: Lang, *, verbose: bool = False) -> list[str]:
    """Return the plan summary's first lines as an office says them.

    Whether the plan is proven the best, or how far from the best it may be (the
    solver's gap, as a percentage rounded up), and the residents' walking in
    person-minutes; `verbose` adds the solver's own figures.
    """
    import math

    from planner.model.modes import WALK_UP
    from planner.text import tr

    sv = plan.solver
    gap = float(sv.gap)
    status = str(sv.status).lower()
    if status == "optimal" or (
        math.isfinite(gap) and gap <= 1e-6 and status != "greedy"
    ):
        quality = tr("outputs_quality_optimal", lang)
    elif status == "feasible" and math.isfinite(gap):
        pct = math.ceil(gap * 1000) / 10  # rounded up: "not more than"
        quality = tr("outputs_quality_within", lang, pct=f"{pct:.1f}%")
    elif status in ("infeasible", "unknown", "no_plan", "cancelled"):
        quality = tr("outputs_quality_none", lang)
    else:
        quality = tr("outputs_quality_open", lang)
    seconds = float(plan.timings_s.get("total", 0.0))
    lines = [tr("outputs_plan_made", lang, quality=quality, seconds=seconds)]
    walk = plan.hh_mode == WALK_UP
    people = plan.hh_people[walk]
    metres = plan.hh_walk_m[walk]
    speed = plan.policy.walking.speed_m_per_min
    total = float((people * metres).sum()) / speed
    n = int(people.sum())
    lines.append(
        tr(
            "outputs_plan_walk",
            lang,
            total=round(total),
            people=n,
            mean=total / max(1, n),
            longest=int(metres.max()) if len(metres) else 0,
        )
    )
    if verbose:
        lines.append(
            tr(
                "outputs_plan_details",
                lang,
                status=status_label(sv.status, lang),
                objective=sv.objective,
                bound=sv.bound,
                gap=gap if math.isfinite(gap) else 0.0,
                wall=sv.wall_time_s,
            )
        )
    return lines


def probability_line(
    what: str, value: float, target: tuple[str, float] | None, lang: Lang
) -> str:
    """Return ``  全部在时段内采完的概率 97%（目标 ≥ 90%）``: a drill figure in percent."""
    from planner.text import tr

    aim = (
        ""
        if target is None
        else tr("outputs_p_target", lang, op=target[0], value=f"{target[1]:.0%}")
    )
    return tr("outputs_p_line", lang, what=what, value=f"{value:.0%}", target=aim)


def _cmd_plan(args: argparse.Namespace) -> int:
    out = Path(args.out)
    check_output(out, force=args.force)  # before the solve, not after it
    with contextlib.ExitStack() as stack:
        pdf_process = None
        if not args.no_export:
            from planner.export import PdfProcess

            # its imports run while the street loads, the font is cut while it plans
            pdf_process = PdfProcess.start()
            if pdf_process is not None:
                stack.callback(pdf_process.shutdown)
        return _plan_and_export(args, out, pdf_process)


def _plan_and_export(
    args: argparse.Namespace, out: Path, pdf_process: PdfProcess | None
) -> int:
    from planner.io.load import load_scenario
    from planner.io.plan_folder import write_plan_folder
    from planner.planning.plan import SolveParams, SolveRuntime
    from planner.round.edits import plan_with_edits
    from planner.round.run import round_tables
    from planner.text.roster import certification_lines

    lang: Lang = args.lang
    loaded = load_scenario(Path(args.scenario), policy_path=_opt_path(args.policy))
    if loaded.warnings:
        _print_issues(loaded.warnings, lang, stream=sys.stdout)
    params = SolveParams(time_limit_s=args.time_limit, seed=args.seed)
    # the PDF process routes the door-to-door teams while this one chooses the sites
    runtime = SolveRuntime(helper=None if pdf_process is None else pdf_process.pool)
    certify = None if args.certify is None else args.certify == "on"
    policy = _site_count_policy(args, loaded.policy)
    edits = _load_edits(args)
    edited = plan_with_edits(
        loaded.scenario, policy, edits, params, certify=certify, runtime=runtime
    )
    result = edited.result
    if pdf_process is not None:
        # after the routings it lends to the plan (queued first); it is done while
        # this process builds the tables and prepares the export
        pdf_process.cut_font(loaded.scenario, loaded.policy)
    plan = result.plan
    tables = round_tables(result, loaded.scenario)
    report = None
    with staged_output(out, force=args.force) as stage:
        write_plan_folder(tables, stage)
        if not args.no_export:
            from planner.export import export_all

            report = export_all(
                loaded.scenario,
                tables,
                stage / "export",
                lang=lang,
                pdf_process=pdf_process,
            )
    li = lang_index(lang)
    print(tr("cli_plan_head", lang, name=loaded.scenario.name))
    for line in plan_made_lines(plan, lang, verbose=args.verbose):
        print(line)
    if result.certification is not None:
        # what the roster leaves empty, and the chances with and without the help,
        # before anything else
        for _level, line in certification_lines(result.certification.to_dict(), lang):
            print(line)
    kpis = plan.kpis()
    if not args.verbose:  # the gap is said in words above
        kpis.pop("gap", None)
    _print_kpis(kpis, lang)
    for code, params_ in plan.warnings:
        warning = PLAN_WARNINGS[code][li].format(**params_)
        print(tr("cli_plan_warning", lang, text=warning))
    _print_staff_and_stock(result, lang)
    _print_certification(result, lang)
    _print_norms(result, lang)
    _print_access(tables.summary, lang)
    _print_edits(edits, edited.findings, lang)
    print(tr("cli_written", lang, path=out))
    if report is not None:
        for line in dataclasses.replace(report, out=out / "export").summary(lang):
            print(line)
    return EXIT_OK


def _print_access(summary: dict[str, Any], lang: Lang) -> None:
    """Print who walks how far: the groups' table, κ, the gaps and any trade-off."""
    from planner.export import access as ax

    access = summary.get("access")
    if not access:
        return
    print(tr("access_head", lang))
    head = ax.table_columns(access, lang)
    rows = ax.table_rows(access, lang)
    widths = [
        max(_display_width(h), *(_display_width(r[k]) for r in rows))
        for k, h in enumerate(head)
    ]
    print("  " + "  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True)))
    for r in rows:
        cells = [_pad(r[0], widths[0])] + [
            " " * (w - _display_width(v)) + v
            for v, w in zip(r[1:], widths[1:], strict=True)
        ]
        print("  " + "  ".join(cells))
    print("  " + ax.ede_note(access, lang))
    for line in ax.gap_lines(access, lang, limit=0):
        print("  " + line)
    for line in ax.equity_lines(summary.get("equity"), access, lang):
        print("  " + line)


def _load_edits(args: argparse.Namespace) -> Edits:
    """Read ``--edits``, else the scenario folder's ``edits.toml`` when present."""
    from planner.model.edits import Edits

    if args.edits is not None:
        return Edits.from_toml(Path(args.edits))
    beside = Path(args.scenario) / "edits.toml"
    return Edits.from_toml(beside) if beside.is_file() else Edits()


def _print_edits(
    edits: Edits,
    findings: Sequence[tuple[str, str, dict[str, object]]],
    lang: Lang,
) -> None:
    """Print the leading group's decisions and any the plan does not honour."""
    from planner.round.edits import edit_lines

    if edits.empty:
        return
    li = lang_index(lang)
    lines = edit_lines(edits)
    print(tr("edits_cli_head", lang, version=edits.version, n=len(lines)))
    for line in lines:
        print("  " + line[li])
    for key, where, values in findings:
        text = (where + ": " if where else "") + tr(key, lang, **values)
        print(tr("edits_cli_broken", lang, text=text))


def _site_range(text: str) -> range:
    """Parse ``A..B`` (or one number) into the site counts A to B inclusive."""
    a, sep, b = text.partition("..")
    try:
        lo, hi = int(a), int(b if sep else a)
    except ValueError:
        lo, hi = 0, -1
    if lo < 1 or hi < lo:
        raise InputError(
            [
                Issue(
                    "error",
                    "policy_bad_value",
                    "--sites",
                    column="sites",
                    params=(("value", text),),
                )
            ]
        )
    return range(lo, hi + 1)


def _cmd_tradeoff(args: argparse.Namespace) -> int:
    import csv
    import dataclasses

    from planner.io.load import load_scenario
    from planner.round.tradeoff import COLUMNS, CURVE_PARAMS, trade_off

    lang: Lang = args.lang
    counts = _site_range(args.sites)
    out = None if args.out is None else Path(args.out)
    if out is not None:  # before the curve's minute of solving, not after it
        check_output(out, force=args.force, folder=False)
    loaded = load_scenario(Path(args.scenario), policy_path=_opt_path(args.policy))
    params = dataclasses.replace(
        CURVE_PARAMS, time_limit_s=args.time_limit, seed=args.seed
    )
    t0 = time.perf_counter()
    points = trade_off(
        loaded.scenario,
        loaded.policy,
        counts,
        params,
        drill_replications=args.drill,
    )
    labels = TRADEOFF_COLUMNS
    li = lang_index(lang)
    head = [labels[c][li] for c in COLUMNS]
    at = COLUMNS.index("status")
    rows = [
        [
            "—" if v is None else status_label(str(v), lang) if k == at else str(v)
            for k, v in enumerate(p.row())
        ]
        for p in points
    ]
    widths = [
        max(_display_width(h), *(_display_width(r[k]) for r in rows))
        for k, h in enumerate(head)
    ]
    print("  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True)))
    for r in rows:
        print(
            "  ".join(
                " " * (w - _display_width(v)) + v
                for v, w in zip(r, widths, strict=True)
            )
        )
    total = time.perf_counter() - t0
    print(tr("cli_tradeoff_done", lang, n=len(points), seconds=total))
    if out is not None:
        # staged: an interrupted write leaves the earlier file; the BOM, as in the
        # plan folder's tables, makes Excel and WPS read the file as UTF-8
        with (
            staged_output(out, force=args.force, folder=False) as stage,
            stage.open("w", newline="", encoding="utf-8-sig") as fh,
        ):
            w = csv.writer(fh)
            w.writerow(COLUMNS)
            w.writerows(["" if v is None else v for v in p.row()] for p in points)
        print(tr("cli_written", lang, path=out))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from planner.export import export_command
    from planner.io.load import load_scenario

    plan_dir = Path(args.plan_dir)
    out = plan_dir / "export" if args.out is None else Path(args.out)
    # the plan's own export folder is always made anew; elsewhere only with --force
    force = args.force or args.out is None
    check_output(out, force=force)
    loaded = load_scenario(Path(args.scenario))
    with staged_output(out, force=force) as stage:
        report = export_command(
            loaded.scenario, plan_dir, stage, lang=args.lang, unmasked=args.unmasked
        )
    for line in dataclasses.replace(report, out=out).summary(args.lang):
        print(line)
    return EXIT_OK


def _print_staff_and_stock(result: RoundResult, lang: Lang) -> None:
    zh = lang == "zh"
    g = result.guideline
    req = int(result.requirements["needed"].sum())
    short = result.roster.shortfall
    missing = int(short["missing"].sum()) if len(short) else 0
    a = result.roster.assignments
    med = a["role"].isin(["sampler", "home_sampler"])
    print(
        tr(
            "roster_staff_line",
            lang,
            people=int(a["staff_id"].nunique()),
            samplers=int(a.loc[med, "staff_id"].nunique()),
            shifts=result.guideline.headcount,
            needed=req,
            rostered=len(a),
            missing=missing,
        )
    )
    if missing:
        by_role = short.groupby("role")["missing"].sum()
        roles = join_list(
            (f"{role_name(str(k), lang)} {v}" for k, v in by_role.items()), lang
        )
        print(tr("cli_request_support", lang, roles=roles))
    print(
        tr(
            "cli_guideline",
            lang,
            guideline=g.guideline_samplers,
            on_duty=g.on_duty,
            headcount=g.headcount,
        )
    )
    for r in g.reasons:
        print("    - " + (r[0] if zh else r[1]))
    stock = result.stock
    low = stock[stock["shortfall"] > 0]
    print(tr("cli_supplies", lang, n=len(low)))
    for r in low.itertuples():
        holder = holder_name(str(r.holder), lang)
        # reusable equipment (transport boxes) is counted, not kept for days
        reusable = r.kind == "reusable"
        print(
            tr(
                "cli_equipment_short" if reusable else "cli_stock_short",
                lang,
                item=r.item,
                holder=holder,
                on_hand=r.on_hand,
                unit=r.unit,
                days=r.days_of_supply,
                reserve_days=r.reserve_days,
                required=r.required_stock,
                short=r.shortfall,
            )
        )


def _print_certification(result: RoundResult, lang: Lang) -> None:
    from planner.text import tr
    from planner.text.roster import certification_cost_values

    li = lang_index(lang)
    c = result.certification
    if c is None:
        print(tr("cli_certify_off", lang))
        return
    f = c.figures
    verdict = tr(f"roster_verdict_{c.verdict}", lang)
    print(
        tr(
            "cli_certify_head",
            lang,
            reps=f["replications"],
            seed=f["seed"],
            attempts=len(c.attempts),
            verdict=verdict,
        )
    )
    t = c.targets
    rows = (
        ("cli_p_finish", f["p_finish"], ("≥", t["p_finish_min"])),
        ("cli_p_queue", f["p_queue_over"], ("≤", t["p_queue_over_max"])),
        ("cli_p_teams", f["p_teams"], ("≥", t["p_teams_min"])),
        ("cli_p_transport", f["p_transport"], None),
    )
    for key, value, target in rows:
        print(probability_line(tr(key, lang), value, target, lang))
    for a in c.attempts[1:]:
        for lever in a.levers:
            print(f"  [{a.number}] " + lever[li])
    print(tr("cli_certify_cost", lang, **certification_cost_values(c.cost)))
    for line in c.unreachable:
        print("  " + line[li])


def _print_norms(result: RoundResult, lang: Lang) -> None:
    from planner.planning.norms import NORM_LABELS
    from planner.text import tr

    li = lang_index(lang)
    print(tr("cli_norms", lang))
    for n in result.norms:
        rng = f"{n.low:,.0f}" if n.low == n.high else f"{n.low:,.0f}–{n.high:,.0f}"
        mark = "✓" if n.within else "≠"
        print(f"  {mark} {NORM_LABELS[n.key][li]}: {n.value:,.0f} ({rng})")
        for r in n.reasons:
            print("      - " + r[li])


def _cmd_check(args: argparse.Namespace) -> int:
    from planner.io.load import load_scenario
    from planner.io.plan_folder import read_plan_folder, require_same_scenario
    from planner.rules.plan import check_findings
    from planner.rules.readable import Places, finding_line

    lang: Lang = args.lang
    folder = Path(args.plan_dir)
    tables = read_plan_folder(folder)
    loaded = load_scenario(Path(args.scenario), policy_path=_opt_path(args.policy))
    require_same_scenario(tables, loaded.scenario, folder)
    policy = loaded.policy if args.policy else tables.policy
    findings = check_findings(loaded.scenario, policy, tables)
    # by name and in words; --codes: the rule and place codes, for programs
    places = Places.of(loaded.scenario, lang)
    for v in findings:
        print(finding_line(v, places, lang, codes=args.codes))
    return _check_verdict(findings, lang, codes=args.codes)


def _check_verdict(
    findings: Sequence[Violation], lang: Lang, *, codes: bool = False
) -> int:
    """Print the summary line naming every kind with counts; return the exit code."""
    from planner.rules.readable import named_counts
    from planner.text import tr

    rules = sum(1 for v in findings if v.kind == "rule")
    gaps = sum(1 for v in findings if v.kind == "gap")
    notes = sum(1 for v in findings if v.kind == "note")

    def named(kind: str) -> str:
        return named_counts(findings, kind, lang, codes=codes)

    if rules:
        print(
            tr(
                "cli_check_rules",
                lang,
                n=rules,
                named=named("rule"),
                gaps=gaps,
                notes=notes,
            )
        )
        return EXIT_FAILED
    if gaps:
        print(tr("cli_check_gaps", lang, gaps=gaps, named=named("gap"), notes=notes))
        return EXIT_GAPS
    print(tr("cli_check_ok", lang, notes=notes))
    return EXIT_OK


def _cmd_drill(args: argparse.Namespace) -> int:
    from planner.drill import parse_disruptions
    from planner.drill.report import run_drill, summary_lines, write_drill
    from planner.io.load import load_scenario
    from planner.io.plan_folder import read_plan_folder, require_same_scenario
    from planner.planning.codec import plan_from_tables

    lang: Lang = args.lang
    out = Path(args.out)
    check_output(out, force=args.force)
    folder = Path(args.plan_dir)
    tables = read_plan_folder(folder)
    loaded = load_scenario(Path(args.scenario), policy_path=_opt_path(args.policy))
    require_same_scenario(tables, loaded.scenario, folder)
    # the day's timing and the roster's grid are the plan's (its window may be
    # longer than the policy's default, see planning.certify); the rates the drill's
    policy = dataclasses.replace(
        loaded.policy, round=tables.policy.round, staff=tables.policy.staff
    )
    disruptions = parse_disruptions(args.disrupt or [], policy.drill)
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
        roster=tables.staff,
    )
    with staged_output(out, force=args.force) as stage:
        write_drill(run, loaded.scenario, stage)
    for line in summary_lines(run, lang):
        if line:
            print(line)
    took = sum(run.timings_s.values())
    print(tr("cli_drill_done", lang, seconds=took, out=out))
    return EXIT_OK


def _opt_path(value: str | None) -> Path | None:
    return None if value is None else Path(value)


_SEED = _number_in(int, 0, 2**31 - 1)


def _add_site_count_options(p: argparse.ArgumentParser) -> None:
    """``--sites N`` (at most N sites, fixed ones included) and ``--exactly``."""
    g = p.add_argument_group("Sites")
    g.add_argument(
        "--sites",
        type=_number_in(int, 1, 100_000),
        metavar="N",
        help="open at most N sites, fixed sites included (policy sites.n_open)",
    )
    g.add_argument(
        "--exactly",
        action="store_true",
        help="open exactly N sites (with --sites; policy sites.n_open_mode)",
    )


def _site_count_policy(args: argparse.Namespace, policy: Policy) -> Policy:
    """Apply ``--sites``/``--exactly`` over the policy file's ``[sites]``."""
    changes: dict[str, object] = {}
    if args.sites is not None:
        changes["sites.n_open"] = args.sites
    if args.exactly:
        changes["sites.n_open_mode"] = "exactly"
    if not changes:
        return policy
    policy = policy.with_values(**changes)
    problems = policy.problems(source="--sites")
    if problems:
        raise InputError(problems)
    return policy


_SCENARIO_HELP = "scenario folder or .xlsx workbook"
_POLICY_HELP = "policy TOML (default: policy.toml in the scenario)"
_SEED_HELP = "random seed (default 0)"


def _add_inputs(p: argparse.ArgumentParser, *, plan_dir: bool = False) -> None:
    """Add the positional scenario and, for commands reading a plan, its folder."""
    p.add_argument("scenario", help=_SCENARIO_HELP)
    if plan_dir:
        p.add_argument("plan_dir", help="folder written by `planner plan`")


def _add_seed(p: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    p.add_argument("--seed", type=_SEED, default=0, help=_SEED_HELP)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = _Parser(
        prog="planner",
        description=" / ".join(tr_both("cli_title")),
        epilog=EXIT_CODES_HELP,
    )
    parser.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help="language of messages (default zh)",
    )
    # --lang is also understood after the subcommand (planner plan … --lang en)
    lang_anywhere = _Parser(add_help=False)
    lang_anywhere.add_argument(
        "--lang",
        choices=["zh", "en"],
        default=argparse.SUPPRESS,
        help=argparse.SUPPRESS,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    force_help = "replace an existing non-empty output (default: refuse)"

    def command(
        name: str, func: Callable[[argparse.Namespace], int], **kwargs: Any
    ) -> argparse.ArgumentParser:
        """Add a subcommand running `func`: exit codes below its help, --lang anywhere."""
        p: argparse.ArgumentParser = sub.add_parser(
            name, epilog=EXIT_CODES_HELP, parents=[lang_anywhere], **kwargs
        )
        p.set_defaults(func=func)
        return p

    p = command(
        "validate", _cmd_validate, help="check a scenario and print its summary"
    )
    _add_inputs(p)
    p.add_argument("--policy", help=_POLICY_HELP)
    p.add_argument(
        "--marked",
        metavar="OUT.xlsx",
        help="also write the workbook back with every problem cell highlighted and "
        f"commented, plus a {tr('problems_sheet', 'en')} sheet",
    )
    p.add_argument(
        "--force", action="store_true", help="replace an existing --marked file"
    )

    p = command(
        "template",
        _cmd_template,
        help="write the register template to hand out to communities",
    )
    p.add_argument("--out", required=True, help="the .xlsx file to write")
    p.add_argument("--force", action="store_true", help="replace an existing file")

    p = command("plan", _cmd_plan, help="make a plan and write it to a folder")
    _add_inputs(p)
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--policy", help=_POLICY_HELP)
    solver = p.add_argument_group("Solver")
    solver.add_argument(
        "--time-limit",
        type=_number_in(float, 0, 3600, open_low=True),
        default=DEFAULT_TIME_LIMIT_S,
        help=f"location solve limit, seconds (default {DEFAULT_TIME_LIMIT_S:g})",
    )
    _add_seed(solver)
    solver.add_argument(
        "--certify",
        choices=("on", "off"),
        default=None,
        help="end with the certification drill and re-plan until its targets are met "
        "(default: policy [certify] enabled, on)",
    )
    _add_site_count_options(p)
    p.add_argument(
        "--edits",
        metavar="FILE",
        help="the office's hand edits (edits.toml: sites opened or closed, desks, "
        "pins, number of sites, date, start; default: edits.toml in the scenario "
        "folder when present)",
    )
    p.add_argument(
        "--no-export",
        action="store_true",
        help="skip rosters, notices and the plan document (written by default "
        "to OUT/export)",
    )
    p.add_argument(
        "--verbose",
        action="store_true",
        help="also print the solver's figures (status, objective, bound, gap)",
    )
    p.add_argument("--force", action="store_true", help=force_help)

    p = command(
        "tradeoff",
        _cmd_tradeoff,
        help="plan with each number of sites A..B: walking, desks, samplers",
    )
    _add_inputs(p)
    p.add_argument(
        "--sites",
        required=True,
        metavar="A..B",
        help="range of site counts, e.g. 25..45",
    )
    p.add_argument("--out", help="also write the table to this CSV file")
    p.add_argument("--force", action="store_true", help=force_help)
    p.add_argument("--policy", help=_POLICY_HELP)
    p.add_argument(
        "--time-limit",
        type=_number_in(float, 0, 3600, open_low=True),
        default=10.0,
        help="location solve cap per N, seconds (default 10)",
    )
    _add_seed(p)
    p.add_argument(
        "--drill",
        type=_number_in(int, 0, 100_000),
        default=0,
        metavar="R",
        help="simulate each plan R times for the chance of finishing (default 0: off)",
    )

    p = command(
        "export",
        _cmd_export,
        help="write rosters, notices, door-to-door sheets, the plan "
        "document and GIS files",
    )
    _add_inputs(p, plan_dir=True)
    p.add_argument("--out", help="output folder (default PLAN_DIR/export)")
    p.add_argument(
        "--unmasked",
        action="store_true",
        help="print full ID numbers and phones (every sheet then says so)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help=force_help + "; PLAN_DIR/export, the default, is always made anew",
    )

    p = command("check", _cmd_check, help="check a written plan against every rule")
    _add_inputs(p, plan_dir=True)
    p.add_argument("--policy", help="policy TOML (default: the one stored in the plan)")
    p.add_argument(
        "--codes",
        action="store_true",
        help="print each finding with its rule and place codes (for programs)",
    )

    p = command(
        "drill",
        _cmd_drill,
        help="simulate the day many times, with disruptions, and re-plan",
        description="Simulate a written plan's day (SimPy Monte Carlo), optionally "
        "with disruptions, and re-plan the households not yet sampled when it "
        "breaks. Disruptions: close,site=S006,at=10:00 | no_show,share=0.2 | "
        "rain,from=09:30,to=11:00[,factor=0.7] | "
        "surge,from=09:00,to=10:00[,share=0.3][,site=S006] | "
        "seal,building=B0123,at=10:30 (Chinese kinds 关闭/缺员/降雨/涌入/封控 work too).",
    )
    _add_inputs(p, plan_dir=True)
    p.add_argument("--out", required=True, help="output folder for the drill report")
    p.add_argument(
        "--replications",
        type=_number_in(int, 1, 100_000),
        default=200,
        help="simulated days (default 200)",
    )
    _add_seed(p)
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
    p.add_argument("--force", action="store_true", help=force_help)

    p = command("generate", _cmd_generate, help="generate a realistic synthetic street")
    p.add_argument(
        "--residents",
        type=_number_in(int, 50, 200_000_000),
        default=60_000,
        help="residents, 50 to 2,000,000 (default 60000); "
        "with --district up to 200,000,000 in all",
    )
    _add_seed(p)
    p.add_argument(
        "--sealed-buildings",
        type=_number_in(int, 0, 100_000),
        default=0,
        help="buildings to seal (default 0)",
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
    p.add_argument("--force", action="store_true", help=force_help)

    # the screening day: `planner serve` and `planner ops ...` (extra `ops`)
    from planner.ops.commands import add_commands

    add_commands(sub, parents=[lang_anywhere], epilog=EXIT_CODES_HELP)
    _add_users_parser(sub, lang_anywhere)
    # campaigns (planner/campaign)
    from planner.campaign.cli import add_campaign_parser, add_district_options

    add_district_options(p)
    # closing the round: records, coverage, positives, the daily report (planner/closure)
    from planner.closure.commands import add_commands as add_closure_commands

    add_closure_commands(
        sub,
        parents=[lang_anywhere],
        epilog=EXIT_CODES_HELP,
        force_help=force_help,
        seed=_SEED,
        date=_date_arg,
    )
    add_campaign_parser(
        sub,
        parents=[lang_anywhere],
        epilog=EXIT_CODES_HELP,
        number_in=_number_in,
        seed=_SEED,
        force_help=force_help,
    )
    return parser


# --- planner users: the office's accounts (see planner/office/auth.py) ----------------


def _add_users_parser(
    sub: argparse._SubParsersAction[_Parser],
    parent: _Parser,
) -> None:
    p = sub.add_parser(
        "users",
        parents=[parent],
        help="add, reset or disable the app's accounts (signing in to the served app)",
        epilog=EXIT_CODES_HELP,
    )
    p.add_argument(
        "--office",
        help="the office's store folder (default $PLANNER_OFFICE or ~/.screening-planner)",
    )
    acts = p.add_subparsers(dest="action", required=True)
    add = acts.add_parser("add", help="create an account (asks for the password)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["admin", "community", "viewer"])
    add.add_argument("--community", default="", help="the community (role community)")
    reset = acts.add_parser("reset", help="set a new password (asks for it)")
    reset.add_argument("username")
    disable = acts.add_parser("disable", help="disable an account")
    disable.add_argument("username")
    acts.add_parser("list", help="list the accounts")
    for q in (add, reset):
        q.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (for scripts)",
        )
    p.set_defaults(func=_cmd_users)


def _ask_password(args: argparse.Namespace, lang: Lang) -> str:
    from getpass import getpass

    from planner.text import tr

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass(tr("user_password_prompt", lang))
    if getpass(tr("user_password_again", lang)) != first:
        raise _UsersError("user_password_mismatch", {})
    return first


class _UsersError(Exception):
    def __init__(self, code: str, params: dict[str, object]) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def _cmd_users(args: argparse.Namespace) -> int:
    from planner.office.auth import AccountError, UserStore, office_dir, store_path
    from planner.text import tr

    lang: Lang = args.lang
    store = UserStore(store_path(office_dir(_opt_path(args.office))))
    try:
        if args.action == "add":
            user = store.add(
                args.username, _ask_password(args, lang), args.role, args.community
            )
            print(tr("user_added", lang, name=user.username, role=user.role))
        elif args.action == "reset":
            store.reset(args.username, _ask_password(args, lang))
            print(tr("user_reset", lang, name=args.username))
        elif args.action == "disable":
            store.disable(args.username)
            print(tr("user_disabled", lang, name=args.username))
        else:
            for u in store.users():
                state = "active" if u.active else "disabled"
                print(f"{u.username}\t{u.role}\t{u.community or '-'}\t{state}")
    except AccountError as exc:
        print(tr(exc.code, lang, **exc.params), file=sys.stderr)
        return EXIT_BAD_INPUT
    except _UsersError as exc:
        print(tr(exc.code, lang, **exc.params), file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (see :data:`EXIT_CODES_HELP`).

    Parameters
    ----------
    argv
        Arguments without the program name; defaults to ``sys.argv[1:]``.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    keep_freed_memory()  # large numpy temporaries reuse memory (planner.runtime)
    _LANG[0] = _lang_of(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    lang: Lang = args.lang
    scenario = getattr(args, "scenario", None)
    if isinstance(scenario, str):
        # calamine parses the sheets while the command imports pandas and the planner
        prefetch_workbook(Path(scenario))
    try:
        return int(args.func(args))
    except InputError as exc:
        n = sum(1 for i in exc.issues if i.severity == "error")
        print(tr("cli_input_errors", lang, n=n), file=sys.stderr)
        _print_issues(exc.issues, lang)
        return EXIT_BAD_INPUT
    except PlannerError as exc:
        print(tr("cli_cannot_finish", lang, why=error_text(exc, lang)), file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # output piped into `head`; nothing is wrong
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print(tr("cli_interrupted", lang), file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so in one line, keep the full report
        return _internal_error(exc, lang)


def _internal_error(exc: Exception, lang: Lang) -> int:
    """Write the traceback to a report file; print one line and where it is."""
    report = Path(tempfile.gettempdir()) / f"planner-error-{os.getpid()}.txt"
    text = "".join(traceback.format_exception(exc))
    try:
        report.write_text(text, encoding="utf-8")
        where = str(report)
    except OSError:
        where = "-"
    print(
        tr("cli_internal_error", lang, error=type(exc).__name__, where=where),
        file=sys.stderr,
    )
    print(text, file=sys.stderr)
    return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
