"""The [campaign] policy section: defaults, and bad values named by key."""

from __future__ import annotations

import pytest

from planner.errors import InputError
from planner.model.policy import Policy


def test_campaign_defaults_follow_the_guidelines() -> None:
    c = Policy().campaign
    assert (c.rounds, c.days_between_rounds) == (3, 1)
    assert Policy.from_dict({"campaign": {"rounds": 5}}).campaign.rounds == 5


def test_bad_campaign_values_are_named() -> None:
    with pytest.raises(InputError) as err:
        Policy.from_dict(
            {
                "campaign": {
                    "rounds": 0,
                    "positivity": 1.5,
                    "max_hours_per_day": 30.0,
                    "lead_time_days": -1,
                }
            }
        )
    columns = {i.column for i in err.value.issues}
    assert columns == {
        "campaign.rounds",
        "campaign.positivity",
        "campaign.max_hours_per_day",
        "campaign.lead_time_days",
    }
