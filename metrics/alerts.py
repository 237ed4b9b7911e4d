"""Alerts (Peringatan): which events deserve telling, as pure rules over DataFrames.

Every rule returns rows of :data:`ALERT_COLUMNS`: a ``key`` that names the event (so the same
event is raised once however often the check runs), the kind, the account and post it is
about, and the reason, a plain Indonesian sentence naming the OPD, platform, account and the
figure. The formulas and worked examples are in docs/metrics.md, section "Peringatan".

* **breakout**: a post of the last :data:`RECENT_DAYS` days whose engagement rate
  (interactions / followers at posting × 100) has a robust z-score
  (:func:`metrics.outliers.breakouts`) of at least ``breakout_z`` among the rated posts of the
  same platform of the last :data:`LANDSCAPE_DAYS` days (at least :data:`MIN_LANDSCAPE` of
  them); strongest first.
* **follower_drop**: the newest known follower count (of today or yesterday) is at least
  ``follower_drop_pct`` % and ``follower_drop_min`` followers below the count 7 days earlier (8
  when that day's count is missing); once per account per 7 days.
* **gone**: the newest attempt to read an account failed as not found (also: not a professional
  account, or its data may not be read); once per streak of such failures.
* **token_expiring**: an owner's connection expires within 7 days, or has expired.
* **worker_silent**: no heartbeat for longer than the limit, or a worker that beats but has
  finished no collection pass for that long.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from core import fmt
from core.timeutil import to_local
from metrics.outliers import breakouts

BREAKOUT, FOLLOWER_DROP, GONE = "breakout", "follower_drop", "gone"
TOKEN_EXPIRING, WORKER_SILENT = "token_expiring", "worker_silent"
KINDS = (BREAKOUT, FOLLOWER_DROP, GONE, TOKEN_EXPIRING, WORKER_SILENT)
ALERT_COLUMNS = ["key", "kind", "account_id", "post_id", "reason"]
LANDSCAPE_DAYS = 30  # the posts a breakout is measured against
RECENT_DAYS = 7  # a breakout is news: a post of last week, not one raised weeks after it
MIN_LANDSCAPE = 10  # fewer rated posts on a platform say nothing about what is usual
DROP_DAYS = 7
DROP_SLACK_DAYS = 1  # the count 7 days back may be missing: the day before it stands in
LATEST_SLACK_DAYS = 1  # the newest known count must be of today or yesterday
NOT_FOUND = "not_found"  # collectors' error class of a missing, personal or closed account
OK, FAILED = "ok", "failed"
_CHANNEL_ID = re.compile(r"UC[A-Za-z0-9_-]{22}")


@dataclass(frozen=True)
class AlertRules:
    """The thresholds the office may change (Pengaturan, ``PANTAU_ALERT_*``)."""

    follower_drop_pct: float = 10.0
    follower_drop_min: int = 50
    breakout_z: float = 10.0


def handle_text(platform: str, handle: str) -> str:
    """``@dinkes.sintang``; a website's address and a YouTube channel id stay as they are."""
    if platform == "website" or handle.startswith("@") or _CHANNEL_ID.fullmatch(handle):
        return handle
    return f"@{handle}"


def account_label(row: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """``@dinkes.sintang (Instagram, Dinas Kesehatan)`` from opd_name, platform, handle."""
    platform = str(row["platform"])
    name = names.get(platform, platform)
    return f"{handle_text(platform, str(row['handle']))} ({name}, {row['opd_name']})"


def stamp(moment: datetime | pd.Timestamp) -> str:
    """An instant as it appears in a key: UTC, ISO 8601 to the second."""
    return pd.Timestamp(moment).tz_convert("UTC").isoformat(timespec="seconds")


def _alerts(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ALERT_COLUMNS)


def _alert(
    kind: str, event: str, reason: str, account: Any = None, post: Any = None
) -> dict[str, Any]:
    """One row: the key is the kind and the event (``breakout:812``)."""
    return {"key": f"{kind}:{event}", "kind": kind, "account_id": account, "post_id": post,
            "reason": reason}  # fmt: skip


def _named(frame: pd.DataFrame, accounts: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``frame`` for the accounts listed (opd_name, platform, handle), as records."""
    info = accounts[["account_id", "opd_name", "platform", "handle"]]
    return _records(frame.drop(columns=["platform"], errors="ignore").merge(info, on="account_id"))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")]


def post_engagement_rates(posts: pd.DataFrame, snapshots: pd.DataFrame) -> pd.DataFrame:
    """Adds followers_at_post (the newest known count at or before the post) and
    engagement_rate (interactions / followers_at_post × 100; NaN when either is unknown)."""
    ordered = posts.astype({"posted_at": "datetime64[us, UTC]"}).sort_values("posted_at")
    known = snapshots.dropna(subset=["followers"])
    if known.empty or ordered.empty:
        ordered["followers_at_post"] = np.nan
    else:
        right = known[["account_id", "observed_at", "followers"]].astype(
            {"observed_at": "datetime64[us, UTC]", "followers": "float64", "account_id": "int64"}
        )
        matched = pd.merge_asof(
            ordered[["posted_at", "account_id"]].astype({"account_id": "int64"}),
            right.sort_values("observed_at"),
            left_on="posted_at", right_on="observed_at", by="account_id", direction="backward",
        )  # fmt: skip
        ordered["followers_at_post"] = matched["followers"].to_numpy()
    followers = ordered["followers_at_post"].astype("float64")
    rate = ordered["interactions"].astype("float64") / followers.where(followers > 0) * 100
    return ordered.assign(engagement_rate=rate.to_numpy())


def breakout_alerts(
    posts: pd.DataFrame,
    snapshots: pd.DataFrame,
    accounts: pd.DataFrame,
    now: datetime,
    rules: AlertRules,
    names: Mapping[str, str],
    tz: ZoneInfo,
) -> pd.DataFrame:
    """Breakout posts. ``posts`` (post_id, account_id, platform, posted_at, interactions): at
    least those of the last :data:`LANDSCAPE_DAYS` days; ``snapshots``: the follower counts
    from before the first of them."""
    start = pd.Timestamp(now) - pd.Timedelta(days=LANDSCAPE_DAYS)
    landscape = posts[(posts["posted_at"] >= start) & (posts["posted_at"] <= pd.Timestamp(now))]
    rated = post_engagement_rates(landscape, snapshots).dropna(subset=["engagement_rate"])
    sizes = rated.groupby("platform")["engagement_rate"].transform("size")
    rated = rated[sizes >= MIN_LANDSCAPE]
    medians = rated.groupby("platform")["engagement_rate"].median()
    found = breakouts(rated, threshold=rules.breakout_z)
    found = found[np.isfinite(found["z"])]  # a MAD of 0 says nothing about how far
    recent = pd.Timestamp(now) - pd.Timedelta(days=RECENT_DAYS)
    found = found[found["posted_at"] >= recent].sort_values("z", ascending=False)
    rows = []
    for row in _named(found, accounts):
        platform = str(row["platform"])
        reason = (
            f"Unggahan {account_label(row, names)} pada "
            f"{fmt.date_time(pd.Timestamp(row['posted_at']).to_pydatetime(), tz)} menonjol: "
            f"tingkat interaksinya {fmt.percent(float(row['engagement_rate']), 1)} dari "
            f"jumlah pengikut, jauh di atas median {names.get(platform, platform)} "
            f"{LANDSCAPE_DAYS} hari terakhir ({fmt.percent(float(medians[platform]), 1)}); "
            f"skor z {fmt.number(float(row['z']), 1)}."
        )
        rows.append(
            _alert(BREAKOUT, str(row["post_id"]), reason, row["account_id"], row["post_id"])
        )
    return _alerts(rows)


def daily_counts(snapshots: pd.DataFrame, tz: ZoneInfo) -> pd.DataFrame:
    """account_id, day (local date), followers: the newest known count of each local day
    (hidden counts are skipped, so a day with only a hidden count has none)."""
    known = snapshots.dropna(subset=["followers"]).sort_values("observed_at")
    days = known["observed_at"].dt.tz_convert(tz).dt.date
    out = known.assign(day=days).drop_duplicates(["account_id", "day"], keep="last")
    return out[["account_id", "day", "followers"]]


def _drop_row(by_day: Mapping[date, int], today: date) -> tuple[date, date] | None:
    """(day of the newest count, day it is compared with), or None when either is missing."""
    latest = max(by_day)
    if (today - latest).days > LATEST_SLACK_DAYS:
        return None
    for back in range(DROP_DAYS, DROP_DAYS + DROP_SLACK_DAYS + 1):
        if latest - timedelta(days=back) in by_day:
            return latest, latest - timedelta(days=back)
    return None


def follower_drop_alerts(
    snapshots: pd.DataFrame,
    accounts: pd.DataFrame,
    today: date,
    rules: AlertRules,
    last_raised: Mapping[int, date],
    names: Mapping[str, str],
    tz: ZoneInfo,
) -> pd.DataFrame:
    """Sharp follower drops. ``last_raised``: per account, the day of its newest drop alert
    (a drop stays visible for 7 days in the comparison and must not be raised every day)."""
    rows = []
    daily = daily_counts(snapshots, tz)
    for account_id, group in daily.groupby("account_id"):
        by_day = dict(zip(group["day"], group["followers"].astype(int), strict=True))
        days = _drop_row(by_day, today)
        if days is None:
            continue
        latest, base_day = days
        previous = last_raised.get(int(str(account_id)))
        if previous is not None and (latest - previous).days < DROP_DAYS:
            continue
        base, now_count = by_day[base_day], by_day[latest]
        drop = base - now_count
        if base <= 0 or drop < rules.follower_drop_min:
            continue
        pct = drop / base * 100
        if pct < rules.follower_drop_pct:
            continue
        rows.append({"account_id": account_id, "day": latest, "pct": pct, "base": base,
                     "count": now_count, "span": (latest - base_day).days})  # fmt: skip
    out = []
    for row in _named(pd.DataFrame(rows, columns=["account_id", "day", "pct", "base", "count",
                                                  "span"]), accounts):  # fmt: skip
        reason = (
            f"Pengikut {account_label(row, names)} turun {fmt.percent(float(row['pct']), 1)} "
            f"dalam {row['span']} hari: dari {fmt.number(row['base'])} menjadi "
            f"{fmt.number(row['count'])}."
        )
        out.append(
            _alert(FOLLOWER_DROP, f"{row['account_id']}:{row['day']}", reason, row["account_id"])
        )
    return _alerts(out)


def _streak_start(tries: pd.DataFrame) -> pd.Timestamp | None:
    """When the account's current not-found failures began, or None when its newest attempt
    did not fail as not found. ``tries``: one account's ok/failed attempts, newest first."""
    newest = tries.iloc[0]
    if newest["status"] != FAILED or newest["error_class"] != NOT_FOUND:
        return None
    ok_times = tries.loc[tries["status"] == OK, "started_at"]
    since_ok = tries[tries["started_at"] > ok_times.max()] if len(ok_times) else tries
    return pd.Timestamp(since_ok.loc[since_ok["error_class"] == NOT_FOUND, "started_at"].min())


def gone_alerts(
    results: pd.DataFrame, accounts: pd.DataFrame, names: Mapping[str, str], tz: ZoneInfo
) -> pd.DataFrame:
    """Accounts whose newest attempt failed as not found. ``results``: account_id,
    started_at, status, error_class, message (at least every attempt since the account's last
    success). A skipped attempt did not read the account and counts for nothing; a passing
    failure of another kind inside the streak does not start a new one."""
    tries = results[results["status"].isin([OK, FAILED])]
    tries = tries.sort_values(["account_id", "started_at"], ascending=[True, False])
    rows = []
    for account_id, group in tries.groupby("account_id", sort=False):
        start = _streak_start(group)
        if start is not None:
            message = group.iloc[0]["message"]
            rows.append({"account_id": account_id, "start": start,
                         "message": message if isinstance(message, str) else ""})  # fmt: skip
    out = []
    for row in _named(pd.DataFrame(rows, columns=["account_id", "start", "message"]), accounts):
        start = pd.Timestamp(row["start"])
        reason = (
            f"Akun {account_label(row, names)} tidak dapat dibaca sejak "
            f"{fmt.date_time(start.to_pydatetime(), tz)}. {row['message']}"
        ).strip()
        out.append(_alert(GONE, f"{row['account_id']}:{stamp(start)}", reason, row["account_id"]))
    return _alerts(out)


def days_left_text(now: datetime, until: datetime, tz: ZoneInfo) -> str:
    """'hari ini', 'besok' or '3 hari lagi', by local calendar dates."""
    days = fmt.calendar_days(now, until, tz)
    if days <= 0:
        return "hari ini"
    return "besok" if days == 1 else f"{fmt.number(days)} hari lagi"


def token_alerts(
    connections: pd.DataFrame, now: datetime, names: Mapping[str, str], tz: ZoneInfo
) -> pd.DataFrame:
    """``connections``: the accounts whose owner's connection expires soon or has expired
    (account_id, opd_name, platform, handle, usable_until); one alert per expiry date."""
    out = []
    for row in _records(connections.dropna(subset=["usable_until"])):
        until = pd.Timestamp(row["usable_until"]).to_pydatetime()
        when = fmt.date_time(until, tz)
        if until <= now:
            state = f"sudah berakhir sejak {when}"
        else:
            state = f"akan berakhir pada {when} ({days_left_text(now, until, tz)})"
        reason = (
            f"Sambungan {account_label(row, names)} dengan Pantau {state}. Minta admin OPD "
            "menyambungkan ulang akun ini di halaman Sambungkan Akun agar pengambilan datanya "
            "tidak terhenti."
        )
        day = to_local(until, tz).date().isoformat()
        out.append(_alert(TOKEN_EXPIRING, f"{row['account_id']}:{day}", reason, row["account_id"]))
    return _alerts(out)


def worker_silence(
    last_beat: datetime | None,
    last_pass: datetime | None,
    now: datetime,
    limit: timedelta,
    tz: ZoneInfo,
) -> pd.DataFrame:
    """The worker silent: no heartbeat for longer than ``limit`` (keyed by the last beat), or
    beating without a finished collection pass for that long. ``last_pass``: the newest
    successful collection job, or when the worker started if later (None: never ran)."""
    rows = []
    if last_beat is not None and now - last_beat > limit:
        reason = (
            "Proses otomatis terjadwal tidak berjalan sejak "
            f"{fmt.date_time(last_beat, tz)}. Data tidak diperbarui dan jumlah pengikut harian "
            "yang terlewat tidak bisa diambil kembali. Mohon hubungi admin server."
        )
        rows.append(_alert(WORKER_SILENT, stamp(last_beat), reason))
    elif last_beat is not None and last_pass is not None and now - last_pass > limit:
        reason = (
            "Proses otomatis terjadwal berjalan, tetapi tidak ada putaran pengambilan data yang "
            f"selesai sejak {fmt.date_time(last_pass, tz)}. Periksa halaman Status Pengambilan "
            "Data; bila tetap begitu, mohon hubungi admin server."
        )
        rows.append(_alert(WORKER_SILENT, f"collect:{stamp(last_pass)}", reason))
    return _alerts(rows)
