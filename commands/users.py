"""Dashboard user management, and the audit trail (`cli.py audit`). Passwords are read from
the terminal (twice) or, for scripts, from standard input; they never appear in the command
line, the shell history or a log. Every change to a user is audited as ``cli:<os user>``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from commands.common import (
    FormatOpt,
    app,
    check_format,
    console,
    fail,
    open_session,
    output,
    settings,
    user_app,
)

STDIN_HELP = "Read the password from standard input instead of asking."


def read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        fail("no password given.")
    return password


def _state(session: Session, name: str) -> dict[str, object] | None:
    """What the audit trail shows of user ``name`` (normalized) before a change (None: no such
    user yet)."""
    from sqlalchemy import select

    from db.models import User

    row = session.execute(select(User.role, User.active).where(User.username == name)).first()
    return None if row is None else {"peran": row.role, "aktif": row.active}


@contextmanager
def user_change() -> Iterator[Session]:
    """A session for one change to the users: a refused change is a clear error, else commit."""
    # services.users is imported inside these commands, not at the top: importing it hashes a
    # dummy password with Argon2 (core.passwords, about 0.16 s), which every other command and
    # `--help` would pay for nothing.
    from services.users import UserError

    with open_session(settings()) as session:
        try:
            yield session
        except UserError as exc:
            fail(str(exc))
        session.commit()


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[str, typer.Option(help="admin, reviewer or opd.")] = "reviewer",
    opd: Annotated[str | None, typer.Option(help="OPD code, for role opd.")] = None,
    password_stdin: Annotated[bool, typer.Option(help=STDIN_HELP)] = False,
) -> None:
    """Add a dashboard user (admin: everything; reviewer: read and export; opd: own OPD)."""
    from db.audit import record
    from services.audit import cli_actor
    from services.users import add_user

    with user_change() as session:
        user = add_user(session, username, read_password(password_stdin), role, opd)
        name, role = user.username, user.role
        after = {"peran": role, "opd": opd.strip().upper() if opd else None, "aktif": True}
        record(session, cli_actor(), "user.added", name, None, after)
    console.print(f"User {name} added with role {role}.", highlight=False)


@user_app.command("passwd")
def user_passwd(
    username: str, password_stdin: Annotated[bool, typer.Option(help=STDIN_HELP)] = False
) -> None:
    """Set a user's password (also unlocks and re-enables the user); signs them out everywhere."""
    from core.timeutil import utcnow
    from db.audit import record
    from services.audit import cli_actor
    from services.users import normalize, set_password
    from services.web_sessions import close_all_web_sessions

    with user_change() as session:
        name = normalize(username)  # as stored and audited; a bad name is refused here
        was = _state(session, name)
        set_password(session, username, read_password(password_stdin))
        close_all_web_sessions(session, username, utcnow())
        # the password itself is never recorded: only that it changed, and what came with it
        after = {"kata_sandi": "diganti", "aktif": True, "sesi": "semua diakhiri"}
        record(session, cli_actor(), "user.password", name, was, after)
    console.print(f"Password of {username} changed.", highlight=False)


@user_app.command("disable")
def user_disable(username: str) -> None:
    """Disable a user: they can no longer sign in, and their open sessions end."""
    from core.timeutil import utcnow
    from db.audit import record
    from services.audit import cli_actor
    from services.users import disable, normalize
    from services.web_sessions import close_all_web_sessions

    with user_change() as session:
        name = normalize(username)  # as stored and audited; a bad name is refused here
        was = _state(session, name)
        disable(session, username)
        close_all_web_sessions(session, username, utcnow())
        after = {"aktif": False, "sesi": "semua diakhiri"}
        record(session, cli_actor(), "user.disabled", name, was, after)
    console.print(f"User {username} disabled.", highlight=False)


@app.command("audit")
def audit_export(
    kind: Annotated[
        str | None,
        typer.Option(help="Only this kind: registry, settings, user, token, reminder or mark."),
    ] = None,
    fmt: FormatOpt = "csv",
) -> None:
    """Print the audit trail, newest first: when (UTC, ISO 8601), who (a dashboard user,
    cli:<os user> or worker), the action, its target, and the values before and after."""
    from db.audit import audit_frame
    from services.audit import KINDS

    check_format(fmt)
    if kind is not None and kind not in KINDS:
        fail(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}.")
    with open_session(settings()) as session:
        frame = audit_frame(session, [kind] if kind else [])
    frame["at"] = [stamp.isoformat() for stamp in frame["at"]]
    # CSV: output.render writes every cell inert (a spreadsheet runs no formula of it)
    sys.stdout.write(output.render(frame, fmt, title="Audit trail"))
