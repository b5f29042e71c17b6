"""The layers hold: the core and the CLI run without the app's libraries."""

import ast
import re
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


# --- the layer table of ARCHITECTURE.md, held against every import -------------------

EVERY_LAYER_ABOVE = "every layer above"


def layer_table(
    architecture: str,
) -> tuple[list[str], dict[str, str], dict[str, set[str]]]:
    """Return the layers bottom-up, each folder's layer, and what each may import.

    Rows are ``| layer | `folder` … | what | `a`, `b` |`` (or "every layer above")."""
    order: list[str] = []
    folders: dict[str, str] = {}
    allowed: dict[str, set[str]] = {}
    for line in architecture.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[1].startswith("`planner/"):
            continue
        name = cells[0]
        order.append(name)
        for folder in re.findall(r"`(planner/[^`]+)`", cells[1]):
            folders[folder] = name
        if cells[3] == EVERY_LAYER_ABOVE:
            allowed[name] = set(order[:-1])
        else:
            allowed[name] = set(re.findall(r"`([^`]+)`", cells[3]))
    # "may import" names a layer by its row name or by its folder's last part
    alias = {
        f.removeprefix("planner/").strip("/").removesuffix(".py"): n
        for f, n in folders.items()
    }
    allowed = {k: {alias.get(v, v) for v in vs} for k, vs in allowed.items()}
    return order, folders, allowed


def module_layer(path: Path, root: Path, folders: dict[str, str]) -> str | None:
    rel = path.relative_to(root).as_posix()
    # a file named in a row wins over its folder's row (an entry point in a folder)
    if rel in folders:
        return folders[rel]
    for folder, name in folders.items():
        if folder.endswith("/") and rel.startswith(folder):
            return name
    return None


def planner_imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """Return ``(line, module)`` for every import of a ``planner`` module in `path`,
    function-local ones included, ``if TYPE_CHECKING:`` blocks left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    package = path.relative_to(root).with_suffix("").parts
    package = package[:-1]
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package)
                if path.name == "__init__.py":
                    base = list(path.relative_to(root).parent.parts)
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            out.append((node.lineno, module))
            out += [(node.lineno, f"{module}.{a.name}") for a in node.names]
    return [(n, m) for n, m in out if m == "planner" or m.startswith("planner.")]


def layer_violations(root: Path, architecture: str) -> list[str]:
    """Every import in `root`/planner that the layer table does not allow."""
    _, folders, allowed = layer_table(architecture)
    files = {
        ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): p
        for p in (root / "planner").rglob("*.py")
    }
    problems = []
    for path in files.values():
        here = module_layer(path, root, folders)
        if here is None:
            problems.append(f"{path.relative_to(root)}: in no layer of the table")
            continue
        for line, module in planner_imports(path, root):
            target = module
            while target not in files and "." in target:
                target = target.rsplit(".", 1)[0]
            if target not in files:
                continue
            there = module_layer(files[target], root, folders)
            if there is None or there == here or there in allowed[here]:
                continue
            problems.append(
                f"{path.relative_to(root)}:{line}: {here} imports {module} ({there})"
            )
    return problems


def module_cycles(root: Path) -> list[list[str]]:
    """Circles between modules of `root`/planner (a package importing its own modules,
    as ``planner/text/__init__.py`` does, is not one)."""
    import networkx as nx

    files = {
        ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): p
        for p in (root / "planner").rglob("*.py")
    }
    graph = nx.DiGraph()
    for name, path in files.items():
        for _, module in planner_imports(path, root):
            target = module
            while target not in files and "." in target:
                target = target.rsplit(".", 1)[0]
            inside = target.startswith(name + ".") or name.startswith(target + ".")
            if target in files and target != name and not inside:
                graph.add_edge(name, target)
    return list(nx.simple_cycles(graph))


ARCHITECTURE = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")


def test_every_import_follows_the_layer_table() -> None:
    assert layer_violations(REPO, ARCHITECTURE) == []


def test_the_layer_table_has_no_circle_and_names_every_layer() -> None:
    import networkx as nx

    order, folders, allowed = layer_table(ARCHITECTURE)
    assert {"model", "io", "planning", "drill", "round", "rules", "app"} <= set(order)
    for name, below in allowed.items():
        assert below <= set(order), (name, below - set(order))
    graph = nx.DiGraph([(a, b) for a, bs in allowed.items() for b in bs])
    assert list(nx.simple_cycles(graph)) == []
    # every module of the package sits in exactly one row
    for path in (REPO / "planner").rglob("*.py"):
        assert module_layer(path, REPO, folders) is not None, path


def test_no_module_imports_itself_round_a_circle() -> None:
    assert module_cycles(REPO) == []


def _plant(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, code in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
    return tmp_path


def test_a_planted_upward_import_fails(tmp_path: Path) -> None:
    """The check bites: the model reaching up into planning, even inside a function."""
    root = _plant(
        tmp_path,
        {
            "planner/__init__.py": "",
            "planner/model/__init__.py": "",
            "planner/model/result.py": (
                "def f():\n    from planner.planning.capacity import SlotGrid\n"
            ),
            "planner/planning/__init__.py": "",
            "planner/planning/capacity.py": "from planner.model import result\n",
        },
    )
    table = (
        "| layer | folder | what | may import |\n|---|---|---|---|\n"
        "| model | `planner/model/` | x | — |\n"
        "| planning | `planner/planning/` | x | `model` |\n"
        "| entry points | `planner/__init__.py` | x | every layer above |\n"
    )
    found = layer_violations(root, table)
    assert found and all(
        v.startswith(
            "planner/model/result.py:2: model imports planner.planning.capacity"
        )
        for v in found
    )
    assert [set(c) for c in module_cycles(root)] == [
        {"planner.model.result", "planner.planning.capacity"}
    ]


def test_a_type_only_import_is_allowed(tmp_path: Path) -> None:
    root = _plant(
        tmp_path,
        {
            "planner/__init__.py": "",
            "planner/model/__init__.py": "",
            "planner/model/result.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from planner.planning.capacity import SlotGrid\n"
            ),
            "planner/planning/__init__.py": "",
            "planner/planning/capacity.py": "from planner.model import result\n",
        },
    )
    table = (
        "| layer | folder | what | may import |\n|---|---|---|---|\n"
        "| model | `planner/model/` | x | — |\n"
        "| planning | `planner/planning/` | x | `model` |\n"
        "| entry points | `planner/__init__.py` | x | every layer above |\n"
    )
    assert layer_violations(root, table) == []
    assert module_cycles(root) == []
