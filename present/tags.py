"""The hashtag and mention leaderboards as tables people read: which tag, how often, and which
accounts use it ("Dinas Kesehatan (Instagram demo.dinkes), … dan 3 akun lainnya")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from core import fmt
from present.labels import platform_label
from present.tables import Column, TableView

MAX_NAMED = 5  # accounts named per tag; the rest are counted ("… dan 3 akun lainnya")


def account_names(accounts: pd.DataFrame) -> dict[int, tuple[str, str]]:
    """Account id → (OPD name, 'Platform handle'); ``accounts`` has account_id, opd_name,
    platform and handle."""
    return {
        int(a): (str(o), f"{platform_label(str(p))} {h}")
        for a, o, p, h in accounts[["account_id", "opd_name", "platform", "handle"]].itertuples(
            index=False
        )
    }


def users_text(
    ids: Sequence[int], names: Mapping[int, tuple[str, str]], limit: int = MAX_NAMED
) -> str:
    """The first ``limit`` accounts, grouped by OPD in order of first mention, then how many
    more: 'Dinas Kesehatan (Instagram demo.dinkes, TikTok demo.dinkes), … dan 2 akun lainnya'."""
    by_opd: dict[str, list[str]] = {}
    for account_id in ids[:limit]:
        opd, account = names.get(int(account_id), (fmt.MISSING, fmt.MISSING))
        by_opd.setdefault(opd, []).append(account)
    shown = ", ".join(f"{opd} ({', '.join(accounts)})" for opd, accounts in by_opd.items())
    rest = len(ids) - limit
    return f"{shown}, … dan {fmt.number(rest)} akun lainnya" if rest > 0 else shown


# the counts stay numbers, so the browser sorts them; no known interaction (e.g. a website's
# posts only) reads as "–"
BOARD_COLUMNS = {
    "Unggahan": Column(kind="number"),
    "Jumlah akun": Column(kind="number"),
    "Rata-rata interaksi": Column(kind="number", decimals=1),
}


def tag_board_table(
    board: pd.DataFrame, names: Mapping[int, tuple[str, str]], prefix: str, label: str
) -> TableView:
    """A leaderboard (metrics.hashtags.BOARD_COLUMNS) with Indonesian headers; numbers stay
    numbers."""
    frame = pd.DataFrame(
        {
            label: [f"{prefix}{t}" for t in board["tag"]],
            "Unggahan": pd.to_numeric(board["posts"]).astype("float64"),
            "Jumlah akun": pd.to_numeric(board["accounts"]).astype("float64"),
            "Rata-rata interaksi": pd.to_numeric(board["mean_interactions"]).astype("float64"),
            # the long text last, so the numbers stay in view on a narrow screen
            "Dipakai oleh": [users_text(ids, names) for ids in board["account_ids"]],
        }
    ).reset_index(drop=True)
    return TableView(frame, dict(BOARD_COLUMNS))
