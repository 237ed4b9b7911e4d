"""The fake credentials the simulator accepts. They open nothing real: fine to print."""

from __future__ import annotations

from typing import Protocol

from simulator.ids import hex_digest

SIM_META_TOKEN = "EAAGsimulatorMetaToken0000"  # noqa: S105  # nosec B105 - fake, public
SIM_IG_USER_ID = "17841400000000000"
SIM_YOUTUBE_KEY = "AIzaSimulatorYoutubeKey000000000000000"
SIM_X_BEARER = "AAAASimulatorXBearerToken0000"
SIM_TIKTOK_CLIENT_KEY = "sim-tiktok-client-key"
SIM_TIKTOK_CLIENT_SECRET = "sim-tiktok-client-secret"  # noqa: S105  # nosec B105 - fake


def tiktok_token(handle: str) -> str:
    """The per-account TikTok access token: derived from the handle, so always the same."""
    return "act.sim" + hex_digest(f"tiktok-access:{handle.lower()}")


def tiktok_refresh_token(handle: str) -> str:
    return "rft.sim" + hex_digest(f"tiktok-refresh:{handle.lower()}")


def facebook_page_token(handle: str) -> str:
    """A per-Page token, accepted for that Page only (``SIM_META_TOKEN`` works for all)."""
    return "EAAPsim" + hex_digest(f"facebook-page:{handle.lower()}")


class Served(Protocol):
    """What the settings need of a simulator (``simulator.core.Simulator`` has it)."""

    def base_urls(self) -> dict[str, str]: ...


def sim_settings_env(sim: Served) -> dict[str, str]:
    """Every ``PANTAU_*`` variable that points Pantau at ``sim``: base URLs and credentials."""
    return {
        **sim.base_urls(),
        "PANTAU_IG_USER_ID": SIM_IG_USER_ID,
        "PANTAU_META_TOKEN": SIM_META_TOKEN,
        "PANTAU_YOUTUBE_API_KEY": SIM_YOUTUBE_KEY,
        "PANTAU_X_BEARER_TOKEN": SIM_X_BEARER,
        "PANTAU_TIKTOK_CLIENT_KEY": SIM_TIKTOK_CLIENT_KEY,
        "PANTAU_TIKTOK_CLIENT_SECRET": SIM_TIKTOK_CLIENT_SECRET,
    }
