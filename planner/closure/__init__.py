"""Close a round: who was sampled, what is left, positive pools and the daily report.

Pure computation on the register (:class:`planner.model.scenario.Scenario`), the plan
and the day's records (:mod:`planner.io.records`): matching records to residents
(:mod:`.matching`), coverage and the grids' 未检 lists (:mod:`.coverage`), the
same-day catch-up (:mod:`.catchup`), positive pools (:mod:`.positives`), the daily
report (:mod:`.daily`) and a seeded generator of a day's records (:mod:`.simulate`).
Files are read in :mod:`planner.io.records` and written in
:mod:`planner.export.closure`.
"""
