"""How many accounts are in each connection state (Sambungkan Akun's overview)."""

from __future__ import annotations

import pandas as pd


def state_counts(accounts: pd.DataFrame) -> pd.DataFrame:
    """Keadaan and number of accounts, the most common first."""
    if accounts.empty:
        return pd.DataFrame({"Keadaan": [], "Akun": []})
    counts = accounts["state_label"].value_counts()
    return pd.DataFrame({"Keadaan": counts.index, "Akun": counts.to_numpy()})
