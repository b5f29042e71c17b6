"""Solver settings shared by every caller (data, not policy; light to import).

Every default time limit and worker count of a solver lives here, named for the
problem it is for; callers name the constant rather than repeat its number.
"""

DEFAULT_TIME_LIMIT_S = 30.0
"""The one default wall-time cap of a location solve, seconds, for the core, the
street plan (:class:`planner.planning.plan.SolveParams`), the CLI and the app. A cap,
not a budget: solves stop earlier on the gap limit or the deterministic-time budget,
so the same inputs and seed give the same plan whatever the cap."""

PLAN_NUM_WORKERS = 4
"""CP-SAT subsolvers of a street's location solve (:class:`SolveParams`): the two
LP-based ones that prove bounds and neighbourhood searches. Measured on the demo and
generated 30,000- to 150,000-resident streets: 8 gave the same optimal plans 1.2-1.7
times slower on 2 cores (a batch of the interleaved search ends with its slowest task)."""

LOCATE_NUM_WORKERS = 2
"""CP-SAT subsolvers when :func:`planner.solve.locate.locate` is called without a
street's settings (the benchmarks' instances)."""

REPLAN_TIME_LIMIT_S = 10.0
"""Wall-time cap of a re-plan's location solve on the day (drill and ops), seconds."""

REPLAN_NUM_WORKERS = 8
"""CP-SAT subsolvers of a re-plan on the day: a small problem (the households not yet
sampled) solved under a short cap, where more portfolio workers find a first good
answer sooner."""

ROUTE_TIME_LIMIT_S = 10.0
"""Wall-time cap of one community's door-to-door routing, seconds."""

REPLAN_ROUTE_TIME_LIMIT_S = 5.0
"""Wall-time cap of a re-plan's door-to-door routing on the day (the households a
closure sends to the door), seconds."""

CAMPAIGN_TIME_LIMIT_S = 600.0
"""A campaign street's location cap, seconds: high, so the deterministic budgets decide
where a search stops (see :data:`planner.campaign.run.CAMPAIGN_PARAMS`)."""

CAMPAIGN_ROUTE_TIME_LIMIT_S = 120.0
"""A campaign street's door-to-door routing cap, seconds (as above)."""
