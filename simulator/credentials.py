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
SIM_META_APP_ID = "1044000000000001"
SIM_META_APP_SECRET = "sim-meta-app-secret"  # noqa: S105  # nosec B105 - fake
SIM_GOOGLE_CLIENT_ID = "1044-simulator.apps.googleusercontent.com"
SIM_GOOGLE_CLIENT_SECRET = "GOCSPX-simulatorGoogleSecret"  # noqa: S105  # nosec B105 - fake

# where the simulator serves each platform's OAuth consent (paths under ``Simulator.root``)
META_AUTHORIZE_PATH = "/facebook/v25.0/dialog/oauth"
TIKTOK_AUTHORIZE_PATH = "/tiktok/v2/auth/authorize/"
GOOGLE_AUTHORIZE_PATH = "/google/o/oauth2/v2/auth"
GOOGLE_TOKEN_PATH = "/google/token"  # noqa: S105  # nosec B105 - a path
GOOGLE_REVOKE_PATH = "/google/revoke"


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

    root: str

    def base_urls(self) -> dict[str, str]: ...


def sim_settings_env(sim: Served) -> dict[str, str]:
    """Every ``PANTAU_*`` variable that points Pantau at ``sim``: base URLs and credentials."""
    root = sim.root
    return {
        **sim.base_urls(),
        "PANTAU_IG_USER_ID": SIM_IG_USER_ID,
        "PANTAU_META_TOKEN": SIM_META_TOKEN,
        "PANTAU_YOUTUBE_API_KEY": SIM_YOUTUBE_KEY,
        "PANTAU_X_BEARER_TOKEN": SIM_X_BEARER,
        "PANTAU_TIKTOK_CLIENT_KEY": SIM_TIKTOK_CLIENT_KEY,
        "PANTAU_TIKTOK_CLIENT_SECRET": SIM_TIKTOK_CLIENT_SECRET,
        "PANTAU_TIKTOK_AUTHORIZE_URL": root + TIKTOK_AUTHORIZE_PATH,
        "PANTAU_META_APP_ID": SIM_META_APP_ID,
        "PANTAU_META_APP_SECRET": SIM_META_APP_SECRET,
        "PANTAU_META_AUTHORIZE_URL": root + META_AUTHORIZE_PATH,
        "PANTAU_GOOGLE_CLIENT_ID": SIM_GOOGLE_CLIENT_ID,
        "PANTAU_GOOGLE_CLIENT_SECRET": SIM_GOOGLE_CLIENT_SECRET,
        "PANTAU_GOOGLE_AUTHORIZE_URL": root + GOOGLE_AUTHORIZE_PATH,
        "PANTAU_GOOGLE_TOKEN_URL": root + GOOGLE_TOKEN_PATH,
        "PANTAU_GOOGLE_REVOKE_URL": root + GOOGLE_REVOKE_PATH,
    }
