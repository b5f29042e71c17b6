"""`planner generate --district` and `planner campaign` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from planner.cli import EXIT_GAPS, EXIT_OK, main

REPO = Path(__file__).resolve().parents[2]


def test_generate_a_district_and_run_its_campaign(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    d = tmp_path / "d"
    assert (
        main(
            [
                "generate",
                "--district",
                "--streets",
                "2",
                "--residents",
                "900",
                "--seed",
                "2",
                "--out",
                str(d),
            ]
        )
        == 0
    )
    assert sorted(p.name for p in d.iterdir()) == ["district.toml", "s01", "s02"]
    out = tmp_path / "c"
    assert (
        main(
            [
                "campaign",
                str(d),
                "--rounds",
                "2",
                "--out",
                str(out),
                "--workers",
                "1",
                "--seed",
                "1",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "2 个街道" in printed and "第 2 天" in printed
    for name in (
        "campaign.json",
        "transfers.csv",
        "stock_by_day.csv",
        "summary_zh.md",
        "summary_en.md",
        "orders.csv",
        "uncovered.csv",
    ):
        assert (out / name).is_file(), name
    report = json.loads((out / "campaign.json").read_text(encoding="utf-8"))
    assert report["rounds"] == 2 and [s["street"] for s in report["streets"]] == [
        "s01",
        "s02",
    ]
    row = report["per_day"][0]
    for key in (
        "people_planned",
        "samplers_needed",
        "samplers_own",
        "samplers_lent",
        "samplers_borrowed",
        "tubes",
        "stock_left",
        "gaps",
    ):
        assert key in row
    plan = out / "streets" / "s01" / "round2"
    # no rule broken; the generated street's short stock and staff are gaps (3)
    assert main(["check", str(d / "s01"), str(plan)]) in (EXIT_OK, EXIT_GAPS)
    assert (
        main(["export", str(d / "s01"), str(plan), "--out", str(tmp_path / "x")]) == 0
    )


def test_bad_campaign_input_is_reported_not_raised(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert (
        main(["campaign", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    )
    d = tmp_path / "d"
    d.mkdir()
    (d / "district.toml").write_text(
        "[pool]\nsamplers = -3\nbikes = 2\n", encoding="utf-8"
    )
    assert main(["campaign", str(d), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "district.toml" in err and "pool.samplers" in err and "pool.bikes" in err
    assert (
        main(
            [
                "generate",
                "--district",
                "--streets",
                "5",
                "--residents",
                "100",
                "--out",
                str(tmp_path / "g"),
            ]
        )
        == 2
    )
