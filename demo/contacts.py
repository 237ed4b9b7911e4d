"""The OPD admin contacts the demo world makes up (fictional names, numbers and e-mails), so
that leaving the demo can clear them again. Apart from :mod:`demo.load`, which reaches the
platform simulator, so the dashboard may import it."""

from __future__ import annotations

from demo.accounts import plan_accounts, read_opds, registry_records

DEMO_SEED = 2026  # build_world's default: the demo world of `cli.py demo`, `make run`, the worker


def demo_contacts(seed: int = DEMO_SEED) -> dict[str, tuple[str, str, str]]:
    """OPD code → the admin name, phone and e-mail the demo gives it."""
    opds = read_opds()
    rows = registry_records(opds, plan_accounts(opds, seed), seed)
    return {
        str(row["opd_code"]): (
            str(row["admin_name"]),
            str(row["admin_phone"]),
            str(row["admin_email"]),
        )
        for _line, row in rows
        if row["admin_email"]
    }
