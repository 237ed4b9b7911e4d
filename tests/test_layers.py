"""The layering contract (pyproject.toml, [tool.importlinter]) holds, and it has teeth: an
import planted against each rule in a copy of the tree makes `lint-imports` fail."""

from __future__ import annotations

import ast
import shutil
import subprocess  # nosec B404
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"
TOP_DOWN = [
    "pages | commands | web",
    "ui | worker",
    "reports | demo",
    "services",
    "refresh | oauth",
    "collectors",
    "ingest",
    "db | simulator | present | metrics",
    "core",
]
HARNESS = {"tests", "bench", "testkit"}  # kept apart by forbidden contracts, not layered
LAZY_OK = {"commands"}  # CLI commands load their use cases on call: `cli.py --help` stays fast


def config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"
    ]


def contract(contract_id: str) -> dict:
    return next(c for c in config()["contracts"] if c["id"] == contract_id)


def lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # nosec B603
        [str(LINT), "--no-cache", "--no-logo"],
        cwd=cwd, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def packages() -> set[str]:
    return {p.parent.name for p in ROOT.glob("*/__init__.py")}


def test_the_contracts_hold() -> None:
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_layers_are_declared_top_down_as_designed() -> None:
    assert contract("layers")["layers"] == TOP_DOWN


def test_every_package_has_its_place() -> None:
    layered = {name.strip() for layer in TOP_DOWN for name in layer.split("|")}
    assert packages() == layered | HARNESS
    assert set(config()["root_packages"]) == packages()
    assert set(contract("no-cycles")["ancestors"]) == layered


def test_app_and_cli_stay_entry_points() -> None:
    """app.py and cli.py are modules, so import-linter cannot root them: checked here."""
    assert top_imports(ROOT / "app.py") <= {"ui", "core", "streamlit"}
    assert top_imports(ROOT / "cli.py") <= {"commands", "typer"}


def top_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names - {"__future__"} - set(sys.stdlib_module_names)


def function_imports(path: Path) -> list[str]:
    """Project imports made inside a function (the way a cycle is usually dodged)."""
    found = []
    for func in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
            elif isinstance(node, ast.Import):
                module = node.names[0].name
            else:
                continue
            if module.split(".")[0] in packages():
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {module}")
    return found


def test_no_imports_inside_functions() -> None:
    product = sorted(packages() - HARNESS - LAZY_OK)
    found = [hit for pkg in product for p in (ROOT / pkg).rglob("*.py") for hit in
             function_imports(p)]  # fmt: skip
    assert found == []


PLANTED = [
    ("db/queries.py", "import metrics.activity", "layers"),
    ("collectors/base.py", "import services.ranking", "layers"),
    ("ingest/registry.py", "import refresh", "layers"),
    ("refresh/__init__.py", "import services.overview", "layers"),
    ("services/overview.py", "import reports", "layers"),
    ("worker/jobs.py", "import present.labels\nimport ui.loaders", "dashboard-apart"),
    ("present/labels.py", "import streamlit", "dashboard-apart"),
    ("metrics/ranking.py", "import sqlalchemy", "pure"),
    ("pages/ringkasan.py", "import db.queries", "thin-pages"),
    ("bench/run_all.py", "import tests.conftest", "tests-apart"),
    ("demo/load.py", "import tests.sample_world", "tests-apart"),
    ("services/users.py", "import simulator", "fakes-apart"),
    ("services/overview.py", "def _dodge() -> None:\n    import services.review", "no-cycles"),
]


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("tree")
    shutil.copy(ROOT / "pyproject.toml", target)
    for pkg in packages():
        shutil.copytree(ROOT / pkg, target / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.mark.parametrize(("path", "line", "contract_id"), PLANTED, ids=[p[2] + ":" + p[0]
                         for p in PLANTED])  # fmt: skip
def test_a_planted_violation_breaks_its_contract(
    tree_copy: Path, path: str, line: str, contract_id: str
) -> None:
    target = tree_copy / path
    original = target.read_text(encoding="utf-8")
    target.write_text(original + "\n" + line + "\n", encoding="utf-8")
    try:
        done = lint(tree_copy)
    finally:
        target.write_text(original, encoding="utf-8")
    assert done.returncode != 0
    broken = " ".join(done.stdout.split("Broken contracts", 1)[-1].split())  # unwrapped
    assert contract(contract_id)["name"] in broken, done.stdout
