"""Section 检测机构与送检 of the plan document: labs, vans, tube times, results.

Printed from the plan's vehicle schedule and its custody headline in ``plan.json``
(:func:`planner.planning.transport.custody_summary`); ``planner check`` recomputes
both from the plan's tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.export.blocks import Block
from planner.export.timetable import site_pickups, team_handovers
from planner.model.clock import day_clock_words

if TYPE_CHECKING:
    from planner.export._common import ExportData


def lab_blocks(data: ExportData) -> list[Block]:
    """Return the section: where the boxes go, when they arrive, when results come."""
    t = data.t
    p = data.policy
    summary = data.files.summary
    found: dict[str, Any] = summary.get("custody") or {}
    vans = summary.get("transport") or []
    out = [Block("h1", t("transport_doc_h"))]
    labs = found.get("labs", [])
    if not found:
        out.append(Block("p", t("transport_doc_none")))
        return out
    if len(labs) == 1 and not labs[0]["name"]:
        out.append(
            Block(
                "p",
                t(
                    "transport_doc_default_lab",
                    drive=p.drill.lab_drive_min,
                    result=p.transport.lab_result_h,
                ),
            )
        )
    rows = [
        (
            str(lab["name"]) or t("transport_default_lab"),
            f"{lab['open']}–{lab['close']}",
            f"{lab['tubes_per_hour']:g}"
            if lab["tubes_per_hour"]
            else t("transport_doc_unlimited"),
            f"{lab['result_hours']:g}",
            str(lab["boxes"]),
            str(lab["tubes"]),
            f"{lab['first_box']}–{lab['last_box']}",
            day_clock_words(str(lab["last_result"]), data.lang),
        )
        for lab in labs
    ]
    out.append(
        Block(
            "table",
            heads=tuple(t(f"transport_doc_col_{i}") for i in range(1, 9)),
            rows=tuple(rows),
            widths=(22, 12, 10, 8, 8, 8, 14, 12),
        )
    )
    site_vans = [v for v in vans if v.get("sites")]
    runners = sum(len(h) for h in team_handovers(summary).values())
    out.append(
        Block(
            "p",
            t(
                "transport_doc_vans",
                vans=sum(int(v.get("vehicles", 1)) for v in vans),
                site_vans=sum(int(v.get("vehicles", 1)) for v in site_vans),
                routes=len(site_vans),
                sites=len(site_pickups(summary)),
                period=p.drill.van_round_min,
                teams=len(team_handovers(summary)),
                handovers=runners,
            ),
        )
    )
    out.append(
        Block(
            "p",
            t(
                "transport_doc_times",
                walk_max=found["walk_up_max_min"],
                walk_mean=found["walk_up_mean_min"],
                home_max=found["door_to_door_max_min"],
                home_mean=found["door_to_door_mean_min"],
                limit=found["limit_min"],
            ),
        )
    )
    out.append(
        Block(
            "p",
            t(
                "transport_doc_results",
                start=p.round.window_start,
                hours=p.transport.results_within_h,
                deadline=day_clock_words(str(found["results_by"]), data.lang),
                last=day_clock_words(str(found["last_result"]), data.lang),
                late=found["boxes_late"],
            ),
        )
    )
    van_rows: list[tuple[str, ...]] = []
    for van in vans:
        departs = [str(r["depart"]) for r in van.get("rounds", [])]
        fleet = int(van.get("vehicles", 1))
        van_rows.append(
            (
                str(van["van_id"])
                if fleet <= 1
                else t("transport_doc_van_fleet", van=van["van_id"], n=fleet),
                "、".join(van.get("sites", []))
                if data.lang == "zh"
                else ", ".join(van.get("sites", [])),
                ("、" if data.lang == "zh" else ", ").join(departs),
                str(
                    sum(
                        len(s.get("teams", [])) + ("team_id" in s)
                        for r in van.get("rounds", [])
                        for s in r["stops"]
                    )
                ),
            )
        )
    out.append(
        Block(
            "table",
            heads=tuple(t(f"transport_doc_van_{i}") for i in range(1, 5)),
            rows=tuple(van_rows),
            widths=(18, 28, 42, 12),
        )
    )
    return out
