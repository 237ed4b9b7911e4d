"""Shared pieces of the command line: the Typer apps, consoles, errors and parsing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from core import output
from core.settings import Settings, SettingsError, load_settings
from db.engine import make_engine, make_session_factory
from db.migrate import current_revision, head_revision, upgrade
from db.queries import is_demo
from services.config import effective_settings

app = typer.Typer(
    help="Pantau: watch the official social-media accounts of a regency's OPDs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
registry_app = typer.Typer(help="Import or export the OPD/account registry (CSV).")
user_app = typer.Typer(help="Manage dashboard users (admin, reviewer, opd).")
app.add_typer(registry_app, name="registry")
token_app = typer.Typer(help="Store per-account tokens (encrypted with PANTAU_SECRET_KEY).")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

FormatOpt = Annotated[str, typer.Option("--format", help="Output format: table, csv or json.")]


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def settings() -> Settings:
    """The environment's settings with the thresholds and weights set in the dashboard."""
    try:
        base = load_settings()
    except SettingsError as exc:
        fail(f"configuration: {exc}")
    engine = make_engine(base.database_url, sqlite_sync=base.sqlite_sync)
    try:
        with make_session_factory(engine)() as session:
            return effective_settings(session, base)
    finally:
        engine.dispose()


@contextmanager
def open_session(cfg: Settings, migrate: bool = False) -> Iterator[Session]:
    """A session on the configured database; its connections are closed on the way out."""
    engine = make_engine(cfg.database_url, sqlite_sync=cfg.sqlite_sync)
    try:
        if migrate:
            upgrade(engine)
        elif current_revision(engine) != head_revision():
            fail("the database is not initialised or is out of date: run `python cli.py init`.")
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def print_report(report: object) -> None:
    """The summary line, then one line per problem (line number and reason)."""
    console.print(report.summary("en"), highlight=False)  # type: ignore[attr-defined]
    for issue in getattr(report, "issues", []):
        target = err if issue.severity == "error" else console
        target.print(f"  {issue.severity}: {issue.message('en')}", highlight=False, markup=False)


def warn_if_demo(session: Session) -> None:
    """Label demo figures as such, on stderr so that CSV and JSON output stay clean."""
    if is_demo(session):
        err.print("DATA DEMO: these figures come from the synthetic demo world.", highlight=False)


def has_errors(report: object) -> bool:
    """True when an import reported a row or file error (warnings do not count)."""
    return any(issue.severity == "error" for issue in getattr(report, "issues", []))


def check_format(fmt: str) -> str:
    if fmt not in output.FORMATS:
        fail(f"unknown --format {fmt!r}; choose one of {', '.join(output.FORMATS)}.")
    return fmt


def parse_day(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        fail(f"expected a date like 2026-11-26, got {text!r}.")


def check_month(text: str) -> str:
    try:
        datetime.strptime(text, "%Y-%m")
    except ValueError:
        fail(f"expected a month like 2026-11, got {text!r}.")
    return text
