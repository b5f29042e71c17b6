"""The commit hook that keeps large files out of the repository."""

from pathlib import Path

import pytest
import yaml

from planner.devtools.large_files import DEFAULT_MAX_KIB, main, too_large

REPO = Path(__file__).resolve().parents[1]


def test_a_file_over_the_limit_is_named_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small, big = tmp_path / "small.csv", tmp_path / "big.bin"
    small.write_bytes(b"x" * 1024)
    big.write_bytes(b"x" * 5 * 1024)
    assert too_large([small, big], max_kib=4) == [(big, 5)]
    assert main(["--max-kib", "4", str(small), str(big)]) == 1
    assert "big.bin: 5 KiB > 4 KiB" in capsys.readouterr().out
    assert main(["--max-kib", "4", str(small)]) == 0


def test_the_hooks_run_what_make_test_runs() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    entries = [h["entry"] for r in config["repos"] for h in r["hooks"]]
    makefile = (REPO / "Makefile").read_text()
    for tool in ("ruff check", "ruff format --check", "mypy"):
        assert any(tool in e for e in entries), tool
        assert f"$(BIN)/{tool}" in makefile, tool
    assert all(r["repo"] == "local" for r in config["repos"])  # nothing fetched
    tracked = [p for p in (REPO / "data").rglob("*") if p.is_file()]
    assert (
        too_large(tracked, DEFAULT_MAX_KIB) == []
    )  # the shipped data passes its own hook
