"""Dashboard user management. Passwords are read from the terminal (twice) or, for scripts,
from standard input; they never appear in the command line, the shell history or a log."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from commands.common import console, fail, open_session, settings, user_app

STDIN_HELP = "Read the password from standard input instead of asking."


def read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        fail("no password given.")
    return password


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
    from services.users import add_user

    with user_change() as session:
        user = add_user(session, username, read_password(password_stdin), role, opd)
        name, role = user.username, user.role
    console.print(f"User {name} added with role {role}.", highlight=False)


@user_app.command("passwd")
def user_passwd(
    username: str, password_stdin: Annotated[bool, typer.Option(help=STDIN_HELP)] = False
) -> None:
    """Set a user's password (also unlocks and re-enables the user); signs them out everywhere."""
    from core.timeutil import utcnow
    from services.users import set_password
    from services.web_sessions import close_all_web_sessions

    with user_change() as session:
        set_password(session, username, read_password(password_stdin))
        close_all_web_sessions(session, username, utcnow())
    console.print(f"Password of {username} changed.", highlight=False)


@user_app.command("disable")
def user_disable(username: str) -> None:
    """Disable a user: they can no longer sign in, and their open sessions end."""
    from core.timeutil import utcnow
    from services.users import disable
    from services.web_sessions import close_all_web_sessions

    with user_change() as session:
        disable(session, username)
        close_all_web_sessions(session, username, utcnow())
    console.print(f"User {username} disabled.", highlight=False)
