"""A fixed number of sites for the street ("设置 N 个采样点"): policy, CLI, messages,
and the trade-off curve over N."""

import codecs
import csv
from pathlib import Path

import numpy as np
import pytest

from planner import InfeasibleError, Policy, load_scenario
from planner.cli import main
from planner.planning.plan import SolveParams, make_plan, precheck_site_count
from planner.round.tradeoff import COLUMNS, trade_off
from planner.text import error_text


def _with_sites(policy: Policy, n: int, mode: str = "at_most") -> Policy:
    return policy.with_values(**{"sites.n_open": n, "sites.n_open_mode": mode})


def test_the_fixed_site_counts_toward_n(
    tiny_dir: Path, fast_params: SolveParams
) -> None:
    """B1 and B2 reach only S1; S2 is fixed: with at most one site nothing fits."""
    loaded = load_scenario(tiny_dir)
    with pytest.raises(InfeasibleError) as info:
        make_plan(loaded.scenario, _with_sites(loaded.policy, 1), fast_params)
    assert "最多 1 个采样点（含必开点）" in error_text(info.value, "zh")
    plan = make_plan(
        loaded.scenario, _with_sites(loaded.policy, 2, "exactly"), fast_params
    )
    assert plan.site_open.tolist() == [True, True]


def test_too_few_sites_say_how_many_are_needed() -> None:
    policy = _with_sites(Policy(), 2)
    capacity = np.array([100.0, 80.0, 50.0])
    with pytest.raises(InfeasibleError) as info:
        precheck_site_count(200.0, capacity, np.zeros(3, bool), policy)
    text = error_text(info.value, "zh")
    assert "2 个采样点（含 0 个必开点）" in text and "最多能采 180" in text
    assert "需要 200" in text and "至少需要 3 个采样点" in text
    assert "about 0.7 more hours" in error_text(info.value, "en")  # 6 h × (200/180 − 1)
    assert "hours" not in text  # one language, not both joined
    # a fixed small site takes one of the N places
    with pytest.raises(InfeasibleError) as info:
        precheck_site_count(160.0, capacity, np.array([False, False, True]), policy)
    assert "最多能采 150" in error_text(info.value, "zh")
    precheck_site_count(180.0, capacity, np.zeros(3, bool), policy)  # fits


def test_more_fixed_sites_than_n() -> None:
    with pytest.raises(InfeasibleError) as info:
        precheck_site_count(1.0, np.ones(2), np.ones(2, bool), _with_sites(Policy(), 1))
    assert "已有 2 个必开采样点，超过限定的 1 个" in error_text(info.value, "zh")


def test_policy_rejects_bad_counts() -> None:
    assert Policy().sites.n_open == 0  # no limit by default
    bad = _with_sites(Policy(), -1, "roughly").problems()
    assert {i.column for i in bad} == {"sites.n_open", "sites.n_open_mode"}


def test_cli_sites_options(tiny_dir: Path, tmp_path: Path) -> None:
    def args(name: str) -> list[str]:
        return [
            "plan",
            str(tiny_dir),
            "--out",
            str(tmp_path / name),
            "--time-limit",
            "5",
        ]

    assert main([*args("a"), "--sites", "2", "--exactly", "--no-export"]) == 0
    assert main([*args("b"), "--sites", "1", "--no-export"]) == 1  # cannot hold it
    with pytest.raises(SystemExit) as bad:  # the parser refuses it: bad input
        main([*args("c"), "--sites", "-3", "--no-export"])
    assert bad.value.code == 2


def test_tradeoff_rows_per_n_and_csv(
    tiny_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "curve.csv"
    assert (
        main(
            [
                "--lang",
                "en",
                "tradeoff",
                str(tiny_dir),
                "--sites",
                "1..2",
                "--out",
                str(target),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split()[:2] == ["N", "sites"]
    with target.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(COLUMNS)
    assert [r["sites"] for r in rows] == ["1", "2"]
    assert rows[0]["status"] == "infeasible"
    assert rows[1]["sites_open"] == "2" and int(rows[1]["desks"]) >= 2
    assert target.read_bytes().startswith(codecs.BOM_UTF8)  # Excel and WPS read UTF-8
    # an existing table is kept without --force and replaced whole with it
    before = target.read_bytes()
    again = ["tradeoff", str(tiny_dir), "--sites", "2..2", "--out", str(target)]
    assert main(again) == 2 and target.read_bytes() == before
    assert main([*again, "--force"]) == 0
    with target.open(encoding="utf-8-sig") as fh:
        assert [r["sites"] for r in csv.DictReader(fh)] == ["2"]
    assert not list(tmp_path.glob("*partial*")) and len(list(tmp_path.iterdir())) == 1
    assert main(["tradeoff", str(tiny_dir), "--sites", "3..2"]) == 2
    # in Chinese the table says what a status means
    capsys.readouterr()
    assert main(["tradeoff", str(tiny_dir), "--sites", "1..1"]) == 0
    assert "无可行解" in capsys.readouterr().out


def test_tradeoff_warm_start_gives_the_cold_answer(
    tiny_dir: Path, fast_params: SolveParams
) -> None:
    """Each N from its neighbour's plan ends where a cold solve of N does."""
    loaded = load_scenario(tiny_dir)
    curve = trade_off(loaded.scenario, loaded.policy, [2], fast_params)
    cold = make_plan(
        loaded.scenario, _with_sites(loaded.policy, 2, "exactly"), fast_params
    )
    assert curve[0].objective == pytest.approx(cold.solver.objective, abs=0.1)
    assert curve[0].desks == int(cold.site_desks.sum())


DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@pytest.mark.slow
def test_at_most_n_is_never_dearer_than_exactly_n() -> None:
    """When the cap binds, at most N sites starts from exactly N's plan (the p-median
    path with its MIP): on the demo the capped model alone stopped 0.3 % above it at
    30 sites and 1.2 % above at 28."""
    loaded = load_scenario(DEMO)
    params = SolveParams(home_visits=False)
    for n in (28, 30):
        at_most = make_plan(loaded.scenario, _with_sites(loaded.policy, n), params)
        exactly = make_plan(
            loaded.scenario, _with_sites(loaded.policy, n, "exactly"), params
        )
        assert at_most.site_open.sum() <= n
        assert at_most.solver.objective <= exactly.solver.objective + 1e-6
        assert at_most.solver.bound <= at_most.solver.objective + 1e-6


@pytest.mark.slow
def test_at_most_more_sites_than_the_plan_wants_changes_nothing() -> None:
    """The free plan opens 40 of the demo's sites: a cap of 45 does not bind."""
    loaded = load_scenario(DEMO)
    params = SolveParams(home_visits=False)
    free = make_plan(loaded.scenario, loaded.policy, params)
    capped = make_plan(loaded.scenario, _with_sites(loaded.policy, 45), params)
    assert free.site_open.sum() == 40
    assert (capped.hh_site == free.hh_site).all()
    assert capped.solver.objective == pytest.approx(free.solver.objective)
