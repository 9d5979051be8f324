"""What one request may send: bodies, parameters, slow heads and bodies, the encodings asked."""

import asyncio
import re
import select
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import anyio.to_thread
import httpx2
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.config import settings
from app.db import create_db_engine, get_engine
from app.http.compression import accepts_gzip
from app.main import app
from bench.servers import running_service
from tests.databases import DatabaseFactory

PROBLEM = "application/problem+json"
TWENTY_MB = 20 * 1024 * 1024


@pytest.mark.parametrize("path", ["/graphql", "/api/v1/events"])
def test_a_20_mb_body_is_refused_at_once(sqlite_api: TestClient, path: str) -> None:
    began = time.perf_counter()
    response = sqlite_api.post(
        path, content=b"#" * TWENTY_MB, headers={"Content-Type": "application/json"}
    )

    assert time.perf_counter() - began < 1
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["connection"] == "close"
    assert response.json()["limit"] == settings.max_body_bytes


def test_a_body_streamed_past_the_limit_is_refused_and_no_longer_read() -> None:
    chunk = b"#" * 16 * 1024
    read = 0
    sent: list[dict[str, object]] = []

    async def endless() -> dict[str, object]:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def keep(message: dict[str, object]) -> None:
        sent.append(message)

    scope = _scope("POST", "/graphql", [(b"transfer-encoding", b"chunked")])
    asyncio.run(app(scope, endless, keep))  # type: ignore[arg-type]

    assert sent[0]["status"] == 413
    assert read == settings.max_body_bytes // len(chunk) + 1


def test_a_body_under_the_limit_reaches_graphql_whole(sqlite_api: TestClient) -> None:
    query = "{ states(role: MEMBER) { code } }"
    padded = {"query": query + " " * (settings.max_body_bytes // 2)}

    response = sqlite_api.post("/graphql", json=padded)

    assert response.status_code == 200
    assert {"code": "KAZ"} in response.json()["data"]["states"]


def test_ten_thousand_parameters_get_a_small_400_at_once(sqlite_api: TestClient) -> None:
    query = "&".join(f"x{n}" for n in range(10_000))

    began = time.perf_counter()
    response = sqlite_api.get(f"/api/v1/events?{query}")

    assert time.perf_counter() - began < 1
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert len(response.content) < 1024
    problem = response.json()
    assert problem["limit"] == settings.max_query_params
    assert str(settings.max_query_params) in problem["detail"]


def test_as_many_parameters_as_allowed_are_still_read(sqlite_api: TestClient) -> None:
    # The limit counts parameters, not their names: a repeated one counts each time.
    query = "&".join(["country=KAZ"] * settings.max_query_params)

    response = sqlite_api.get(f"/api/v1/events?{query}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        ("gzip", True),
        ("br, gzip;q=0.5", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000, *", False),
        ("*;q=0", False),
        ("identity", False),
        ("deflate, *;q=0", False),
    ],
)
def test_gzip_only_when_the_client_accepts_it(
    sqlite_api: TestClient, accept_encoding: str, gzipped: bool
) -> None:
    response = sqlite_api.get(
        "/api/v1/events?limit=50", headers={"Accept-Encoding": accept_encoding}
    )

    assert response.status_code == 200
    assert (response.headers.get("content-encoding") == "gzip") is gzipped
    assert "accept-encoding" in response.headers["vary"].lower()
    assert accepts_gzip(accept_encoding) is gzipped


def test_a_gzip_q_0_client_never_gets_a_kept_gzip_answer(sqlite_api: TestClient) -> None:
    first = sqlite_api.get("/api/v1/events?limit=50", headers={"Accept-Encoding": "gzip"})
    refused = sqlite_api.get("/api/v1/events?limit=50", headers={"Accept-Encoding": "gzip;q=0"})

    assert first.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in refused.headers
    assert refused.json() == first.json()


def test_health_answers_while_every_worker_thread_is_busy(tmp_path: Path) -> None:
    app.dependency_overrides[get_engine] = lambda: create_db_engine("sqlite://")

    async def with_threads_busy() -> float | None:
        """Seconds /health took, None if it did not answer 200 within a second."""
        limiter = anyio.to_thread.current_default_thread_limiter()
        release = anyio.Event()

        async def occupy() -> None:
            await anyio.to_thread.run_sync(lambda: anyio.from_thread.run(release.wait))

        elapsed = None
        transport = httpx2.ASGITransport(app=app)
        async with (
            httpx2.AsyncClient(transport=transport, base_url="http://test") as http,
            anyio.create_task_group() as threads,
        ):
            await http.get("/health")  # the first request builds the app's middleware stack
            # A database never seen: the app would check its data version now, in a thread, if
            # /health went through anything that reads the database.
            never_seen = create_db_engine(f"sqlite:///{tmp_path / 'never-seen.sqlite3'}")
            app.dependency_overrides[get_engine] = lambda: never_seen
            for _ in range(int(limiter.total_tokens)):
                threads.start_soon(occupy)
            while limiter.borrowed_tokens < limiter.total_tokens:
                await anyio.sleep(0.01)
            began = time.perf_counter()
            # Bounded: a /health waiting for a thread would wait for ever here.
            with anyio.move_on_after(1):
                if (await http.get("/health")).status_code == 200:
                    elapsed = time.perf_counter() - began
            release.set()
        return elapsed

    try:
        elapsed = asyncio.run(with_threads_busy())
    finally:
        app.dependency_overrides.clear()

    assert elapsed is not None
    # Far below the second a thread would take to free up; not a timing of /health itself.
    assert elapsed < 0.25


# The live server: the real HTTP parser and connection handling, with short timeouts.
TIMEOUT = 1.0


@pytest.fixture(scope="module")
def server(sqlite_databases: DatabaseFactory) -> Iterator[tuple[str, int]]:
    """The app served as `almaty serve` serves it; yields host and port."""
    with running_service(
        sqlite_databases.new(template=sqlite_databases.seeded()),
        *("--http", "app.http.server:BoundedHeadProtocol"),
        environment={"HEADER_TIMEOUT": str(TIMEOUT), "BODY_TIMEOUT": str(TIMEOUT)},
    ) as running:
        address = running.base.removeprefix("http://").split(":")
        yield address[0], int(address[1])


def _connect(server: tuple[str, int]) -> socket.socket:
    return socket.create_connection(server, timeout=TIMEOUT * 5)


def _answer(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


def _one_answer(connection: socket.socket) -> bytes:
    """One whole answer (head and a Content-Length body) on a connection that stays open."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += connection.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    declared = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
    assert declared is not None
    length = int(declared.group(1))
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


def _closed_after(connection: socket.socket) -> float:
    """Seconds until the server closes the connection, having sent nothing."""
    began = time.perf_counter()
    assert _answer(connection) == b""
    return time.perf_counter() - began


@pytest.mark.slow
def test_live_a_declared_20_mb_body_is_refused_before_it_is_sent(server: tuple[str, int]) -> None:
    with _connect(server) as connection:
        began = time.perf_counter()
        connection.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % TWENTY_MB
        )
        answer = _answer(connection)

    assert time.perf_counter() - began < 1
    assert answer.startswith(b"HTTP/1.1 413 ")


@pytest.mark.slow
def test_live_a_chunked_body_is_cut_at_the_limit(server: tuple[str, int]) -> None:
    chunk = b"#" * 16 * 1024
    with _connect(server) as connection:
        connection.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        for _ in range(settings.max_body_bytes // len(chunk) + 1):
            connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        answer = _answer(connection)

    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"content-too-large" in answer


@pytest.mark.slow
def test_live_a_slow_body_gets_a_408_and_the_connection_closed(server: tuple[str, int]) -> None:
    with _connect(server) as connection:
        connection.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"query": '
        )
        began = time.perf_counter()
        answer = _answer(connection)

    assert TIMEOUT * 0.8 < time.perf_counter() - began < TIMEOUT * 3
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"request-timeout" in answer


@pytest.mark.slow
def test_live_slow_headers_lose_the_connection(server: tuple[str, int]) -> None:
    with _connect(server) as connection:
        began = time.perf_counter()
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\n")
        # One header byte at a time, as slowloris sends them, until the server hangs up.
        while time.perf_counter() - began < TIMEOUT * 5:
            connection.sendall(b"X")
            if select.select([connection], [], [], 0.25)[0]:
                break
        elapsed = time.perf_counter() - began
        assert _answer(connection) == b""

    assert TIMEOUT * 0.8 < elapsed < TIMEOUT * 3


@pytest.mark.slow
def test_live_a_connection_that_sends_nothing_is_closed(server: tuple[str, int]) -> None:
    with _connect(server) as connection:
        assert TIMEOUT * 0.8 < _closed_after(connection) < TIMEOUT * 3


@pytest.mark.slow
def test_live_keep_alive_idle_time_is_not_counted_against_the_next_head(
    server: tuple[str, int],
) -> None:
    request = b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n"
    with _connect(server) as connection:
        connection.sendall(request)
        assert _one_answer(connection).startswith(b"HTTP/1.1 200 ")
        # Longer than the head's deadline, shorter than uvicorn's keep-alive timeout (5 s).
        time.sleep(TIMEOUT * 2)
        connection.sendall(request)
        assert _one_answer(connection).startswith(b"HTTP/1.1 200 ")
        # The next head, begun and left unfinished, has its own deadline.
        connection.sendall(b"GET /health HTTP/1.1\r\n")
        assert TIMEOUT * 0.8 < _closed_after(connection) < TIMEOUT * 3


def _scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, object]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"test"), *headers],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }


def test_answers_made_outside_the_cors_layer_are_readable_from_another_origin(
    client_for: Callable[[sa.Engine], TestClient],
    sqlite_seeded_engine: sa.Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A dashboard elsewhere sees the problem, not an opaque CORS failure, for a refused body
    or a crash: both are answered before (or after) CORS has had its say."""
    origin = {"Origin": "https://dashboard.example"}
    client = client_for(sqlite_seeded_engine)
    refused = client.post("/graphql", content=b"#" * TWENTY_MB, headers=origin)
    assert refused.status_code == 413
    assert refused.headers["access-control-allow-origin"] == "*"

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("app.queries.actors.list_states", broken)
    crashed = client.get("/api/v1/states", headers=origin)
    assert crashed.status_code == 500
    assert crashed.headers["content-type"] == PROBLEM
    assert crashed.headers["access-control-allow-origin"] == "*"
    # Without an Origin, no CORS headers: nothing is said to whom did not ask.
    assert "access-control-allow-origin" not in client.get("/api/v1/states").headers
