"""`sozialatlas services`: idempotent start, clear failures, nothing half-started."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from configuration.settings import Settings
from sozialatlas import services as services_module
from sozialatlas.cli import main


def test_second_up_finds_services_running(services: Any, settings_obj: Settings) -> None:
    before = _pids(settings_obj)
    assert all(before), "the session fixture started both services"
    again = services_module.services_up(settings_obj, echo=False)
    assert again.elasticsearch_url.startswith("http://127.0.0.1:")
    assert _pids(settings_obj) == before


def _pids(settings: Settings) -> tuple[int | None, int | None]:
    es = services_module.LocalElasticsearch(settings)
    redis = services_module.LocalRedis(settings)
    return services_module.read_pid(es.pid_file), services_module.read_pid(redis.pid_file)


def test_status_reports_both_running(services: Any, settings_obj: Settings, capsys: Any) -> None:
    assert main(["services", "status"]) == 0
    out = capsys.readouterr().out
    assert "elasticsearch" in out and "redis" in out and "mail" in out
    assert out.count("running") >= 3 and "not running" not in out


def test_port_taken_by_another_program_is_one_clear_error(tmp_path: Any) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        settings = Settings(state_dir=str(tmp_path), redis_port=port)
        with pytest.raises(services_module.ServiceError, match=f"Port {port} .* taken"):
            services_module.LocalRedis(settings).up()
    assert not (tmp_path / "run" / "redis.pid").exists()


def test_failed_download_names_the_cause_and_leaves_nothing(tmp_path: Any) -> None:
    free = _free_port()
    settings = Settings(
        state_dir=str(tmp_path),
        elasticsearch_port=free,
        elasticsearch_version="0.0.0-does-not-exist",
    )
    with pytest.raises(services_module.ServiceError, match=r"Downloading .*0\.0\.0-does-not-exist"):
        services_module.LocalElasticsearch(settings).up()
    assert not (tmp_path / "run" / "elasticsearch.pid").exists()


def test_missing_maven_is_reported_with_the_fix(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH: no mvn to be found
    settings = Settings(state_dir=str(tmp_path), elasticsearch_port=_free_port())
    with pytest.raises(services_module.ServiceError, match="Maven \\(mvn\\) is not installed"):
        services_module.LocalElasticsearch(settings).up()


def test_failure_stops_what_the_same_call_started(tmp_path: Any) -> None:
    settings = Settings(
        state_dir=str(tmp_path),
        redis_port=_free_port(),
        elasticsearch_port=_free_port(),
        elasticsearch_version="0.0.0-nope",
    )
    with pytest.raises(services_module.ServiceError):
        services_module.services_up(settings, echo=False)
    assert not services_module.LocalRedis(settings).healthy()  # Redis was started, then stopped
    assert services_module.read_pid(services_module.LocalRedis(settings).pid_file) is None


def test_external_urls_start_nothing(tmp_path: Any) -> None:
    settings = Settings(state_dir=str(tmp_path)).replace(
        elasticsearch_url="http://127.0.0.1:1",
        redis_url="redis://127.0.0.1:1/0",
        smtp_host="127.0.0.1",
        smtp_port=1,
    )
    endpoints = services_module.services_up(settings, echo=False)
    assert endpoints.elasticsearch_url == "http://127.0.0.1:1"
    assert not (tmp_path / "run").exists()
    statuses = services_module.services_status(settings)
    assert [s.running for s in statuses] == [False, False, False]
    assert all(not s.managed for s in statuses)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_local_smtp_server_keeps_mail_and_stops(tmp_path: Any) -> None:
    import smtplib
    from email.message import EmailMessage

    settings = Settings(state_dir=str(tmp_path), smtp_port=_free_port())
    server = services_module.LocalSmtp(settings)
    status = server.up()
    assert status.running and status.managed and server.up().detail == status.detail  # idempotent
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@localhost", "b@example.org", "Grüße"
    message["Message-ID"] = "<one@localhost>"
    message.set_content("Ünïcode und العربية")
    with smtplib.SMTP("127.0.0.1", settings.smtp_port, timeout=5) as client:
        client.send_message(message)
    [kept] = services_module.MailStore(server.messages).all()
    assert (kept.message_id, kept.recipients, kept.subject) == (
        "<one@localhost>",
        "b@example.org",
        "Grüße",
    )
    assert "العربية" in services_module.MailStore(server.messages).text(kept)
    server.down()
    assert not server.healthy() and not server.pid_file.exists()
