"""The table `cli.py collect` prints at the end of a pass: one row per platform."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from collectors.run import AccountOutcome, PassReport

COLUMNS = ["platform", "accounts", "ok", "failed", "skipped", "posts", "errors"]


@dataclass
class PlatformTally:
    accounts: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    posts: int = 0
    errors: set[str] = field(default_factory=set)

    def add(self, outcome: AccountOutcome) -> None:
        self.accounts += 1
        self.posts += len(outcome.posts)
        if outcome.ok:
            self.ok += 1
        elif outcome.skipped:
            self.skipped += 1
        else:
            self.failed += 1
        if outcome.error is not None:
            self.errors.add(outcome.error.error_class)


def summary_frame(report: PassReport) -> pd.DataFrame:
    tallies: dict[str, PlatformTally] = {}
    for outcome in report.outcomes:
        tallies.setdefault(outcome.account.platform, PlatformTally()).add(outcome)
    records = [
        [name, t.accounts, t.ok, t.failed, t.skipped, t.posts, ", ".join(sorted(t.errors))]
        for name, t in sorted(tallies.items())
    ]
    return pd.DataFrame(records, columns=COLUMNS)
