"""A page of events from a SQLite file is read on the event loop, and a GraphQL answer opens its
transaction on its own loop, without a hand-over to a worker thread; a read that outlasts its
turn there is read again in a thread; PostgreSQL is always read in a thread."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app import db
from app.main import response_store
from app.queries.pagination import RESULTS

LIST = "/api/v1/events?participant=KAZ&limit=4"
# Every spelling of the list: a year (the walk of the date index), words, an organisation.
LISTS = [
    LIST,
    "/api/v1/events?year=2015&sort=-start_date",
    "/api/v1/events?q=migration&organizer=iom",
]


def forget_answers() -> None:
    """The next request reads again: no kept answer, no remembered count."""
    if response_store is not None:
        response_store.clear()
    RESULTS.clear()


@contextmanager
def where_statements_run(engine: sa.Engine) -> Iterator[list[bool]]:
    """For each statement the engine runs on the events, whether it ran on a thread running an
    event loop (the edge's check of the data version runs where the edge decides)."""
    on_loop: list[bool] = []

    def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if "event" not in statement:
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            on_loop.append(False)
        else:
            on_loop.append(True)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield on_loop
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("url", LISTS)
def test_reads_run_on_the_event_loop_on_sqlite_only(
    each_db_api: TestClient,
    shared_seeded_engine: sa.Engine,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
) -> None:
    # A turn no read of the seed outlasts, even with the collector pausing a busy test run.
    monkeypatch.setattr(db, "ON_LOOP_SECONDS", 5.0)
    # Once before: the first use of a statement compiles it, which may take the read past its
    # turn on the loop.
    each_db_api.get(url)
    forget_answers()
    with where_statements_run(shared_seeded_engine) as on_loop:
        response = each_db_api.get(url)
    assert response.status_code == 200
    assert on_loop
    if shared_seeded_engine.dialect.name == "sqlite":
        assert all(on_loop)
    else:
        assert not any(on_loop)


@pytest.mark.parametrize("url", LISTS)
def test_a_read_that_outlasts_its_turn_on_the_loop_is_answered_from_a_thread(
    sqlite_api: TestClient,
    sqlite_shared_engine: sa.Engine,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
) -> None:
    on_the_loop = sqlite_api.get(url)
    forget_answers()
    # No time at all on the loop: the first statement is refused there, and the read runs
    # again in a worker thread.
    monkeypatch.setattr(db, "ON_LOOP_SECONDS", 0.0)
    with where_statements_run(sqlite_shared_engine) as on_loop:
        from_a_thread = sqlite_api.get(url)
    assert from_a_thread.status_code == 200
    assert on_loop
    assert not any(on_loop)
    assert from_a_thread.json() == on_the_loop.json()


GRAPHQL = {"query": '{ events(first: 3, filter: {participant: "KAZ"}) { nodes { slug } } }'}


def test_graphql_opens_its_transaction_on_its_loop_on_sqlite_only(
    each_db_api: TestClient,
    shared_seeded_engine: sa.Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(db, "ON_LOOP_SECONDS", 5.0)
    with where_statements_run(shared_seeded_engine) as on_loop:
        response = each_db_api.post("/graphql", json=GRAPHQL)
    assert response.status_code == 200
    assert "errors" not in response.json()
    assert on_loop
    if shared_seeded_engine.dialect.name == "sqlite":
        assert all(on_loop)
    else:
        assert not any(on_loop)


def test_a_graphql_read_that_outlasts_its_turn_is_answered_from_a_thread(
    sqlite_api: TestClient, sqlite_shared_engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_its_loop = sqlite_api.post("/graphql", json=GRAPHQL)
    forget_answers()
    monkeypatch.setattr(db, "ON_LOOP_SECONDS", 0.0)
    with where_statements_run(sqlite_shared_engine) as on_loop:
        from_a_thread = sqlite_api.post("/graphql", json=GRAPHQL)
    assert from_a_thread.status_code == 200
    assert on_loop
    assert not any(on_loop)
    assert from_a_thread.json() == on_its_loop.json()
    assert from_a_thread.headers["x-data-version"] == on_its_loop.headers["x-data-version"]
