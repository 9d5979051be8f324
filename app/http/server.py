"""The HTTP server: uvicorn, with a deadline for each request's head, which it lacks.

uvicorn bounds the idle time between requests (`timeout_keep_alive`) but not the time a client
takes to send a request line and headers: a client sending one byte a second holds its
connection open for ever (slowloris). `BoundedHeadProtocol` closes a connection whose request
head is not complete `HEADER_TIMEOUT` seconds after the connection opened or after the request's
first byte came, and refuses a head larger than `MAX_HEAD_BYTES` (httptools sets no limit).
"""

import asyncio
import gc
import sys
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.config import settings

# Far above any real request (10,000 query parameters fit), far below a memory worry.
MAX_HEAD_BYTES = 1024 * 1024


class HeadTooLargeError(Exception):
    """Raised inside the parser: uvicorn answers 400 and closes the connection."""


class BoundedHeadProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a deadline and a size limit for each request head."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head_deadline: asyncio.TimerHandle | None = None
        self.head_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_received()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        # The first byte of a request: the wait for the rest of its head starts, while the
        # idle time before it was uvicorn's keep-alive timeout's to bound.
        self.head_bytes = 0
        if self.head_deadline is None:
            self._await_head()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value))
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._head_received()
        super().on_headers_complete()

    def _count(self, size: int) -> None:
        self.head_bytes += size
        if self.head_bytes > MAX_HEAD_BYTES:
            raise HeadTooLargeError

    def _await_head(self) -> None:
        self.head_deadline = self.loop.call_later(settings.header_timeout, self._head_late)

    def _head_received(self) -> None:
        if self.head_deadline is not None:
            self.head_deadline.cancel()
            self.head_deadline = None

    def _head_late(self) -> None:
        self.head_deadline = None
        if self.cycle is not None and not self.cycle.response_complete:
            # A pipelined head stalled behind an answer still being sent: that answer finishes,
            # then the connection closes.
            self.cycle.keep_alive = False
        elif not self.transport.is_closing():
            self.transport.close()


# The collector's thresholds while serving (Python's defaults: 700, 10, 10). A request leaves
# short-lived cycles behind (statements, results); collected young every 700 allocations, those
# still in use were promoted and then found by full collections: 25 in 20 s of cold requests,
# each a 50-190 ms pause of the event loop. With these, 4 (each still ~100 ms: fewer pauses,
# not shorter). Measured on cold REST, server pinned: at one connection 248 -> 328 requests/s;
# at 64 no difference beyond noise (251, 248 -> 233, 282); the worker 166 -> 188 MB.
GC_THRESHOLDS = (10_000, 20, 50)


class FrozenAfterStart:
    """The app as a server process runs it: once started, whatever start-up made (the app, its
    schema, its modules, which live as long as the process) is kept out of the collector, which
    then need not walk it again on every collection of the oldest generation; and the
    collector runs less often (GC_THRESHOLDS).

    Not part of the app's own lifespan: a test client starts the app hundreds of times, and a
    full collection of a test run's heap each time cost more than the tests.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def started(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                gc.collect()
                gc.freeze()
                gc.set_threshold(*GC_THRESHOLDS)
            await send(message)

        await self.app(scope, receive, started)


def serve(*, host: str, port: int, reload: bool) -> int:
    """Serve the app until stopped; 2 when the settings cannot be served as asked."""
    workers = 1 if reload else settings.workers
    if settings.metrics_port is not None and workers > 1:
        print(
            "invalid configuration: METRICS_PORT needs WORKERS=1 (each worker process has its own "
            "metrics, and only one can listen on the port): run more containers instead",
            file=sys.stderr,
        )
        return 2
    uvicorn.run(
        "app.main:served",
        host=host,
        port=port,
        reload=reload,
        workers=None if reload else workers,
        http=BoundedHeadProtocol,
        # Our JSON logging and access log replace uvicorn's; SIGTERM drains in-flight requests.
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=20,
    )
    return 0
