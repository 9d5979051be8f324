"""Helpers for the REST tests: a client per database, SQL query counting."""

import asyncio
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from httpx2 import Response

from app import db
from app.main import version_watcher


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def counting_queries(engine: sa.Engine) -> Iterator[QueryLog]:
    """Records every SQL statement the engine sends while the block runs.

    Except the check for a new data version, which the app makes once per DATA_VERSION_CHECK
    seconds and not per request: it is made before the block and not again during it
    (tests/test_response_cache.py counts it). And a read tried on the event loop is never
    stopped there to be read again in a thread (a first use compiles its statements, which may
    take it past its turn on a busy machine): what is counted is the read's own statements
    (tests/test_reads_on_loop.py tests the retry).
    """
    log = QueryLog()
    asyncio.run(version_watcher.refresh(engine))
    interval, version_watcher.interval = version_watcher.interval, math.inf
    turn, db.ON_LOOP_SECONDS = db.ON_LOOP_SECONDS, math.inf

    def record(*args: Any) -> None:
        log.statements.append(str(args[2]))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
        version_watcher.interval = interval
        db.ON_LOOP_SECONDS = turn


def slugs(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["slug"] for item in response.json()["items"]]


def all_pages(client: TestClient, url: str) -> list[dict[str, Any]]:
    """Every item of a list, following next_cursor to the end."""
    items: list[dict[str, Any]] = []
    response = client.get(url)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["items"])
        if body["next_cursor"] is None:
            assert "link" not in response.headers
            return items
        next_link = response.headers["link"]
        assert next_link.endswith('>; rel="next"')
        response = client.get(next_link[1 : next_link.index(">")])
