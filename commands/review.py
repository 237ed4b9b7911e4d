"""The `review` command: every post of a month with its caption checklist."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from commands.common import (
    FormatOpt,
    app,
    check_format,
    check_month,
    fail,
    open_session,
    output,
    settings,
    warn_if_demo,
)
from core.period import last_complete_month
from db.queries import opds_frame
from services.post_review import cli_table, post_review


@app.command()
def review(
    month: Annotated[
        str | None,
        typer.Option(help="Month YYYY-MM (local time); default the last complete month."),
    ] = None,
    opd: Annotated[str | None, typer.Option(help="Only this OPD (its code, e.g. DINKES).")] = None,
    only_problems: Annotated[
        bool,
        typer.Option(
            "--only-problems",
            help="Only posts with a problem: an element missing, outside the rule, a typo or "
            "a jargon term.",
        ),
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Every post of the month of active accounts, newest first, with its caption checklist
    (the five elements, official level, outside the rule, typos and jargon as counts, score;
    no score for a post without text). posted_at is local time in ISO 8601 with its offset."""
    cfg = settings()
    check_format(fmt)
    month = check_month(month) if month else last_complete_month(tz=cfg.tz)
    with open_session(cfg) as session:
        warn_if_demo(session)
        opd_id = None
        if opd is not None:
            opds = opds_frame(session)
            match = opds[opds["opd_code"].str.upper() == opd.strip().upper()]
            if match.empty:
                fail(f"unknown OPD code {opd!r}; see `python cli.py registry export`.")
            opd_id = int(match["opd_id"].iloc[0])
        frame = post_review(session, month, cfg, opd_id=opd_id)
    if only_problems:
        frame = frame[frame["problem"]]
    title = f"Posts of {month}" + (f" ({opd.strip().upper()})" if opd else "")
    sys.stdout.write(output.render(cli_table(frame, cfg.tz, fmt), fmt, title=title))
