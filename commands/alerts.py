"""The `alerts` command: list the open alerts (Peringatan), run the checks, mark alerts read."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from commands.common import (
    FormatOpt,
    app,
    check_format,
    console,
    err,
    fail,
    open_session,
    settings,
)
from core import output


@app.command()
def alerts(
    fmt: FormatOpt = "table",
    everything: Annotated[
        bool, typer.Option("--all", help="Include alerts already marked read.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Run every check first (as the worker does each hour)."),
    ] = False,
    ack: Annotated[
        list[int] | None,
        typer.Option("--ack", metavar="ID", help="Mark this alert read (repeatable); no list."),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Who marks it read (with --ack).")] = "cli",
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="Only this kind (repeatable): breakout, follower_drop, gone, token_expiring, "
            "worker_silent.",
        ),
    ] = None,
) -> None:
    """The alerts not yet marked read, newest first: id, raised_at (local time, ISO 8601),
    kind, opd_code, platform, handle, reason (Indonesian), mail_status. The worker-silence
    check always runs first (a stopped worker cannot raise it)."""
    from core.timeutil import utcnow
    from services import alerts as service

    cfg = settings()
    check_format(fmt)
    unknown = sorted(set(kind or ()) - set(service.KINDS))
    if unknown:
        fail(f"unknown --kind {', '.join(unknown)}; choose from {', '.join(service.KINDS)}.")
    with open_session(cfg) as session:
        if ack:
            done = service.acknowledge(session, ack, by, utcnow())
            console.print(f"{done} of {len(ack)} alerts marked read.", highlight=False)
            return
        raised = (service.check_alerts if check else service.check_worker_silence)(
            session, cfg, utcnow()
        )
        if check:
            err.print(f"{len(raised)} new alerts raised.", highlight=False)
        frame = service.open_alerts(
            session, include_acknowledged=everything, kinds=kind or service.KINDS
        )
    table = service.cli_table(frame, cfg, everything=everything)
    sys.stdout.write(output.render(table, fmt, title="Alerts"))
