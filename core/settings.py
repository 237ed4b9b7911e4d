"""All configuration, read in one place.

Precedence (highest first): the process environment; the settings file named by
``PANTAU_ENV_FILE`` (or, when that variable is unset, ``/etc/pantau/pantau.env`` if it exists:
the file the systemd units of docs/deploy.md load, so a command typed on the server reads the
same settings and database as the services); the project's ``.env``;
``.streamlit/secrets.toml`` (flat ``NAME = "value"`` keys); then the defaults below.
Secrets are never printed: :meth:`Settings.redacted` masks them, and
:attr:`Settings.files` names the files that were read, never their contents.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from core.public_url import public_base_url
from core.redact import REDACTED, redact_url_password

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_FILE_VARIABLE = "PANTAU_ENV_FILE"
SYSTEM_ENV_FILE = Path("/etc/pantau/pantau.env")  # read when it exists and nothing else is named

SECRET_MARKERS = ("TOKEN", "SECRET", "PASSWORD", "KEY")
INDEX_COMPONENTS = ("consistency", "engagement", "growth", "caption")
SMTP_SECURITY = ("starttls", "ssl", "none")
SQLITE_SYNC = ("NORMAL", "FULL")  # PRAGMA synchronous with WAL (docs/deploy.md)


class SettingsError(ValueError):
    """A setting has a value Pantau cannot use; the message names the setting."""


def _env_field(name: str, default: str = "", *, secret: bool = False) -> str:
    return field(default=default, metadata={"env": name, "secret": secret})


def _note_field(secret: bool = False) -> str:
    """A field that is no setting: its empty ``env`` makes every loop over settings skip it."""
    return field(default="", compare=False, metadata={"env": "", "secret": secret})


@dataclass(frozen=True)
class Settings:
    """Typed, immutable view of the configuration."""

    database_url: str = _env_field("DATABASE_URL", "sqlite:///data/pantau.db")
    sqlite_sync: str = _env_field("PANTAU_SQLITE_SYNC", "NORMAL")
    timezone: str = _env_field("PANTAU_TIMEZONE", "Asia/Pontianak")
    host: str = _env_field("PANTAU_HOST", "127.0.0.1")
    port: str = _env_field("PANTAU_PORT", "8501")
    regency_name: str = _env_field("PANTAU_REGENCY", "Kabupaten Sintang")
    office_name: str = _env_field("PANTAU_OFFICE_NAME")  # the briefing's letterhead
    office_logo: str = _env_field("PANTAU_OFFICE_LOGO")  # a PNG or JPG path; empty: no logo
    instagram_base_url: str = _env_field(
        "PANTAU_INSTAGRAM_BASE_URL", "https://graph.facebook.com/v25.0"
    )
    facebook_base_url: str = _env_field(
        "PANTAU_FACEBOOK_BASE_URL", "https://graph.facebook.com/v25.0"
    )
    youtube_base_url: str = _env_field(
        "PANTAU_YOUTUBE_BASE_URL", "https://www.googleapis.com/youtube/v3"
    )
    tiktok_base_url: str = _env_field("PANTAU_TIKTOK_BASE_URL", "https://open.tiktokapis.com/v2")
    x_base_url: str = _env_field("PANTAU_X_BASE_URL", "https://api.x.com/2")
    ig_user_id: str = _env_field("PANTAU_IG_USER_ID")
    meta_token: str = _env_field("PANTAU_META_TOKEN", secret=True)
    youtube_api_key: str = _env_field("PANTAU_YOUTUBE_API_KEY", secret=True)
    x_bearer_token: str = _env_field("PANTAU_X_BEARER_TOKEN", secret=True)
    tiktok_client_key: str = _env_field("PANTAU_TIKTOK_CLIENT_KEY", secret=True)
    tiktok_client_secret: str = _env_field("PANTAU_TIKTOK_CLIENT_SECRET", secret=True)
    secret_key: str = _env_field("PANTAU_SECRET_KEY", secret=True)
    # owner consent (Sambungkan Akun): the dashboard's public address and each platform's app
    public_url: str = _env_field("PANTAU_PUBLIC_URL")
    meta_app_id: str = _env_field("PANTAU_META_APP_ID")
    meta_app_secret: str = _env_field("PANTAU_META_APP_SECRET", secret=True)
    meta_config_id: str = _env_field("PANTAU_META_CONFIG_ID")  # Facebook Login for Business
    meta_authorize_url: str = _env_field(
        "PANTAU_META_AUTHORIZE_URL", "https://www.facebook.com/v25.0/dialog/oauth"
    )
    tiktok_authorize_url: str = _env_field(
        "PANTAU_TIKTOK_AUTHORIZE_URL", "https://www.tiktok.com/v2/auth/authorize/"
    )
    google_client_id: str = _env_field("PANTAU_GOOGLE_CLIENT_ID")
    google_client_secret: str = _env_field("PANTAU_GOOGLE_CLIENT_SECRET", secret=True)
    google_authorize_url: str = _env_field(
        "PANTAU_GOOGLE_AUTHORIZE_URL", "https://accounts.google.com/o/oauth2/v2/auth"
    )
    google_token_url: str = _env_field(
        "PANTAU_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token"
    )
    google_revoke_url: str = _env_field(
        "PANTAU_GOOGLE_REVOKE_URL", "https://oauth2.googleapis.com/revoke"
    )
    concurrency: str = _env_field("PANTAU_CONCURRENCY", "4")
    refresh_days: str = _env_field("PANTAU_REFRESH_DAYS", "30")
    youtube_daily_quota: str = _env_field("PANTAU_YOUTUBE_DAILY_QUOTA", "10000")
    thresholds: str = _env_field("PANTAU_THRESHOLDS", "")
    index_weights: str = _env_field(
        "PANTAU_INDEX_WEIGHTS", "consistency=0.35,engagement=0.35,growth=0.15,caption=0.15"
    )
    escalate_days: str = _env_field("PANTAU_ESCALATE_DAYS", "7")
    active_days: str = _env_field("PANTAU_ACTIVE_DAYS", "14")
    dormant_days: str = _env_field("PANTAU_DORMANT_DAYS", "30")
    follower_drop_pct: str = _env_field("PANTAU_ALERT_FOLLOWER_DROP_PCT", "10")
    follower_drop_min: str = _env_field("PANTAU_ALERT_FOLLOWER_DROP_MIN", "50")
    breakout_z: str = _env_field("PANTAU_ALERT_BREAKOUT_Z", "10")
    collect_interval_hours: str = _env_field("PANTAU_COLLECT_INTERVAL_HOURS", "6")
    collect_jitter_minutes: str = _env_field("PANTAU_COLLECT_JITTER_MINUTES", "15")
    dormancy_check_hour: str = _env_field("PANTAU_DORMANCY_CHECK_HOUR", "8")
    reports_dir: str = _env_field("PANTAU_REPORTS_DIR", "data/reports")
    log_dir: str = _env_field("PANTAU_LOG_DIR", "data/logs")
    smtp_host: str = _env_field("PANTAU_SMTP_HOST")
    smtp_port: str = _env_field("PANTAU_SMTP_PORT", "587")
    smtp_user: str = _env_field("PANTAU_SMTP_USER")
    smtp_password: str = _env_field("PANTAU_SMTP_PASSWORD", secret=True)
    smtp_sender: str = _env_field("PANTAU_SMTP_FROM")
    smtp_security: str = _env_field("PANTAU_SMTP_SECURITY", "starttls")
    report_recipients: str = _env_field("PANTAU_REPORT_RECIPIENTS")
    session_hours: str = _env_field("PANTAU_SESSION_HOURS", "8")
    # not a setting: the files the values were read from (see ``files``), one path a line
    read_from: str = _note_field()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(f"PANTAU_TIMEZONE: unknown time zone {self.timezone!r}") from exc
        for name in (
            "port", "active_days", "dormant_days", "refresh_days", "youtube_daily_quota",
            "escalate_days", "collect_interval_hours", "smtp_port", "session_hours",
        ):  # fmt: skip
            self._int_setting(name)
        if not 0 <= self.collect_jitter_int <= 6 * 60:
            raise SettingsError("PANTAU_COLLECT_JITTER_MINUTES: use 0 to 360 minutes")
        if not 0 <= self.dormancy_check_hour_int <= 23:
            raise SettingsError("PANTAU_DORMANCY_CHECK_HOUR: use an hour from 0 to 23")
        if self.smtp_security not in SMTP_SECURITY:
            raise SettingsError(
                f"PANTAU_SMTP_SECURITY: use one of {', '.join(SMTP_SECURITY)}, "
                f"got {self.smtp_security!r}"
            )
        if self.sqlite_sync not in SQLITE_SYNC:
            raise SettingsError(f"PANTAU_SQLITE_SYNC: use NORMAL or FULL, got {self.sqlite_sync!r}")
        self.concurrency_map()
        self.public_base_url()
        self.thresholds_per_platform()
        self.index_weights_map()
        self.alert_thresholds()
        if self.active_days_int >= self.dormant_days_int:
            raise SettingsError("PANTAU_ACTIVE_DAYS must be smaller than PANTAU_DORMANT_DAYS")

    def _int_setting(self, name: str) -> int:
        raw = getattr(self, name)
        env_name = self.__dataclass_fields__[name].metadata["env"]
        try:
            value = int(raw)
        except ValueError as exc:
            raise SettingsError(f"{env_name}: expected a whole number, got {raw!r}") from exc
        if value <= 0:
            raise SettingsError(f"{env_name}: must be positive, got {value}")
        return value

    def public_base_url(self) -> str:
        """Where browsers reach the dashboard (``core.public_url``)."""
        try:
            return public_base_url(self.public_url, self.host, self.port)
        except ValueError as exc:
            raise SettingsError(str(exc)) from exc

    @property
    def files(self) -> tuple[str, ...]:
        """The settings files these values were read from, highest precedence first (paths
        only, never their contents)."""
        return tuple(filter(None, self.read_from.split("\n")))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def port_int(self) -> int:
        return self._int_setting("port")

    @property
    def active_days_int(self) -> int:
        return self._int_setting("active_days")

    @property
    def dormant_days_int(self) -> int:
        return self._int_setting("dormant_days")

    @property
    def collect_interval_int(self) -> int:
        """Hours between two collection passes of a platform."""
        return self._int_setting("collect_interval_hours")

    @property
    def session_hours_int(self) -> int:
        """Hours a dashboard sign-in lasts."""
        return self._int_setting("session_hours")

    @property
    def collect_jitter_int(self) -> int:
        return self._whole_number("collect_jitter_minutes")

    @property
    def dormancy_check_hour_int(self) -> int:
        return self._whole_number("dormancy_check_hour")

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host and self.smtp_sender)

    def report_recipient_list(self) -> list[str]:
        """``PANTAU_REPORT_RECIPIENTS``: addresses separated by commas or semicolons."""
        parts = self.report_recipients.replace(";", ",").split(",")
        return [p.strip() for p in parts if "@" in p]

    def _whole_number(self, name: str) -> int:
        raw = getattr(self, name)
        env_name = self.__dataclass_fields__[name].metadata["env"]
        if not raw.strip().isdigit():
            raise SettingsError(f"{env_name}: expected a whole number, got {raw!r}")
        return int(raw)

    def alert_thresholds(self) -> tuple[int, int, float]:
        """(follower drop in %, in followers, breakout z-score); z never below the cut-off 3.5."""
        pct, least = self._int_setting("follower_drop_pct"), self._int_setting("follower_drop_min")
        if pct >= 100:
            raise SettingsError("PANTAU_ALERT_FOLLOWER_DROP_PCT: use a percentage below 100")
        z = float(self.breakout_z) if self.breakout_z.replace(".", "", 1).isdigit() else 0.0
        if not 3.5 <= z <= 1000:
            raise SettingsError("PANTAU_ALERT_BREAKOUT_Z: use a number from 3.5 to 1000")
        return pct, least, z

    def concurrency_map(self) -> dict[str, int]:
        """``PANTAU_CONCURRENCY``: ``4`` for every platform, or ``4,youtube=2,x=1``."""
        out: dict[str, int] = {}
        for part in filter(None, (p.strip() for p in self.concurrency.split(","))):
            name, _, value = part.rpartition("=")
            try:
                number = int(value)
            except ValueError:
                number = 0
            if number <= 0:
                raise SettingsError(f"PANTAU_CONCURRENCY: {part!r} is not a positive number")
            out[name.strip().lower() or "default"] = number
        out.setdefault("default", 4)
        return out

    def thresholds_per_platform(self) -> dict[str, tuple[int, int]]:
        """``PANTAU_THRESHOLDS``: per-platform status limits, e.g. ``youtube=30:60``."""
        out: dict[str, tuple[int, int]] = {}
        for part in filter(None, (p.strip() for p in self.thresholds.split(","))):
            name, _, limits = part.partition("=")
            active, _, dormant = limits.partition(":")
            if not (name and active.isdigit() and dormant.isdigit()) or int(active) >= int(dormant):
                raise SettingsError(
                    f"PANTAU_THRESHOLDS: {part!r} should look like youtube=30:60 (active < dormant)"
                )
            out[name.strip().lower()] = (int(active), int(dormant))
        return out

    def index_weights_map(self) -> dict[str, float]:
        """``PANTAU_INDEX_WEIGHTS``: the activity index's component weights."""
        out: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in self.index_weights.split(","))):
            name, _, value = part.partition("=")
            try:
                weight = float(value)
            except ValueError:
                weight = -1.0
            if name.strip() not in INDEX_COMPONENTS or weight < 0:
                raise SettingsError(
                    f"PANTAU_INDEX_WEIGHTS: {part!r}; use {', '.join(INDEX_COMPONENTS)} = number"
                )
            out[name.strip()] = weight
        if sum(out.values()) <= 0:
            raise SettingsError("PANTAU_INDEX_WEIGHTS: at least one weight must be positive")
        return out

    @property
    def has_platform_credentials(self) -> bool:
        """True once any platform credential is configured (then no demo world is loaded)."""
        return any(
            (self.meta_token, self.youtube_api_key, self.x_bearer_token, self.tiktok_client_key)
        )

    def redacted(self) -> dict[str, str]:
        """Every setting by its environment name, secrets masked (safe to print or log)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if not f.metadata["env"]:
                continue
            if f.metadata["secret"] or any(m in f.metadata["env"] for m in SECRET_MARKERS):
                value = REDACTED if value else ""
            elif f.name == "database_url":
                value = redact_url_password(value)
            out[f.metadata["env"]] = value
        return out

    def __repr__(self) -> str:
        return f"Settings({self.redacted()!r})"


def _read_secrets_toml(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from exc
    return {k: str(v) for k, v in data.items() if not isinstance(v, dict)}


def settings_file(environ: Mapping[str, str], root: Path | None) -> Path | None:
    """The settings file to read: ``PANTAU_ENV_FILE`` when set (relative to the project; an
    empty value reads none), else :data:`SYSTEM_ENV_FILE` when it exists. With an explicit
    ``root`` (tests, benchmarks: a settings world of their own) the system file is not used.

    A file that is there but cannot be read is an error, never skipped: skipping it would run
    the command without credentials, on another database."""
    named = environ.get(ENV_FILE_VARIABLE)
    if named is None:
        return SYSTEM_ENV_FILE if root is None and _is_file(SYSTEM_ENV_FILE) else None
    if not named.strip():
        return None
    path = Path(named.strip()).expanduser()
    path = path if path.is_absolute() else (root or PROJECT_ROOT) / path
    if not _is_file(path):
        raise SettingsError(f"{ENV_FILE_VARIABLE}: the settings file {path} does not exist")
    return path


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a folder this user may not look into is an error."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except PermissionError as exc:
        raise _unreadable(path, exc) from exc
    except OSError:
        return False


def _unreadable(path: Path, exc: OSError) -> SettingsError:
    return SettingsError(
        f"cannot read the settings file {path} ({exc.strerror or exc}): run as a user who may "
        f"read it (e.g. sudo -u pantau), or set {ENV_FILE_VARIABLE} to another file (empty: none)"
    )


def _read_env_file(path: Path) -> dict[str, str]:
    try:
        with path.open(encoding="utf-8") as stream:
            values = dotenv_values(stream=stream)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{path}: not a UTF-8 text file ({exc.reason})") from exc
    return {k: v for k, v in values.items() if v is not None}


def load_settings(environ: Mapping[str, str] | None = None, root: Path | None = None) -> Settings:
    """Build :class:`Settings` from the environment, the settings file (``PANTAU_ENV_FILE``,
    see :func:`settings_file`), ``.env`` and ``secrets.toml`` under root (the project's when
    ``root`` is None)."""
    environ = os.environ if environ is None else environ
    env_file = settings_file(environ, root)
    root = PROJECT_ROOT if root is None else root
    read: list[Path] = []
    sources: dict[str, str] = {}
    secrets = root / ".streamlit" / "secrets.toml"
    dotenv = root / ".env"
    for path in (secrets, dotenv, env_file):  # lowest precedence first
        if path is None or not path.is_file() or path.resolve() in read:
            continue
        sources.update(_read_secrets_toml(path) if path == secrets else _read_env_file(path))
        read.insert(0, path.resolve())
    sources.update(environ)
    values = {
        f.name: sources[f.metadata["env"]]
        for f in fields(Settings)
        if f.metadata["env"] and sources.get(f.metadata["env"], "") != ""
    }
    return Settings(**values, read_from="\n".join(str(p) for p in read))
