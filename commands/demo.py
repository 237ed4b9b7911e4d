"""The demo world on the command line: load it, or leave it with `demo --remove`."""

from __future__ import annotations

from typing import Annotated

import typer

from commands.common import app, console, fail, open_session, parse_day, settings
from core.timeutil import local_today
from refresh import after_write


@app.command()
def demo(
    as_of: Annotated[
        str | None, typer.Option(help="Last day of the demo history (YYYY-MM-DD); default today.")
    ] = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Load only when the database holds no data yet.")
    ] = False,
    remove: Annotated[
        bool,
        typer.Option(
            "--remove",
            help="Remove the demo world (its accounts and their data, runs, reminders, "
            "rankings and the demo logins); the OPD registry and real accounts stay.",
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="With --remove: do not ask first.")] = False,
) -> None:
    """Load the deterministic demo world (fake accounts named demo.*), or remove it."""
    if remove:
        if as_of or if_empty:
            fail("--remove takes neither --as-of nor --if-empty.")
        _remove(ask=not yes)
    elif yes:
        fail("--yes goes with --remove.")
    else:
        _load(as_of, if_empty)


def _load(as_of: str | None, if_empty: bool) -> None:
    from demo.load import demo_needed, load_demo
    from services.demo_removal import demo_state

    cfg = settings()
    day = parse_day(as_of) if as_of else local_today(cfg.tz)
    with open_session(cfg, migrate=True) as session:
        if if_empty and not demo_needed(session):
            console.print(
                "The database already holds data (or the demo was removed from it); "
                "the demo world was not loaded."
            )
            return
        real = demo_state(session).real_accounts
        if real:
            fail(
                f"this database holds {real} real accounts; the demo world is loaded only into "
                "a database without any, so that demo and real data never mix."
            )
        console.print(str(load_demo(session, day)))


def _remove(ask: bool) -> None:
    from demo.contacts import demo_contacts
    from reports.demo_briefings import discard_demo_briefings
    from services.audit import cli_actor
    from services.demo_removal import DemoRemoval, demo_state, remove_demo
    from services.users import user_count

    cfg = settings()
    with open_session(cfg) as session:
        state = demo_state(session)
        if not state.holds_demo:
            console.print(DemoRemoval().summary(), highlight=False)
            return
        if ask:
            typer.confirm(
                f"Remove the demo world ({state.demo_accounts} demo accounts with all their "
                f"data, and the demo logins), keeping the registry of {state.opds} OPDs and "
                f"{state.real_accounts} real accounts?",
                abort=True,
            )
        removal = remove_demo(session, demo_contacts(), actor=cli_actor())
        after_write(session, cfg)
        session.commit()
        users_left = user_count(session)
    briefings = discard_demo_briefings(cfg, removal.loaded_at)
    console.print(removal.summary(), highlight=False)
    if briefings:
        console.print(f"{len(briefings)} saved briefings made from the demo deleted.")
    if not users_left:
        console.print(
            "No dashboard user left: python cli.py user add NAME --role admin", highlight=False
        )
