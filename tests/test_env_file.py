"""One settings file for every process: PANTAU_ENV_FILE (or /etc/pantau/pantau.env), its place
in the precedence, its errors, and `cli.py status` naming the file and the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

import core.settings
from cli import app
from core.settings import REDACTED, SettingsError, load_settings
from testkit.db_support import ON_POSTGRES, NewDatabase

SECRET = "EAAB-planted-in-the-file"


def _file(path: Path, **values: str) -> Path:
    path.write_text("".join(f"{k}={v}\n" for k, v in values.items()), encoding="utf-8")
    return path


def test_the_named_settings_file_is_read_and_remembered(tmp_path: Path) -> None:
    env_file = _file(tmp_path / "pantau.env", PANTAU_REGENCY="Kabupaten Uji",
                     PANTAU_META_TOKEN=SECRET, DATABASE_URL="sqlite:////srv/pantau.db")  # fmt: skip
    s = load_settings(environ={"PANTAU_ENV_FILE": str(env_file)}, root=tmp_path)
    assert s.regency_name == "Kabupaten Uji" and s.meta_token == SECRET
    assert s.database_url == "sqlite:////srv/pantau.db"
    assert s.files == (str(env_file.resolve()),)
    assert SECRET not in repr(s) and "PANTAU_ENV_FILE" not in s.redacted()


def test_environment_beats_file_beats_dotenv_beats_secrets(tmp_path: Path) -> None:
    (tmp_path / ".streamlit").mkdir()
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.write_text('PANTAU_X_BASE_URL = "http://secrets"\nPANTAU_HOST = "10.0.0.4"\n')
    dotenv = _file(tmp_path / ".env", PANTAU_X_BASE_URL="http://dotenv",
                   PANTAU_REGENCY="dari .env", PANTAU_PORT="9000")  # fmt: skip
    env_file = _file(tmp_path / "etc.env", PANTAU_X_BASE_URL="http://file",
                     PANTAU_REGENCY="dari berkas")  # fmt: skip
    environ = {"PANTAU_ENV_FILE": "etc.env", "PANTAU_X_BASE_URL": "http://env"}  # relative: root
    s = load_settings(environ=environ, root=tmp_path)
    assert s.x_base_url == "http://env"
    assert s.regency_name == "dari berkas"
    assert s.port == "9000" and s.host == "10.0.0.4"
    assert s.files == tuple(str(p.resolve()) for p in (env_file, dotenv, secrets))


def test_a_missing_named_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "pantau.env"
    with pytest.raises(SettingsError, match="PANTAU_ENV_FILE") as info:
        load_settings(environ={"PANTAU_ENV_FILE": str(missing)}, root=tmp_path)
    assert str(missing) in str(info.value)


def test_the_system_file_is_the_default_and_an_empty_name_reads_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = _file(tmp_path / "pantau.env", PANTAU_REGENCY="Kabupaten Server")
    monkeypatch.setattr(core.settings, "SYSTEM_ENV_FILE", system)
    monkeypatch.setattr(core.settings, "PROJECT_ROOT", tmp_path / "project")
    assert load_settings(environ={}).regency_name == "Kabupaten Server"
    assert load_settings(environ={}).files == (str(system.resolve()),)
    assert load_settings(environ={"PANTAU_ENV_FILE": ""}).files == ()
    # an explicit root is a settings world of its own (tests, benchmarks): no system file
    assert load_settings(environ={}, root=tmp_path / "project").files == ()
    monkeypatch.setattr(core.settings, "SYSTEM_ENV_FILE", tmp_path / "absent.env")
    assert load_settings(environ={}).files == ()


def test_an_unreadable_file_is_an_error_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Skipping it would run the command without credentials, on another database."""
    system = _file(tmp_path / "pantau.env", PANTAU_REGENCY="Kabupaten Server")
    monkeypatch.setattr(core.settings, "SYSTEM_ENV_FILE", system)
    monkeypatch.setattr(core.settings, "PROJECT_ROOT", tmp_path / "project")
    real_stat = Path.stat

    def denied(self: Path, **kwargs: object) -> object:
        if self == system:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", denied)
    with pytest.raises(SettingsError, match="sudo -u pantau"):
        load_settings(environ={})
    assert load_settings(environ={"PANTAU_ENV_FILE": ""}).regency_name == "Kabupaten Sintang"


def _status(runner: CliRunner) -> dict[str, str]:
    result = runner.invoke(app, ["status", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = data["summary"] if isinstance(data, dict) else data  # {"summary": [...], ...}
    return {r["key"]: r["value"] for r in rows} | {"output": result.output}


def _with_password(url: str) -> str:
    """The test cluster trusts local connections, so a password in the URL is ignored."""
    return make_url(url).set(password="hunter2-planted").render_as_string(hide_password=False)


def test_status_names_the_settings_file_and_the_database(
    new_db_url: NewDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = new_db_url("from_file")
    if ON_POSTGRES:
        url = _with_password(url)
    env_file = _file(tmp_path / "pantau.env", DATABASE_URL=url, PANTAU_META_TOKEN=SECRET)
    monkeypatch.setenv("PANTAU_ENV_FILE", str(env_file))
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0

    values = _status(runner)

    assert values["settings_files"] == str(env_file.resolve())
    assert values["PANTAU_META_TOKEN"] == REDACTED and values["opds"] == "46"
    if ON_POSTGRES:
        assert values["database"].startswith("postgresql+psycopg://")
        assert ":***@127.0.0.1" in values["database"]
    else:
        assert values["database"] == f"sqlite:///{tmp_path / 'from_file.db'}"
    assert SECRET not in values["output"] and "hunter2" not in values["output"]
    table = runner.invoke(app, ["status"]).output
    assert "settings_files" in table and "database" in table


def test_status_without_a_settings_file_says_so(
    new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", new_db_url("plain"))
    monkeypatch.setenv("PANTAU_ENV_FILE", "")
    monkeypatch.setattr(core.settings, "PROJECT_ROOT", Path("/nonexistent-pantau-root"))
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert _status(runner)["settings_files"] == "none (environment and defaults only)"
