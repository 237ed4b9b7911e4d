"""Commands that read: status, ranking, dormant accounts, caption checks, briefings."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from commands.common import (
    FormatOpt,
    app,
    check_format,
    check_month,
    console,
    fail,
    open_session,
    output,
    parse_day,
    settings,
    warn_if_demo,
)
from core.period import current_month, last_complete_month
from core.timeutil import local_today
from metrics.captions import check_caption
from services.overview import dormant_report
from services.ranking import cli_table
from services.ranking import ranking as build_ranking
from services.status_report import account_rows, status_summary


@app.command()
def status(
    fmt: FormatOpt = "table",
    accounts: Annotated[
        bool, typer.Option("--accounts", help="List every account, not only failing ones.")
    ] = False,
) -> None:
    """Show the database, the worker and its jobs, collection health per account, the latest
    runs and the settings (secrets hidden).

    JSON prints {"summary": [...], "accounts": [...]}; CSV prints the accounts with --accounts,
    otherwise the summary. Each account row carries its status and, when Pantau cannot read
    it, the reason and the step to take (in Indonesian, as the dashboard shows it)."""
    cfg = settings()
    check_format(fmt)
    with open_session(cfg) as session:
        summary = status_summary(session, cfg)
        health = account_rows(session, cfg, everyone=accounts)
    if fmt == "json":  # one document: the summary and the account rows
        document = {"summary": output.records(summary), "accounts": output.records(health)}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt == "csv":  # one table per file: the accounts when asked for, else the summary
        sys.stdout.write(output.render(health if accounts else summary, fmt))
        return
    sys.stdout.write(output.render(summary, fmt, title="Pantau status"))
    title = (
        "Accounts"
        if accounts
        else "Accounts failing, never collected or unreadable (--accounts: all)"
    )
    sys.stdout.write(output.render(health, fmt, title=title))


@app.command()
def ranking(
    month: Annotated[
        str | None, typer.Option(help="Month YYYY-MM; default the last complete month.")
    ] = None,
    by: Annotated[
        str, typer.Option(help="Rank each account or each OPD: account|opd.")
    ] = "account",
    fmt: FormatOpt = "table",
) -> None:
    """The month's activity-index ranking (status as of the month's end, or now)."""
    cfg = settings()
    check_format(fmt)
    month = check_month(month) if month else last_complete_month(tz=cfg.tz)
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
    """Accounts that are dormant, at risk, unreadable or without data at the end of the day
    (status `unreadable`: Pantau cannot read the account; `status --accounts` gives why)."""
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
    month: Annotated[
        str | None,
        typer.Option(
            help="Month YYYY-MM; default the last complete month (the running one "
            "may be asked for: the briefing labels it as running)."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="pptx, pdf or xlsx.")] = "pptx",
    out: Annotated[Path | None, typer.Option(help="Output file.")] = None,
) -> None:
    """Build the monthly briefing for the head of office (PPTX and PDF need Chromium)."""
    from reports import build_report  # the writers take a moment to import: only when asked
    from reports.briefings import briefing_file_name
    from reports.formats import BRIEFING_FORMATS, CANNOT_WRITE

    cfg = settings()
    month = check_month(month) if month else last_complete_month(tz=cfg.tz)
    if month > current_month(cfg.tz):
        fail(f"{month} has not started yet.")
    if fmt not in BRIEFING_FORMATS:
        fail(f"unknown --format {fmt!r}; choose one of {', '.join(BRIEFING_FORMATS)}.")
    target = out or Path(briefing_file_name(month, BRIEFING_FORMATS[fmt]))
    with open_session(cfg) as session:
        warn_if_demo(session)
        try:
            path = build_report(session, month, fmt, target, cfg)
        except CANNOT_WRITE as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"cannot write {target}: {exc.strerror or exc}")
    running = " (the running month, so far)" if month == current_month(cfg.tz) else ""
    console.print(f"Wrote the {month} briefing{running} to {path}", highlight=False)
