"""Pantau command line: `python cli.py --help`. Names and options here are a public surface."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from core import output
from core.settings import Settings, SettingsError, load_settings, redact_url_password
from core.timeutil import local_today
from db.engine import make_engine, make_session_factory
from db.migrate import current_revision, head_revision, upgrade

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


def not_built(what: str, issue: int) -> NoReturn:
    """Commands whose engine lands with a later issue say so plainly; they never pretend."""
    fail(f"{what} is not available in this version yet (tracked in issue #{issue}).", code=2)


def settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        fail(f"configuration: {exc}")


def open_session(cfg: Settings, migrate: bool = False) -> Session:
    engine = make_engine(cfg.database_url)
    if migrate:
        upgrade(engine)
    elif current_revision(engine) != head_revision():
        fail("the database is not initialised or is out of date: run `python cli.py init`.")
    return make_session_factory(engine)()


def print_report(report: object) -> None:
    """The summary line, then one line per problem (line number and reason)."""
    console.print(report.summary("en"), highlight=False)  # type: ignore[attr-defined]
    for issue in getattr(report, "issues", []):
        target = err if issue.severity == "error" else console
        target.print(f"  {issue.severity}: {issue.message('en')}", highlight=False, markup=False)


def warn_if_demo(session: Session) -> None:
    """Label demo figures as such, on stderr so that CSV and JSON output stay clean."""
    from db.queries import is_demo

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


@app.command()
def init(
    registry: Annotated[
        Path | None, typer.Option(help="Registry CSV to load instead of the shipped OPD list.")
    ] = None,
) -> None:
    """Create or migrate the database; load the OPD registry when none is loaded yet."""
    from ingest.registry import import_registry, load_default_registry
    from services.status import opd_count

    cfg = settings()
    with open_session(cfg, migrate=True) as session:
        console.print(f"Database ready ({redact_url_password(cfg.database_url)}).")
        if registry is not None:
            report = import_registry(session, registry)
        elif opd_count(session) == 0:
            report = load_default_registry(session)
        else:
            console.print("Registry already loaded.")
            return
        session.commit()
        print_report(report)


@app.command()
def demo(
    as_of: Annotated[
        str | None, typer.Option(help="Last day of the demo history (YYYY-MM-DD); default today.")
    ] = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Load only when the database holds no data yet.")
    ] = False,
) -> None:
    """Load the deterministic demo world (fake accounts named demo.*) through the import path."""
    from demo.load import demo_needed, load_demo

    cfg = settings()
    day = parse_day(as_of) if as_of else local_today(cfg.tz)
    with open_session(cfg, migrate=True) as session:
        if if_empty and not demo_needed(session):
            console.print("The database already holds data; the demo world was not loaded.")
            return
        console.print(str(load_demo(session, day)))


@registry_app.command("import")
def registry_import(file: Annotated[Path, typer.Argument(help="Registry CSV or .xlsx.")]) -> None:
    """Add or update OPDs and accounts from FILE (opd_code,opd_name,category,platform,...)."""
    from ingest.registry import import_registry
    from ingest.tabular import TableError

    cfg = settings()
    with open_session(cfg) as session:
        try:
            report = import_registry(session, file)
        except (TableError, OSError) as exc:
            fail(str(exc))
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
        session.commit()
    print_report(report)
    raise typer.Exit(1 if has_errors(report) else 0)


@app.command()
def serve() -> None:
    """Set up the database, load the demo world when empty, run worker and dashboard."""
    from core.supervisor import supervise
    from demo.load import demo_needed, load_demo

    cfg = settings()
    init(registry=None)
    with open_session(cfg) as session:
        if not cfg.has_platform_credentials and demo_needed(session):
            console.print("No data and no platform credentials: loading the demo world…")
            console.print(str(load_demo(session, local_today(cfg.tz))))
    raise typer.Exit(supervise(cfg))


@app.command()
def collect(
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    opd: Annotated[str | None, typer.Option(help="Only the accounts of this OPD code.")] = None,
) -> None:
    """Run one collection pass over the registered accounts, with a progress bar."""
    from rich.progress import Progress

    from collectors.service import pass_options, run_collection
    from collectors.summary import summary_frame
    from db.models import PLATFORMS

    cfg = settings()
    if platform is not None and platform not in PLATFORMS:
        fail(f"unknown --platform {platform!r}; choose one of {', '.join(PLATFORMS)}.")
    options = pass_options(cfg, frozenset({platform}) if platform else None, opd)
    with open_session(cfg) as session:
        factory = make_session_factory(session.get_bind())  # type: ignore[arg-type]
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Collecting", total=None)
        report, requests = run_collection(
            factory, cfg, options, on_outcome=lambda _o: progress.advance(task)
        )
    frame = summary_frame(report)
    sys.stdout.write(output.render(frame, "table", title=f"Collection run {report.run_id}"))
    console.print(f"{requests} requests; status {report.status}.", highlight=False)
    for name, error in sorted(report.platform_errors.items()):
        err.print(f"{name}: {error.error_class}: {error}", highlight=False, markup=False)
    raise typer.Exit(1 if report.status == "failed" else 0)


@app.command()
def simulator(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (loopback only).")] = 8600,
    as_of: Annotated[str | None, typer.Option(help="Demo world's last day, YYYY-MM-DD.")] = None,
) -> None:
    """Serve the six platform APIs for the demo world on 127.0.0.1 (for trials and demos)."""
    from simulator.server import run_server

    cfg = settings()
    run_server(port, parse_day(as_of) if as_of else local_today(cfg.tz))


@token_app.command("set")
def token_set(
    platform: Annotated[str, typer.Argument(help="tiktok or facebook (a Page token).")],
    handle: Annotated[str, typer.Argument(help="The account's handle as in the registry.")],
    expires_in: Annotated[
        int | None, typer.Option(help="Seconds until the access token expires.")
    ] = None,
) -> None:
    """Store an account's token, read from stdin as 'ACCESS [REFRESH]', encrypted."""
    from collectors.service import store_account_token
    from core.crypto import SecretKeyError

    cfg = settings()
    parts = sys.stdin.read().split()
    if not 1 <= len(parts) <= 2:
        fail("expected 'ACCESS_TOKEN [REFRESH_TOKEN]' on standard input.")
    with open_session(cfg) as session:
        try:
            store_account_token(session, cfg, platform, handle, parts, expires_in)
        except (SecretKeyError, LookupError) as exc:
            fail(str(exc))
        session.commit()
    console.print(f"Token stored encrypted for {platform} {handle}.")


@app.command()
def schedule() -> None:
    """Run the scheduler worker (collections, daily snapshots, reminders, monthly report)."""
    not_built("The scheduler worker", 6)


@app.command()
def status(fmt: FormatOpt = "table") -> None:
    """Show the database, row counts, the latest runs and the settings (secrets hidden)."""
    from services.status import status_summary

    cfg = settings()
    check_format(fmt)
    with open_session(cfg) as session:
        summary = status_summary(session, cfg)
    sys.stdout.write(output.render(summary, fmt, title="Pantau status"))


@app.command()
def ranking(
    month: Annotated[str | None, typer.Option(help="Month YYYY-MM; default this month.")] = None,
    by: Annotated[
        str, typer.Option(help="Rank each account or each OPD: account|opd.")
    ] = "account",
    fmt: FormatOpt = "table",
) -> None:
    """The month's activity-index ranking (status as of the month's end, or now)."""
    from services.period import current_month
    from services.ranking import cli_table
    from services.ranking import ranking as build_ranking

    cfg = settings()
    check_format(fmt)
    month = check_month(month) if month else current_month(cfg.tz)
    if by not in ("account", "opd"):
        fail("--by must be account or opd.")
    with open_session(cfg) as session:
        warn_if_demo(session)
        frame = cli_table(build_ranking(session, month, cfg, by=by))
    sys.stdout.write(output.render(frame, fmt, title=f"Ranking {month}"))


@app.command()
def dormant(
    as_of: Annotated[str | None, typer.Option(help="Day YYYY-MM-DD; default today.")] = None,
    include_active: Annotated[bool, typer.Option(help="List active accounts too.")] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Accounts that are dormant, at risk or without data at the end of the day."""
    from services.overview import dormant_report
    from services.ranking import cli_table

    cfg = settings()
    check_format(fmt)
    day = parse_day(as_of) if as_of else local_today(cfg.tz)
    with open_session(cfg) as session:
        warn_if_demo(session)
        frame = dormant_report(session, day, cfg)
    if not include_active:
        frame = frame[frame["status"] != "active"]
    title = f"Accounts needing attention on {day.isoformat()}"
    sys.stdout.write(output.render(cli_table(frame), fmt, title=title))


@app.command("caption-check")
def caption_check(
    fmt: Annotated[str, typer.Option("--format", help="Output format: text or json.")] = "text",
) -> None:
    """Check a caption (read from stdin) against the office's guidance."""
    import json

    from metrics.captions import check_caption

    if fmt not in ("text", "json"):
        fail(f"unknown --format {fmt!r}; choose text or json.")
    text = sys.stdin.read()
    if not text.strip():
        fail("no caption on standard input, e.g. echo 'Bupati ...' | python cli.py caption-check")
    report = check_caption(text)
    if fmt == "json":
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(report.to_text() + "\n")


@app.command()
def report(
    month: Annotated[str, typer.Option(help="Month YYYY-MM.")],
    fmt: Annotated[str, typer.Option("--format", help="pptx, pdf or xlsx.")] = "pptx",
    out: Annotated[Path | None, typer.Option(help="Output file.")] = None,
) -> None:
    """Build the monthly briefing for the head of office."""
    not_built("The monthly briefing export", 5)


@user_app.command("add")
def user_add(
    username: str, role: Annotated[str, typer.Option(help="admin|reviewer|opd")] = "reviewer"
) -> None:
    """Add a dashboard user."""
    not_built("Dashboard login", 7)


@user_app.command("passwd")
def user_passwd(username: str) -> None:
    """Change a user's password."""
    not_built("Dashboard login", 7)


@user_app.command("disable")
def user_disable(username: str) -> None:
    """Disable a user."""
    not_built("Dashboard login", 7)


if __name__ == "__main__":
    app()
