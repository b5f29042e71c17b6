"""A whole round: plan, staff, supplies and the drill that certifies it.

The floor above :mod:`planner.planning` (one plan's pieces) and :mod:`planner.drill`
(the day played out): :mod:`planner.round.run` (:func:`run_round`, the only
orchestration of a round, used by the CLI, the app and the campaign),
:mod:`planner.round.certify` (certification by the drill and its re-plans) and
:mod:`planner.round.tradeoff` (the sites-against-walking curve, each point drilled).
"""
