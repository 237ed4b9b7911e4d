"""The DuckDB side of the ranking benchmark: the same month's aggregation of the raw rows
(split from bench/bench_ranking.py)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from core.period import month_period
from core.settings import Settings
from db import queries

WEEK_SECONDS = 7 * 86_400


# --- DuckDB ---------------------------------------------------------------------------------

POSTS_SQL = "SELECT account_id, posted_at, interactions, views, caption_score FROM posts"
SNAPSHOTS_SQL = "SELECT account_id, observed_at, followers FROM follower_snapshots"


def load_duckdb(path: Path) -> tuple[duckdb.DuckDBPyConnection, dict[str, int], float]:
    """Every post and snapshot of the SQLite file as native in-memory DuckDB tables."""
    start = time.perf_counter()
    con = duckdb.connect()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        posts = pd.read_sql_query(POSTS_SQL, source)
        snaps = pd.read_sql_query(SNAPSHOTS_SQL, source)
    finally:
        source.close()
    con.register("posts_src", posts)
    con.register("snaps_src", snaps)
    con.execute(
        "CREATE TABLE posts AS SELECT CAST(account_id AS INTEGER) AS account_id, "
        "CAST(posted_at AS TIMESTAMP) AS posted_at, CAST(interactions AS BIGINT) AS "
        "interactions, CAST(views AS BIGINT) AS views, CAST(caption_score AS DOUBLE) AS "
        "caption_score FROM posts_src"
    )
    con.execute(
        "CREATE TABLE snapshots AS SELECT CAST(account_id AS INTEGER) AS account_id, "
        "CAST(observed_at AS TIMESTAMP) AS observed_at, CAST(followers AS BIGINT) AS "
        "followers FROM snaps_src"
    )
    con.unregister("posts_src")
    con.unregister("snaps_src")
    loaded = {"posts": len(posts), "snapshots": len(snaps)}
    return con, loaded, time.perf_counter() - start


@dataclass(frozen=True)
class MonthBounds:
    month: str
    start: datetime  # naive UTC, as the SQLite file stores instants
    end: datetime


def month_bounds_utc(month: str, settings: Settings) -> MonthBounds:
    period = month_period(month, settings.tz)
    naive = (period.start.astimezone(UTC).replace(tzinfo=None), period.end.astimezone(UTC))
    return MonthBounds(month, naive[0], naive[1].replace(tzinfo=None))


def ranked_months(month: str, settings: Settings) -> list[MonthBounds]:
    """The ranked month, the month before (also ranked) and the one before that (growth)."""
    months = [month_period(month, settings.tz)]
    for _ in range(2):
        months.append(months[-1].previous(settings.tz))
    return [month_bounds_utc(p.month, settings) for p in reversed(months)]


def _ts(moment: datetime) -> str:
    return f"TIMESTAMP '{moment:%Y-%m-%d %H:%M:%S}'"


def duckdb_sql(months: Sequence[MonthBounds]) -> str:
    """Per account and month what the ranking reads, from the raw rows, in one query."""
    first, ranked = months[0], months[1:]
    label = " ".join(
        f"WHEN posted_at < {_ts(m.end)} THEN '{m.month}'" for m in months
    )  # rows are filtered to [first.start, last.end) below
    week = " ".join(
        f"WHEN posted_at < {_ts(m.end)} THEN "
        f"least(floor(epoch(posted_at - {_ts(m.start)}) / {WEEK_SECONDS}), 4)"
        for m in months
    )
    snap_label = label.replace("posted_at", "observed_at")
    history = ",\n".join(
        f"max(posted_at) FILTER (WHERE posted_at < {_ts(m.end)}) AS last_{i}, "
        f"count(*) FILTER (WHERE posted_at < {_ts(m.end)}) AS total_{i}"
        for i, m in enumerate(ranked)
    )
    history_rows = " UNION ALL ".join(
        f"SELECT account_id, '{m.month}' AS month, last_{i} AS history_last_posted_at, "  # noqa: S608
        f"total_{i} AS posts_total FROM hist"
        for i, m in enumerate(ranked)
    )
    last = months[-1].end
    viewed = "interactions IS NOT NULL AND views IS NOT NULL"
    # every interpolated value is a month label or a timestamp made here, never user input
    return f"""
WITH p AS (
  SELECT account_id, CASE {label} END AS month, CASE {week} END AS week,
         interactions, views, caption_score, posted_at
  FROM posts WHERE posted_at >= {_ts(first.start)} AND posted_at < {_ts(last)}
),
post_totals AS (
  SELECT account_id, month, count(*) AS posts, count(interactions) AS rated_posts,
         coalesce(sum(interactions), 0) AS interactions,
         count(*) FILTER (WHERE {viewed}) AS viewed_posts,
         coalesce(sum(views) FILTER (WHERE {viewed}), 0) AS views,
         coalesce(sum(interactions) FILTER (WHERE {viewed}), 0) AS view_interactions,
         count(caption_score) AS caption_scored,
         coalesce(sum(caption_score), 0) AS caption_score_sum,
         count(DISTINCT week) AS active_weeks, max(posted_at) AS last_posted_at
  FROM p GROUP BY account_id, month
),
snap_totals AS (
  SELECT account_id, CASE {snap_label} END AS month, count(*) AS snapshots,
         avg(followers) AS followers_mean,
         arg_min(followers, observed_at) AS followers_first, min(observed_at) AS first_at,
         arg_max(followers, observed_at) AS followers_last, max(observed_at) AS last_at
  FROM snapshots
  WHERE observed_at >= {_ts(first.start)} AND observed_at < {_ts(last)}
    AND followers IS NOT NULL
  GROUP BY ALL
),
hist AS (
  SELECT account_id, {history} FROM posts GROUP BY account_id
),
history AS ({history_rows})
SELECT * FROM post_totals
FULL OUTER JOIN snap_totals USING (account_id, month)
LEFT JOIN history USING (account_id, month)
"""  # noqa: S608


def time_duckdb(
    con: duckdb.DuckDBPyConnection, sql: str, repeats: int
) -> tuple[list[float], pd.DataFrame]:
    times: list[float] = []
    frame = pd.DataFrame()
    for attempt in range(repeats + 1):
        start = time.perf_counter()
        frame = con.execute(sql).df()
        elapsed = time.perf_counter() - start
        if attempt:
            times.append(elapsed)
    return times, frame


def agreement(factory: sessionmaker[Session], duck: pd.DataFrame, month: str) -> str:
    """Does DuckDB's aggregation of the raw rows match Pantau's pre-aggregates for the month?"""
    with factory() as session:
        stored = queries.month_aggregates(session, [month])
    counts = ["posts", "rated_posts", "interactions", "active_weeks"]  # no row: 0 posts
    cols = [*counts, "followers_last"]
    ours = stored[["account_id", *cols]]
    theirs = duck.loc[duck["month"] == month, ["account_id", *cols]]
    joined = ours.merge(theirs, on="account_id", how="outer", suffixes=("_pantau", "_duckdb"))
    same = pd.Series(True, index=joined.index)
    for col in cols:
        fill = 0 if col in counts else -1
        a = joined[f"{col}_pantau"].astype("Float64").fillna(fill)
        b = joined[f"{col}_duckdb"].astype("Float64").fillna(fill)
        same &= (a == b).astype(bool)
    return (
        f"month {month}: DuckDB's aggregation of the raw rows equals Pantau's account_months "
        f"({', '.join(cols)}) for {int(same.sum())}/{len(joined)} accounts"
    )
