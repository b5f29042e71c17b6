"""Plan campaigns: several rounds over several days, for a street, a district or a city.

The public names are imported on first use (PEP 562), so that building the CLI's
parser, which only needs :mod:`planner.campaign.cli`, does not import the solver,
the engines and geopandas: ``planner validate`` starts faster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.lazy import lazy_exports

if TYPE_CHECKING:
    from planner.campaign.district import DistrictSpec as DistrictSpec
    from planner.campaign.district import load_district as load_district
    from planner.campaign.generate import generate_district as generate_district
    from planner.campaign.run import CampaignResult as CampaignResult
    from planner.campaign.run import parse_disruption as parse_disruption
    from planner.campaign.run import run_campaign as run_campaign
    from planner.campaign.street import Disruption as Disruption

_HOMES = {
    "DistrictSpec": "planner.campaign.district",
    "load_district": "planner.campaign.district",
    "generate_district": "planner.campaign.generate",
    "CampaignResult": "planner.campaign.run",
    "parse_disruption": "planner.campaign.run",
    "run_campaign": "planner.campaign.run",
    "Disruption": "planner.campaign.street",
}

__all__ = sorted(_HOMES)


__getattr__ = lazy_exports(__name__, _HOMES)
