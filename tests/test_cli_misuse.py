"""Every command under misuse: no traceback, exit 2, the culprit named, in one language."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.cli import main

REPO = Path(__file__).resolve().parents[1]
TINY = REPO / "tests" / "data" / "tiny"

# words that may stand in a Chinese message: program, file kinds and formats
ALLOWED = {"planner", "plan", "policy", "toml", "xlsx", "csv", "json", "help", "force"}
ALLOWED |= {"UTF", "BOM", "GBK", "zh", "en", "validate", "export", "check", "drill"}
ALLOWED |= {"generate", "tiny", "demo", "template", "tradeoff"}
# workbook formats the loader reads (file-type names, not English words)
ALLOWED |= {"xls", "ods"}
ALLOWED |= {"serve", "ops"}  # the screening day's commands (planner.ops)
ALLOWED |= {"users"}  # the office accounts (planner users)
ALLOWED |= {"campaign", "local", "ray"}  # planner campaign and its engines
ALLOWED |= {"records", "report"}  # closing the round (planner.closure)
# what the user may type back: disruption kinds of --disrupt
ALLOWED |= {"close", "no_show", "show", "rain", "surge", "seal"}


def _english_words(text: str, culprits: list[str]) -> list[str]:
    """English words left in a Chinese message once paths, options and ids are out."""
    out: list[str] = []
    for line in text.splitlines():
        if line.startswith(("用法：", " ")) or not line.strip():
            continue  # the usage block lists the options by name
        # options, paths, file names, policy keys (round.window_hours) and key=value
        line = re.sub(
            r"--[\w-]+|/[\w./-]+|\b[\w.-]+\.(toml|csv|xlsx|json)\b|\w+\.[\w.]+|\w+=\w+",
            "",
            line,
        )
        for c in culprits:
            line = line.replace(c, "")
        out += [w for w in re.findall(r"[A-Za-z]{3,}", line) if w not in ALLOWED]
    return out


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("p") / "plan"
    assert main(["plan", str(TINY), "--out", str(out), "--no-export"]) == 0
    return out


@pytest.fixture(scope="module")
def other_street(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny street with two households fewer: its plan is another street's."""
    import pandas as pd

    dst = tmp_path_factory.mktemp("o") / "other"
    shutil.copytree(TINY, dst)
    hh = pd.read_csv(dst / "households.csv", dtype=str)
    keep = hh.iloc[:-2]
    keep.to_csv(dst / "households.csv", index=False)
    people = pd.read_csv(dst / "residents.csv", dtype=str)
    people[people["household_id"].isin(keep["household_id"])].to_csv(
        dst / "residents.csv", index=False
    )
    return dst


def _case_files(tmp: Path) -> dict[str, Path]:
    a_file = tmp / "a_file.txt"
    a_file.write_text("x", encoding="utf-8")
    full = tmp / "full"
    full.mkdir()
    (full / "old.txt").write_text("old", encoding="utf-8")
    bad_toml = tmp / "bad.toml"
    bad_toml.write_text("[round\nwindow_hours = 6\n", encoding="utf-8")
    neg = tmp / "neg.toml"
    neg.write_text("[round]\nwindow_hours = -2\n", encoding="utf-8")
    fake_book = tmp / "fake.xlsx"
    fake_book.write_bytes(b"PK\x03\x04 not really a workbook")
    return {
        "file": a_file,
        "full": full,
        "bad_toml": bad_toml,
        "neg": neg,
        "fake_book": fake_book,
    }


CURVE = ["tradeoff", str(TINY), "--sites", "1..2"]  # the trade-off curve's cases

# (name, argv builder, culprit that must be named)
Case = tuple[str, Callable[[dict[str, Path], Path, Path], list[str]], str]
CASES: list[Case] = [
    (
        "plan: --out under a file",
        lambda f, p, o: ["plan", str(TINY), "--out", str(f["file"] / "x")],
        "a_file.txt",
    ),
    (
        "plan: --out is a file",
        lambda f, p, o: ["plan", str(TINY), "--out", str(f["file"])],
        "a_file.txt",
    ),
    (
        "plan: --out not empty",
        lambda f, p, o: ["plan", str(TINY), "--out", str(f["full"])],
        "--force",
    ),
    (
        "tradeoff: --out is a folder",
        lambda f, p, o: [*CURVE, "--out", str(f["full"])],
        "full",
    ),
    (
        "tradeoff: --out exists",
        lambda f, p, o: [*CURVE, "--out", str(f["file"])],
        "--force",
    ),
    (
        "plan: negative time limit",
        lambda f, p, o: ["plan", str(TINY), "--out", "x", "--time-limit", "-5"],
        "--time-limit",
    ),
    (
        "plan: time limit not a number",
        lambda f, p, o: ["plan", str(TINY), "--out", "x", "--time-limit", "soon"],
        "soon",
    ),
    (
        "plan: negative seed",
        lambda f, p, o: ["plan", str(TINY), "--out", "x", "--seed", "-1"],
        "--seed",
    ),
    (
        "plan: no scenario there",
        lambda f, p, o: ["plan", "/no/such/street", "--out", str(f["full"] / "n")],
        "/no/such/street",
    ),
    (
        "plan: scenario is a text file",
        lambda f, p, o: ["plan", str(f["file"]), "--out", str(f["full"] / "n")],
        "a_file.txt",
    ),
    (
        "plan: --policy missing",
        lambda f, p, o: [
            "plan",
            str(TINY),
            "--out",
            str(f["full"] / "n"),
            "--policy",
            "/no/policy.toml",
        ],
        "policy.toml",
    ),
    (
        "plan: --policy broken",
        lambda f, p, o: [
            "plan",
            str(TINY),
            "--out",
            str(f["full"] / "n"),
            "--policy",
            str(f["bad_toml"]),
        ],
        "bad.toml",
    ),
    (
        "plan: window of -2 h",
        lambda f, p, o: [
            "plan",
            str(TINY),
            "--out",
            str(f["full"] / "n"),
            "--policy",
            str(f["neg"]),
        ],
        "window_hours",
    ),
    ("plan: --out missing", lambda f, p, o: ["plan", str(TINY)], "--out"),
    (
        "validate: truncated workbook",
        lambda f, p, o: ["validate", str(f["fake_book"])],
        "fake.xlsx",
    ),
    (
        "validate: nothing there",
        lambda f, p, o: ["validate", "/no/such.xlsx"],
        "/no/such.xlsx",
    ),
    (
        "check: no plan folder",
        lambda f, p, o: ["check", str(TINY), "/no/plan"],
        "/no/plan",
    ),
    (
        "check: plan folder is a file",
        lambda f, p, o: ["check", str(TINY), str(f["file"])],
        "a_file.txt",
    ),
    (
        "check: another street's plan",
        lambda f, p, o: ["check", str(o), str(p)],
        "{plan}",
    ),
    (
        "export: another street's plan",
        lambda f, p, o: ["export", str(o), str(p), "--out", str(f["full"] / "e")],
        "{plan}",
    ),
    (
        "export: --out is a file",
        lambda f, p, o: ["export", str(TINY), str(p), "--out", str(f["file"])],
        "a_file.txt",
    ),
    (
        "drill: zero replications",
        lambda f, p, o: [
            "drill",
            str(TINY),
            str(p),
            "--out",
            "d",
            "--replications",
            "0",
        ],
        "--replications",
    ),
    (
        "drill: bad disruption",
        lambda f, p, o: [
            "drill",
            str(TINY),
            str(p),
            "--out",
            str(f["full"] / "d"),
            "--disrupt",
            "flood,site=S1",
        ],
        "flood",
    ),
    (
        "drill: another street's plan",
        lambda f, p, o: ["drill", str(o), str(p), "--out", str(f["full"] / "d")],
        "{plan}",
    ),
    (
        "drill: --out not empty",
        lambda f, p, o: ["drill", str(TINY), str(p), "--out", str(f["full"])],
        "--force",
    ),
    (
        "campaign: no rounds",
        lambda f, p, o: ["campaign", str(TINY), "--rounds", "0", "--out", "c"],
        "--rounds",
    ),
    (
        "campaign: output exists",
        lambda f, p, o: ["campaign", str(TINY), "--out", str(f["full"])],
        "--force",
    ),
    (
        "generate: one street above 2,000,000 residents",
        lambda f, p, o: ["generate", "--residents", "3000000", "--out", "g"],
        "--residents",
    ),
    (
        "generate: no residents",
        lambda f, p, o: ["generate", "--residents", "0", "--out", "g"],
        "--residents",
    ),
    (
        "generate: negative residents",
        lambda f, p, o: ["generate", "--residents", "-5", "--out", "g"],
        "--residents",
    ),
    (
        "generate: --out is a file",
        lambda f, p, o: ["generate", "--residents", "100", "--out", str(f["file"])],
        "a_file.txt",
    ),
    (
        "generate: workbook exists",
        lambda f, p, o: [
            "generate",
            "--residents",
            "100",
            "--out",
            str(f["fake_book"]),
        ],
        "fake.xlsx",
    ),
    (
        "any: unknown language",
        lambda f, p, o: ["--lang", "fr", "validate", str(TINY)],
        "fr",
    ),
    ("any: unknown command", lambda f, p, o: ["plot", str(TINY)], "plot"),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("name", "argv", "culprit"), CASES, ids=[c[0] for c in CASES])
def test_misuse_is_exit_2_naming_the_culprit_in_one_language(
    name: str,
    argv: Callable[[dict[str, Path], Path, Path], list[str]],
    culprit: str,
    lang: str,
    planned: Path,
    other_street: Path,
    tmp_path: Path,
) -> None:
    files = _case_files(tmp_path)
    args = argv(files, planned, other_street)
    culprit = culprit.replace("{plan}", str(planned))
    lang_args = ["--lang", lang] if args[0] != "--lang" else []
    if not lang_args:  # the case is about --lang itself: an unknown one means Chinese
        lang = "zh"
    run = subprocess.run(
        [sys.executable, "-m", "planner", *lang_args, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    text = run.stdout + run.stderr
    assert run.returncode == 2, text
    assert "Traceback" not in text
    assert culprit in run.stderr, run.stderr
    if lang == "zh":
        assert not _english_words(run.stderr, [culprit, str(tmp_path)]), run.stderr
    else:
        # street names are data and stay as written
        message = run.stderr.replace("小测街道", "")
        assert not re.search(r"[\u4e00-\u9fff]", message), run.stderr
    # nothing half-made was left behind by the refused run
    assert (files["full"] / "old.txt").read_text(encoding="utf-8") == "old"
    assert not list(tmp_path.glob(".*partial-*"))


def test_every_subcommand_help_lists_the_exit_codes() -> None:
    for cmd in (
        [],
        ["validate"],
        ["plan"],
        ["export"],
        ["check"],
        ["drill"],
        ["generate"],
        ["template"],
        ["campaign"],
    ):
        run = subprocess.run(
            [sys.executable, "-m", "planner", *cmd, "--help"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0
        assert "退出码 / exit codes" in run.stdout and "70" in run.stdout, cmd


def test_an_internal_error_says_one_line_first_and_keeps_a_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import planner.io.load as load

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(load, "load_scenario", broken)
    monkeypatch.setattr(load, "inspect_scenario", broken)  # what validate calls
    assert main(["validate", str(TINY)]) == 70
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first.startswith("内部错误") and "RuntimeError" in first
    report = Path(re.search(r"已写入 (\S+)，", first).group(1))  # type: ignore[union-attr]
    assert "RuntimeError: a bug" in report.read_text(encoding="utf-8")


def test_a_replaced_plan_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    """Kill `planner plan --force` while it writes: the old plan is still there, whole."""
    out = tmp_path / "plan"
    assert main(["plan", str(TINY), "--out", str(out), "--no-export"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    summary = json.loads(before["plan.json"])
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "planner",
            "plan",
            str(TINY),
            "--out",
            str(out),
            "--force",
            "--seed",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            staged = list(tmp_path.glob(".plan.partial-*/plan.json"))
            if staged:  # the new plan is half written: the export has not started yet
                break
            assert proc.poll() is None, "the run ended before it could be interrupted"
            time.sleep(0.005)
        else:
            pytest.fail("the staging folder never appeared")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before
    assert json.loads(after["plan.json"]) == summary
    # the next run clears the interrupted staging and replaces the plan whole
    assert main(["plan", str(TINY), "--out", str(out), "--force", "--no-export"]) == 0
    assert not list(tmp_path.glob(".plan.*"))
    assert (out / "plan.json").is_file()
