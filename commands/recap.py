"""The `recap` command: the month's WhatsApp recap, exactly as it would be pasted."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from commands.common import app, check_month, err, fail, open_session, settings, warn_if_demo
from core.period import last_complete_month


@app.command()
def recap(
    month: Annotated[
        str | None, typer.Option(help="Month YYYY-MM; default the last complete month.")
    ] = None,
    opd: Annotated[
        str | None, typer.Option("--opd", help="One OPD's recap for its admin (OPD code).")
    ] = None,
) -> None:
    """Print the month's WhatsApp recap (Indonesian, WhatsApp's *bold*, at most 3,500
    characters) on stdout, ready to paste.

    With --opd, the recap of that OPD for its admin; the wa.me link that opens it in WhatsApp
    to the admin's number goes to stderr, as the line "WhatsApp: https://wa.me/…" (or a note
    that no number is recorded), so stdout stays the message alone."""
    from services.recap import UnknownOpd, find_opd, month_recap, opd_recap
    from services.review import month_review

    cfg = settings()
    month = check_month(month) if month else last_complete_month(tz=cfg.tz)
    with open_session(cfg) as session:
        warn_if_demo(session)
        if opd is None:
            text, link = month_recap(session, month, cfg), None
        else:
            try:
                find_opd(session, opd)
            except UnknownOpd:
                fail(f"unknown OPD code {opd!r}; `python cli.py registry export` lists them.")
            found = opd_recap(session, month_review(session, month, cfg), cfg, opd)
            text, link = found.text, found.wa_link or ""
    sys.stdout.write(text + "\n")
    if link is not None:
        line = f"WhatsApp: {link}" if link else "WhatsApp: no phone number recorded for the admin."
        err.print(line, highlight=False, markup=False)
