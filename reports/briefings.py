"""The monthly briefings the worker prepares: made on the 1st for the month before, saved in
``PANTAU_REPORTS_DIR``, listed in the dashboard and, with SMTP, mailed once.

A file appears only when complete (written under a temporary name, then renamed), so the
dashboard never offers half a briefing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from core import fmt
from core.mailer import Mailer, MailError
from core.settings import PROJECT_ROOT, Settings
from db import worker_store
from reports import briefing_with_charts
from reports.formats import BriefingFormat, briefing_format, format_of_extension

AUTO_FORMATS = ("pptx", "pdf")
PREFIX = "pantau-briefing-"
LIST_COLUMNS = ["month", "format", "path", "size_bytes", "modified_at"]


@dataclass(frozen=True)
class MonthlyBriefing:
    month: str
    paths: list[Path]
    created: bool  # False when every file was already there


def reports_dir(settings: Settings) -> Path:
    path = Path(settings.reports_dir)
    return path if path.is_absolute() else PROJECT_ROOT / path


def briefing_file_name(month: str, kind: BriefingFormat) -> str:
    """``pantau-briefing-2026-11.pptx``: the name a month's briefing is saved and mailed as."""
    return kind.file_name(f"{PREFIX}{month}")


def briefing_path(settings: Settings, month: str, kind: BriefingFormat) -> Path:
    return reports_dir(settings) / briefing_file_name(month, kind)


def _write_atomically(target: Path, write: Callable[[Path], Path]) -> Path:
    partial_file = target.with_name(f".{target.name}.partial")
    write(partial_file)
    partial_file.replace(target)
    return target


def make_monthly_briefing(
    session: Session, settings: Settings, month: str, formats: tuple[str, ...] = AUTO_FORMATS
) -> MonthlyBriefing:
    """Write the month's briefing in each format that is not there yet (one Chromium for all)."""
    kinds = [briefing_format(f) for f in formats]
    paths = [briefing_path(settings, month, kind) for kind in kinds]
    missing = [kind for kind, path in zip(kinds, paths, strict=True) if not path.is_file()]
    if not missing:
        return MonthlyBriefing(month, paths, created=False)
    reports_dir(settings).mkdir(parents=True, exist_ok=True)
    briefing, images = briefing_with_charts(session, month, settings, missing)
    for kind in missing:
        write = partial(kind.write, briefing, images.get(kind.name, []))
        _write_atomically(briefing_path(settings, month, kind), write)
    return MonthlyBriefing(month, paths, created=True)


def list_briefings(settings: Settings) -> pd.DataFrame:
    """The saved briefings, newest month first: month, format, path, size_bytes, modified_at."""
    folder = reports_dir(settings)
    rows = []
    for path in folder.glob(f"{PREFIX}*.*") if folder.is_dir() else []:
        month, _, extension = path.name.removeprefix(PREFIX).partition(".")
        kind = format_of_extension(extension)
        if kind is not None and len(month) == 7:
            stat = path.stat()
            rows.append((month, kind.name, str(path), stat.st_size,
                         datetime.fromtimestamp(stat.st_mtime).astimezone()))  # fmt: skip
    frame = pd.DataFrame(rows, columns=LIST_COLUMNS)
    frame["modified_at"] = pd.to_datetime(frame["modified_at"], utc=True)
    return frame.sort_values(["month", "format"], ascending=[False, True]).reset_index(drop=True)


def mail_briefing(
    session: Session, settings: Settings, mailer: Mailer, made: MonthlyBriefing
) -> bool:
    """Mail the month's briefing to ``PANTAU_REPORT_RECIPIENTS`` once ever; True when sent now.

    The claim is taken before sending: if the mail server fails, the claim is dropped so the
    next run tries again; if the process dies mid-send, it is not resent (checked by hand).
    """
    recipients = settings.report_recipient_list()
    if not (mailer.configured and recipients):
        return False
    key = f"briefing_mailed:{made.month}"
    if not worker_store.claim_meta(session, key, "sending"):
        return False
    label = fmt.month_name(made.month)
    body = (
        f"Yth. Kepala Dinas,\n\nTerlampir bahan paparan media sosial OPD {settings.regency_name} "
        f"untuk bulan {label}, disiapkan otomatis oleh Pantau.\n\nSalam,\nBidang Komunikasi Publik"
    )
    try:
        mailer.send(recipients, f"Bahan paparan media sosial OPD, {label}", body, made.paths)
    except MailError:
        worker_store.drop_meta(session, key)
        raise
    worker_store.set_meta_value(session, key, "sent")
    return True
