"""Tests that police the house rules, so they hold after every change (the import rules are
import-linter's contracts, checked in test_layers.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli import app

ROOT = Path(__file__).resolve().parent.parent


def python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


@pytest.mark.parametrize("path", python_files("pages"), ids=lambda p: p.name)
def test_pages_are_thin(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\.groupby\(|\.merge\(|read_sql|\bselect\(|session\.", source)
    assert "__main__" not in source


def test_app_navigates_over_every_page_file() -> None:
    from ui.navigation import page_files

    assert "st.navigation(pages_for(" in (ROOT / "app.py").read_text(encoding="utf-8")
    files = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py"}
    assert set(page_files(None)) == files
    # the admin sees every page but an OPD admin's home, which is about one's own OPD
    assert set(page_files("admin")) == files - {"pages/kinerja_opd.py"}


def test_modules_stay_readable() -> None:
    tracked = [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts and "tests" not in p.parts]
    too_long = [str(p.relative_to(ROOT)) for p in tracked if len(p.read_text().splitlines()) > 400]
    assert too_long == []


def _commands() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    names: list[str] = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(cmd, "commands", None)
        names.extend(f"{name} {s}" for s in sub) if sub else names.append(name)
    return names


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in _commands():
        parent, _, child = name.partition(" ")
        pattern = rf"`{parent} {child}" if child else rf"`{parent}[ `]"
        alt = rf"`{parent} [^`]*{child}" if child else pattern
        assert re.search(pattern, readme) or re.search(alt, readme), name


def test_every_setting_is_in_env_example_and_readme() -> None:
    from dataclasses import fields

    from core.settings import Settings

    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        env = f.metadata["env"]
        assert f"{env}=" in example, env
        assert env in readme, env


def test_requirements_are_pinned() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{name}: {line} is not pinned"


def test_the_deploy_guide_starts_the_entry_the_supervisor_starts() -> None:
    """Production (systemd) and `make run` serve the same file: without serve_app.py's routes
    the session cookie is never set and every reload signs the user out."""
    from core.settings import load_settings
    from core.supervisor import dashboard_command

    command = dashboard_command(load_settings({}, root=ROOT))
    entry = Path(command[command.index("run") + 1]).name
    starts = re.findall(r"-m streamlit run (\S+)", (ROOT / "docs" / "deploy.md").read_text())
    assert starts and set(starts) == {entry} == {"serve_app.py"}


def test_every_test_the_security_doc_cites_exists() -> None:
    """docs/security.md's threat table names the test that proves each row: a renamed or
    deleted test must not leave a claim without proof."""
    defined = {
        name
        for path in (ROOT / "tests").glob("test_*.py")
        for name in re.findall(r"^(?:async )?def (test_\w+)", path.read_text(), re.M)
    }
    text = (ROOT / "docs/security.md").read_text()
    cited = set(re.findall(r"(?:`|::)(test_\w+)\b(?!\.py)", text))
    assert len(cited) > 30
    assert cited - defined == set()
