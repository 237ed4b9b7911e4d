"""The simulator as a loopback server: real sockets on 127.0.0.1 only, bounded, shut down."""

from __future__ import annotations

import httpx
import pytest

from simulator import Fault, Simulator
from simulator.credentials import SIM_IG_USER_ID, SIM_META_TOKEN, SIM_X_BEARER, SIM_YOUTUBE_KEY
from simulator.server import SimServer, check_loopback, serve, setup_lines, start_server
from tests.test_simulator_support import IG_FIELDS, expected_ids, small_world


@pytest.fixture
def server():
    sim = Simulator(small_world(), sleep=lambda _: None)
    with start_server(sim, port=0) as running:
        yield running


def test_server_serves_the_same_shapes_and_paging(server: SimServer) -> None:
    sim = server.sim
    assert server.url.startswith("http://127.0.0.1:") and server.port > 0
    env = sim.base_urls()
    assert env["PANTAU_FACEBOOK_BASE_URL"] == f"{server.url}/facebook/v25.0"
    with httpx.Client(timeout=5) as client:
        account = sim.world.account("facebook", "humas_sintang")
        url: str | None = f"{env['PANTAU_FACEBOOK_BASE_URL']}/{account.platform_id}/posts"
        params: dict[str, str] | None = {"access_token": SIM_META_TOKEN, "limit": "10"}
        ids = []
        while url:
            body = client.get(url, params=params).json()
            ids += [p["id"] for p in body["data"]]
            url, params = body.get("paging", {}).get("next"), None
            assert url is None or url.startswith(server.url)
        assert ids == expected_ids(sim, "facebook")
        fields = IG_FIELDS.format(user="humas_sintang", media=".limit(5)")
        ig = client.get(
            f"{env['PANTAU_INSTAGRAM_BASE_URL']}/{SIM_IG_USER_ID}",
            params={"fields": fields, "access_token": SIM_META_TOKEN},
        )
        assert ig.status_code == 200 and "x-app-usage" in ig.headers
        site = client.get(
            f"{env['PANTAU_WEBSITE_BASE_URL']}/humas.sintang.example/wp-json/wp/v2/posts"
        )
        assert site.headers["x-wp-totalpages"] == "3"
    assert sim.stats.count("facebook", "posts") == 3


def test_server_faults_and_post_body(server: SimServer) -> None:
    sim = server.sim
    sim.faults.add(Fault("rate_limit", platform="x", times=1))
    url = f"{sim.base_url('x')}/users/by/username/humas_sintang"
    with httpx.Client(timeout=5, headers={"Authorization": f"Bearer {SIM_X_BEARER}"}) as client:
        assert client.get(url).status_code == 429
        assert client.get(url).status_code == 200
    token = sim.world.tiktok_token("humas_sintang")
    with httpx.Client(timeout=5, headers={"Authorization": f"Bearer {token}"}) as client:
        listed = client.post(
            f"{sim.base_url('tiktok')}/video/list/", params={"fields": "id"}, json={"max_count": 3}
        ).json()
        assert [v["id"] for v in listed["data"]["videos"]] == expected_ids(sim, "tiktok")[:3]


def test_server_timeout_is_bounded_silence(server: SimServer) -> None:
    sim = server.sim
    sim.faults.add(Fault("timeout", platform="youtube", seconds=0.5, times=1))
    url = f"{sim.base_url('youtube')}/channels"
    params = {"key": SIM_YOUTUBE_KEY, "part": "id", "forHandle": "@humas_sintang"}
    with httpx.Client(timeout=0.2) as client, pytest.raises(httpx.ReadTimeout):
        client.get(url, params=params)
    with httpx.Client(timeout=5) as client:
        assert client.get(url, params=params).json()["pageInfo"]["totalResults"] == 1


@pytest.mark.parametrize(
    "host",
    [
        "0.0.0.0",  # noqa: S104 (refused, never bound)
        "192.168.1.10",
        "example.com",
        "::",
    ],
)
def test_server_refuses_non_loopback_addresses(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        check_loopback(host)
    with pytest.raises(ValueError, match="loopback"):
        serve(0, small_world(), host=host)


def test_setup_lines_print_every_setting() -> None:
    lines = setup_lines(Simulator(small_world()))
    assert "export PANTAU_X_BEARER_TOKEN=AAAASimulatorXBearerToken0000" in lines
    assert any(line.startswith("export PANTAU_TIKTOK_BASE_URL=") for line in lines)
    assert any("humas_sintang  act.sim" in line for line in lines)
