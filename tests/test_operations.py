"""Liveness, readiness, metrics, request ids and logs: what operators rely on."""

import logging
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from httpx2 import Response

from app import migrations
from app.db import create_db_engine
from app.http.observability import ReadableFormatter
from tests.databases import DatabaseFactory

ClientFor = Callable[[sa.Engine], TestClient]


def test_health_answers_without_touching_the_database(client_for: ClientFor) -> None:
    unreachable = create_db_engine("sqlite:////nonexistent-folder/almaty.sqlite3")

    response = client_for(unreachable).get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_migrated_and_seeded(
    client_for: ClientFor, shared_seeded_engine: sa.Engine
) -> None:
    response = client_for(shared_seeded_engine).get("/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["schema_revision"] == migrations.head_revision()
    assert len(body["data_version"]) == 64


def _problem(response: Response) -> dict[str, object]:
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == 503
    return body


def test_not_ready_before_the_seed_is_loaded(
    client_for: ClientFor, empty_engine: sa.Engine
) -> None:
    body = _problem(client_for(empty_engine).get("/ready"))
    assert "seed" in str(body["detail"])


def test_not_ready_before_the_migrations(client_for: ClientFor, databases: DatabaseFactory) -> None:
    engine = create_db_engine(databases.new())
    try:
        body = _problem(client_for(engine).get("/ready"))
    finally:
        engine.dispose()
    assert "schema at revision None" in str(body["detail"])


def test_not_ready_when_the_database_is_unreachable(client_for: ClientFor) -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    unreachable = create_db_engine("postgresql+psycopg://postgres@127.0.0.1:1/almaty")

    body = _problem(client_for(unreachable).get("/ready"))

    assert "unreachable" in str(body["detail"])


def test_metrics_count_requests_by_route_and_status_and_show_the_pool(
    client_for: ClientFor, sqlite_shared_engine: sa.Engine
) -> None:
    client = client_for(sqlite_shared_engine)
    client.get("/api/v1/events/second-som-2015")
    client.get("/api/v1/events/no-such-event")

    metrics = client.get("/metrics").text

    assert 'handler="/api/v1/events/{slug}",method="GET",status="200"' in metrics
    assert 'handler="/api/v1/events/{slug}",method="GET",status="404"' in metrics
    assert "almaty_http_request_duration_seconds_bucket" in metrics
    assert "almaty_db_pool_checked_out" in metrics


def test_every_answer_carries_a_request_id(client_for: ClientFor) -> None:
    client = client_for(create_db_engine("sqlite://"))
    generated = client.get("/health").headers["x-request-id"]
    assert len(generated) == 32
    given = "0123456789abcdef0123456789abcdef"
    assert client.get("/health", headers={"X-Request-ID": given}).headers["x-request-id"] == given


def test_the_access_log_is_one_structured_line_per_request(
    client_for: ClientFor, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(create_db_engine("sqlite://"))
    with caplog.at_level(logging.INFO, logger="app.access"):
        client.get("/health?probe=1")
    [line] = [r for r in caplog.records if r.name == "app.access"]
    assert (line.method, line.path, line.status) == ("GET", "/health", 200)  # type: ignore[attr-defined]
    assert line.duration_ms >= 0  # type: ignore[attr-defined]


def test_a_terminal_gets_readable_log_lines(
    client_for: ClientFor, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(create_db_engine("sqlite://"))
    with caplog.at_level(logging.INFO, logger="app.access"):
        client.get("/health")
    [line] = [r for r in caplog.records if r.name == "app.access"]
    shown = ReadableFormatter().format(line)
    assert " INFO    app.access: GET /health 200 " in shown
    assert shown.endswith(" ms")
    # Other lines keep their message, arguments filled in.
    other = logging.LogRecord("app.errors", logging.WARNING, __file__, 1, "lost %s", ("db",), None)
    assert ReadableFormatter().format(other).endswith("WARNING app.errors: lost db")
