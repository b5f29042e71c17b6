"""Run a campaign for a street or a district and write everything it decided.

Output folder::

    campaign.json          per day and street: people planned, samplers needed /
                           own / lent / borrowed / uncovered, tubes, stock left, gaps
    streets/<street>/round<k>/   plan folders (`planner check` / `planner export`),
                           with changes.csv (notices to re-issue) and, when the
                           street changed that round, scenario/ as it was planned
    transfers.csv          day, resource, from, to, quantity
    stock_by_day.csv       per day, street and item: opening, deliveries, transfers,
                           use, gaps, closing, the reserve rule, days of supply, orders
    orders.csv, uncovered.csv
    summary_zh.md, summary_en.md
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.campaign.balance import POOL
from planner.campaign.district import DistrictSpec, load_district, policy_path_for
from planner.campaign.engine import Engine, bad_option, default_workers, run_streets
from planner.campaign.street import Disruption, StreetOutcome, StreetTask, street_seed
from planner.campaign.supply import CampaignDays, positions, simulate_days
from planner.errors import InputError, Issue
from planner.io.load import load_scenario
from planner.io.output import staged_output
from planner.planning.plan import SolveParams
from planner.solve.settings import CAMPAIGN_ROUTE_TIME_LIMIT_S, CAMPAIGN_TIME_LIMIT_S
from planner.text import CAMPAIGN_TEXTS, Lang

CAMPAIGN_PARAMS = SolveParams(
    num_workers=1,
    time_limit_s=CAMPAIGN_TIME_LIMIT_S,
    route_time_limit_s=CAMPAIGN_ROUTE_TIME_LIMIT_S,
)
"""Solver settings of a campaign: one CP-SAT worker per street, because the streets
themselves run in parallel (on a generated 100,000-resident street it finds a plan
within 0.05 % of the 8-worker optimum in less than half the time). The wall-time caps
are raised far above what a street takes, so the deterministic budgets (CP-SAT's
deterministic time, the routing's solution limit) always decide where a search stops:
a busy machine or a slower node would otherwise cut searches at different points and
the engines would not give the same plans."""


@dataclass(frozen=True)
class CampaignResult:
    """A finished campaign.

    Attributes
    ----------
    spec
        The district (or the single street as a district of one).
    rounds
        Rounds planned per street.
    outcomes
        Per street, in district order.
    days
        Balancing, stock and orders over the days.
    engine, workers
        Where the streets ran.
    out
        The output folder (round folders in ``outcomes`` are relative to it).
    wall_time_s
        Seconds for the streets and for the whole campaign.
    """

    spec: DistrictSpec
    rounds: int
    outcomes: list[StreetOutcome]
    days: CampaignDays
    engine: str
    workers: int
    out: Path
    wall_time_s: dict[str, float]


def parse_disruption(spec: str) -> Disruption:
    """Parse ``close,site=S006,round=2[,street=s01]`` or ``seal,building=B1,round=2``.

    Raises
    ------
    InputError
        Naming the ``--disrupt`` value when it is not of that form.
    """

    def bad() -> InputError:
        return InputError(
            [
                Issue(
                    "error",
                    "campaign_bad_disruption",
                    "--disrupt",
                    params=(("value", spec),),
                )
            ]
        )

    kind, *rest = [p.strip() for p in spec.split(",")]
    kinds = {"close": "close", "关闭": "close", "seal": "seal", "封控": "seal"}
    if kind not in kinds:
        raise bad()
    kv: dict[str, str] = {}
    for part in rest:
        if "=" not in part:
            raise bad()
        k, v = part.split("=", 1)
        kv[k.strip()] = v.strip()
    target_key = "site" if kinds[kind] == "close" else "building"
    if target_key not in kv or not kv.get("round", "").isdigit():
        raise bad()
    if int(kv["round"]) < 1 or set(kv) - {target_key, "round", "street"}:
        raise bad()
    return Disruption(
        kinds[kind], kv[target_key], int(kv["round"]), kv.get("street", "")
    )


def _check_targets(spec: DistrictSpec, disruptions: tuple[Disruption, ...]) -> None:
    known = {r.street for r in spec.streets}
    issues = [
        Issue(
            "error",
            "campaign_unknown_street",
            "--disrupt",
            params=(("value", d.street),),
        )
        for d in disruptions
        if d.street and d.street not in known
    ]
    if issues:
        raise InputError(issues)


def _rounds_default(spec: DistrictSpec) -> int:
    ref = spec.streets[0]
    policy = load_scenario(ref.path, policy_path=policy_path_for(spec, ref)).policy
    return policy.campaign.rounds


def run_campaign(
    target: Path,
    out: Path,
    *,
    rounds: int | None = None,
    engine: Engine = "local",
    workers: int | None = None,
    address: str | None = None,
    seed: int = 0,
    disruptions: tuple[Disruption, ...] = (),
    params: SolveParams | None = None,
    force: bool = False,
) -> CampaignResult:
    """Plan every round of every street, balance the district and write the results.

    Parameters
    ----------
    target
        A street's scenario (folder or workbook) or a district folder with
        ``district.toml``.
    out
        Output folder.
    rounds
        Rounds; default ``campaign.rounds`` of the (first street's) policy.
    engine, workers, address
        Where the streets run (:func:`planner.campaign.engine.run_streets`).
    seed
        Campaign seed; each street's solver seed is derived from it and the
        street's folder name.
    disruptions
        Site closures and sealed buildings from a round on.
    params
        Solver settings other than the seed; default :data:`CAMPAIGN_PARAMS`.
    force
        Replace an existing non-empty `out` (default: refuse). Everything is written
        to a staging folder beside `out` that replaces it only when the campaign is
        complete, so a failed run leaves nothing half-made.

    Raises
    ------
    InputError
        For a bad district file, street scenario, option or disruption.
    """
    t0 = time.perf_counter()
    spec = load_district(target)
    _check_targets(spec, disruptions)
    if spec.single:
        only = spec.streets[0].street
        disruptions = tuple(
            dataclasses.replace(d, street=d.street or only) for d in disruptions
        )
    k = rounds if rounds is not None else _rounds_default(spec)
    if k < 1:
        raise bad_option("--rounds", k)
    base = params or CAMPAIGN_PARAMS
    with staged_output(out, force=force) as stage:
        tasks = []
        for ref in spec.streets:
            policy = policy_path_for(spec, ref)
            mine = tuple(d for d in disruptions if d.street in ("", ref.street))
            tasks.append(
                StreetTask(
                    street=ref.street,
                    path=str(ref.path),
                    policy_path=None if policy is None else str(policy),
                    out=str(stage / "streets" / ref.street),
                    rounds=k,
                    params=SolveParams(
                        time_limit_s=base.time_limit_s,
                        seed=street_seed(seed, ref.street),
                        num_workers=base.num_workers,
                        gap_limit=base.gap_limit,
                        deterministic_time=base.deterministic_time,
                        route_time_limit_s=base.route_time_limit_s,
                    ),
                    disruptions=mine,
                )
            )
        t1 = time.perf_counter()
        outcomes = run_streets(tasks, engine=engine, workers=workers, address=address)
        t2 = time.perf_counter()
        days = simulate_days(outcomes, spec)
        result = CampaignResult(
            spec,
            k,
            outcomes,
            days,
            engine,
            workers or default_workers(),
            out,
            {"streets": t2 - t1, "total": 0.0},
        )
        write_campaign(result, stage)
        result.wall_time_s["total"] = time.perf_counter() - t0
        (stage / "campaign.json").write_text(
            json.dumps(
                campaign_json(result), ensure_ascii=False, indent=1, default=_plain
            ),
            encoding="utf-8",
        )
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isinf(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(type(value).__name__)


def campaign_json(result: CampaignResult) -> dict[str, Any]:
    """Return ``campaign.json``: the campaign's settings, per-day figures and plans."""
    spec = result.spec
    pos = positions(result.outcomes, spec)
    return {
        "name": spec.name,
        "single_street": spec.single,
        "rounds": result.rounds,
        "days": result.days.n_days,
        "engine": result.engine,
        "workers": result.workers,
        "district_pool": {
            "samplers": spec.samplers,
            "vans": spec.vans,
            "warehouse": spec.warehouse,
            "lon": pos[POOL][0],
            "lat": pos[POOL][1],
        },
        "streets": [
            {
                "street": o.street,
                "name": o.name,
                "residents": o.residents,
                "households": o.households,
                "lon": pos[o.street][0],
                "lat": pos[o.street][1],
                "wall_time_s": round(o.wall_time_s, 2),
                "staff_hours": o.staff_hours,
                "rounds": [
                    {
                        "round": r.round,
                        "day": r.day,
                        "folder": r.folder,
                        "scenario_folder": r.scenario_folder,
                        "plan_sha256": r.digest,
                        "buildings_moved": r.buildings_moved,
                        "households_changed": r.households_changed,
                        "positive_households": r.positives,
                        "solver_status": r.status,
                        "wall_time_s": round(r.wall_time_s, 2),
                    }
                    for r in o.rounds
                ],
            }
            for o in result.outcomes
        ],
        "per_day": result.days.days,
        "transfers": len(result.days.transfers),
        "van_trips": result.days.van_trips,
        "orders": result.days.orders.to_dict("records"),
        "uncovered": result.days.uncovered.to_dict("records"),
        "timings_s": {k: round(v, 2) for k, v in result.wall_time_s.items()},
    }


def write_campaign(result: CampaignResult, out: Path) -> None:
    """Write the CSV tables and the summaries (``campaign.json`` is written last)."""
    d = result.days
    for name, frame in (
        ("transfers", d.transfers),
        ("stock_by_day", d.stock),
        ("orders", d.orders),
        ("uncovered", d.uncovered),
    ):
        frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig")
    for lang in ("zh", "en"):
        (out / f"summary_{lang}.md").write_text(
            "\n".join(summary_lines(result, lang)) + "\n", encoding="utf-8"
        )


def _t(key: str, lang: Lang, **kw: Any) -> str:
    zh, en = CAMPAIGN_TEXTS[key]
    return (zh if lang == "zh" else en).format(**kw)


def summary_lines(result: CampaignResult, lang: Lang = "zh") -> list[str]:
    """Return the campaign summary in a few lines (Chinese by default)."""
    spec, d = result.spec, result.days
    residents = sum(o.residents for o in result.outcomes)
    n_days = d.n_days
    lines = [
        _t(
            "title",
            lang,
            name=spec.name,
            streets=len(result.outcomes),
            residents=residents,
            rounds=result.rounds,
            days=n_days,
        ),
        "",
    ]
    frame = pd.DataFrame(d.days)
    for day in sorted(set(frame["day"].tolist())):
        rows = frame[frame["day"] == day]
        lines.append(
            _t(
                "day",
                lang,
                day=int(day) + 1,
                people=int(rows["people_planned"].sum()),
                resampled=int(rows["resampled_households"].sum()),
                needed=int(rows["samplers_needed"].sum()),
                borrowed=int(rows["samplers_borrowed"].sum()),
                uncovered=int(rows["samplers_uncovered"].sum()),
                gaps=sum(len(g) for g in rows["gaps"].tolist()),
            )
        )
    moved = sum(r.buildings_moved for o in result.outcomes for r in o.rounds)
    changed = sum(r.households_changed for o in result.outcomes for r in o.rounds[1:])
    lines += [
        "",
        _t("continuity", lang, moved=moved, changed=changed),
        _t(
            "transfers",
            lang,
            samplers=int(
                d.transfers.loc[d.transfers["resource"] == "samplers", "quantity"].sum()
            ),
            supplies=int((d.transfers["resource"] != "samplers").sum()),
        ),
        _t("orders", lang, orders=len(d.orders)),
    ]
    if len(d.uncovered):
        lines.append(_t("uncovered_head", lang))
        for r in d.uncovered.head(20).to_dict("records"):
            lines.append(
                _t(
                    "uncovered_row",
                    lang,
                    day=int(r["day"]) + 1,
                    street=r["street"],
                    resource=_t("samplers", lang)
                    if r["resource"] == "samplers"
                    else r["resource"],
                    quantity=int(r["quantity"]),
                )
            )
        if len(d.uncovered) > 20:
            lines.append(_t("more", lang, n=len(d.uncovered) - 20))
    else:
        lines.append(_t("all_covered", lang))
    first = result.outcomes[0].rounds[-1] if result.outcomes else None
    if first is not None:
        scen = (
            str(result.out / first.scenario_folder)
            if first.scenario_folder
            else str(
                next(
                    r.path
                    for r in spec.streets
                    if r.street == result.outcomes[0].street
                )
            )
        )
        folder = str(result.out / first.folder)
        lines += ["", _t("check_hint", lang, scenario=scen, folder=folder)]
    return lines
