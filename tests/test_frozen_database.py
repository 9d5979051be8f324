"""A PostgreSQL server that stops answering (frozen) must not hang the requests waiting on it.

A frozen server keeps its sockets open and its kernel keeps acknowledging: no keepalive, client
or server timeout fires, and a read waits for as long as the server sleeps. A proxy that stops
forwarding bytes, its sockets open, is exactly that to the client (and never touches the shared
cluster itself).
"""

import asyncio
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import count

import httpx2
import pytest
import sqlalchemy as sa

from app.budget import GRACE
from bench.servers import running_server
from tests.databases import DatabaseFactory
from tests.proxy import TcpProxy

pytestmark = pytest.mark.slow

BUDGET = 1.0
# A request waiting on a frozen database answers within its budget, the watchdog's grace, and
# a second for the rest (the answer, the test's own threads).
PROMPT = BUDGET + GRACE + 1
# Longer than any wait the service should have: a request still running then is hung.
HUNG = 15.0


class FreezableProxy(TcpProxy):
    """A TcpProxy that can stop forwarding bytes, its connections kept open: a frozen server.

    `connections` counts the clients whose end is still open.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        super().__init__(target_host, target_port)
        self.connections = 0
        self._flowing = asyncio.Event()
        self._marker: bytes | None = None
        self._loop.call_soon_threadsafe(self._flowing.set)

    def freeze(self, *, after: bytes | None = None) -> None:
        """Stop forwarding now; or once a client has sent `after` (which reaches the server)."""

        def arm() -> None:
            self._marker = after
            if after is None:
                self._flowing.clear()

        self._loop.call_soon_threadsafe(arm)

    def thaw(self) -> None:
        def flow() -> None:
            self._marker = None
            self._flowing.set()

        self._loop.call_soon_threadsafe(flow)

    def close(self) -> None:
        self.thaw()
        super().close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers.update({writer, upstream_writer})
        self.connections += 1
        to_server: asyncio.Queue[bytes] = asyncio.Queue()
        to_client: asyncio.Queue[bytes] = asyncio.Queue()

        async def read(source: asyncio.StreamReader, queue: asyncio.Queue[bytes]) -> None:
            # Reads on while frozen: a client closing its end is seen at once.
            with suppress(ConnectionError, OSError):
                while chunk := await source.read(65536):
                    queue.put_nowait(chunk)
            queue.put_nowait(b"")

        async def write(queue: asyncio.Queue[bytes], sink: asyncio.StreamWriter) -> None:
            with suppress(ConnectionError, OSError):
                while chunk := await queue.get():
                    await self._flowing.wait()
                    sink.write(chunk)
                    await sink.drain()
                    if sink is upstream_writer and self._marker and self._marker in chunk:
                        self._marker = None
                        self._flowing.clear()
                await self._flowing.wait()
            sink.close()

        async def client_side() -> None:
            await read(reader, to_server)
            self.connections -= 1

        await asyncio.gather(
            client_side(),
            read(upstream_reader, to_client),
            write(to_server, upstream_writer),
            write(to_client, writer),
        )


@dataclass
class Service:
    base: str
    proxy: FreezableProxy


@contextmanager
def _serving(
    postgres: DatabaseFactory, template: str, *, version_check: float
) -> Iterator[Service]:
    """The app in its own process, reading PostgreSQL through a proxy that can freeze."""
    url = sa.make_url(postgres.new(template=template))
    proxy = FreezableProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.restore()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
    environment = {
        "REQUEST_TIME_BUDGET": str(BUDGET),
        "GRAPHQL_TIME_BUDGET": str(BUDGET),
        "DATA_VERSION_CHECK": str(version_check),
    }
    try:
        with running_server(through_proxy, environment=environment) as base:
            yield Service(base, proxy)
    finally:
        proxy.close()


@pytest.fixture(scope="module")
def service(postgres: DatabaseFactory, postgres_seeded_template: str) -> Iterator[Service]:
    # The data version is checked once, at the start, and not again while these tests run: each
    # frozen request waits on its own connection alone (the check has a test of its own).
    with _serving(postgres, postgres_seeded_template, version_check=60) as service:
        yield service


# Each request asks for a page not asked for before: a kept answer would not reach the database.
_pages = count(1)


def _events(base: str) -> httpx2.Response:
    return httpx2.get(f"{base}/api/v1/events?limit={next(_pages)}", timeout=HUNG)


def _graphql(base: str, query: str) -> httpx2.Response:
    return httpx2.post(f"{base}/graphql", json={"query": query}, timeout=HUNG)


@pytest.fixture
def thawed(service: Service) -> Iterator[Service]:
    """The service with at least one pooled connection to freeze; thawed again afterwards."""
    assert _events(service.base).status_code == 200
    try:
        yield service
    finally:
        service.proxy.thaw()


def _timed(call: Callable[[], httpx2.Response]) -> tuple[httpx2.Response, float]:
    began = time.monotonic()
    answer = call()
    return answer, time.monotonic() - began


def _while_frozen(
    service: Service, call: Callable[[], httpx2.Response]
) -> tuple[httpx2.Response, float, float]:
    """`call`'s answer and how long it took; and the slowest /health answer meanwhile."""
    slowest_health = 0.0
    with ThreadPoolExecutor(1) as threads:
        running = threads.submit(_timed, call)
        while not running.done():
            health, took = _timed(lambda: httpx2.get(f"{service.base}/health", timeout=HUNG))
            assert health.status_code == 200
            slowest_health = max(slowest_health, took)
            time.sleep(0.05)
        answer, waited = running.result()
    return answer, waited, slowest_health


def _cut_by_the_watchdog(answer: httpx2.Response) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert f"its {BUDGET:g} s budget" in answer.json()["detail"]


def test_a_list_waiting_on_a_frozen_database_is_answered_within_its_budget(
    thawed: Service,
) -> None:
    # Frozen between two requests: the next one waits first on the pool's ping.
    thawed.proxy.freeze()
    answer, waited, slowest_health = _while_frozen(thawed, lambda: _events(thawed.base))

    _cut_by_the_watchdog(answer)
    assert waited < PROMPT
    assert slowest_health < 0.5

    thawed.proxy.thaw()
    # The cut connection was thrown away, not handed to the next request.
    assert [_events(thawed.base).status_code for _ in range(3)] == [200] * 3


def test_a_read_the_database_froze_in_the_middle_of_is_answered_within_its_budget(
    thawed: Service,
) -> None:
    # Frozen with the request's own statement on its way: the slug is one of its parameters.
    thawed.proxy.freeze(after=b"glacier-rest")
    answer, waited = _timed(
        lambda: httpx2.get(f"{thawed.base}/api/v1/events/glacier-rest", timeout=HUNG)
    )

    _cut_by_the_watchdog(answer)
    assert waited < PROMPT

    thawed.proxy.thaw()
    after = httpx2.get(f"{thawed.base}/api/v1/events/glacier-rest", timeout=HUNG)
    assert after.status_code == 404, after.text


def _let_go_while_frozen(proxy: FreezableProxy, held: int, began: float) -> bool:
    """Whether the proxy soon carries one connection fewer: the one the frozen read held."""
    while time.monotonic() < began + PROMPT:
        if proxy.connections == held - 1:
            return True
        time.sleep(0.05)
    return False


def _out_of_time(answer: httpx2.Response) -> None:
    assert answer.status_code == 200, answer.text
    errors = answer.json()["errors"]
    assert [error["extensions"].get("limit") for error in errors] == ["time"], errors


def test_a_graphql_query_waiting_on_a_frozen_database_lets_its_connection_go(
    thawed: Service,
) -> None:
    query = "{ documents { slug } }"
    held = thawed.proxy.connections
    thawed.proxy.freeze()
    began = time.monotonic()
    answer, waited, slowest_health = _while_frozen(thawed, lambda: _graphql(thawed.base, query))

    _out_of_time(answer)
    assert waited < PROMPT
    assert slowest_health < 0.5
    # The answer went out at the time budget; the read it left behind gives its connection up
    # too, while the database is still frozen, instead of holding it and its thread until then.
    assert _let_go_while_frozen(thawed.proxy, held, began)

    thawed.proxy.thaw()
    after = _graphql(thawed.base, query)
    assert after.status_code == 200
    assert "errors" not in after.json()
    assert after.json()["data"]["documents"]


def test_a_graphql_read_the_database_froze_in_the_middle_of_lets_its_connection_go(
    thawed: Service,
) -> None:
    query = '{ event(slug: "glacier-graphql") { title } }'
    held = thawed.proxy.connections
    thawed.proxy.freeze(after=b"glacier-graphql")
    began = time.monotonic()
    answer, waited = _timed(lambda: _graphql(thawed.base, query))

    _out_of_time(answer)
    assert waited < PROMPT
    assert _let_go_while_frozen(thawed.proxy, held, began)

    thawed.proxy.thaw()
    after = _graphql(thawed.base, query)
    assert after.json()["data"] == {"event": None}
    assert "errors" not in after.json()


def test_a_data_version_check_the_frozen_database_holds_up_is_bounded(
    postgres: DatabaseFactory, postgres_seeded_template: str
) -> None:
    interval = 0.5
    with _serving(postgres, postgres_seeded_template, version_check=interval) as service:
        kept = f"{service.base}/api/v1/states"
        assert httpx2.get(kept, timeout=HUNG).status_code == 200
        held = service.proxy.connections
        service.proxy.freeze()
        time.sleep(interval)
        began = time.monotonic()
        # A kept answer, due for a version check: the request waits for the check, which is
        # bounded by the budget; then the answer kept for the version known is served.
        answer, waited = _timed(lambda: httpx2.get(kept, timeout=HUNG))
        assert answer.status_code == 200
        assert waited < PROMPT
        # /health never waits on that check, nor on anything the database does.
        health, took = _timed(lambda: httpx2.get(f"{service.base}/health", timeout=HUNG))
        assert health.status_code == 200
        assert took < 0.5
        # The check, out of time, gave its connection up while the database is still frozen.
        assert _let_go_while_frozen(service.proxy, held, began)

        service.proxy.thaw()
        assert _events(service.base).status_code == 200
