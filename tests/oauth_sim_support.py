"""Shared helpers (no tests here) for the simulator's OAuth tests: a world with two OPDs'
Pages, the app's redirect address, and reading the ``302`` a consent answers."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx

from simulator import SimPost, Simulator
from tests.test_simulator_support import NOW, small_world

REDIRECT = "http://127.0.0.1:8501/"
STATE = "Zx81kq-acak"


def oauth_sim() -> Simulator:
    world = small_world()
    # a second OPD: its Instagram account has another handle but the same name (the OPD)
    post = SimPost("fb-dinkes-1", NOW - timedelta(days=1), caption="Posyandu keliling")
    world.add_account("facebook", "dinkes_sintang", name="Dinas Kesehatan", posts=[post])
    world.add_account("instagram", "dinkes.sintang", name="Dinas Kesehatan")
    world.add_account("facebook", "pasar_sintang", name="UPT Pasar <Sintang> & Co")  # no IG
    return Simulator(world, sleep=lambda _: None)


def query_of(response: httpx.Response) -> dict[str, str]:
    """The query the consent sends the app back with (asserting it is a 302 to the app)."""
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
