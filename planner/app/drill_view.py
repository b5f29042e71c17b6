"""The drill's tables as the 演练 page shows them: words for codes, whole people.

The drill's CSVs keep their codes (``site_closed``) and means (1,508.5 people): other
programs read them. A person reads the reason a building moved in words, its address
and its sites' names, and a count of people as a whole number.
"""

from __future__ import annotations

import pandas as pd

from planner.model.scenario import Scenario
from planner.text import VALUE_LABELS, Lang, lang_index, tr

REASONS: tuple[str, ...] = (
    "sealed",
    "site_closed",
    "no_capacity",
    "site_full",
    "slot_moved",
)
"""Why the re-plan changed a building (``planner.drill.replan``'s reason codes)."""

PEOPLE_MEANS: tuple[str, ...] = (
    "arrivals_mean",
    "turned_away_mean",
    "queue_people_mean",
    "sealed_not_sampled_mean",
    "no_show_mean",
    "door_to_door_households_missed_mean",
)
"""Mean counts of people or households over the replications: shown whole."""


def reason_text(code: str, lang: Lang) -> str:
    """Return a re-plan reason in words (an unknown code is returned as it is)."""
    return tr(f"map_drill_reason_{code}", lang) if code in REASONS else code


def _site_names(ids: str, scenario: Scenario) -> str:
    """Return ``S001/S002`` as the sites' names, ``、``-joined (ids kept if unknown)."""
    names = dict(zip(scenario.sites.id, scenario.sites.name, strict=True))
    parts = [p for p in str(ids).split("/") if p]
    return "、".join(str(names.get(p, p)) for p in parts)


def changes_for_people(
    changes: pd.DataFrame, scenario: Scenario, lang: Lang
) -> pd.DataFrame:
    """Return the re-plan's changed buildings as a person reads them.

    The building's address joins its id, sites are named, the new way of sampling
    and the reason are words; the columns keep their names, so the table's headers
    are localised as every other table's.
    """
    out = changes.copy()
    if out.empty:
        return out
    address = dict(zip(scenario.buildings.id, scenario.buildings.address, strict=True))
    out.insert(  # headed in the page's language already (no table code for it)
        1,
        tr("address", lang),
        [str(address.get(b, "")) for b in out["building_id"].astype(str)],
    )
    for column in ("old_site_id", "new_site_id"):
        out[column] = [_site_names(v, scenario) for v in out[column]]
    modes = VALUE_LABELS["new_mode"]
    li = lang_index(lang)
    out["new_mode"] = [
        "、".join(modes[m][li] if m in modes else m for m in str(v).split("/") if m)
        for v in out["new_mode"]
    ]
    out["reason"] = [reason_text(str(v), lang) for v in out["reason"]]
    return out


def whole_people(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` with its mean counts of people (:data:`PEOPLE_MEANS`) rounded whole."""
    out = frame.copy()
    for column in PEOPLE_MEANS:
        if column in out.columns:
            out[column] = (
                pd.to_numeric(out[column], errors="coerce").round().astype("Int64")
            )
    return out
