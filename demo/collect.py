"""Collect the demo world's posts through the platform simulator with the real collectors.

So `make run` exercises every collector end to end. The simulator runs in-process (no socket,
no latency); its credentials are fake, and the TikTok tokens are sealed with a throw-away key.
"""

from __future__ import annotations

from cryptography.fernet import Fernet
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from collectors.http import HttpOptions
from collectors.run import PassReport
from collectors.service import enrich, pass_options, run_collection
from core.settings import load_settings
from db import repository as repo
from db.engine import make_session_factory
from demo.world import DemoWorld
from simulator import Simulator, sim_settings_env
from simulator.builders import world_from_demo


def _no_wait(_seconds: float) -> None:
    """The in-process simulator answers at once; nothing is worth waiting for."""


def collect_demo(engine: Engine, world: DemoWorld) -> PassReport:
    """One collection pass over every demo account, served by the simulator."""
    sim = Simulator(world_from_demo(world), sleep=_no_wait)
    env = sim_settings_env(sim) | {"PANTAU_SECRET_KEY": Fernet.generate_key().decode()}
    settings = load_settings(environ=env)
    factory = make_session_factory(engine)
    with factory() as session:
        store_demo_tokens(session, sim, settings.secret_key)
    report, _requests = run_collection(
        factory, settings, pass_options(settings), sim.transport(), HttpOptions(sleep=_no_wait)
    )
    enrich(factory, settings)
    return report


def store_demo_tokens(session: Session, sim: Simulator, secret_key: str) -> None:
    """TikTok needs a per-account token; the simulator's are derived from the handle."""
    for (platform, handle), account_id in repo.account_ids_by_handle(session).items():
        if platform == "tiktok" and sim.world.find(platform, handle) is not None:
            token = sim.world.tiktok_token(handle)
            repo.save_token(session, account_id, repo.TokenPair(token), secret_key)
    session.commit()
