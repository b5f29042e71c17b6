"""Plan campaigns: several rounds over several days, for a street, a district or a city."""

from planner.campaign.district import DistrictSpec as DistrictSpec
from planner.campaign.district import load_district as load_district
from planner.campaign.generate import generate_district as generate_district
from planner.campaign.run import CampaignResult as CampaignResult
from planner.campaign.run import parse_disruption as parse_disruption
from planner.campaign.run import run_campaign as run_campaign
from planner.campaign.street import Disruption as Disruption
