from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import REDACTED, SettingsError, load_settings, redact_url_password


def test_defaults_when_nothing_is_configured(tmp_path: Path) -> None:
    s = load_settings(environ={}, root=tmp_path)
    assert s.database_url == "sqlite:///data/pantau.db"
    assert s.timezone == "Asia/Pontianak"
    assert s.instagram_base_url.startswith("https://graph.facebook.com")
    assert s.youtube_base_url == "https://www.googleapis.com/youtube/v3"
    assert s.x_base_url == "https://api.x.com/2"
    assert s.tiktok_base_url.startswith("https://open.tiktokapis.com")
    assert s.port_int == 8501 and s.host == "127.0.0.1"
    assert not s.has_platform_credentials


def test_precedence_env_over_dotenv_over_secrets(tmp_path: Path) -> None:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        'PANTAU_X_BASE_URL = "http://secrets"\nPANTAU_TIKTOK_BASE_URL = "http://secrets"\n'
        'PANTAU_YOUTUBE_BASE_URL = "http://secrets"\n[section]\nignored = 1\n'
    )
    (tmp_path / ".env").write_text(
        "PANTAU_X_BASE_URL=http://dotenv\nPANTAU_TIKTOK_BASE_URL=http://dotenv\n"
    )
    s = load_settings(environ={"PANTAU_X_BASE_URL": "http://env"}, root=tmp_path)
    assert s.x_base_url == "http://env"
    assert s.tiktok_base_url == "http://dotenv"
    assert s.youtube_base_url == "http://secrets"


def test_platform_base_urls_are_overridable(tmp_path: Path) -> None:
    env = {
        "PANTAU_INSTAGRAM_BASE_URL": "http://127.0.0.1:9000/ig",
        "PANTAU_FACEBOOK_BASE_URL": "http://127.0.0.1:9000/fb",
    }
    s = load_settings(environ=env, root=tmp_path)
    assert s.instagram_base_url.endswith("/ig") and s.facebook_base_url.endswith("/fb")


def test_secrets_are_redacted_everywhere_they_are_printed(tmp_path: Path) -> None:
    env = {
        "PANTAU_META_TOKEN": "EAAB-planted-secret",
        "PANTAU_X_BEARER_TOKEN": "xbearer-planted",
        "DATABASE_URL": "postgresql://pantau:hunter2@db.local/pantau",
    }
    s = load_settings(environ=env, root=tmp_path)
    shown = s.redacted()
    assert shown["PANTAU_META_TOKEN"] == REDACTED
    assert shown["PANTAU_YOUTUBE_API_KEY"] == ""
    for text in (repr(s), str(s), str(shown)):
        assert "planted" not in text and "hunter2" not in text
    assert s.has_platform_credentials


def test_url_password_redaction() -> None:
    assert redact_url_password("postgresql://u:pw@h/db") == f"postgresql://u:{REDACTED}@h/db"
    assert redact_url_password("postgresql://u@h/db") == "postgresql://u@h/db"
    assert redact_url_password("sqlite:///data/pantau.db") == "sqlite:///data/pantau.db"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PANTAU_TIMEZONE": "Mars/Olympus"}, "PANTAU_TIMEZONE"),
        ({"PANTAU_PORT": "eighty"}, "PANTAU_PORT"),
        ({"PANTAU_DORMANT_DAYS": "-3"}, "PANTAU_DORMANT_DAYS"),
        ({"PANTAU_ACTIVE_DAYS": "40"}, "PANTAU_ACTIVE_DAYS"),
    ],
)
def test_bad_values_name_the_setting(tmp_path: Path, env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(environ=env, root=tmp_path)


def test_broken_secrets_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text("this is = = not toml")
    with pytest.raises(SettingsError, match=r"secrets\.toml"):
        load_settings(environ={}, root=tmp_path)
