"""Dashboard user management. Passwords are read from the terminal (twice) or, for scripts,
from standard input; they never appear in the command line, the shell history or a log."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

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


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[str, typer.Option(help="admin, reviewer or opd.")] = "reviewer",
    opd: Annotated[str | None, typer.Option(help="OPD code, for role opd.")] = None,
    password_stdin: Annotated[bool, typer.Option(help=STDIN_HELP)] = False,
) -> None:
    """Add a dashboard user (admin: everything; reviewer: read and export; opd: own OPD)."""
    from services.users import UserError, add_user

    cfg = settings()
    with open_session(cfg) as session:
        try:
            user = add_user(session, username, read_password(password_stdin), role, opd)
        except UserError as exc:
            fail(str(exc))
        session.commit()
        console.print(f"User {user.username} added with role {user.role}.", highlight=False)


@user_app.command("passwd")
def user_passwd(
    username: str, password_stdin: Annotated[bool, typer.Option(help=STDIN_HELP)] = False
) -> None:
    """Set a user's password (also unlocks and re-enables the user)."""
    from services.users import UserError, set_password

    cfg = settings()
    with open_session(cfg) as session:
        try:
            set_password(session, username, read_password(password_stdin))
        except UserError as exc:
            fail(str(exc))
        session.commit()
    console.print(f"Password of {username} changed.", highlight=False)


@user_app.command("disable")
def user_disable(username: str) -> None:
    """Disable a user: they can no longer sign in (open sessions end at their next page)."""
    from services.users import UserError, disable

    cfg = settings()
    with open_session(cfg) as session:
        try:
            disable(session, username)
        except UserError as exc:
            fail(str(exc))
        session.commit()
    console.print(f"User {username} disabled.", highlight=False)
