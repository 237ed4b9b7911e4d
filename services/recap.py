"""The WhatsApp recap use case (Salin rekap on Ringkasan and Tinjauan Bulanan, `cli.py recap`):
the month's review and its posts to fix as :class:`present.recap.RecapFacts`, and the text.

The recap of one OPD goes to its admin by WhatsApp; once sent it is recorded through the
reminder path (:func:`services.reminders.record`), but only for the accounts it names as
dormant or needing attention: it is a reminder for those, while recording it on an active
account would reset that account's dormancy clock and escalation (services.reminders) for a
message that asked nothing of it. A recap that names none is recorded nowhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

import pandas as pd
from sqlalchemy.orm import Session

from core.period import month_period
from core.settings import Settings
from core.timeutil import utcnow
from db import queries
from metrics.reminders import OFFICE, normalize_phone, whatsapp_link
from present.recap import (
    AccountFact,
    Caps,
    ComplianceFact,
    PostFact,
    RecapFacts,
    recap_text,
    reminded_accounts,
)
from services import reminders
from services.post_review import post_review, posts_to_fix
from services.review import MonthReview, month_review

TOP = 5
CHANNEL = "whatsapp"
# a WhatsApp reminder recorded again for the same account and number within this time is a
# second click on the button (the page may have rebuilt the recap, its time, in between), not
# a second message
REPEAT_WINDOW = timedelta(minutes=10)


class UnknownOpd(LookupError):
    """No OPD has that code."""


@dataclass(frozen=True)
class OpdRecap:
    """One OPD's recap, ready to send to its admin."""

    opd_code: str
    opd_name: str
    text: str
    phone: str | None  # the admin's number as wa.me wants it; None when none is recorded
    wa_link: str | None
    # the monitored accounts the recap names as dormant or needing attention, with their
    # handles: a sent recap is recorded as a reminder of these only
    reminded: tuple[tuple[int, str], ...]

    @property
    def can_record(self) -> bool:
        """A sending can be recorded: there is a number to send to and an account to remind."""
        return self.phone is not None and bool(self.reminded)


def _int(value: object) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)  # type: ignore[call-overload]


def _float(value: object) -> float | None:
    if isinstance(value, int | float) and not math.isnan(value):
        return float(value)
    return None


def _account(row: dict[str, object]) -> AccountFact:
    return AccountFact(
        opd_name=str(row["opd_name"]),
        platform=str(row["platform"]),
        handle=str(row["handle"]),
        status=str(row["status"]),
        rank=_int(row.get("rank")),
        rank_change=_int(row.get("rank_change")),
        score=_float(row.get("score")),
        account_id=_int(row.get("account_id")),
    )


def _accounts(frame: pd.DataFrame) -> tuple[AccountFact, ...]:
    rows = frame.to_dict(orient="records")
    return tuple(_account({str(k): v for k, v in row.items()}) for row in rows)


def _compliance(rows: pd.DataFrame) -> ComplianceFact:
    """The shares of all the posts of ``rows`` (per-OPD compliance), weighted by posts."""
    posts = pd.to_numeric(rows["posts"], errors="coerce").fillna(0)
    total = int(posts.sum())
    if total <= 0:
        nan = float("nan")
        return ComplianceFact(0, nan, nan, nan)

    def share(col: str) -> float:
        return float((pd.to_numeric(rows[col], errors="coerce").fillna(0) * posts).sum() / total)

    return ComplianceFact(
        total, share("complete_pct"), 100.0 - share("within_rule_pct"), share("clean_pct")
    )


def _post(row: dict[str, object]) -> PostFact:
    url = row.get("url")
    return PostFact(
        opd_name=str(row["opd_name"]),
        platform=str(row["platform"]),
        posted_at=pd.Timestamp(row["posted_at"]).to_pydatetime(),  # type: ignore[arg-type]
        missing=tuple(row.get("missing") or ()),  # type: ignore[arg-type]
        outside_rule=bool(row.get("outside_rule")),
        typos=int(row.get("typos") or 0),  # type: ignore[call-overload]
        jargon=int(row.get("jargon") or 0),  # type: ignore[call-overload]
        no_caption=not str(row.get("caption") or "").strip(),
        url=url if isinstance(url, str) else None,
    )


def _posts(todo: pd.DataFrame) -> tuple[PostFact, ...]:
    rows = todo.head(Caps().fix).to_dict(orient="records")
    return tuple(_post({str(k): v for k, v in row.items()}) for row in rows)


def _base(review: MonthReview, settings: Settings) -> dict[str, object]:
    running = review.current.as_of < month_period(review.month, settings.tz).end
    return {
        "month": review.month,
        "as_of": review.current.as_of if running else None,
        "regency": settings.regency_name,
        "sender": f"{OFFICE} {settings.regency_name}",
        "is_demo": review.is_demo,
        "tz": settings.tz,
        "ranked_total": int(review.ranking["rank"].notna().sum()),
    }


def regency_facts(session: Session, review: MonthReview, settings: Settings) -> RecapFacts:
    """The recap of every OPD for the office's WhatsApp group."""
    ranked = review.ranking[review.ranking["rank"].notna()].sort_values("rank")
    todo = posts_to_fix(post_review(session, review.month, settings))
    return RecapFacts(
        **_base(review, settings),  # type: ignore[arg-type]
        status_counts=dict(review.current.status_counts),
        accounts=(),
        compliance=_compliance(review.compliance),
        posts_to_fix=_posts(todo),
        posts_to_fix_total=len(todo),
        dormant=_accounts(review.dormant),
        top=_accounts(ranked.head(TOP)),
        movers_up=_accounts(review.movers_up),
        movers_down=_accounts(review.movers_down),
    )


def opd_choices(review: MonthReview) -> dict[str, str]:
    """OPD code → name of the OPDs with a monitored account, by name: the per-OPD recap's
    choice."""
    opds = review.ranking[["opd_code", "opd_name"]].drop_duplicates("opd_code")
    opds = opds.sort_values(["opd_name", "opd_code"])
    return {str(c): str(n) for c, n in zip(opds["opd_code"], opds["opd_name"], strict=True)}


def find_opd(session: Session, opd_code: str) -> dict[str, object]:
    """The OPD with that code (any case), as opds_frame's row; :class:`UnknownOpd` if none."""
    opds = queries.opds_frame(session)
    found = opds[opds["opd_code"].str.casefold() == opd_code.strip().casefold()]
    if found.empty:
        raise UnknownOpd(opd_code)
    return {str(k): v for k, v in found.iloc[0].to_dict().items()}


def opd_facts(
    session: Session, review: MonthReview, settings: Settings, opd: dict[str, object]
) -> RecapFacts:
    """The recap of one OPD for its admin: nothing of another OPD is in it."""
    mine = review.ranking[review.ranking["opd_code"] == opd["opd_code"]]
    mine = mine.sort_values(["rank", "platform", "handle"], na_position="last")
    todo = posts_to_fix(post_review(session, review.month, settings, opd_id=int(opd["opd_id"])))  # type: ignore[call-overload]
    statuses = mine["status"].value_counts()
    return RecapFacts(
        **_base(review, settings),  # type: ignore[arg-type]
        status_counts={str(k): int(v) for k, v in statuses.items()},
        accounts=_accounts(mine),
        compliance=_compliance(review.compliance[review.compliance["opd_code"] == opd["opd_code"]]),
        posts_to_fix=_posts(todo),
        posts_to_fix_total=len(todo),
        opd_name=str(opd["opd_name"]),
    )


def regency_recap(session: Session, review: MonthReview, settings: Settings) -> str:
    """The recap text of every OPD for a month already reviewed."""
    return recap_text(regency_facts(session, review, settings))


def month_recap(session: Session, month: str, settings: Settings) -> str:
    """The recap text of every OPD for ``month`` (YYYY-MM)."""
    return regency_recap(session, month_review(session, month, settings), settings)


def opd_recap(session: Session, review: MonthReview, settings: Settings, opd_code: str) -> OpdRecap:
    """One OPD's recap with the wa.me link that opens it in WhatsApp to its admin."""
    opd = find_opd(session, opd_code)
    facts = opd_facts(session, review, settings, opd)
    text = recap_text(facts)
    raw_phone = opd.get("admin_phone")
    phone = normalize_phone(raw_phone if isinstance(raw_phone, str) else None)
    monitored = set(queries.accounts_frame(session, active_only=True)["account_id"].astype(int))
    reminded = tuple(
        (a.account_id, a.handle)
        for a in reminded_accounts(facts)
        if a.account_id is not None and a.account_id in monitored
    )
    return OpdRecap(
        opd_code=str(opd["opd_code"]),
        opd_name=str(opd["opd_name"]),
        text=text,
        phone=phone,
        wa_link=whatsapp_link(phone, text),
        reminded=reminded,
    )


def _recorded_lately(session: Session, recap: OpdRecap) -> set[int]:
    """The accounts with a WhatsApp reminder to the recap's number within REPEAT_WINDOW."""
    sent = queries.reminders_frame(session)
    same = sent[
        (sent["channel"] == CHANNEL)
        & (sent["recipient"] == recap.phone)
        & (sent["created_at"] >= utcnow() - REPEAT_WINDOW)
    ]
    return {int(i) for i in same["account_id"]}


def record_recap_sent(session: Session, recap: OpdRecap, created_by: str) -> int:
    """Record that the recap went to the OPD's admin by WhatsApp, through the reminder path:
    one reminder per account it names as dormant or needing attention, none without the
    admin's number, none again for an account reminded at that number within REPEAT_WINDOW
    (a double click); commits; returns how many were recorded."""
    if not recap.can_record:
        return 0
    already = _recorded_lately(session, recap)
    todo = [account_id for account_id, _ in recap.reminded if account_id not in already]
    reminders.record(session, todo, CHANNEL, recap.phone, recap.text, created_by)
    session.commit()
    return len(todo)
