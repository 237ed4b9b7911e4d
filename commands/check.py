"""`cli.py check`: does every configured credential and stored account token work?

One cheap live call each (services.credential_check). ``--format json`` prints a list of objects
with the keys ``platform, account, ok, detail, fix, expires_at`` (``ok`` null: not configured;
``account`` null: an office credential; ``expires_at`` ISO 8601 in local time, or null). The
``detail`` and ``fix`` texts are the Indonesian ones the dashboard shows. Exit status 0 when
every configured credential works, 1 otherwise. No token, key or secret is ever printed.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import pandas as pd
import typer

from commands.common import app, err, fail, open_session, output, settings

CHECK_FORMATS = ("table", "json")
STATUS = {True: "works", False: "FAILED", None: "not configured"}


@app.command()
def check(
    fmt: Annotated[str, typer.Option("--format", help="Output format: table or json.")] = "table",
) -> None:
    """Test every configured credential and stored account token with one live call each."""
    from services.credential_check import as_records, exit_status, local_iso, run_check

    if fmt not in CHECK_FORMATS:
        fail(f"unknown --format {fmt!r}; choose one of {', '.join(CHECK_FORMATS)}.")
    cfg = settings()
    with open_session(cfg) as session:
        results = run_check(session, cfg)
    if fmt == "json":
        sys.stdout.write(json.dumps(as_records(results, cfg.tz), ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
    else:
        frame = pd.DataFrame(
            {
                "platform": [r.platform for r in results],
                "account": [r.account or r.credential for r in results],
                "status": [STATUS[r.ok] for r in results],
                "detail": [r.detail for r in results],
                "fix": [r.fix for r in results],
                "expires_at": [local_iso(r.expires_at, cfg.tz) or "" for r in results],
            }
        )
        sys.stdout.write(output.render(frame, "table", title="Credential check"))
    failures = sum(1 for r in results if r.ok is False)
    if failures:
        err.print(f"{failures} configured credential(s) or token(s) failed.", highlight=False)
    elif all(r.ok is None for r in results):
        err.print("No platform credential is configured.", highlight=False)
    raise typer.Exit(exit_status(results))
