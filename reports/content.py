"""The monthly briefing's content, shared by the PPTX, PDF and XLSX writers.

:func:`briefing_content` reads the month once (``services.review``), then shapes it into the
cover and letterhead (the office and its logo), the executive summary (``reports.summary``),
KPIs, typed tables with Indonesian headers, plotly figures in the house theme and one
Indonesian takeaway sentence per section. The writers only lay it out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy.orm import Session

from core import fmt
from core.period import month_label, month_of
from core.settings import Settings
from metrics.activity import STATUS_ORDER, UNREADABLE
from metrics.captions.text import as_text
from present import charts
from present.labels import PLATFORM_LABELS, STATUS_LABELS
from reports import summary
from reports import takeaways as say
from reports.columns import (
    BEST_COLUMNS,
    COMPLIANCE_COLUMNS,
    DORMANT_COLUMNS,
    MOVER_COLUMNS,
    NO_ACCOUNT,
    NO_ACCOUNT_COLUMNS,
    OPD_RANKING_COLUMNS,
    RANKING_COLUMNS,
    REPLY_COLUMNS,
    TREND_COLUMNS,
)  # fmt: skip
from reports.tables import NO_CAPTION, Kind, Kpi, Table, local_date, short_caption
from services.ranking import split_unranked
from services.review import MonthReview, month_review

RANKING_TOP, RANKING_BOTTOM = 10, 5
# the executive summary's row of key figures: accounts watched, active, dormant, unreadable,
# posts and the median engagement rate (labels of build_kpis)
HEADLINE = (
    "Akun dipantau", STATUS_LABELS["active"], STATUS_LABELS["dormant"], STATUS_LABELS[UNREADABLE],
    "Unggahan", "Median tingkat interaksi",
)  # fmt: skip
CHART_BARS = 10  # bars of a ranking chart; a writer's slot may ask for fewer
__all__ = ["NO_CAPTION", "short_caption"]  # kept here for the callers that import them


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    figure: go.Figure
    takeaway: str
    redraw: Callable[[int], go.Figure] | None = None  # the same bar chart with at most n bars


@dataclass(frozen=True)
class Briefing:
    regency: str
    office: str  # the letterhead: PANTAU_OFFICE_NAME or Diskominfo of the regency
    logo: bytes | None  # PANTAU_OFFICE_LOGO's PNG or JPG; None: no logo
    month: str
    period_label: str  # "November 2026", or "Desember 2026 (berjalan, s.d. 6 Des)"
    as_of: datetime
    is_demo: bool
    findings: list[str]  # the executive summary's three findings
    followup: list[str]  # reminders sent in the month and answered
    kpis: list[Kpi]
    kpi_takeaway: str
    compared_with: str  # 'Oktober 2026', or for a running month '1–6 November 2026'
    opd_ranking: Table  # every ranked OPD; the slides show the top and the bottom
    no_account: Table  # OPDs without any account ("belum punya akun")
    ranking: Table  # every account; the slides show the top and the bottom
    dormant_trend: Table  # dormant accounts at the end of each of the last 6 months
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
        return f"Evaluasi Media Sosial OPD — {self.regency} — {self.period_label}"

    @property
    def headline(self) -> list[Kpi]:
        """The executive summary's key figures, each with its change."""
        return [k for k in self.kpis if k.label in HEADLINE]

    def tables(self) -> list[Table]:
        replies = [] if self.replies.frame.empty else [self.replies]  # only where known
        return [
            self.opd_ranking, self.no_account, self.ranking, self.dormant_trend, self.dormant,
            self.movers_up, self.movers_down, self.best_posts, self.compliance, *replies,
        ]  # fmt: skip

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


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
            fmt.DECIMALS["engagement_rate"],
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
        elif kind == "caption":  # whole, never blank: the workbook's posts sheet reads it
            values = values.map(lambda c: " ".join(as_text(c).split()) or NO_CAPTION)
        elif kind in ("int", "float", "pct", "change", "times", "days"):
            values = pd.to_numeric(values, errors="coerce").astype("float64")
        out[header] = values
        kinds[header] = kind
    return out.reset_index(drop=True), kinds


def known_replies(ranking: pd.DataFrame) -> pd.DataFrame:
    """Accounts whose reply rate is known this month, the best answered first."""
    known = ranking[pd.to_numeric(ranking["reply_rate"], errors="coerce").notna()]
    return known.sort_values(["reply_rate", "opd_code"], ascending=[False, True])


def _table(key: str, title: str, source: pd.DataFrame, columns: dict[str, tuple[str, Kind]],
           takeaway: str) -> Table:  # fmt: skip
    frame, kinds = _frame(source, columns)
    return Table(key, title, frame, kinds, takeaway)


def dormant_trend_chart(trend: pd.DataFrame) -> go.Figure:
    """Dormant accounts at the end of each month: a line with its value on every point."""
    fig = go.Figure(
        go.Scatter(
            x=[charts.month_label(m) for m in trend["month"]],
            y=trend["dormant"],
            mode="lines+markers+text",
            line_color=charts.PALETTE[3],
            text=[fmt.number(int(v)) for v in trend["dormant"]],
            textposition="top center",
            hovertemplate="%{x}: %{y:,d} akun dorman<extra></extra>",
        )
    )
    top = max(int(trend["dormant"].max()) if len(trend) else 0, 1)
    fig.update_yaxes(range=[0, top * 1.25], rangemode="tozero")  # room for the point labels
    return charts.house_layout(fig, "Akun dorman di akhir bulan", height=360)


def build_charts(review: MonthReview, ranked_opds: pd.DataFrame, notes: dict[str, str],
                 when: str) -> list[Chart]:  # fmt: skip
    """The briefing's charts; ``notes``: the OPD ranking's, the captions' and the dormant
    trend's takeaways."""
    now = review.current
    growth = fmt.signed_percent(now.followers_growth_pct, 2)

    def opds(bars: int) -> go.Figure:
        return charts.ranking_chart(ranked_opds, top=bars)

    def accounts(bars: int) -> go.Figure:
        return charts.ranking_chart(review.ranking, top=bars)

    def captions(bars: int) -> go.Figure:
        return charts.compliance_chart(review.compliance.head(bars))

    return [
        Chart("opd_ranking", "OPD teratas", opds(CHART_BARS), notes["opd"], opds),
        Chart("ranking", "Akun teratas", accounts(CHART_BARS),
              say.ranking_takeaway(review.ranking, when), accounts),
        Chart("dormant_trend", "Tren akun dorman", dormant_trend_chart(review.dormant_trend),
              notes["trend"]),
        Chart("compliance", "Kepatuhan caption", captions(charts.COMPLIANCE_CHART_ROWS),
              notes["compliance"], captions),
        Chart("posts", "Tren unggahan", charts.monthly_posts_chart(now.monthly),
              f"{fmt.number(now.posts_this_month)} unggahan {when}."),
        Chart("followers", "Tren pengikut", charts.monthly_followers_chart(now.monthly),
              f"Total {fmt.number(now.followers_total)} pengikut; perubahan {when} {growth}."),
        Chart("status", "Status akun", charts.status_chart(now.statuses["status"]),
              say.charts_takeaway(review)),
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


def no_account_frame(no_account: pd.DataFrame) -> pd.DataFrame:
    return no_account.assign(state=NO_ACCOUNT)


def trend_frame(trend: pd.DataFrame) -> pd.DataFrame:
    return trend.assign(month_label=[fmt.month_name(m) for m in trend["month"]])


def briefing_from_review(review: MonthReview, settings: Settings) -> Briefing:
    tz = settings.tz.key
    ranked, left_out = split_unranked(review.ranking)  # the bottom five are ranked accounts
    opds, _ = split_unranked(review.opd_ranking)
    dormant = review.dormant.assign(last_post_day=local_date(review.dormant["last_posted_at"], tz))
    best = review.best_posts.assign(
        posted_local=local_date(review.best_posts["posted_at"], tz, with_time=True)
    )
    running = month_of(review.current.as_of, settings.tz) == review.month
    when = say.when(review.month, running)
    as_of_day = fmt.long_date(review.current.as_of, settings.tz) if running else ""
    trend_note = say.trend_takeaway(review.dormant_trend, as_of_day)
    compliance_note = say.compliance_takeaway(review.compliance, when)
    opd_note = say.opd_ranking_takeaway(opds, review.no_account, when)
    accounts = review.current.accounts
    label = month_label(review.month, review.current.as_of, settings.tz)
    return Briefing(
        regency=settings.regency_name,
        office=summary.office_name(settings),
        logo=summary.read_logo(summary.logo_path(settings)),
        month=review.month,
        period_label=label,
        as_of=review.current.as_of,
        is_demo=review.is_demo,
        findings=summary.findings(review, when),
        followup=summary.followup(review.reminders, label),
        kpis=build_kpis(review),
        kpi_takeaway=say.kpi_takeaway(review, when),
        compared_with=review.compared_with,
        opd_ranking=_table("Peringkat OPD", "Peringkat OPD", opds, OPD_RANKING_COLUMNS,
                           opd_note),
        no_account=_table("Belum punya akun", "OPD yang belum punya akun",
                          no_account_frame(review.no_account), NO_ACCOUNT_COLUMNS,
                          say.no_account_takeaway(review.no_account)),
        ranking=_table("Peringkat akun", "Peringkat akun", ranked, RANKING_COLUMNS,
                       say.ranking_takeaway(ranked, when) + unranked_note(left_out)),
        dormant_trend=_table("Tren dorman", "Tren akun dorman", trend_frame(review.dormant_trend),
                             TREND_COLUMNS, trend_note),
        dormant=_table("Dorman", "Akun dorman", dormant, DORMANT_COLUMNS,
                       say.dormant_takeaway(review.dormant, accounts, when)),
        movers_up=_table("Naik", "Naik peringkat", review.movers_up, MOVER_COLUMNS,
                         say.mover_takeaway(review.movers_up, "naik")),
        movers_down=_table("Turun", "Turun peringkat", review.movers_down, MOVER_COLUMNS,
                           say.mover_takeaway(review.movers_down, "turun")),
        movers_takeaway=say.movers_takeaway(review.movers_up, review.movers_down),
        best_posts=_table("Unggahan terbaik", "Unggahan terbaik", best, BEST_COLUMNS,
                          say.best_posts_takeaway(review.best_posts, when)),
        compliance=_table("Caption", "Kepatuhan caption per OPD", review.compliance,
                          COMPLIANCE_COLUMNS, compliance_note),
        charts=build_charts(review, opds, {"opd": opd_note, "compliance": compliance_note,
                                           "trend": trend_note}, when),
        replies=_table("Balasan", "Balasan komentar", known_replies(review.ranking),
                       REPLY_COLUMNS, say.replies_takeaway(known_replies(review.ranking))),
    )  # fmt: skip


def briefing_content(session: Session, month: str, settings: Settings) -> Briefing:
    return briefing_from_review(month_review(session, month, settings), settings)
