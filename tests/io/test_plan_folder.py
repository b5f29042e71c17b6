"""The one plan-folder reader: typed round trip, clear errors, a plan of another street."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from planner import InputError, load_scenario
from planner.io.plan_folder import (
    read_plan_folder,
    require_same_scenario,
    write_plan_folder,
)
from planner.model.plan_tables import PlanTables
from planner.model.scenario import Scenario
from planner.round.run import RoundResult


@pytest.fixture(scope="module")
def tiny_folder(
    tmp_path_factory: pytest.TempPathFactory,
    tiny_round: tuple[Scenario, RoundResult, PlanTables],
) -> tuple[PlanTables, Path]:
    """The shared tiny round's tables, and the plan folder written from them."""
    _, _, tables = tiny_round
    out = tmp_path_factory.mktemp("plan")
    write_plan_folder(tables, out)
    return tables, out


def test_reading_a_folder_gives_the_tables_that_were_written(
    tiny_folder: tuple[PlanTables, Path],
) -> None:
    tables, folder = tiny_folder
    back = read_plan_folder(folder)
    assert back.policy == tables.policy
    assert back.summary == json.loads(json.dumps(tables.summary, default=float))
    assert set(back.frames()) == set(tables.frames()) >= {"staff", "supplies_by_site"}
    for name, frame in tables.frames().items():
        pd.testing.assert_frame_equal(back.frames()[name], frame, check_dtype=True)
    # typed, not text: flags are bools and counts are integers
    assert back.sites["open"].dtype == bool
    assert back.assignments["people"].dtype.kind == "i"


def test_writing_again_gives_the_same_bytes(
    tiny_folder: tuple[PlanTables, Path], tmp_path: Path
) -> None:
    _, folder = tiny_folder
    write_plan_folder(read_plan_folder(folder), tmp_path)
    for path in folder.glob("*.csv"):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        ("no_folder", "plan_folder_missing"),
        ("no_json", "plan_file_missing"),
        ("broken_json", "plan_json_broken"),
        ("no_policy", "plan_policy_missing"),
        ("no_sites", "plan_file_missing"),
        ("bad_policy", "policy_bad_value"),
        ("bad_number", "plan_table_broken"),
    ],
)
def test_a_damaged_folder_is_bad_input_naming_the_file(
    tiny_folder: tuple[PlanTables, Path], tmp_path: Path, damage: str, code: str
) -> None:
    _, folder = tiny_folder
    copy = tmp_path / "plan"
    shutil.copytree(folder, copy)
    summary = json.loads((copy / "plan.json").read_text(encoding="utf-8"))
    if damage == "no_folder":
        shutil.rmtree(copy)
    elif damage == "no_json":
        (copy / "plan.json").unlink()
    elif damage == "broken_json":
        (copy / "plan.json").write_text('{"solver": {', encoding="utf-8")
    elif damage == "no_policy":
        del summary["policy"]
        (copy / "plan.json").write_text(json.dumps(summary), encoding="utf-8")
    elif damage == "bad_policy":
        summary["policy"]["round"]["window_hours"] = "six"
        (copy / "plan.json").write_text(json.dumps(summary), encoding="utf-8")
    elif damage == "no_sites":
        (copy / "sites.csv").unlink()
    elif damage == "bad_number":
        sites = pd.read_csv(copy / "sites.csv", dtype=str, keep_default_na=False)
        sites.loc[0, "desks"] = "many"
        sites.to_csv(copy / "sites.csv", index=False)
    with pytest.raises(InputError) as err:
        read_plan_folder(copy)
    issue = err.value.issues[0]
    assert issue.code == code
    assert issue.file.startswith(str(copy))


def test_a_plan_of_another_street_is_one_clear_message(
    tiny_folder: tuple[PlanTables, Path], tiny_copy: Path
) -> None:
    tables, folder = tiny_folder
    hh = pd.read_csv(tiny_copy / "households.csv", dtype=str)
    hh.iloc[:-2].to_csv(tiny_copy / "households.csv", index=False)
    people = pd.read_csv(tiny_copy / "residents.csv", dtype=str)
    people[people["household_id"].isin(hh.iloc[:-2]["household_id"])].to_csv(
        tiny_copy / "residents.csv", index=False
    )
    other = load_scenario(tiny_copy).scenario
    with pytest.raises(InputError) as err:
        require_same_scenario(tables, other, folder)
    (issue,) = err.value.issues
    assert issue.code == "plan_other_scenario"
    assert dict(issue.params)["unknown"] == "2"
    # its own street passes
    tiny = Path(__file__).resolve().parents[1] / "data" / "tiny"
    require_same_scenario(tables, load_scenario(tiny).scenario, folder)


def test_a_folder_without_column_types_reads_its_flags_as_flags(
    tiny_folder: tuple[PlanTables, Path], tmp_path: Path
) -> None:
    """A plan folder written before the types were recorded: no consumer parses a
    flag from text, so the reader types ``open``, ``fixed`` and ``indoor``."""
    _, folder = tiny_folder
    old = tmp_path / "old"
    shutil.copytree(folder, old)
    summary = json.loads((old / "plan.json").read_text(encoding="utf-8"))
    del summary["tables"]
    (old / "plan.json").write_text(json.dumps(summary), encoding="utf-8")
    sites = read_plan_folder(old).sites
    for column in ("open", "fixed", "indoor"):
        assert sites[column].dtype == bool, column
    assert sites["open"].tolist() == read_plan_folder(folder).sites["open"].tolist()
