"""Settings: keyword arguments are exact, the environment and Docker secrets only via from_env."""

from __future__ import annotations

from pathlib import Path

import pytest

from configuration.settings import ConfigError, Settings, to_env


def test_keyword_arguments_ignore_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOZIALATLAS_REDIS_DB", "7")
    assert Settings(bind_port=81).redis_db == 0
    assert Settings.from_env().redis_db == 7


def test_values_are_converted_and_errors_name_the_variable(tmp_path: Path) -> None:
    env = {"SOZIALATLAS_DEBUG": "on", "SOZIALATLAS_ELASTICSEARCH_TIMEOUT": "0.5"}
    settings = Settings.from_env(env, secrets_dir=str(tmp_path))
    assert (settings.debug, settings.elasticsearch_timeout) == (True, 0.5)
    with pytest.raises(ConfigError, match="SOZIALATLAS_BIND_PORT='eighty'"):
        Settings.from_env({"SOZIALATLAS_BIND_PORT": "eighty"}, secrets_dir=str(tmp_path))


def test_a_docker_secret_fills_a_setting_and_a_variable_wins(tmp_path: Path) -> None:
    (tmp_path / "sozialatlas_secret_key").write_text("from-the-secret-file\n")
    assert Settings.from_env({}, secrets_dir=str(tmp_path)).secret_key == "from-the-secret-file"
    env = {"SOZIALATLAS_SECRET_KEY": "from-the-variable"}
    assert Settings.from_env(env, secrets_dir=str(tmp_path)).secret_key == "from-the-variable"


def test_a_child_process_gets_the_same_settings(tmp_path: Path) -> None:
    settings = Settings(debug=True, redis_db=4, rate_limit_anon="", elasticsearch_timeout=1.5)
    assert Settings.from_env(to_env(settings), secrets_dir=str(tmp_path)) == settings


def test_replace_checks_its_values() -> None:
    assert Settings().replace(bind_port="81").bind_port == 81
    with pytest.raises(ConfigError):
        Settings().replace(bind_port="x")


def test_every_setting_has_a_one_line_description() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description and "\n" not in field.description, name
