"""Fixtures of the export tests: the tiny street with a screening day and a hotline."""

import shutil
from pathlib import Path

import pytest

from planner.export import ExportReport, export_command
from planner.export._common import ExportData, prepare
from planner.io.load import load_scenario
from planner.io.plan_folder import read_plan_folder, write_plan_folder
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams
from planner.round.run import round_tables, run_round


@pytest.fixture(scope="module")
def dated_street(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny street with a screening day and one community's hotline."""
    tiny = Path(__file__).resolve().parents[1] / "data" / "tiny"
    dst = tmp_path_factory.mktemp("street") / "tiny"
    shutil.copytree(tiny, dst)
    communities = sorted(set(load_scenario(tiny).scenario.communities))
    with (dst / "scenario.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[scenario.hotlines]\n"{communities[0]}" = "027-12345678"\n')
    (dst / "policy.toml").write_text(
        '[round]\nscreening_date = "2026-12-09"\n', encoding="utf-8"
    )
    return dst


@pytest.fixture(scope="module")
def dated_plan(
    dated_street: Path,
    tmp_path_factory: pytest.TempPathFactory,
    fast_params: SolveParams,
) -> Path:
    loaded = load_scenario(dated_street)
    result = run_round(loaded.scenario, loaded.policy, fast_params)
    out = tmp_path_factory.mktemp("plan")
    write_plan_folder(round_tables(result, loaded.scenario), out)
    return out


@pytest.fixture(scope="module")
def dated_scenario(dated_street: Path) -> Scenario:
    return load_scenario(dated_street).scenario


@pytest.fixture(scope="module")
def dated_data(dated_scenario: Scenario, dated_plan: Path) -> ExportData:
    return prepare(
        dated_scenario, read_plan_folder(dated_plan), lang="zh", unmasked=False
    )


@pytest.fixture(scope="module")
def dated_export(
    dated_scenario: Scenario, dated_plan: Path, tmp_path_factory: pytest.TempPathFactory
) -> ExportReport:
    out = tmp_path_factory.mktemp("export")
    return export_command(dated_scenario, dated_plan, out, lang="zh", unmasked=False)
