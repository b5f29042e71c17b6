"""The layers hold: the core and the CLI run without the app's libraries."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = sorted(
    ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
    for p in (REPO / "planner").rglob("*.py")
    if "app" not in p.relative_to(REPO / "planner").parts and p.name != "__main__.py"
)

BLOCK_APP_LIBRARIES = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("streamlit", "pydeck", "altair"):
            raise ImportError(f"{name} is blocked: the core must not need it")
sys.meta_path.insert(0, Block())
"""


def test_every_core_module_imports_without_streamlit_or_pydeck() -> None:
    code = (
        BLOCK_APP_LIBRARIES
        + "import importlib\n"
        + "".join(f"importlib.import_module({m!r})\n" for m in CORE)
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO
    )
    assert run.returncode == 0, run.stderr
    assert len(CORE) > 40  # the walk found the package


@pytest.mark.parametrize("argv", [["--help"], ["validate", "tests/data/tiny"]])
def test_the_cli_runs_without_streamlit_or_pydeck(argv: list[str]) -> None:
    code = BLOCK_APP_LIBRARIES + (
        f"from planner.cli import main\nraise SystemExit(main({argv!r}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO
    )
    assert run.returncode == 0, run.stderr


def test_the_blocker_really_blocks() -> None:
    """The check above can fail: the app itself does not import with the blocker."""
    code = BLOCK_APP_LIBRARIES + "import planner.app.common\n"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO
    )
    assert run.returncode != 0 and "is blocked" in run.stderr


def test_the_cli_starts_without_pandas() -> None:
    """`planner validate` parses a workbook while pandas imports (planner.io.prefetch):
    that head start is lost if building the CLI imports pandas or the solver."""
    code = (
        "import sys\nfrom planner.cli import build_parser\nbuild_parser()\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'pandas', 'numpy', 'geopandas', 'ortools'})\n"
        "assert not heavy, heavy\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO
    )
    assert run.returncode == 0, run.stderr
