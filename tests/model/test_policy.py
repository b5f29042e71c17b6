"""Policy: defaults, TOML loading, and every bad value reported at once."""

from pathlib import Path

import pytest

from planner import InputError, Policy
from planner.text import render_issue


def test_defaults_match_the_guideline() -> None:
    p = Policy()
    assert p.round.window_hours == 6.0
    assert p.round.n_slots == 12
    assert p.round.start_min == 8 * 60 and p.round.end_min == 14 * 60
    assert p.sampling.sampler_rate_per_h * p.round.window_hours == 360  # ÷360 rule
    assert p.stock.reserve_days("street") == 15
    assert p.stock.reserve_days("hospital") == 30


def test_missing_keys_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        "[round]\nwindow_hours = 8\n[stock]\nstreet_reserve_days = 20\n",
        encoding="utf-8",
    )
    p = Policy.from_toml(path)
    assert p.round.window_hours == 8.0
    assert p.stock.street_reserve_days == 20
    assert p.sampling == Policy().sampling


def test_every_problem_reported(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        "[round]\nwindow_hours = 14\nslot_minutes = 'half an hour'\n"
        "[pooling]\ndefault_pool_size = 7\n[nonsense]\nx = 1\n[walking]\nspeed = 3\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        Policy.from_toml(path)
    lines = [render_issue(i) for i in exc.value.issues]
    assert (
        "[错误] policy.toml，列“round.window_hours”：采样时长 14 小时超过上限 12 小时"
        in lines
    )
    assert (
        "[错误] policy.toml，列“round.slot_minutes”：配置值“half an hour”无效" in lines
    )
    assert "[错误] policy.toml，列“pooling.default_pool_size”：配置值“7”无效" in lines
    assert "[错误] policy.toml，列“nonsense”：未知的配置节" in lines
    assert "[错误] policy.toml，列“walking.speed”：未知的配置项" in lines


def test_round_trip_through_dict() -> None:
    p = Policy().with_values(**{"round.window_hours": 9.0, "heat.enabled": True})
    assert Policy.from_dict(p.to_dict()) == p
    assert Policy().round.window_hours == 6.0  # the original is untouched


def test_shipped_demo_policy_equals_defaults() -> None:
    """The demo's policy.toml spells out the defaults, so the two cannot drift apart."""
    path = Path(__file__).resolve().parents[2] / "data" / "demo" / "policy.toml"
    assert Policy.from_toml(path) == Policy()


def test_the_screening_date_is_a_day_or_an_error(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[round]\nscreening_date = 2026-12-09\n", encoding="utf-8")
    assert Policy.from_toml(path).round.screening_date == "2026-12-09"
    path.write_text('[round]\nscreening_date = "12月9日"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        Policy.from_toml(path)
    assert [i.column for i in err.value.issues] == ["round.screening_date"]
