import pytest
from argon2 import PasswordHasher

from planner.office import auth


@pytest.fixture(autouse=True)
def _quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with light costs: the same code path, a fraction of the CPU."""
    monkeypatch.setattr(
        auth, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
