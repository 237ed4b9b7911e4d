"""Commands that set up the database and bring data in or out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from commands.common import (
    app,
    console,
    err,
    fail,
    has_errors,
    open_session,
    print_report,
    registry_app,
    settings,
)
from core.settings import redact_url_password
from refresh import after_write


@app.command()
def init(
    registry: Annotated[
        Path | None, typer.Option(help="Registry CSV to load instead of the shipped OPD list.")
    ] = None,
) -> None:
    """Create or migrate the database; load the OPD registry when none is loaded yet."""
    from db.audit import registry_state
    from ingest.registry import DEFAULT_REGISTRY, import_registry, load_default_registry
    from services.audit import cli_actor, record_registry_changes
    from services.status_report import opd_count

    cfg = settings()
    with open_session(cfg, migrate=True) as session:
        console.print(f"Database ready ({redact_url_password(cfg.database_url)}).")
        before = registry_state(session)
        if registry is not None:
            report = import_registry(session, registry)
        elif opd_count(session) == 0:
            report = load_default_registry(session)
        else:
            console.print("Registry already loaded.")
            return
        source = (registry or DEFAULT_REGISTRY).name
        record_registry_changes(session, cli_actor(), before, source=source)
        after_write(session, cfg)
        session.commit()
        print_report(report)


@registry_app.command("import")
def registry_import(file: Annotated[Path, typer.Argument(help="Registry CSV or .xlsx.")]) -> None:
    """Add or update OPDs and accounts from FILE (opd_code,opd_name,category,platform,...)."""
    from db.audit import registry_state
    from ingest.registry import import_registry
    from ingest.tabular import TableError
    from services.audit import cli_actor, record_registry_changes

    cfg = settings()
    with open_session(cfg) as session:
        before = registry_state(session)
        try:
            report = import_registry(session, file)
        except (TableError, OSError) as exc:
            fail(str(exc))
        record_registry_changes(session, cli_actor(), before, source=file.name)
        after_write(session, cfg)
        session.commit()
    print_report(report)
    raise typer.Exit(1 if has_errors(report) else 0)


@registry_app.command("export")
def registry_export(
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout.")] = None,
) -> None:
    """Write the registry as CSV, one row per account (OPDs without accounts get one row)."""
    from ingest.registry import export_registry

    cfg = settings()
    with open_session(cfg) as session:
        if out is None:
            export_registry(session, sys.stdout)
            return
        with out.open("w", encoding="utf-8", newline="") as handle:
            rows = export_registry(session, handle)
    err.print(f"{rows} rows written to {out}.")


@app.command("import")
def import_data(
    file: Annotated[Path, typer.Argument(help="Posts or follower-count CSV/.xlsx.")],
) -> None:
    """Back-fill history from FILE; the format is detected from its header."""
    from ingest.data_import import import_file
    from ingest.tabular import TableError

    cfg = settings()
    with open_session(cfg) as session:
        try:
            report = import_file(session, file, tz=cfg.tz)
        except (TableError, OSError) as exc:
            fail(str(exc))
        after_write(session, cfg)
        session.commit()
    print_report(report)
    raise typer.Exit(1 if has_errors(report) else 0)


@app.command()
def backup(
    dest: Annotated[Path, typer.Argument(help="The backup file to write (SQLite).")],
) -> None:
    """Copy the SQLite database while Pantau runs (online backup), then check the copy."""
    from db.backup import BackupError, backup_sqlite

    cfg = settings()
    try:
        result = backup_sqlite(cfg.database_url, dest)
    except BackupError as exc:
        fail(str(exc))
    console.print(
        f"Backup written to {result.path} ({result.size_bytes:,} bytes, {result.posts:,} posts); "
        "integrity check ok.",
        highlight=False,
    )
