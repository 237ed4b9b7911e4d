"""The alerts use case (Peringatan): run the checks and raise what is new, list the open
alerts, acknowledge them, and mail the queued ones.

The rules are :mod:`metrics.alerts`; storage is :mod:`db.alerts`. An alert is raised once (its
key names the event), stays listed on Ringkasan until someone marks it read, and waits with
mail status ``queued`` until the worker mails it to ``PANTAU_REPORT_RECIPIENTS`` (SMTP
configured) or someone acknowledges it first (``cancelled``). Only alerts raised in the last
:data:`MAIL_WITHIN` are mailed; older queued ones are cancelled unmailed. Mail is claimed
before sending, so nothing is sent twice; a refused mail is retried up to
:data:`MAX_MAIL_ATTEMPTS` times. Alerts of accounts no longer watched are neither listed nor
mailed.

The worker raises alerts every hour. "The worker is silent" cannot come from a silent worker,
so :func:`check_worker_silence` (one small query and at most one insert) also runs when the
dashboard or ``cli.py alerts`` lists the alerts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from core import fmt
from core.mailer import Mailer, MailError
from core.settings import Settings
from core.timeutil import utcnow
from db import alerts as store
from db import queries
from metrics import alerts as rules
from metrics.alerts import KINDS, AlertRules
from metrics.engagement import post_interactions
from present.alerts import KIND_LABELS
from present.labels import PLATFORM_LABELS
from services.collection_health import results_since_last_success
from services.connection_states import EXPIRED, EXPIRING, connection_states
from services.reminders import MailResult
from services.worker_state import STALE_INTERVALS, worker_state

MAX_MAIL_ATTEMPTS = 3
MAIL_WITHIN = timedelta(hours=24)  # news by mail; an older alert waits on Ringkasan only
SNAPSHOT_DAYS = rules.LANDSCAPE_DAYS + 10  # a post's follower count may be older than it
CLI_COLUMNS = ["id", "raised_at", "kind", "opd_code", "platform", "handle", "reason",
               "mail_status"]  # fmt: skip


@dataclass(frozen=True)
class RaisedAlert:
    key: str
    kind: str
    account_id: int | None
    post_id: int | None
    reason: str


def alert_rules(settings: Settings) -> AlertRules:
    pct, least, z = settings.alert_thresholds()
    return AlertRules(follower_drop_pct=pct, follower_drop_min=least, breakout_z=z)


def _breakouts(
    session: Session, accounts: pd.DataFrame, settings: Settings, now: datetime
) -> pd.DataFrame:
    start = now - timedelta(days=rules.LANDSCAPE_DAYS)
    posts = store.posts_since(session, start)
    posts = posts.merge(accounts[["account_id", "platform"]], on="account_id")
    posts["interactions"] = post_interactions(posts)
    snapshots = queries.snapshots_frame(session, start=now - timedelta(days=SNAPSHOT_DAYS))
    return rules.breakout_alerts(
        posts, snapshots, accounts, now, alert_rules(settings), PLATFORM_LABELS, settings.tz
    )


def last_drop_days(session: Session, now: datetime) -> dict[int, date]:
    """Per account, the day of its newest follower-drop alert of the last 8 days (from keys
    ``follower_drop:<account>:<day>``)."""
    since = now - timedelta(days=rules.DROP_DAYS + rules.DROP_SLACK_DAYS)
    out: dict[int, date] = {}
    for key in store.keys_since(session, rules.FOLLOWER_DROP, since):
        _, account, day = key.split(":")
        out[int(account)] = max(out.get(int(account), date.min), date.fromisoformat(day))
    return out


def _follower_drops(
    session: Session, accounts: pd.DataFrame, settings: Settings, now: datetime
) -> pd.DataFrame:
    span = rules.DROP_DAYS + rules.DROP_SLACK_DAYS + rules.LATEST_SLACK_DAYS + 1
    snapshots = queries.snapshots_frame(session, start=now - timedelta(days=span))
    today = pd.Timestamp(now).tz_convert(settings.tz).date()
    return rules.follower_drop_alerts(
        snapshots, accounts, today, alert_rules(settings), last_drop_days(session, now),
        PLATFORM_LABELS, settings.tz,
    )  # fmt: skip


def _tokens(session: Session, settings: Settings, now: datetime) -> pd.DataFrame:
    states = connection_states(session, None, now)
    due = states[states["active"].astype(bool) & states["state"].isin([EXPIRING, EXPIRED])]
    return rules.token_alerts(due, now, PLATFORM_LABELS, settings.tz)


def _raise(session: Session, found: pd.DataFrame, now: datetime) -> list[RaisedAlert]:
    """Store the new ones, commit, and return them."""
    rows = [{str(k): v for k, v in r.items()} for r in found.to_dict(orient="records")]
    raised = set(store.raise_new(session, rows, now))
    session.commit()
    return [
        RaisedAlert(str(r["key"]), str(r["kind"]), store.id_of(r["account_id"]),
                    store.id_of(r["post_id"]), str(r["reason"]))
        for r in rows
        if r["key"] in raised
    ]  # fmt: skip


def candidates(session: Session, settings: Settings, now: datetime) -> pd.DataFrame:
    """Every alert the rules find now, raised before or not (see :mod:`metrics.alerts`), the
    weightier first: what stops the data (the worker, an account gone, a connection ending)
    before a follower drop, and breakouts last, strongest first. They are stored in this order
    and listed in it within one check."""
    accounts = queries.accounts_frame(session, active_only=True)
    results = results_since_last_success(session)
    found = [
        worker_silence(session, settings, now),
        rules.gone_alerts(results, accounts, PLATFORM_LABELS, settings.tz),
        _tokens(session, settings, now),
        _follower_drops(session, accounts, settings, now),
        _breakouts(session, accounts, settings, now),
    ]
    return pd.concat([f for f in found if not f.empty] or [found[0]], ignore_index=True)


def check_alerts(session: Session, settings: Settings, now: datetime) -> list[RaisedAlert]:
    """Run every check; store and return the alerts that are new (commits)."""
    return _raise(session, candidates(session, settings, now), now)


def worker_silence(session: Session, settings: Settings, now: datetime) -> pd.DataFrame:
    """The worker-silence rule on the stored lease and jobs: no heartbeat, or no successful
    collection job, for longer than two collection intervals (the banner's limit)."""
    state = worker_state(session, settings, now)
    limit = STALE_INTERVALS * state.interval
    collect = state.jobs[state.jobs["job_id"].astype(str).str.startswith("collect:")]
    moments = [pd.Timestamp(collect["last_success_at"].max())]
    if state.lease is not None:
        moments.append(pd.Timestamp(state.lease.started_at))
    known = [m.to_pydatetime() for m in moments if not pd.isna(m)]
    last_pass = max(known) if known else None
    return rules.worker_silence(state.last_seen, last_pass, now, limit, settings.tz)


def check_worker_silence(session: Session, settings: Settings, now: datetime) -> list[RaisedAlert]:
    """Only the worker-silence check (cheap; run whenever alerts are listed). Commits."""
    return _raise(session, worker_silence(session, settings, now), now)


def open_alerts(
    session: Session, include_acknowledged: bool = False, kinds: Sequence[str] = KINDS
) -> pd.DataFrame:
    """Alerts not yet acknowledged (all with ``include_acknowledged``) of the given kinds and
    of watched accounts, newest raise first and within one check the weightier first, with
    their OPD, platform, account and post address (:data:`db.alerts.LIST_COLUMNS`)."""
    frame = store.alerts_frame(session, include_acknowledged)
    return frame[frame["kind"].isin(list(kinds))].reset_index(drop=True)


def acknowledge(
    session: Session, alert_ids: int | Sequence[int], username: str, now: datetime
) -> int:
    """Mark alerts read by ``username``; returns how many were still open. Commits."""
    ids = [alert_ids] if isinstance(alert_ids, int) else list(alert_ids)
    done = store.acknowledge(session, ids, username, now)
    session.commit()
    return done


def mail_subject(kind: str) -> str:
    return f"Peringatan Pantau: {KIND_LABELS.get(kind, kind)}"


def mail_body(reason: str, raised_at: datetime, settings: Settings) -> str:
    return (
        f"{reason}\n\nPeringatan ini muncul pada {fmt.date_time(raised_at, settings.tz)}. "
        "Buka halaman Ringkasan di dasbor Pantau dan tandai sudah dibaca setelah "
        f"ditindaklanjuti.\n\nPantau, {settings.regency_name}"
    )


def mail_queued_alerts(session: Session, settings: Settings, mailer: Mailer) -> MailResult:
    """Mail each queued alert raised in the last :data:`MAIL_WITHIN` once to
    ``PANTAU_REPORT_RECIPIENTS``, one mail per alert; a refused one is retried on later runs up
    to :data:`MAX_MAIL_ATTEMPTS`, then marked failed. Older queued alerts are cancelled first,
    mailed never (a first run, or SMTP set up months later, sends no backlog). Without SMTP or
    a recipient nothing is sent and the fresh alerts stay queued."""
    store.cancel_stale_mail(session, utcnow() - MAIL_WITHIN)
    session.commit()
    recipients = settings.report_recipient_list()
    if not (mailer.configured and recipients):
        return MailResult()
    sent = retry = failed = 0
    for alert in store.queued_for_mail(session):
        alert_id, kind, reason, raised_at = alert.id, alert.kind, alert.reason, alert.raised_at
        if not store.claim_mail(session, alert_id):
            continue  # another sender took it, or someone acknowledged it meanwhile
        try:
            mailer.send(recipients, mail_subject(kind), mail_body(reason, raised_at, settings))
        except MailError as exc:
            session.refresh(alert)  # the claim counted this attempt
            status = store.FAILED if alert.mail_attempts >= MAX_MAIL_ATTEMPTS else store.QUEUED
            store.finish_mail(session, alert_id, status, error=str(exc))
            session.commit()
            failed, retry = failed + (status == store.FAILED), retry + (status == store.QUEUED)
            continue
        store.finish_mail(session, alert_id, store.SENT, when=utcnow())
        session.commit()
        sent += 1
    return MailResult(sent, retry, failed)


def cli_table(frame: pd.DataFrame, settings: Settings, everything: bool = False) -> pd.DataFrame:
    """The rows ``cli.py alerts`` prints: times in local time as ISO 8601 with the offset."""
    out = frame.rename(columns={"alert_id": "id"})
    out["raised_at"] = [_local_iso(t, settings) for t in out["raised_at"]]
    columns = list(CLI_COLUMNS)
    if everything:
        out["acknowledged_at"] = [
            None if pd.isna(t) else _local_iso(t, settings) for t in out["acknowledged_at"]
        ]
        columns += ["acknowledged_at", "acknowledged_by"]
    return out[columns].reset_index(drop=True)


def _local_iso(moment: pd.Timestamp, settings: Settings) -> str:
    return moment.tz_convert(settings.tz).isoformat(timespec="seconds")
