"""A small world for the credential check's tests: two OPDs' accounts on the simulator and in the
registry, their TikTok tokens and one Facebook Page token stored encrypted."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from db import repository as repo
from db import tokens as token_store
from simulator import SimWorld, sim_settings_env
from simulator.credentials import Served, facebook_page_token
from tests.clock import FIXED_NOW

OPDS = {"DINKES": "Dinas Kesehatan", "DISHUB": "Dinas Perhubungan"}
ACCOUNTS = [
    ("DINKES", "instagram", "dinkes.sintang"),
    ("DISHUB", "instagram", "dishub.sintang"),
    ("DINKES", "facebook", "dinkessintang"),
    ("DISHUB", "facebook", "dishubsintang"),
    ("DINKES", "youtube", "dinkessintang"),
    ("DINKES", "x", "dinkes_sintang"),
    ("DINKES", "tiktok", "dinkes.sintang"),
    ("DISHUB", "tiktok", "dishub.sintang"),
]
PAGE_WITH_TOKEN = "dishubsintang"  # its admin connected the Page: Pantau holds its Page token
# the Meta and Google apps are left out: their checks are tested on their own
APP_SETTINGS = (
    "PANTAU_META_APP_ID", "PANTAU_META_APP_SECRET",
    "PANTAU_GOOGLE_CLIENT_ID", "PANTAU_GOOGLE_CLIENT_SECRET",
)  # fmt: skip


def check_world() -> SimWorld:
    world = SimWorld(FIXED_NOW)
    for _opd, platform, handle in ACCOUNTS:
        world.add_account(platform, handle, followers=1200, name=f"Akun {handle}")
    return world


def register(session: Session, world: SimWorld, secret_key: str) -> dict[tuple[str, str], int]:
    """The accounts in the registry, each TikTok account's token and one Page token stored."""
    opds = {code: repo.upsert_opd(session, code, name, "dinas") for code, name in OPDS.items()}
    ids = {
        (platform, handle): repo.upsert_account(session, opds[code], platform, handle).id
        for code, platform, handle in ACCOUNTS
    }
    for (platform, handle), account_id in ids.items():
        if platform == "tiktok":
            pair = token_store.TokenPair(world.tiktok_token(handle))
            token_store.save_token(session, account_id, pair, secret_key)
    page = token_store.TokenPair(facebook_page_token(PAGE_WITH_TOKEN))
    token_store.save_token(session, ids[("facebook", PAGE_WITH_TOKEN)], page, secret_key)
    session.commit()
    return ids


def office_env(sim: Served, secret_key: str) -> dict[str, str]:
    """The simulator's settings without the apps, and the key the tokens are sealed with."""
    env = {k: v for k, v in sim_settings_env(sim).items() if k not in APP_SETTINGS}
    return env | {"PANTAU_SECRET_KEY": secret_key}


def secret_values(env: Mapping[str, str], world: SimWorld) -> list[str]:
    """Every secret the check handled: the settings' secrets and every account's token."""
    secret = ("TOKEN", "SECRET", "KEY")
    values = [v for k, v in env.items() if any(m in k for m in secret) and not k.endswith("_URL")]
    values += [world.tiktok_token(a.handle) for a in world.accounts("tiktok")]
    values.append(facebook_page_token(PAGE_WITH_TOKEN))
    return [v for v in values if v]
