"""Kinerja OPD Saya in words, tables and one chart: what the page and the one-page PDF show.

Pure: the input is :class:`services.opd_performance.OpdPerformance`'s parts (plain values and
DataFrames), the output Indonesian text, so it is tested without Streamlit. Numbers and dates
go through :mod:`core.fmt`; times are local, in the zone given (``settings.tz``), labelled
WIB, WITA or WIT. The chosen month is named, never "bulan ini": it may be a past one.
"""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.graph_objects as go

from core import fmt
from present.charts import PALETTE, house_layout, month_label
from present.labels import STATUS_LABELS, platform_label
from present.tables import Column, TableView

UNRANKED_WHY = {"unreadable": "tidak terbaca", "no_data": "belum ada data"}
POSTS_TREND = "Unggahan 6 bulan"
SCORE_TREND = "Indeks 6 bulan"


def more_text(total: int, shown: int) -> str:
    """'… dan 7 lainnya' under a list cut at ``shown`` rows; '' when nothing was left out."""
    rest = total - shown
    return f"… dan {fmt.number(rest)} lainnya" if rest > 0 else ""


# ---- ranks ----------------------------------------------------------------------------------


def rank_text(rank: object, count: int, noun: str) -> str:
    """'peringkat 5 dari 46 OPD'; 'belum diberi peringkat' when there is no place."""
    if fmt.is_missing(rank):
        return "belum diberi peringkat"
    return f"peringkat {fmt.number(int(rank))} dari {fmt.number(count)} {noun}"  # type: ignore[call-overload]


def change_text(places: float | None) -> str:
    """'naik 2 peringkat', 'turun 1 peringkat', 'peringkat tetap'; '' when unknown."""
    if places is None or fmt.is_missing(places):
        return ""
    if places > 0:
        return f"naik {fmt.number(places)} peringkat"
    if places < 0:
        return f"turun {fmt.number(-places)} peringkat"
    return "peringkat tetap"


def opd_rank_sentence(
    rank: int | None, count: int, change: float | None, month: str, compared_with: str
) -> str:
    """The headline: where the OPD stands among OPDs this month and how it moved since
    ``compared_with`` (the name of what the month is compared with: 'Oktober 2026', or for a
    running month '1–6 November 2026')."""
    if rank is None:
        return (
            f"Belum diberi peringkat di antara OPD pada {fmt.month_name(month)}: belum ada "
            "akun OPD ini yang dapat dibaca datanya."
        )
    place = rank_text(rank, count, "OPD")
    sentence = f"{place[0].upper()}{place[1:]} pada {fmt.month_name(month)}"
    moved = change_text(change)
    return f"{sentence}, {moved} dari {compared_with}." if moved else f"{sentence}."


def rank_value(rank: object, count: int) -> str:
    """A place as '15 dari 44'; '–' without a place."""
    if fmt.is_missing(rank):
        return fmt.MISSING
    return f"{fmt.number(int(rank))} dari {fmt.number(count)}"  # type: ignore[call-overload]


def platform_rank_text(platform: str, handle: str, rank: object, count: int, status: str) -> str:
    """'Instagram demo.dinkes: peringkat 3 dari 40 akun Instagram'; why there is no place
    otherwise ('… belum diberi peringkat (tidak terbaca)')."""
    name = platform_label(platform)
    if fmt.is_missing(rank):
        why = UNRANKED_WHY.get(status, "belum ada data")
        return f"{name} {handle}: belum diberi peringkat ({why})"
    return f"{name} {handle}: {rank_text(rank, count, f'akun {name}')}"


def platform_rank_lines(accounts: pd.DataFrame) -> list[str]:
    """One :func:`platform_rank_text` per account."""
    return [
        platform_rank_text(
            str(r["platform"]),
            str(r["handle"]),
            r["platform_rank"],
            int(r["platform_ranked"]),
            str(r["status"]),
        )
        for r in accounts.to_dict(orient="records")
    ]


# ---- accounts -------------------------------------------------------------------------------


def last_post_text(days: object, status: str) -> str:
    """When the last post was, in words: 'hari ini', 'kemarin', '3 hari lalu', 'belum pernah'
    (or 'belum ada data' for an account whose posts are not known)."""
    if fmt.is_missing(days):
        return "belum ada data" if status in UNRANKED_WHY else "belum pernah"
    whole = int(days)  # type: ignore[call-overload]
    if whole <= 0:
        return "hari ini"
    return "kemarin" if whole == 1 else f"{fmt.number(whole)} hari lalu"


def number_or_missing(value: object, decimals: int = 0) -> str:
    return fmt.MISSING if fmt.is_missing(value) else fmt.number(float(value), decimals)  # type: ignore[arg-type]


def posts_column(month: str) -> str:
    """The accounts table's column of the month's posts: 'Unggahan November 2026'."""
    return f"Unggahan {fmt.month_name(month)}"


def _silence_value(days: object, status: str) -> float:
    """Days without a post as a value that sorts: never posted the longest (NaN, shown last
    when descending), an account whose posts are not known the lowest (-inf)."""
    if fmt.is_missing(days):
        return -math.inf if status in UNRANKED_WHY else math.nan
    return float(days)  # type: ignore[arg-type]


def _silence_text(days: object) -> str:
    return last_post_text(days, "")


NUMBER = Column(kind="number")
ACCOUNT_COLUMNS = {
    "Terakhir aktif": Column(
        kind="number", missing="belum pernah", missing_low="belum ada data", unknown_high=True,
        shown=_silence_text,
    ),
    "Peringkat di platformnya": NUMBER,
    "Indeks Kinerja Akun": Column(kind="number", decimals=1),
}  # fmt: skip


def _floats(values: pd.Series) -> list[float]:
    return pd.to_numeric(values, errors="coerce").astype("float64").tolist()


def accounts_table(accounts: pd.DataFrame, month: str) -> TableView:
    """One row per account: status, silence, platform place, index and ``month``'s posts;
    numbers stay values (the place among the platform's accounts is in the lines above)."""
    rows = accounts.to_dict(orient="records")
    frame = pd.DataFrame(
        {
            "Platform": [platform_label(str(r["platform"])) for r in rows],
            "Akun": [str(r["handle"]) for r in rows],
            "Status": [STATUS_LABELS.get(str(r["status"]), str(r["status"])) for r in rows],
            "Terakhir aktif": [
                _silence_value(r["days_since_last_post"], str(r["status"])) for r in rows
            ],
            "Peringkat di platformnya": _floats(accounts["platform_rank"]),
            "Indeks Kinerja Akun": _floats(accounts["score"]),
            posts_column(month): _floats(accounts["posts"]),
        }
    )
    columns = {header: ACCOUNT_COLUMNS.get(header, Column()) for header in frame.columns}
    return TableView(frame, {**columns, posts_column(month): NUMBER})


def trends_table(accounts: pd.DataFrame) -> pd.DataFrame:
    """One row per account: its posts and its index in each of the last six months (lists,
    oldest first, for small charts; a month without an index is left out of its line)."""
    rows = accounts.to_dict(orient="records")
    return pd.DataFrame(
        {
            "Akun": [f"{platform_label(str(r['platform']))} {r['handle']}" for r in rows],
            POSTS_TREND: [list(r["posts_trend"]) for r in rows],
            SCORE_TREND: [[v for v in r["score_trend"] if not fmt.is_missing(v)] for r in rows],
        }
    )


def status_summary(accounts: pd.DataFrame) -> str:
    """'3 akun dipantau: 2 aktif, 1 dorman.' (statuses in the order of STATUS_LABELS)."""
    counts = accounts["status"].value_counts()
    parts = [
        f"{fmt.number(int(counts[code]))} {label.lower()}"
        for code, label in STATUS_LABELS.items()
        if counts.get(code, 0)
    ]
    return f"{fmt.number(len(accounts))} akun dipantau: {', '.join(parts)}."


def account_notes(accounts: pd.DataFrame) -> list[str]:
    """One line per account that cannot be ranked: unreadable (with the collector's reason)
    or without data yet."""
    notes = []
    for row in accounts.to_dict(orient="records"):
        where = f"{platform_label(str(row['platform']))} {row['handle']}"
        if row["status"] == "unreadable":
            reason = str(row.get("status_reason") or "").strip()
            notes.append(f"{where}: tidak dapat dibaca Pantau. {reason}".strip())
        elif row["status"] == "no_data":
            notes.append(f"{where}: belum pernah diambil datanya.")
    return notes


# ---- month against the last -----------------------------------------------------------------


def _signed(value: float, decimals: int, suffix: str = "") -> str:
    if round(value, decimals) == 0:
        return "tetap"
    return fmt.signed(value, decimals, suffix)


def _row(label: str, now: object, before: object, decimals: int = 0, unit: str = "",
         suffix: str = "") -> list[str]:  # fmt: skip
    def text(v: object) -> str:
        return fmt.MISSING if fmt.is_missing(v) else fmt.number(float(v), decimals) + unit  # type: ignore[arg-type]

    change = fmt.MISSING
    if not fmt.is_missing(now) and not fmt.is_missing(before):
        change = _signed(float(now) - float(before), decimals, suffix)  # type: ignore[arg-type]
    return [label, text(now), text(before), change]


def _share_row(label: str, now: object, before: object) -> list[str]:
    """A share of posts, its change in percentage points."""
    return _row(label, now, before, 1, "%", " poin")


def _rank_row(now: object, before: object) -> list[str]:
    change = fmt.MISSING
    if not fmt.is_missing(now) and not fmt.is_missing(before):
        change = change_text(float(before) - float(now)) or fmt.MISSING  # type: ignore[arg-type]
    return ["Peringkat di antara OPD", number_or_missing(now), number_or_missing(before), change]


def comparison_table(trend: pd.DataFrame, compared_with: str | None = None) -> pd.DataFrame:
    """Indikator · this month · last month · change, for the OPD's totals and its place:
    the last two rows of ``trend`` (services.opd_performance's, oldest first); the second
    column is headed ``compared_with`` when given (a running month's same days), else by the
    month's name."""
    now, before = trend.iloc[-1], trend.iloc[-2]
    rows = [
        _row("Unggahan", now["posts"], before["posts"]),
        _row("Interaksi", now["interactions"], before["interactions"]),
        _row("Pengikut (akhir bulan)", now["followers"], before["followers"]),
        _row("Skor caption rata-rata", now["caption_score"], before["caption_score"], 1),
        _share_row("Caption dengan lima unsur", now["complete_pct"], before["complete_pct"]),
        _share_row("Sesuai arahan pejabat", now["within_rule_pct"], before["within_rule_pct"]),
        _row("Indeks Kinerja Akun OPD", now["score"], before["score"], 1),
        _rank_row(now["rank"], before["rank"]),
    ]
    before_name = compared_with or fmt.month_name(str(before["month"]))
    columns = ["Indikator", fmt.month_name(str(now["month"])), before_name]
    return pd.DataFrame(rows, columns=[*columns, "Perubahan"])


def comparison_heading(month: str, compared_with: str) -> str:
    """'November 2026 dibanding Oktober 2026' (``compared_with`` is already a name)."""
    return f"{fmt.month_name(month)} dibanding {compared_with}"


def caption_sentence(complete_pct: float | None, within_rule_pct: float | None, month: str) -> str:
    """``month``'s caption compliance in one sentence ('' when the month has no posts)."""
    if fmt.is_missing(complete_pct) or fmt.is_missing(within_rule_pct):
        return ""
    return (
        f"Pada {fmt.month_name(month)}, {fmt.percent(complete_pct, 1)} unggahan memuat kelima "
        f"unsur caption dan {fmt.percent(within_rule_pct, 1)} menampilkan pejabat sesuai arahan."
    )


def _month_text(value: object) -> str:
    return fmt.month_name(pd.Timestamp(value).strftime("%Y-%m"))  # type: ignore[arg-type]


TREND_COLUMNS = {
    "Bulan": Column(kind="date", shown=_month_text),
    "Unggahan": NUMBER,
    "Interaksi": NUMBER,
    "Pengikut": NUMBER,
    "Indeks Kinerja Akun": Column(kind="number", decimals=1),
    "Peringkat OPD": NUMBER,
}


def trend_table(trend: pd.DataFrame) -> TableView:
    """One row per month, oldest first: posts, interactions, followers, index and place."""
    frame = pd.DataFrame(
        {
            "Bulan": pd.to_datetime([f"{m}-01" for m in trend["month"]], utc=True),
            "Unggahan": _floats(trend["posts"]),
            "Interaksi": _floats(trend["interactions"]),
            "Pengikut": _floats(trend["followers"]),
            "Indeks Kinerja Akun": _floats(trend["score"]),
            "Peringkat OPD": _floats(trend["rank"]),
        }
    )
    return TableView(frame, TREND_COLUMNS)


def trend_chart(trend: pd.DataFrame) -> go.Figure:
    """Posts per month (bars) and the OPD's activity index (line, right axis 0–100)."""
    months = [month_label(str(m)) for m in trend["month"]]
    fig = go.Figure()
    fig.add_bar(
        x=months, y=pd.to_numeric(trend["posts"]), name="Unggahan", marker_color=PALETTE[0],
        hovertemplate="%{x}: %{y:,d} unggahan<extra></extra>",
    )  # fmt: skip
    fig.add_scatter(
        x=months, y=pd.to_numeric(trend["score"], errors="coerce"), name="Indeks Kinerja Akun",
        mode="lines+markers", yaxis="y2", line={"color": PALETTE[1], "width": 3},
        hovertemplate="%{x}: indeks %{y:,.1f}<extra></extra>",
    )  # fmt: skip
    fig.update_layout(
        yaxis={"title": "Unggahan", "rangemode": "tozero"},
        yaxis2={"title": "Indeks", "overlaying": "y", "side": "right", "range": [0, 102],
                "dtick": 20, "showgrid": False, "tickformat": ",d"},
    )  # fmt: skip
    return house_layout(fig, "Unggahan dan Indeks Kinerja Akun OPD, 6 bulan terakhir", height=340)


def pdf_file_name(opd_code: str, month: str) -> str:
    """'kinerja-dinkes-2026-11.pdf' (only letters, digits and '-' from the code)."""
    code = "".join(c if c.isalnum() else "-" for c in opd_code.lower()).strip("-") or "opd"
    return f"kinerja-{code}-{month}.pdf"


def as_of_text(month: str, as_of: datetime, tz: ZoneInfo) -> str:
    return f"{fmt.month_name(month)} · keadaan per {fmt.date_time(as_of, tz)}"
