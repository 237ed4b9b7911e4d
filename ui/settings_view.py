"""Widgets of the Pengaturan page that need more than a line (kept out of the page file)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import fmt
from core.settings import INDEX_COMPONENTS, Settings
from services.admin import REGISTRY_LABELS, ImportOutcome

# the editor keeps the CSV's column names (they are the file format); people read the labels,
# and a new row starts with empty text, not missing values
REGISTRY_HEADERS = {
    column: st.column_config.TextColumn(label, default="")
    for column, label in REGISTRY_LABELS.items()
}
UPLOAD_KINDS = {"registry": "Daftar OPD dan akun", "data": "Riwayat unggahan atau pengikut"}
WEIGHT_LABELS = {
    "consistency": "Konsistensi unggahan",
    "engagement": "Tingkat interaksi",
    "growth": "Pertumbuhan pengikut",
    "caption": "Kualitas caption",
}
WEIGHT_STEPS = [step / 20 for step in range(21)]  # 0, 0,05, …, 1: the weights' slider


def _nearest_step(weight: float) -> float:
    """A weight set elsewhere (the settings file) on the slider's nearest step."""
    return min(WEIGHT_STEPS, key=lambda step: abs(step - weight))


def _weight_label(weight: float) -> str:
    return fmt.number(weight, 2)


def show_outcome(outcome: ImportOutcome) -> None:
    (st.success if outcome.ok else st.warning)(outcome.summary)
    for problem in outcome.problems[:50]:
        st.text(problem)
    if len(outcome.problems) > 50:
        st.text(f"… dan {len(outcome.problems) - 50} masalah lain.")


def active_changes(before: pd.DataFrame, after: pd.DataFrame) -> dict[int, bool]:
    merged = before[["account_id", "active"]].merge(
        after[["account_id", "active"]], on="account_id", suffixes=("_old", "_new")
    )
    changed = merged[merged["active_old"] != merged["active_new"]]
    return {
        int(a): bool(v) for a, v in zip(changed["account_id"], changed["active_new"], strict=True)
    }


def threshold_values(settings: Settings) -> dict[str, str]:
    """The form for thresholds and weights; returns the values as setting strings."""
    left, right = st.columns(2)
    active = left.number_input("Aktif: unggahan terakhir paling lama (hari)", 1, 365,
                               settings.active_days_int, key="active_days")  # fmt: skip
    dormant = left.number_input("Dorman: tanpa unggahan lebih dari (hari)", 2, 730,
                                settings.dormant_days_int, key="dormant_days")  # fmt: skip
    escalate = left.number_input("Eskalasi: hari setelah pengingat", 1, 90,
                                 int(settings.escalate_days), key="escalate_days")  # fmt: skip
    per_platform = left.text_input(
        "Ambang khusus per platform (contoh: youtube=30:60)", settings.thresholds, key="thresholds"
    )
    weights = settings.index_weights_map()
    chosen = {
        name: right.select_slider(  # a select slider: its labels read "0,35", not "0.35"
            WEIGHT_LABELS[name],
            WEIGHT_STEPS,
            _nearest_step(weights.get(name, 0.0)),
            format_func=_weight_label,
            key=f"weight_{name}",
        )
        for name in INDEX_COMPONENTS
    }
    alerts = _alert_values(settings)
    return {
        "PANTAU_ACTIVE_DAYS": str(int(active)),
        "PANTAU_DORMANT_DAYS": str(int(dormant)),
        "PANTAU_ESCALATE_DAYS": str(int(escalate)),
        "PANTAU_THRESHOLDS": per_platform.strip(),
        "PANTAU_INDEX_WEIGHTS": ",".join(f"{k}={v:g}" for k, v in chosen.items()),
        **alerts,
    }


def _alert_values(settings: Settings) -> dict[str, str]:
    """The alerts' thresholds (Peringatan on Ringkasan), one row below the others."""
    drop_pct, drop_min, breakout_z = settings.alert_thresholds()
    st.markdown("**Peringatan**")
    cols = st.columns(3)
    pct = cols[0].number_input("Pengikut turun dalam 7 hari, paling sedikit (%)", 1, 99,
                               drop_pct, key="alert_drop_pct")  # fmt: skip
    least = cols[1].number_input("…dan paling sedikit (jumlah pengikut)", 1, 1_000_000,
                                 drop_min, key="alert_drop_min")  # fmt: skip
    z = cols[2].number_input("Unggahan menonjol: skor z paling sedikit", 3.5, 1000.0,
                             breakout_z, 0.5, format="%.1f", key="alert_breakout_z")  # fmt: skip
    return {
        "PANTAU_ALERT_FOLLOWER_DROP_PCT": str(int(pct)),
        "PANTAU_ALERT_FOLLOWER_DROP_MIN": str(int(least)),
        "PANTAU_ALERT_BREAKOUT_Z": f"{float(z):g}",
    }
