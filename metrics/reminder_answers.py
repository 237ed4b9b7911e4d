"""Whether a reminder was answered: the reminded account posted within a week after it.

The briefing's follow-up ("pengingat dikirim dan dijawab") counts each reminder sent in the
month once. A reminder is *answered* when its account has a post in the 7 days after the
reminder was sent (the send time excluded, the 7th day's end included); it is *waiting* when
those 7 days have not passed yet and nothing was posted; otherwise it is *unanswered*.
See docs/metrics.md ("Reminders answered").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

ANSWER_DAYS = 7
ANSWERED, WAITING, UNANSWERED = "answered", "waiting", "unanswered"


@dataclass(frozen=True)
class ReminderAnswers:
    sent: int
    answered: int
    waiting: int  # the week after the reminder is not over and nothing was posted yet

    @property
    def unanswered(self) -> int:
        return self.sent - self.answered - self.waiting


def answer_states(reminders: pd.DataFrame, posts: pd.DataFrame, now: datetime) -> pd.Series:
    """Each reminder's state (answered, waiting or unanswered), indexed like ``reminders``.

    ``reminders`` needs account_id and sent_at (UTC); ``posts`` account_id and posted_at."""
    window = timedelta(days=ANSWER_DAYS)
    states = []
    for account_id, sent_at in zip(reminders["account_id"], reminders["sent_at"], strict=True):
        mine = posts.loc[posts["account_id"] == account_id, "posted_at"]
        if ((mine > sent_at) & (mine <= sent_at + window)).any():
            states.append(ANSWERED)
        else:
            states.append(WAITING if sent_at + window > now else UNANSWERED)
    return pd.Series(states, index=reminders.index, dtype="object")


def count_answers(states: pd.Series) -> ReminderAnswers:
    return ReminderAnswers(
        sent=len(states),
        answered=int((states == ANSWERED).sum()),
        waiting=int((states == WAITING).sum()),
    )
