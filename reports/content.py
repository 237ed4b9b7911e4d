"""The monthly briefing's content, shared by the PPTX, PDF and XLSX writers.

:func:`briefing_content` reads the month once (``services.review``), then shapes it into KPIs,
typed tables with Indonesian headers, plotly figures in the house theme and one Indonesian
takeaway sentence per section. The writers only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy.orm import Session

from core import fmt
from core.settings import Settings
from metrics.activity import STATUS_ORDER, UNREADABLE
from metrics.captions.text import as_text
from present import charts
from present.labels import PLATFORM_LABELS, STATUS_LABELS
from reports import takeaways as say
from reports.tables import Kind, Kpi, Table, local_date
from services.ranking import split_unranked
from services.review import MonthReview, month_review

RANKING_TOP, RANKING_BOTTOM = 10, 5
COMPLIANCE_CHART_ROWS = 15


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    figure: go.Figure
    takeaway: str


@dataclass(frozen=True)
class Briefing:
    regency: str
    month: str
    as_of: datetime
    is_demo: bool
    kpis: list[Kpi]
    kpi_takeaway: str
    ranking: Table  # every account; the slides show the top and the bottom
    dormant: Table
    movers_up: Table
    movers_down: Table
    movers_takeaway: str
    best_posts: Table
    compliance: Table
    charts: list[Chart]
    replies: Table  # accounts whose reply rate is known this month (empty: none)

    @property
    def month_label(self) -> str:
        return fmt.month_name(self.month)

    @property
    def as_of_text(self) -> str:
        return fmt.date_time(self.as_of)

    @property
    def title(self) -> str:
        return f"Evaluasi Media Sosial OPD — {self.regency} — {self.month_label}"

    def tables(self) -> list[Table]:
        replies = [] if self.replies.frame.empty else [self.replies]  # only where known
        return [
            self.ranking, self.dormant, self.movers_up, self.movers_down,
            self.best_posts, self.compliance, *replies,
        ]  # fmt: skip


def build_kpis(review: MonthReview) -> list[Kpi]:
    now, before = review.current, review.previous
    rows: list[Kpi] = [Kpi("Akun dipantau", now.accounts, before.accounts)]
    for status in STATUS_ORDER:
        rows.append(
            Kpi(STATUS_LABELS[status], now.status_counts[status], before.status_counts[status])
        )
    rows += [
        Kpi("Total pengikut", now.followers_total, before.followers_total),
        Kpi("Unggahan", now.posts_this_month, before.posts_this_month),
        Kpi(
            "Median tingkat interaksi",
            now.median_engagement_rate,
            before.median_engagement_rate,
            "pct",
        ),
    ]
    return rows


def _frame(source: pd.DataFrame, columns: dict[str, tuple[str, Kind]]) -> tuple[
    pd.DataFrame, dict[str, Kind]
]:  # fmt: skip
    """Pick ``source`` columns under Indonesian headers: {source column: (header, kind)}."""
    out = pd.DataFrame(index=source.index)
    kinds: dict[str, Kind] = {}
    for column, (header, kind) in columns.items():
        values = source[column]
        if column == "platform":
            values = values.map(lambda p: PLATFORM_LABELS.get(str(p), str(p)))
        elif column == "status":
            values = values.map(lambda s: STATUS_LABELS.get(str(s), str(s)))
        elif kind in ("int", "float", "pct", "change", "times", "days"):
            values = pd.to_numeric(values, errors="coerce").astype("float64")
        out[header] = values
        kinds[header] = kind
    return out.reset_index(drop=True), kinds


RANKING_COLUMNS: dict[str, tuple[str, Kind]] = {
    "rank": ("Peringkat", "int"),
    "rank_change": ("Perubahan", "change"),
    "opd_code": ("Kode OPD", "text"),
    "opd_name": ("OPD", "text"),
    "platform": ("Platform", "text"),
    "handle": ("Akun", "text"),
    "score": ("Indeks aktivitas", "float"),
    "followers": ("Pengikut", "int"),
    "posts": ("Unggahan", "int"),
    "engagement_rate": ("Tingkat interaksi", "pct"),
    "status": ("Status", "text"),
}
MOVER_COLUMNS = {k: RANKING_COLUMNS[k] for k in ("rank", "rank_change", "opd_code", "platform",
                                                 "handle", "score")}  # fmt: skip
DORMANT_COLUMNS: dict[str, tuple[str, Kind]] = {
    "opd_code": ("Kode OPD", "text"),
    "opd_name": ("OPD", "text"),
    "platform": ("Platform", "text"),
    "handle": ("Akun", "text"),
    "days_since_last_post": ("Tanpa unggahan", "days"),
    "last_post_day": ("Unggahan terakhir", "date"),
    "admin_name": ("Admin", "text"),
    "admin_phone": ("Telepon admin", "text"),
}
BEST_COLUMNS: dict[str, tuple[str, Kind]] = {
    "posted_local": ("Waktu", "datetime"),
    "opd_code": ("Kode OPD", "text"),
    "platform": ("Platform", "text"),
    "handle": ("Akun", "text"),
    "interactions": ("Interaksi", "int"),
    "performance": ("Dibanding biasanya", "times"),
    "caption_short": ("Caption", "text"),
    "url": ("Tautan", "text"),
}
COMPLIANCE_COLUMNS: dict[str, tuple[str, Kind]] = {
    "opd_code": ("Kode OPD", "text"),
    "opd_name": ("OPD", "text"),
    "posts": ("Unggahan", "int"),
    "caption_score": ("Skor caption", "float"),
    "complete_pct": ("Lima unsur lengkap", "pct"),
    "within_rule_pct": ("Sesuai arahan pejabat", "pct"),
    "clean_pct": ("Tanpa salah ketik/jargon", "pct"),
}


REPLY_COLUMNS: dict[str, tuple[str, Kind]] = {
    "opd_code": ("Kode OPD", "text"),
    "opd_name": ("OPD", "text"),
    "platform": ("Platform", "text"),
    "handle": ("Akun", "text"),
    "reply_rate": ("Tingkat balasan", "pct"),
    "reply_median_minutes": ("Waktu balasan pertama (median)", "minutes"),
}


def known_replies(ranking: pd.DataFrame) -> pd.DataFrame:
    """Accounts whose reply rate is known this month, the best answered first."""
    known = ranking[pd.to_numeric(ranking["reply_rate"], errors="coerce").notna()]
    return known.sort_values(["reply_rate", "opd_code"], ascending=[False, True])


def _table(key: str, title: str, source: pd.DataFrame, columns: dict[str, tuple[str, Kind]],
           takeaway: str) -> Table:  # fmt: skip
    frame, kinds = _frame(source, columns)
    return Table(key, title, frame, kinds, takeaway)


NO_CAPTION = "(tanpa caption)"


def short_caption(text: object, limit: int = 110) -> str:
    """One line of at most ``limit`` characters; '(tanpa caption)' when the post has none
    (None, NaN, pd.NA, blank), as on Detail Akun."""
    words = " ".join(as_text(text).split())
    if not words:
        return NO_CAPTION
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def compliance_chart(compliance: pd.DataFrame) -> go.Figure:
    rows = compliance.head(COMPLIANCE_CHART_ROWS)
    fig = go.Figure(
        go.Bar(
            x=rows["complete_pct"],
            y=rows["opd_code"],
            orientation="h",
            marker_color=charts.PALETTE[2],
            text=[fmt.percent(float(v), 0) for v in rows["complete_pct"]],
            textposition="auto",
            hovertemplate="%{y}: %{x:,.1f}%<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 101], ticksuffix="%", tickformat=",d")
    title = "Caption dengan kelima unsur, per OPD"
    return charts.house_layout(fig, title, height=max(300, 26 * len(rows)))


def build_charts(review: MonthReview, compliance_note: str) -> list[Chart]:
    now = review.current
    growth = fmt.signed_percent(now.followers_growth_pct, 2)
    return [
        Chart("posts", "Tren unggahan", charts.monthly_posts_chart(now.monthly),
              f"{fmt.number(now.posts_this_month)} unggahan di {fmt.month_name(review.month)}."),
        Chart("followers", "Tren pengikut", charts.monthly_followers_chart(now.monthly),
              f"Total {fmt.number(now.followers_total)} pengikut; perubahan bulan ini {growth}."),
        Chart("status", "Status akun", charts.status_chart(now.statuses["status"]),
              say.charts_takeaway(review)),
        Chart("ranking", "15 akun teratas", charts.ranking_chart(review.ranking),
              say.ranking_takeaway(review.ranking)),
        Chart("compliance", "Kepatuhan caption", compliance_chart(review.compliance),
              compliance_note),
    ]  # fmt: skip


def unranked_note(left_out: pd.DataFrame) -> str:
    """Who is not in the ranking and why, in one sentence (empty when everyone is ranked)."""
    if left_out.empty:
        return ""
    unreadable = int((left_out["status"] == UNREADABLE).sum())
    parts = [f"{fmt.number(unreadable)} tidak dapat dibaca Pantau"] if unreadable else []
    if len(left_out) - unreadable:
        parts.append(f"{fmt.number(len(left_out) - unreadable)} belum ada datanya")
    return (
        f" {fmt.number(len(left_out))} akun tidak diberi peringkat ({' dan '.join(parts)}); "
        "alasannya ada di dasbor (Ringkasan dan Detail Akun)."
    )


def briefing_from_review(review: MonthReview, regency: str, tz: str) -> Briefing:
    ranked, left_out = split_unranked(review.ranking)  # the bottom five are ranked accounts
    dormant = review.dormant.assign(last_post_day=local_date(review.dormant["last_posted_at"], tz))
    best = review.best_posts.assign(
        posted_local=local_date(review.best_posts["posted_at"], tz, with_time=True),
        caption_short=[short_caption(c) for c in review.best_posts["caption"]],
    )
    compliance_note = say.compliance_takeaway(review.compliance)
    accounts = review.current.accounts
    return Briefing(
        regency=regency,
        month=review.month,
        as_of=review.current.as_of,
        is_demo=review.is_demo,
        kpis=build_kpis(review),
        kpi_takeaway=say.kpi_takeaway(review),
        ranking=_table("Peringkat", "Peringkat akun", ranked, RANKING_COLUMNS,
                       say.ranking_takeaway(ranked) + unranked_note(left_out)),
        dormant=_table("Dorman", "Akun dorman", dormant, DORMANT_COLUMNS,
                       say.dormant_takeaway(review.dormant, accounts)),
        movers_up=_table("Naik", "Naik peringkat", review.movers_up, MOVER_COLUMNS, ""),
        movers_down=_table("Turun", "Turun peringkat", review.movers_down, MOVER_COLUMNS, ""),
        movers_takeaway=say.movers_takeaway(review.movers_up, review.movers_down),
        best_posts=_table("Unggahan terbaik", "Unggahan terbaik", best, BEST_COLUMNS,
                          say.best_posts_takeaway(review.best_posts)),
        compliance=_table("Caption", "Kepatuhan caption per OPD", review.compliance,
                          COMPLIANCE_COLUMNS, compliance_note),
        charts=build_charts(review, compliance_note),
        replies=_table("Balasan", "Balasan komentar", known_replies(review.ranking),
                       REPLY_COLUMNS, say.replies_takeaway(known_replies(review.ranking))),
    )  # fmt: skip


def briefing_content(session: Session, month: str, settings: Settings) -> Briefing:
    review = month_review(session, month, settings)
    return briefing_from_review(review, settings.regency_name, settings.tz.key)
