"""Pantau command line: `python cli.py --help`. Names and options here are a public surface."""

from __future__ import annotations

from commands import (  # noqa: F401  (they register the commands)
    alerts,
    check,
    collect,
    data,
    demo,
    recap,
    reports,
    review,
    users,
)
from commands.common import app

if __name__ == "__main__":
    app()
