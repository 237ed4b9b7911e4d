"""The briefing's one-page executive summary and its letterhead.

Three findings in plain sentences (dormant accounts and their change, the best and the worst
OPD, caption compliance) and the follow-up: reminders sent in the month and how many were
answered (``metrics.reminder_answers``). The letterhead is the office's name and, when
``PANTAU_OFFICE_LOGO`` names a readable PNG or JPG, its logo.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from core import fmt
from core.settings import PROJECT_ROOT, Settings
from metrics.reminder_answers import ANSWER_DAYS, ReminderAnswers
from reports.takeaways import compliance_takeaway
from services.review import MonthReview

log = logging.getLogger(__name__)
LOGO_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG
LOGO_MAX_BYTES = 5_000_000


def office_name(settings: Settings) -> str:
    """``PANTAU_OFFICE_NAME``, else the regency's Dinas Komunikasi dan Informatika."""
    return settings.office_name.strip() or (
        f"Dinas Komunikasi dan Informatika {settings.regency_name}"
    )


def logo_path(settings: Settings) -> Path | None:
    """``PANTAU_OFFICE_LOGO`` as a path (a relative one is under the project); None: unset."""
    raw = settings.office_logo.strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def read_logo(path: Path | None) -> bytes | None:
    """The logo's bytes; None (with a log line, never an error) when the file is missing,
    unreadable, too large or not a PNG or JPG."""
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.warning("office logo %s skipped: %s", path, exc.strerror or exc)
        return None
    if len(data) > LOGO_MAX_BYTES or not data.startswith(LOGO_SIGNATURES):
        log.warning("office logo %s skipped: not a PNG or JPG file of at most 5 MB", path)
        return None
    return data


def _change_words(now: int, before: int, compared_with: str) -> str:
    """'turun 11 dari 43 di Oktober 2026': the period compared is named (for a running month
    it is the same days of the month before, '1–6 November 2026')."""
    if now == before:
        return f"sama dengan di {compared_with}"
    word = "naik" if now > before else "turun"
    return f"{word} {fmt.number(abs(now - before))} dari {fmt.number(before)} di {compared_with}"


def dormant_finding(review: MonthReview) -> str:
    now = review.current.status_counts["dormant"]
    before = review.previous.status_counts["dormant"]
    text = (
        f"{fmt.number(now)} dari {fmt.number(review.current.accounts)} akun dorman, "
        f"{_change_words(now, before, review.compared_with)}."
    )
    if not review.no_account.empty:
        names = ", ".join(review.no_account["opd_name"].astype(str))
        text += f" {fmt.number(len(review.no_account))} OPD belum punya akun resmi: {names}."
    return text


def opd_finding(opd_ranking: pd.DataFrame, when: str) -> str:
    ranked = opd_ranking.dropna(subset=["score"])
    if ranked.empty:
        return f"Belum ada OPD yang dapat diberi peringkat {when}."
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    return (
        f"OPD dengan Indeks Kinerja Akun tertinggi: {best['opd_name']} "
        f"({fmt.number(float(best['score']), 1)}); terendah: {worst['opd_name']} "
        f"({fmt.number(float(worst['score']), 1)})."
    )


def findings(review: MonthReview, when: str) -> list[str]:
    """The three findings of the executive summary, in this order (``when``: how a sentence
    names the month, :func:`reports.takeaways.when`)."""
    return [
        dormant_finding(review),
        opd_finding(review.opd_ranking, when),
        compliance_takeaway(review.compliance, when),
    ]


def followup(answers: ReminderAnswers, month_label: str) -> list[str]:
    """What was done about it: reminders sent in the month and how many were answered."""
    if answers.sent == 0:
        return [
            f"Belum ada pengingat yang dicatat terkirim pada {month_label}.",
            "Kirim pengingat kepada admin akun dorman dari halaman Akun Dorman.",
        ]
    lines = [
        f"{fmt.number(answers.sent)} pengingat dikirim kepada admin OPD pada {month_label}.",
        f"{fmt.number(answers.answered)} dijawab: akunnya mengunggah dalam {ANSWER_DAYS} hari "
        "setelah pengingat.",
    ]
    if answers.unanswered:
        lines.append(f"{fmt.number(answers.unanswered)} belum dijawab setelah {ANSWER_DAYS} hari.")
    if answers.waiting:
        lines.append(f"{fmt.number(answers.waiting)} masih dalam masa tunggu {ANSWER_DAYS} hari.")
    return lines
