"""Commands that run the product: dashboard, collection, simulator, tokens, worker."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from commands.common import (
    app,
    console,
    err,
    fail,
    make_session_factory,
    open_session,
    output,
    parse_day,
    settings,
    token_app,
)
from commands.data import init
from core.timeutil import local_today
from refresh import after_write


@app.command()
def serve() -> None:
    """Set up the database, load the demo world when empty, run worker and dashboard."""
    from core.supervisor import supervise
    from demo.load import demo_needed, load_demo
    from services.demo_removal import mixed_database_problem

    cfg = settings()
    init(registry=None)
    with open_session(cfg) as session:
        if problem := mixed_database_problem(session):
            fail(problem)
        if not cfg.has_platform_credentials and demo_needed(session):
            console.print("No data and no platform credentials: loading the demo world…")
            console.print(str(load_demo(session, local_today(cfg.tz))))
        announce_logins(session, cfg.host)
    raise typer.Exit(supervise(cfg))


ADD_ADMIN = "python cli.py user add NAME --role admin"


def announce_logins(session: Session, host: str) -> None:
    """On the demo world served on a loopback address, create and print its logins; on any
    other address (their password is public) refuse to, and say how to add a real admin, as
    on real data without users."""
    from core.loopback import is_loopback
    from db.audit import record
    from db.queries import is_demo
    from services.audit import cli_actor
    from services.demo_removal import demo_logins
    from services.users import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users, user_count

    if is_demo(session) and is_loopback(host):
        created = set(ensure_demo_users(session))
        for name, role, opd in DEMO_USERS:  # a new login grants access: audited like `user add`
            if name in created:
                after = {"peran": role, "opd": opd, "aktif": True, "lewat": "demo"}
                record(session, cli_actor(), "user.added", name, None, after)
        session.commit()
        names = ", ".join(f"{name} ({role})" for name, role, _opd in DEMO_USERS)
        console.print(f"Demo login: {names}; password {DEMO_PASSWORD}", highlight=False)
        return
    if is_demo(session):
        console.print(
            f"Demo logins are not created: the dashboard listens on {host}, beyond this machine, "
            f"and their password is public. Add a real admin: {ADD_ADMIN}",
            highlight=False,
        )
        if public := [user.username for user in demo_logins(session)]:
            err.print(
                f"Warning: demo logins with the public password exist: {', '.join(public)}; "
                "disable them (python cli.py user disable NAME) or set a password (user passwd).",
                highlight=False,
            )
    elif user_count(session) == 0:
        console.print(f"No dashboard user yet: {ADD_ADMIN}", highlight=False)


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
    with err.status("Scoring new captions, updating totals and rankings"), factory() as session:
        scored = after_write(session, cfg).captions_scored
        session.commit()
    frame = summary_frame(report)
    sys.stdout.write(output.render(frame, "table", title=f"Collection run {report.run_id}"))
    console.print(
        f"{requests} requests; {scored} new captions scored; status {report.status}.",
        highlight=False,
    )
    for name, error in sorted(report.platform_errors.items()):
        err.print(f"{name}: {error.error_class}: {error}", highlight=False, markup=False)
    raise typer.Exit(1 if report.status == "failed" else 0)


@app.command()
def simulator(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (loopback only).")] = 8600,
    as_of: Annotated[str | None, typer.Option(help="Demo world's last day, YYYY-MM-DD.")] = None,
) -> None:
    """Serve the six platform APIs for the demo world on 127.0.0.1 (for trials and demos)."""
    from demo.simworld import demo_sim_world
    from simulator.server import run_server

    cfg = settings()
    run_server(port, demo_sim_world(parse_day(as_of) if as_of else local_today(cfg.tz)))


@token_app.command("set")
def token_set(
    platform: Annotated[str, typer.Argument(help="tiktok or facebook (a Page token).")],
    handle: Annotated[
        str, typer.Argument(help="The account's handle, @name or profile URL, as in the registry.")
    ],
    expires_in: Annotated[
        int | None, typer.Option(help="Seconds until the access token expires.")
    ] = None,
) -> None:
    """Store an account's token, read from stdin as 'ACCESS [REFRESH]', encrypted."""
    from collectors.service import store_account_token, token_platform
    from db.audit import record
    from services.audit import cli_actor

    try:
        platform = token_platform(platform)  # refused before any secret is read
    except ValueError as exc:
        fail(str(exc))
    cfg = settings()
    parts = sys.stdin.read().split()
    if not 1 <= len(parts) <= 2:
        fail("expected 'ACCESS_TOKEN [REFRESH_TOKEN]' on standard input.")
    with open_session(cfg) as session:
        try:
            stored = store_account_token(session, cfg, platform, handle, parts, expires_in)
        except (ValueError, LookupError) as exc:  # SecretKeyError is a ValueError
            fail(str(exc))
        # never the token: only that one was stored, and what came with it
        after = {"sumber": "cli", "token_pembaruan": len(parts) == 2, "berlaku_detik": expires_in}
        record(session, cli_actor(), "token.set", f"{platform} {stored}", None, after)
        session.commit()
    console.print(f"Token stored encrypted for {platform} {stored}.", highlight=False)


@app.command()
def schedule() -> None:
    """Run the scheduler worker (collections, daily snapshots, reminders, monthly report)."""
    from worker.main import run_worker

    raise typer.Exit(run_worker(settings(), say=lambda text: err.print(text, highlight=False)))
