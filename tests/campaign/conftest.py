"""Tiny generated districts for the campaign tests, planned once per session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planner.campaign import generate_district, run_campaign
from planner.campaign.run import CampaignResult

ROUNDS = 3


def _edit_staff(folder: Path, *, keep_samplers: int | None, extra: int) -> None:
    staff = pd.read_csv(folder / "staff.csv", dtype=str, keep_default_na=False)
    if keep_samplers is not None:
        samplers = staff.index[staff["role"] == "sampler"]
        staff = staff.drop(index=samplers[keep_samplers:])
    if extra:
        one = staff[staff["role"] == "sampler"].iloc[0]
        more = pd.DataFrame([one] * extra)
        more["staff_id"] = [f"X{n:03d}" for n in range(extra)]
        staff = pd.concat([staff, more], ignore_index=True)
    staff.to_csv(folder / "staff.csv", index=False)


def _set_stock(folder: Path, item: str, quantity: int) -> None:
    inv = pd.read_csv(folder / "inventory.csv", dtype=str, keep_default_na=False)
    inv.loc[inv["item"] == item, "on_hand"] = str(quantity)
    inv.to_csv(folder / "inventory.csv", index=False)


@pytest.fixture(scope="session")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three streets of about 800 residents; s02 is short of samplers and swabs.

    s01 (its neighbour) has samplers and swabs to spare; the district pool is empty,
    so whatever s02 gets must come from another street. One person in 200 is
    positive (about one 10:1 tube in twenty), so households move to door-to-door visits between rounds.
    """
    root = tmp_path_factory.mktemp("district")
    made = generate_district(3, 2400, seed=11, out=root / "d")
    toml = (made.path / "district.toml").read_text(encoding="utf-8")
    head, _, streets = toml.partition("[[streets]]")
    head = head.split("[pool]")[0] + "[pool]\nsamplers = 0\nvans = 2\n\n"
    (made.path / "district.toml").write_text(
        head + "[[streets]]" + streets, encoding="utf-8"
    )
    (made.path / "policy.toml").write_text(
        "[campaign]\npositivity = 0.005\n", encoding="utf-8"
    )
    _edit_staff(made.path / "s02", keep_samplers=1, extra=0)
    _edit_staff(made.path / "s01", keep_samplers=None, extra=12)
    _set_stock(made.path / "s02", "采样拭子", 10)
    _set_stock(made.path / "s01", "采样拭子", 200_000)
    return made.path


@pytest.fixture(scope="session")
def local_run(
    district: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[CampaignResult, Path]:
    """The district's campaign on the local pool with two workers."""
    out = tmp_path_factory.mktemp("campaign") / "local"
    return run_campaign(district, out, rounds=ROUNDS, workers=2, seed=3), out
