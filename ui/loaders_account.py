"""Cached loaders of Detail Akun, Cek Caption and Panduan, and the tables they show.

Pages call these and render; the formatting helpers below are pure (tested without Streamlit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from core import fmt
from core.interactions import INTERACTION_FIELDS
from core.links import web_link
from core.settings import Settings
from db.engine import make_session_factory
from metrics.activity import UNRANKED
from metrics.captions import LEVELS_WITHIN_RULE, CaptionReport, check_caption
from present.labels import PLATFORM_LABELS, STATUS_LABELS
from present.tables import Column, TableView
from services.account_detail import AccountDetail, account_detail, account_list
from ui.auth import DENIED, scope
from ui.resources import TTL_SECONDS, get_engine, get_settings

GUIDE_FILE = Path(__file__).resolve().parent.parent / "docs" / "panduan_id.md"
CAPTION_WIDTH = 90
HIDDEN = "tersembunyi"
NOT_APPLICABLE = fmt.NOT_APPLICABLE
PERIOD_LABELS = {3: "3 bulan terakhir", 6: "6 bulan terakhir", 12: "12 bulan terakhir"}
ELEMENT_NAMES = {
    "official": "Pejabat",
    "activity": "Kegiatan",
    "location": "Lokasi",
    "time": "Waktu",
    "attendees": "Yang hadir",
}
LEVEL_NAMES = {
    "regent": "Bupati/Wakil Bupati",
    "head": "Kepala OPD/Camat",
    "secretary": "Sekretaris",
    "division_head": "Kepala Bidang",
    "functional": "Pejabat fungsional",
    "other": "Lainnya (di luar arahan)",
    "none": "Tidak ada pejabat",
}
COUNT_COLUMNS = {
    "likes": "Suka",
    "comments": "Komentar",
    "shares": "Dibagikan",
    "views": "Tayangan",
}


@dataclass(frozen=True)
class AccountView:
    """One account's detail plus its tables, ready to show."""

    detail: AccountDetail
    posts: TableView
    best: TableView
    worst: TableView
    hashtags: TableView
    mentions: TableView
    best_times: TableView


def account_label(opd_name: str, platform: str, handle: str) -> str:
    return f"{opd_name} · {PLATFORM_LABELS.get(platform, platform)} · {handle}"


def load_account_choices() -> dict[int, str]:
    """The accounts the signed-in user may see: every one, or only their OPD's."""
    return _account_choices(scope())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _account_choices(opd_id: int | None) -> dict[int, str]:
    """Account id → 'OPD · Platform · handle', in the registry's order (one OPD's, or all)."""
    with make_session_factory(get_engine())() as session:
        accounts = account_list(session)
    if opd_id is not None:
        accounts = accounts[accounts["opd_id"] == opd_id]
    return {
        int(a): account_label(str(o), str(p), str(h))
        for a, o, p, h in accounts[["account_id", "opd_name", "platform", "handle"]].itertuples(
            index=False
        )
    }


def in_scope(account_id: int) -> bool:
    """Whether the signed-in user may see this account (an opd user: only their OPD's)."""
    return account_id in load_account_choices()


def load_account_view(account_id: int, months: int) -> AccountView | None:
    """One account's view, only when the signed-in user may see that account."""
    if not in_scope(account_id):
        st.error(DENIED, icon=":material/lock:")
        st.stop()
    return _account_view(account_id, months)


@st.cache_data(ttl=TTL_SECONDS, show_spinner="Memuat detail akun…")
def _account_view(account_id: int, months: int) -> AccountView | None:
    with make_session_factory(get_engine())() as session:
        detail = account_detail(session, account_id, months, get_settings())
    if detail is None:
        return None
    return AccountView(
        detail=detail,
        posts=posts_table(detail.posts, detail.platform),
        best=posts_table(detail.best, detail.platform),
        worst=posts_table(detail.worst, detail.platform),
        hashtags=tags_table(detail.hashtags, "#", "Tagar"),
        mentions=tags_table(detail.mentions, "@", "Akun yang disebut"),
        best_times=best_times_table(detail.best_times),
    )


@st.cache_data(ttl=TTL_SECONDS, show_spinner="Memeriksa caption…", max_entries=500)
def check_draft(text: str) -> CaptionReport:
    """The caption checklist of one draft (no database involved)."""
    return check_caption(text)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_guide() -> str:
    return guide_text(get_settings())


# ---- tables ---------------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def shorten(text: object, width: int = CAPTION_WIDTH) -> str:
    """One line of at most ``width`` characters, '…' when cut; '(tanpa caption)' when empty."""
    if _missing(text) or not str(text).strip():
        return "(tanpa caption)"
    line = " ".join(str(text).split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def _date_time(value: object) -> str:
    return fmt.date_time(pd.Timestamp(value).to_pydatetime())  # type: ignore[arg-type]


def post_columns(platform: str) -> dict[str, Column]:
    """How the posts' columns read on ``platform``: a count the platform hides is
    'tersembunyi', one it has no notion of '–'; a website's interactions 'tidak berlaku'."""
    hides = INTERACTION_FIELDS.get(platform, ())
    applies = bool(hides)
    columns = {
        "Waktu unggah": Column(kind="date", shown=_date_time),
        **{
            label: Column(kind="number", missing=HIDDEN if field in hides else fmt.MISSING)
            for field, label in COUNT_COLUMNS.items()
        },
        "Interaksi": Column(kind="number", missing=HIDDEN if applies else NOT_APPLICABLE),
        "Tingkat interaksi": Column(
            kind="number",
            decimals=2,
            suffix="%",
            missing=fmt.MISSING if applies else NOT_APPLICABLE,
        ),
        "Skor menonjol": Column(
            kind="number", decimals=1, missing="belum dinilai" if applies else NOT_APPLICABLE
        ),
        "Tautan": Column(kind="link", link_text="Buka"),
    }
    return columns


def posts_table(posts: pd.DataFrame, platform: str) -> TableView:
    """Posts with Indonesian headers; moments, counts, rates and scores stay values (they
    sort by value) and read as post_columns says."""
    applies = bool(INTERACTION_FIELDS.get(platform))

    def measure(field: str) -> pd.Series:  # a website's interactions are not measured
        values = pd.to_numeric(posts[field], errors="coerce").astype("float64")
        return values if applies else values.where(values.isna())

    out = pd.DataFrame(
        {
            "Waktu unggah": pd.to_datetime(posts["posted_at"], utc=True),
            "Caption": [shorten(c) for c in posts["caption"]],
        }
    )
    for field, label in COUNT_COLUMNS.items():
        out[label] = pd.to_numeric(posts[field], errors="coerce").astype("float64")
    out["Interaksi"] = measure("interactions")
    out["Tingkat interaksi"] = measure("engagement_rate")
    out["Skor menonjol"] = measure("performance")
    out["Tautan"] = [web_link(u) for u in posts["url"]]  # http(s) only, old rows too
    return TableView(out.reset_index(drop=True), post_columns(platform))


def tags_table(board: pd.DataFrame, prefix: str, label: str) -> TableView:
    frame = pd.DataFrame(
        {
            label: [f"{prefix}{t}" for t in board["tag"]],
            "Unggahan": pd.to_numeric(board["posts"]).astype("float64"),
            "Rata-rata interaksi": pd.to_numeric(board["mean_interactions"]).astype("float64"),
        }
    )
    columns = {
        "Unggahan": Column(kind="number"),
        "Rata-rata interaksi": Column(kind="number", decimals=1),
    }
    return TableView(frame, columns)


def best_times_table(slots: pd.DataFrame) -> TableView:
    frame = pd.DataFrame(
        {
            "Hari": [fmt.WEEKDAYS[int(d)] for d in slots["weekday"]],
            "Jam (WIB)": [f"{int(h):02d}.00–{int(h):02d}.59" for h in slots["hour"]],
            "Unggahan": pd.to_numeric(slots["posts"]).astype("float64"),
            "Rata-rata tingkat interaksi": pd.to_numeric(slots["engagement_rate"]).astype(
                "float64"
            ),
        }
    )
    columns = {
        "Unggahan": Column(kind="number"),
        "Rata-rata tingkat interaksi": Column(kind="number", decimals=2, suffix="%"),
    }
    return TableView(frame, columns)


# ---- header words ---------------------------------------------------------------------------


UNREADABLE_FALLBACK = (
    "Pengambilan data terakhir gagal. Periksa bahwa akun ini masih ada dan terbuka untuk umum; "
    "bila sudah, hubungi Bidang Komunikasi Publik Diskominfo."
)
NO_DATA_NOTE = (
    "Akun ini belum pernah diambil datanya. Pengambilan data pertama berjalan otomatis "
    "dalam beberapa menit setelah akun didaftarkan; muat ulang halaman ini sesudahnya."
)


def status_text(detail: AccountDetail) -> str:
    return STATUS_LABELS.get(detail.status, detail.status)


def last_post_text(detail: AccountDetail) -> str:
    if detail.last_posted_at is None or detail.days_since_last_post is None:
        if detail.status in UNRANKED:  # unknown, not "never"
            return "belum ada unggahan yang terbaca"
        return "belum pernah mengunggah"
    last = pd.Timestamp(detail.last_posted_at).to_pydatetime()
    ago = fmt.days_ago(last, detail.as_of)  # WIB calendar dates, not 24-hour spans
    return f"terakhir aktif {ago} ({fmt.date_time(last)})"


# ---- Panduan --------------------------------------------------------------------------------


def _weight_texts(weights: dict[str, float]) -> dict[str, str]:
    total = sum(weights.values())
    return {
        f"w_{name}": fmt.percent(weights.get(name, 0.0) / total * 100, 0)
        for name in ("consistency", "engagement", "growth", "caption")
    }


def _platform_thresholds(settings: Settings) -> str:
    special = settings.thresholds_per_platform()
    if not special:
        return "Ambang yang sama berlaku untuk semua platform."
    parts = [
        f"{PLATFORM_LABELS.get(p, p)}: aktif sampai {active} hari, dorman lebih dari {dormant} hari"
        for p, (active, dormant) in sorted(special.items())
    ]
    return "Ambang khusus per platform: " + "; ".join(parts) + "."


def guide_text(settings: Settings) -> str:
    """docs/panduan_id.md with the live thresholds and weights filled in."""
    active, dormant = settings.active_days_int, settings.dormant_days_int
    values = {
        "active_days": str(active),
        "at_risk_from": str(active + 1),
        "dormant_days": str(dormant),
        "platform_thresholds": _platform_thresholds(settings),
        **_weight_texts(settings.index_weights_map()),
    }
    return GUIDE_FILE.read_text(encoding="utf-8").format(**values)


def initial_account(choices: dict[int, str], wanted: str | None) -> int:
    """Index of the account named in the URL (``?akun=12``), else of the first one."""
    ids = list(choices)
    if wanted and wanted.isdigit() and int(wanted) in choices:
        return ids.index(int(wanted))
    return 0


# ---- Cek Caption ----------------------------------------------------------------------------


def typos_table(report: CaptionReport) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Kata": [t.word for t in report.typos],
            "Mungkin maksudnya": [", ".join(t.suggestions) or fmt.MISSING for t in report.typos],
        }
    )


def jargon_table(report: CaptionReport) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Istilah": [j.term for j in report.jargon],
            "Kata yang lebih mudah": [j.suggestion for j in report.jargon],
        }
    )


def outside_rule(report: CaptionReport) -> bool:
    """True when the featured person is not one the office's rule allows."""
    return report.official_level not in LEVELS_WITHIN_RULE
