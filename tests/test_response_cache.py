"""The response cache: an answer made once per data version, served again without SQL."""

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.http.cache import ResponseStore, Stored
from app.main import app, response_store, version_watcher
from app.seed.loader import load_seed
from tests.rest import counting_queries
from tests.seed_edits import Data, edit_yaml, record

ClientFor = Callable[[sa.Engine], TestClient]

EVENT = "/api/v1/events/second-som-2015"
GRAPHQL_QUERY = "query($slug: String!) { event(slug: $slug) { slug title } }"


@pytest.fixture
def client(client_for: ClientFor, sqlite_seeded_engine: sa.Engine) -> TestClient:
    return client_for(sqlite_seeded_engine)


def test_a_repeated_get_is_answered_without_sql(
    client: TestClient, sqlite_seeded_engine: sa.Engine
) -> None:
    first = client.get(EVENT)
    with counting_queries(sqlite_seeded_engine) as log:
        again = client.get(EVENT)
        revalidated = client.get(EVENT, headers={"If-None-Match": first.headers["etag"]})
        head = client.head(EVENT)

    assert log.count == 0
    assert again.content == first.content
    # The layers outside the cache (CORS) leave the kept answer as it was.
    for _ in range(3):
        repeated = client.get(EVENT, headers={"Origin": "https://dashboard.example"})
    assert repeated.headers["vary"] == first.headers["vary"]
    cors = {"access-control-allow-origin", "access-control-expose-headers"}
    assert set(repeated.headers) - set(first.headers) <= cors
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["x-data-version"] == first.headers["x-data-version"]
    assert revalidated.status_code == 304
    assert revalidated.headers["etag"] == first.headers["etag"]
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["etag"] == first.headers["etag"]
    # Each answer still has its own request id: ids are not kept with the bytes.
    assert again.headers["x-request-id"] != first.headers["x-request-id"]


def test_parameters_in_another_order_share_an_answer(
    client: TestClient, sqlite_seeded_engine: sa.Engine
) -> None:
    first = client.get("/api/v1/events?kind=conference&limit=2")
    with counting_queries(sqlite_seeded_engine) as log:
        swapped = client.get("/api/v1/events?limit=2&kind=conference")
    assert log.count == 0
    assert swapped.content == first.content


@pytest.mark.parametrize(
    "headers",
    [
        {"Accept": "application/ld+json"},
        {"Accept-Encoding": "identity"},
        {"Host": "elsewhere.example"},
        {"Origin": "https://dashboard.example"},
    ],
)
def test_what_selects_a_representation_selects_the_answer(
    client: TestClient, sqlite_seeded_engine: sa.Engine, headers: dict[str, str]
) -> None:
    plain = client.get(EVENT)
    with counting_queries(sqlite_seeded_engine) as log:
        other = client.get(EVENT, headers=headers)
    assert log.count > 0, "a different representation must not be served from the cache"
    assert other.status_code == 200
    # And the first representation is still served as it was.
    assert client.get(EVENT).content == plain.content


def test_a_spoofed_host_never_reaches_other_clients(client: TestClient) -> None:
    client.get("/api/v1/events.ics", headers={"Host": "attacker.example"})
    honest = client.get("/api/v1/events.ics")
    assert honest.status_code == 200
    assert "attacker.example" not in honest.text


def test_a_reload_is_served_at_once_and_never_mixed(
    client: TestClient, sqlite_seeded_engine: sa.Engine, seed_copy: Path
) -> None:
    first = "/api/v1/events/first-som-2014"
    before = client.get(first)

    def retitle(data: Data) -> None:
        record(data, "events", "first-som-2014")["title"] = "First Senior Officials Meeting"

    edit_yaml(seed_copy, "events.yaml", retitle)
    load_seed(sqlite_seeded_engine, seed_copy)
    after = client.get(first)

    assert after.headers["x-data-version"] != before.headers["x-data-version"]
    assert after.json()["title"] == "First Senior Officials Meeting"
    assert after.headers["etag"] != before.headers["etag"]
    stale = client.get(first, headers={"If-None-Match": before.headers["etag"]})
    assert stale.status_code == 200


def test_a_graphql_post_is_kept_by_query_and_variables(
    client: TestClient, sqlite_seeded_engine: sa.Engine
) -> None:
    body = {"query": GRAPHQL_QUERY, "variables": {"slug": "second-som-2015"}}
    first = client.post("/graphql", json=body)
    assert first.json()["data"]["event"]["slug"] == "second-som-2015"
    with counting_queries(sqlite_seeded_engine) as log:
        # The same request with its keys in another order is the same request.
        again = client.post("/graphql", json={"variables": body["variables"], **body})
    assert log.count == 0
    assert again.content == first.content

    with counting_queries(sqlite_seeded_engine) as log:
        other = client.post(
            "/graphql", json={"query": GRAPHQL_QUERY, "variables": {"slug": "first-som-2014"}}
        )
    assert log.count > 0
    assert other.json()["data"]["event"]["slug"] == "first-som-2014"


def test_graphql_answers_with_errors_are_not_kept(
    client: TestClient, sqlite_seeded_engine: sa.Engine
) -> None:
    body = {"query": GRAPHQL_QUERY, "variables": {"slug": "x" * 5}}
    client.post("/graphql", json={"query": "{ events(first: 0) { totalCount } }"})
    with counting_queries(sqlite_seeded_engine) as log:
        refused = client.post("/graphql", json={"query": "{ events(first: 0) { totalCount } }"})
    assert refused.json()["errors"]
    assert refused.headers["cache-control"] == "no-store"
    assert log.count == 0  # refused before any read, and not from the cache either
    assert client.post("/graphql", json=body).json()["data"] == {"event": None}


def test_the_cache_is_counted_in_metrics(client: TestClient) -> None:
    client.get(EVENT)
    client.get(EVENT)
    metrics = client.get("/metrics").text
    for name in ("hits_total", "misses_total", "evictions_total", "bytes", "answers"):
        assert f"almaty_response_cache_{name} " in metrics
    hits = next(
        float(line.split()[1])
        for line in metrics.splitlines()
        if line.startswith("almaty_response_cache_hits_total ")
    )
    assert hits >= 1


def _answer(size: int) -> Stored:
    return Stored(200, [], b"x" * size, '"tag"', None, size)


def test_the_store_keeps_to_its_size_and_drops_the_least_recently_used() -> None:
    store = ResponseStore(max_bytes=1000)
    for number in range(5):
        store.put(("db", "v1", number), _answer(100))
    store.get(("db", "v1", 0))  # used again: kept
    for number in range(5, 12):
        store.put(("db", "v1", number), _answer(100))
    assert store.size <= 1000
    assert store.get(("db", "v1", 0)) is not None
    assert store.get(("db", "v1", 1)) is None
    store.put(("db", "v1", "huge"), _answer(500))  # over an eighth of the store: not kept
    assert store.get(("db", "v1", "huge")) is None


def test_a_new_version_drops_the_answers_of_the_old_one() -> None:
    store = ResponseStore(max_bytes=10_000)
    store.put(("db", "v1", "a"), _answer(100))
    store.put(("other-db", "v1", "a"), _answer(100))
    store.put(("db", "v2", "a"), _answer(100))
    assert store.get(("db", "v1", "a")) is None
    assert store.get(("other-db", "v1", "a")) is not None
    assert store.size == 2 * 100


def test_the_data_version_is_checked_once_per_interval_not_per_request(
    client: TestClient, sqlite_seeded_engine: sa.Engine
) -> None:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    client.get(EVENT)
    interval = version_watcher.interval
    sa.event.listen(sqlite_seeded_engine, "before_cursor_execute", record)
    try:
        version_watcher.interval = 3600
        for _ in range(20):
            assert client.get(EVENT).status_code == 200
        within_interval = len(statements)
        version_watcher.interval = 0  # every request finds its interval over
        for _ in range(20):
            assert client.get(EVENT).status_code == 200
    finally:
        version_watcher.interval = interval
        sa.event.remove(sqlite_seeded_engine, "before_cursor_execute", record)
    assert within_interval == 0
    # Past the interval, one version check per request, and nothing else: the answer is kept.
    assert len(statements) == 20
    assert all("data_version" in statement for statement in statements)


def test_identical_requests_at_once_run_the_route_once(
    client: TestClient, sqlite_seeded_engine: sa.Engine
) -> None:
    with counting_queries(sqlite_seeded_engine) as alone:
        client.get(EVENT)
    assert response_store is not None
    response_store.clear()

    async def at_once() -> list[httpx2.Response]:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as http:
            return await asyncio.gather(*(http.get(EVENT) for _ in range(20)))

    with counting_queries(sqlite_seeded_engine) as together:
        answers = asyncio.run(at_once())

    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.content for answer in answers}) == 1
    assert together.count == alone.count


def test_cors_headers_follow_the_origin_of_each_request(client: TestClient) -> None:
    plain = client.get(EVENT)
    browser = client.get(EVENT, headers={"Origin": "https://dashboard.example"})
    again = client.get(EVENT)
    assert "access-control-allow-origin" not in plain.headers
    assert browser.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-origin" not in again.headers
    assert "Origin" in again.headers["vary"]
