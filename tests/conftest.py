import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def tiny_dir() -> Path:
    """Tiny street: 2 communities, 3 grids, 4 buildings, 12 households, 24 people, 2 sites."""
    return DATA / "tiny"


@pytest.fixture
def tiny_copy(tmp_path: Path, tiny_dir: Path) -> Path:
    """A writable copy of the tiny street, for deliberately breaking it."""
    dst = tmp_path / "tiny"
    shutil.copytree(tiny_dir, dst)
    return dst
