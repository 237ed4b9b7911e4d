"""Collect the demo world's posts through the platform simulator with the real collectors.

So `make run` exercises every collector end to end. The simulator runs in-process (no socket,
no latency); its credentials are fake, and the TikTok tokens are sealed with a throw-away key.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields, replace

from cryptography.fernet import Fernet
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from collectors.http import HttpOptions
from collectors.run import PassOptions, PassReport
from collectors.service import pass_options, run_collection
from core.settings import Settings
from db import repository as repo
from db import tokens as token_store
from db.engine import make_session_factory
from demo.quirks import Quirks
from demo.simworld import world_from_demo
from demo.world import DemoWorld
from simulator import Fault, Simulator, sim_settings_env
from simulator.credentials import facebook_page_token

# OPDs whose admins connected their Facebook Page (and its linked Instagram account) in the
# demo, so Detail Akun, Peringkat and the briefing show reply rates; the others stay public
OWNER_CONNECTED = frozenset({"demo.diskominfo", "demo.dinkes", "demo.disdukcapil", "demo.bpbd"})
OWNER_SCOPES = ",".join((
    "pages_show_list", "pages_read_engagement", "pages_read_user_content", "instagram_basic",
    "instagram_manage_comments",
))  # fmt: skip


def _no_wait(_seconds: float) -> None:
    """The in-process simulator answers at once; nothing is worth waiting for."""


def collect_demo(engine: Engine, world: DemoWorld, settings: Settings) -> PassReport:
    """One collection pass over every demo account, served by the simulator. Writes only:
    the caller brings the derived data up to date (``refresh.after_write``)."""
    source = DemoSource(world, settings)
    return source.collect(make_session_factory(engine), pass_options(source.settings))


class DemoSource:
    """The demo world served by an in-process simulator, for one pass or for the worker's
    repeated passes (built once: building the world takes a few seconds)."""

    def __init__(self, world: DemoWorld, base: Settings) -> None:
        self.sim = Simulator(world_from_demo(world), sleep=_no_wait)
        self.quirks = world.quirks
        self.deleted = False
        if world.quirks.personal is not None:  # answers as a personal account would
            platform, handle = world.quirks.personal
            self.sim.faults.add(Fault("not_found", platform=platform, handle=handle))
        env = sim_settings_env(self.sim) | {"PANTAU_SECRET_KEY": Fernet.generate_key().decode()}
        by_env = {f.metadata["env"]: f.name for f in fields(Settings)}
        self.settings = replace(base, **{by_env[k]: v for k, v in env.items() if k in by_env})

    def unexpected_failures(self, report: PassReport) -> list[str]:
        """Accounts that failed other than the quirks that fail on purpose (a bug if any)."""
        return unexpected_failures(report, self.quirks)

    def collect(self, factory: sessionmaker[Session], options: PassOptions) -> PassReport:
        with factory() as session:
            store_demo_tokens(session, self.sim, self.settings.secret_key, self.quirks.unreadable)
        report, _requests = run_collection(
            factory, self.settings, options, self.sim.transport(), HttpOptions(sleep=_no_wait)
        )
        self._delete_a_read_post()
        return report

    def _delete_a_read_post(self) -> None:
        """Once read, the quirk account deletes its newest post, as admins do (kept by Pantau)."""
        if self.quirks.deletes_a_post is None or self.deleted:
            return
        platform, handle = self.quirks.deletes_a_post
        visible = self.sim.world.visible_posts(platform, handle)
        if visible:
            newest = max(visible, key=lambda post: post.posted_at)
            self.sim.world.delete_post(platform, handle, newest.post_id)
            self.deleted = True


def unexpected_failures(report: PassReport, quirks: Quirks) -> list[str]:
    """``platform handle`` of every account that failed but the demo's unreadable quirks."""
    return [
        f"{o.account.platform} {o.account.handle}"
        for o in report.outcomes
        if not o.ok and (o.account.platform, o.account.handle) not in quirks.unreadable
    ]


def store_demo_tokens(
    session: Session, sim: Simulator, secret_key: str, without: Collection[tuple[str, str]] = ()
) -> None:
    """TikTok needs a per-account token; the simulator's are derived from the handle. The
    Facebook Pages and Instagram accounts of ``OWNER_CONNECTED`` hold their Page token, as
    after Sambungkan Akun. The accounts in ``without`` never got one (their owner did not
    authorise Pantau)."""
    for (platform, handle), account_id in repo.account_ids_by_handle(session).items():
        if (platform, handle) in without or sim.world.find(platform, handle) is None:
            continue
        if platform == "tiktok":
            token = sim.world.tiktok_token(handle)
            token_store.save_token(session, account_id, token_store.TokenPair(token), secret_key)
        elif platform in ("facebook", "instagram") and handle in OWNER_CONNECTED:
            pair = token_store.TokenPair(facebook_page_token(handle))
            grant = token_store.Grant("oauth", "demo", OWNER_SCOPES)
            token_store.save_token(session, account_id, pair, secret_key, grant)
    session.commit()
