"""Errors are answered, never raised to the server: keep-alive connections outlive every 4xx and
5xx, and a 5xx names its request and is logged once. PostgreSQL's lock and statement timeouts
turn a locked table or a slow read into a 503 within the request's budget."""

import http.client
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
import uvicorn
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from app import budget
from app.config import settings
from app.db import create_db_engine, get_engine
from app.main import app
from app.queries import events
from bench.servers import free_port
from tests.databases import DatabaseFactory

ClientFor = Callable[[sa.Engine], TestClient]


class Engines:
    """The engine the live app reads, switched by a test (an unreachable one for a 503)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def __call__(self) -> sa.Engine:
        return self.engine


@pytest.fixture
def served(sqlite_seeded_engine: sa.Engine) -> Iterator[tuple[int, Engines]]:
    """The app in uvicorn in this process (so a test may break a query), on a free port."""
    engines = Engines(sqlite_seeded_engine)
    app.dependency_overrides[get_engine] = engines
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield port, engines
    server.should_exit = True
    thread.join(timeout=10)
    app.dependency_overrides.clear()


def _get(connection: http.client.HTTPConnection, path: str) -> tuple[int, dict[str, str], bytes]:
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def _still_open(connection: http.client.HTTPConnection, local: Any) -> None:
    """The next request on the connection is answered, on the same socket (no reconnection)."""
    status, _, _ = _get(connection, "/api/v1/events/first-som-2014")
    assert status == 200
    assert connection.sock is not None
    assert connection.sock.getsockname() == local


def _unexpected(*_: Any, **__: Any) -> Any:
    raise RuntimeError("a bug in a query")


@pytest.mark.slow
def test_a_keep_alive_connection_outlives_500_503_404_and_400(
    served: tuple[int, Engines],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    port, engines = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    assert _get(connection, "/health")[0] == 200
    assert connection.sock is not None
    local = connection.sock.getsockname()

    monkeypatch.setattr(events, "list_events", _unexpected)
    with caplog.at_level(logging.INFO):
        status, headers, body = _get(connection, "/api/v1/events?limit=3")
    monkeypatch.undo()
    assert status == 500
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["request_id"] == headers["x-request-id"]
    assert "a bug" not in body.decode(), "the exception's text stays in the log"
    _still_open(connection, local)

    engine = engines.engine
    engines.engine = create_db_engine(
        "sqlite:////nonexistent-folder/almaty.sqlite3"
        if engine.dialect.name == "sqlite"
        else engine.url.set(port=1).render_as_string(False)
    )
    status, headers, body = _get(connection, "/api/v1/events?limit=4")
    engines.engine.dispose()
    engines.engine = engine
    assert (status, headers["content-type"]) == (503, "application/problem+json"), body
    assert json.loads(body)["request_id"] == headers["x-request-id"]
    _still_open(connection, local)

    status, headers, body = _get(connection, "/api/v1/events/no-such-event")
    assert (status, headers["content-type"]) == (404, "application/problem+json")
    _still_open(connection, local)

    status, headers, body = _get(connection, "/api/v1/events?year=soon")
    assert (status, headers["content-type"]) == (400, "application/problem+json")
    _still_open(connection, local)
    connection.close()

    # The 500 was logged once, with its traceback and its request id; the access log and the
    # metrics saw the 500 that was sent.
    mine = [r for r in caplog.records if getattr(r, "request_id", None) == problem["request_id"]]
    failures = [r for r in mine if r.levelno >= logging.ERROR]
    assert len(failures) == 1, [r.getMessage() for r in failures]
    assert failures[0].exc_info is not None
    assert failures[0].exc_info[0] is RuntimeError
    assert not [r for r in caplog.records if r.name == "uvicorn.error" and r.exc_info]
    [access] = [r for r in mine if r.name == "app.access"]
    assert access.__dict__["status"] == 500
    counted = REGISTRY.get_sample_value(
        "almaty_http_requests_total",
        {"handler": "/api/v1/events", "method": "GET", "status": "500"},
    )
    assert counted is not None
    assert counted >= 1


def test_a_locked_table_is_a_503_within_the_lock_timeout(
    postgres: DatabaseFactory, postgres_seeded_template: str, client_for: ClientFor
) -> None:
    url = postgres.new(template=postgres_seeded_template)
    engine = create_db_engine(url)
    locker = sa.create_engine(url)
    client = client_for(engine)
    try:
        with locker.connect() as holder:
            holder.execute(sa.text("LOCK TABLE event IN ACCESS EXCLUSIVE MODE"))
            began = time.monotonic()
            locked = client.get("/api/v1/events?limit=5")
            waited = time.monotonic() - began
            holder.rollback()
        after = client.get("/api/v1/events?limit=5")
    finally:
        engine.dispose()
        locker.dispose()

    assert locked.status_code == 503, locked.text
    assert locked.headers["content-type"] == "application/problem+json"
    assert "locked" in locked.json()["detail"]
    assert waited < settings.db_lock_timeout_ms / 1000 + 1
    assert after.status_code == 200


def test_a_statement_runs_no_longer_than_the_request_has_left(
    postgres: DatabaseFactory,
) -> None:
    engine = create_db_engine(postgres.new())
    began = time.monotonic()
    token = budget.current.set(budget.Budget(deadline=began + 0.5))
    try:
        with engine.connect() as connection, pytest.raises(sa.exc.OperationalError) as stopped:
            connection.execute(sa.text("SELECT pg_sleep(5)"))
    finally:
        budget.current.reset(token)
        engine.dispose()
    assert getattr(stopped.value.orig, "sqlstate", None) == "57014"  # query_canceled
    assert time.monotonic() - began < 1.5


JSON: dict[str, str] = {"content-type": "application/json"}
# Refusals made outside the routes: by the limits, CORS, GraphQL's transport, the router.
REFUSALS: dict[str, tuple[tuple[str, str], dict[str, Any], int, str | None]] = {
    "a gzip-encoded body": (
        ("POST", "/graphql"),
        {"content": b"\x1f\x8b\x08\x00", "headers": {**JSON, "content-encoding": "gzip"}},
        415,
        "unsupported-content-encoding",
    ),
    "a GraphQL body that is not JSON": (
        ("POST", "/graphql"),
        {"content": b"{query", "headers": JSON},
        400,
        "invalid-graphql-request",
    ),
    "a GraphQL body of an unknown media type": (
        ("POST", "/graphql"),
        {"content": b"{}", "headers": {"content-type": "text/plain"}},
        415,
        "unsupported-media-type",
    ),
    "a GraphQL GET with no query": (
        ("GET", "/graphql"),
        {"headers": {"accept": "application/json"}},
        400,
        "invalid-graphql-request",
    ),
    "a preflight for a method CORS does not allow": (
        ("OPTIONS", "/api/v1/events"),
        {"headers": {"origin": "https://x.org", "access-control-request-method": "DELETE"}},
        400,
        "cors-refused",
    ),
    "a method no route answers": (("DELETE", "/api/v1/events"), {}, 405, None),
    "a path no route answers": (("GET", "/api/v2/events"), {}, 404, None),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_every_error_the_app_writes_is_a_problem(sqlite_api: TestClient, case: str) -> None:
    (method, path), options, status, kind = REFUSALS[case]

    answer = sqlite_api.request(method, path, **options)

    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json", answer.text
    problem = answer.json()
    assert problem["status"] == status
    assert problem["title"]
    assert problem["detail"]
    if kind is not None:
        assert problem["type"] == kind
    if status == 415 and kind == "unsupported-content-encoding":
        assert answer.headers["accept-encoding"] == "identity"
    if kind == "cors-refused":
        assert problem["detail"] == "this method may not be used from another origin"
