"""One short Indonesian sentence per briefing section, computed from the month's numbers."""

from __future__ import annotations

import pandas as pd

from core import fmt
from present.labels import platform_label
from services.review import MonthReview

BIG_MOVE = 5  # places: a move larger than this is worth a sentence


def when(month: str, running: bool) -> str:
    """How a sentence names the briefing's month: 'di November 2026', or 'di bulan berjalan'
    for the running one (never 'bulan ini' about a month that is over)."""
    return "di bulan berjalan" if running else f"di {fmt.month_name(month)}"


def _change_pct(now: float, before: float) -> str:
    if before <= 0:
        return ""
    change = (now - before) / before * 100
    if abs(change) < 0.5:
        return "relatif sama dengan"
    word = "naik" if change > 0 else "turun"
    return f"{word} {fmt.number(abs(change), 0)}% dari"


def kpi_takeaway(review: MonthReview, when: str) -> str:
    now, before = review.current, review.previous
    last = review.compared_with  # a running month: the same days of the month before
    posts = f"{fmt.number(now.posts_this_month)} unggahan {when}"
    change = _change_pct(now.posts_this_month, before.posts_this_month)
    posts += f", {change} {last}" if change else ""
    dormant, dormant_before = now.status_counts["dormant"], before.status_counts["dormant"]
    return (
        f"{posts}. {fmt.number(dormant)} akun dorman "
        f"({last}: {fmt.number(dormant_before)}) dari {fmt.number(now.accounts)} akun."
    )


def _who(row: pd.Series) -> str:
    return f"{row['opd_name']} ({platform_label(str(row['platform']))})"


def ranking_takeaway(ranked: pd.DataFrame, when: str) -> str:
    scored = ranked.dropna(subset=["score"])
    if scored.empty:
        return f"Belum ada akun yang dapat diberi peringkat {when}."
    top = scored.iloc[0]
    bottom = scored.tail(5)["score"].astype(float).mean()
    return (
        f"{_who(top)} memimpin dengan indeks {fmt.number(float(top['score']), 1)}; "
        f"lima akun terbawah rata-rata {fmt.number(float(bottom), 1)}."
    )


def dormant_takeaway(dormant: pd.DataFrame, accounts: int, when: str) -> str:
    if dormant.empty:
        return f"Tidak ada akun dorman {when}."
    never = int(dormant["days_since_last_post"].isna().sum())
    text = f"{fmt.number(len(dormant))} dari {fmt.number(accounts)} akun dorman"
    if never:
        text += f"; {fmt.number(never)} di antaranya belum pernah mengunggah"
    return text + ". Kirim pengingat kepada admin akun-akun ini."


MOVES = {"naik": "paling tinggi", "turun": "paling dalam"}


def mover_takeaway(movers: pd.DataFrame, word: str) -> str:
    """One direction's sentence (``word``: 'naik' or 'turun'): how many accounts moved more
    than ``BIG_MOVE`` places and who moved most."""
    change = movers["rank_change"].astype("Float64")
    big = int((change.abs() > BIG_MOVE).sum())
    if big == 0:
        return f"Tidak ada akun yang {word} lebih dari {BIG_MOVE} peringkat."
    first = movers.iloc[0]
    signed = fmt.signed(float(first["rank_change"]))
    return (
        f"{fmt.number(big)} akun {word} lebih dari {BIG_MOVE} peringkat; "
        f"{first['opd_name']} ({platform_label(str(first['platform']))}) {word} "
        f"{MOVES[word]} ({signed})."
    )


def movers_takeaway(up: pd.DataFrame, down: pd.DataFrame) -> str:
    """Both directions in one paragraph (the PDF's single page)."""
    return f"{mover_takeaway(up, 'naik')} {mover_takeaway(down, 'turun')}"


def best_posts_takeaway(best: pd.DataFrame, when: str) -> str:
    if best.empty:
        return f"Belum ada unggahan dengan data interaksi {when}."
    top = best.iloc[0]
    platforms = best["platform"].value_counts()
    lead = str(platforms.index[0])
    return (
        f"Unggahan terbaik dari {_who(top)} dengan "
        f"{fmt.number(float(top['interactions']))} interaksi; "
        f"{fmt.number(int(platforms.iloc[0]))} dari {fmt.number(len(best))} unggahan terbaik "
        f"ada di {platform_label(lead)}."
    )


def compliance_takeaway(compliance: pd.DataFrame, when: str) -> str:
    nothing = f"Belum ada caption yang dapat diperiksa {when}."
    if compliance.empty:
        return nothing
    posts = pd.to_numeric(compliance["posts"], errors="coerce").fillna(0).astype(float)
    complete = pd.to_numeric(compliance["complete_pct"], errors="coerce").astype(float)
    if posts.sum() <= 0 or complete.isna().all():
        return nothing
    overall = float((complete.fillna(0) * posts).sum() / posts.sum())
    best, worst = compliance.iloc[0], compliance.iloc[-1]
    return (
        f"{fmt.percent(overall, 0)} caption {when} memuat kelima unsur; "
        f"tertinggi {best['opd_name']} ({fmt.percent(float(best['complete_pct']), 0)}), "
        f"terendah {worst['opd_name']} ({fmt.percent(float(worst['complete_pct']), 0)})."
    )


def charts_takeaway(review: MonthReview) -> str:
    counts = review.current.status_counts
    active = counts["active"]
    total = max(review.current.accounts, 1)
    return (
        f"{fmt.number(active)} dari {fmt.number(review.current.accounts)} akun aktif "
        f"({fmt.percent(active / total * 100, 0)}); trennya ada di grafik Tren unggahan "
        "dan Tren pengikut."
    )


def replies_takeaway(known: pd.DataFrame) -> str:
    """How the accounts with a known reply rate answer the public (``known``: best first)."""
    if known.empty:
        return ""
    rates = known["reply_rate"].astype(float)
    text = (
        f"{fmt.number(len(known))} akun dengan tingkat balasan yang diketahui menjawab median "
        f"{fmt.percent(float(rates.median()), 1)} komentar publik; tertinggi {_who(known.iloc[0])} "
        f"({fmt.percent(float(rates.iloc[0]), 1)})."
    )
    return text + (
        " Hanya YouTube serta Facebook dan Instagram yang disambungkan pemiliknya yang dapat "
        "diukur; pesan langsung (DM) tidak dapat dibaca."
    )


def opd_ranking_takeaway(ranked_opds: pd.DataFrame, no_account: pd.DataFrame, when: str) -> str:
    """The best OPD, the bottom five's mean and the OPDs with no account at all."""
    scored = ranked_opds.dropna(subset=["score"])
    if scored.empty:
        text = f"Belum ada OPD yang dapat diberi peringkat {when}."
    else:
        top, bottom = scored.iloc[0], scored.tail(5)["score"].astype(float).mean()
        text = (
            f"{top['opd_name']} memimpin dengan indeks {fmt.number(float(top['score']), 1)}; "
            f"lima OPD terbawah rata-rata {fmt.number(float(bottom), 1)}."
        )
    return text + (f" {no_account_takeaway(no_account)}" if not no_account.empty else "")


def no_account_takeaway(no_account: pd.DataFrame) -> str:
    if no_account.empty:
        return "Semua OPD sudah punya akun resmi."
    return f"{fmt.number(len(no_account))} OPD belum punya akun resmi."


def trend_takeaway(trend: pd.DataFrame, as_of_day: str = "") -> str:
    """The dormant count at the end of the first and the last month of the trend; a running
    last month is counted ``as_of_day`` ('6 Desember 2026'), not at an end it has not had."""
    if trend.empty:
        return ""
    first, last = trend.iloc[0], trend.iloc[-1]
    last_when = (
        f"per {as_of_day}" if as_of_day else f"di akhir {fmt.month_name(str(last['month']))}"
    )
    return (
        f"Akun dorman {last_when}: "
        f"{fmt.number(int(last['dormant']))} (di akhir {fmt.month_name(str(first['month']))}: "
        f"{fmt.number(int(first['dormant']))})."
    )
