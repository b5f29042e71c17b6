"""The PDF process: the font cut while the street is planned, and used only when it
holds every character the PDFs print."""

import dataclasses
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from planner.export import PdfProcess, export_all, street_texts
from planner.export import _pdf_texts as pdf_texts
from planner.export._common import prepare
from planner.export._fonts import font_chars
from planner.export.document import plan_blocks
from planner.export.notices import notice_pages
from planner.io.load import load_scenario
from planner.model.plan_tables import PlanTables
from planner.model.policy import Policy
from planner.model.scenario import Scenario
from planner.planning.plan import SolveParams
from planner.round.run import RoundResult, round_tables, run_round

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny"
DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
POPPLER = shutil.which("pdftoppm") is not None


@pytest.fixture(scope="module")
def tiny(
    tiny_round: tuple[Scenario, RoundResult, PlanTables],
) -> tuple[Scenario, Policy, PlanTables]:
    """The shared tiny round: its street, the street's policy and the tables."""
    scenario, _, tables = tiny_round
    return scenario, load_scenario(TINY).policy, tables


def _needed(scenario: Scenario, tables: PlanTables, tmp: Path) -> frozenset[str]:
    data = prepare(scenario, tables, lang="zh", unmasked=False)
    pages = notice_pages(data)
    blocks = plan_blocks(data, tmp / "map.png", len(pages))
    return font_chars(pdf_texts(data, pages, blocks))


@pytest.mark.slow
def test_the_street_texts_hold_every_character_the_demo_pdfs_print(
    tmp_path: Path, fast_params: SolveParams
) -> None:
    # the font is cut before the plan exists; a printed string outside text.py or
    # the street's own tables would make every export cut the font a second time
    loaded = load_scenario(DEMO)
    result = run_round(loaded.scenario, loaded.policy, fast_params, certify=False)
    tables = round_tables(result, loaded.scenario)
    missing = _needed(loaded.scenario, tables, tmp_path) - font_chars(
        street_texts(loaded.scenario, loaded.policy)
    )
    assert not missing, sorted(missing)


def test_the_early_font_is_used_only_when_it_holds_every_character(
    tiny: tuple[Scenario, Policy, PlanTables], tmp_path: Path
) -> None:
    scenario, policy, tables = tiny
    needed = _needed(scenario, tables, tmp_path)
    process = PdfProcess.start()
    assert process is not None
    try:
        assert process.font_for(needed) is None  # nothing cut yet
        process.cut_font(scenario, policy)
        cut = process.font_for(needed)
        assert cut is not None and cut.job.result() == cut.path
        assert cut.path.stat().st_size > 0
        assert process.font_for(needed | {"𠀀"}) is None
    finally:
        process.shutdown()
    assert not cut.path.exists()  # the font goes with the process


def _without_names(scenario: Scenario) -> Scenario:
    """The street with every name and address in plain letters."""
    sites, buildings = scenario.sites, scenario.buildings
    return dataclasses.replace(
        scenario,
        name="street",
        communities=tuple("c" for _ in scenario.communities),
        compounds=tuple("x" for _ in scenario.compounds),
        sites=dataclasses.replace(
            sites,
            name=np.array(["s"] * len(sites.name)),
            address=np.array(["a"] * len(sites.name)),
        ),
        buildings=dataclasses.replace(
            buildings, address=np.array(["b"] * len(buildings.address))
        ),
    )


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftoppm) not installed")
def test_a_font_cut_without_some_characters_is_cut_again(
    tiny: tuple[Scenario, Policy, PlanTables], tmp_path: Path
) -> None:
    scenario, policy, tables = tiny
    short = _without_names(scenario)
    lacking = _needed(scenario, tables, tmp_path) - font_chars(
        street_texts(short, policy)
    )
    assert lacking  # the short font lacks some of the names the notices print
    pages = []
    for name, early in (("plain", None), ("short", short)):
        process = PdfProcess.start()
        assert process is not None
        try:
            if early is not None:
                process.cut_font(
                    early, policy
                )  # lacks the site names the notices print
            export_all(scenario, tables, tmp_path / name, pdf_process=process)
        finally:
            process.shutdown()
        # a community's notices (one file per community), the first page
        notice = next(iter(sorted((tmp_path / name / "notices").glob("*.pdf"))))
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "50",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                notice,
                tmp_path / name,
            ],
            check=True,
        )
        pages.append(next(tmp_path.glob(f"{name}*.png")).read_bytes())
    # with the short font the names would print as empty boxes
    assert pages[0] == pages[1]
