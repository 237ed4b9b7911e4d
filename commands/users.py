"""Dashboard user management."""

from __future__ import annotations

from typing import Annotated

import typer

from commands.common import (
    not_built,
    user_app,
)


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
