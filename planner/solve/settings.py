"""Solver settings shared by every caller (data, not policy; light to import)."""

DEFAULT_TIME_LIMIT_S = 30.0
"""The one default wall-time cap of a location solve, seconds, for the core, the
street plan (:class:`planner.planning.plan.SolveParams`), the CLI and the app. A cap,
not a budget: solves stop earlier on the gap limit or the deterministic-time budget,
so the same inputs and seed give the same plan whatever the cap."""

CAMPAIGN_TIME_LIMIT_S = 600.0
"""A campaign street's location cap, seconds: high, so the deterministic budgets decide
where a search stops (see :data:`planner.campaign.run.CAMPAIGN_PARAMS`)."""

CAMPAIGN_ROUTE_TIME_LIMIT_S = 120.0
"""A campaign street's door-to-door routing cap, seconds (as above)."""
