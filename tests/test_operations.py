"""Liveness and readiness: what an orchestrator asks before sending traffic."""

from collections.abc import Callable

import sqlalchemy as sa
from fastapi.testclient import TestClient
from httpx2 import Response

from app import migrations
from app.db import create_db_engine
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
