"""Logs as JSON lines with the request id, one access line per request, Prometheus metrics."""

import logging
import logging.config
import random
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import settings
from app.db import configured_engine

access = logging.getLogger("app.access")


class ReadableFormatter(logging.Formatter):
    """Log lines for a person at a terminal: a request reads as "GET /api/v1/events 200 3.1 ms"."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        fields = record.__dict__
        if all(key in fields for key in ("method", "path", "status", "duration_ms")):
            # A copy: the record may reach other handlers unchanged.
            record = logging.makeLogRecord(fields)
            record.msg = f"{fields['method']} {fields['path']} {fields['status']} "
            record.msg += f"{fields['duration_ms']} ms"
            record.args = None
        return super().format(record)


request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# Fields every log record has: the rest came as `extra` and go into the JSON line as they are.
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being answered on every record logged while answering it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request id, and
    the record's `extra` fields; written by orjson, since it runs for every request."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        line: dict[str, Any] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        line.update(
            (key, value) for key, value in vars(record).items() if key not in _RECORD_FIELDS
        )
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def _log_format() -> str:
    """JSON in containers and files; text when a person watches the terminal."""
    if settings.log_format != "auto":
        return settings.log_format
    return "text" if sys.stdout.isatty() else "json"


def configure_logging() -> None:
    """Every log line (ours, uvicorn's, SQLAlchemy's) as JSON with the request id, or as text
    for a terminal."""
    # What no line shows is not gathered for every record (the logging HOWTO, "Optimization"):
    # the caller's file and line (a walk up the stack), thread and process.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"request_id": {"()": RequestIdFilter}},
            "formatters": {
                "json": {"()": JsonLineFormatter},
                "text": {"()": ReadableFormatter},
            },
            "handlers": {
                "stdout": {
                    "class": "logging.StreamHandler",
                    "formatter": _log_format(),
                    "filters": ["request_id"],
                    "stream": "ext://sys.stdout",
                }
            },
            "root": {"handlers": ["stdout"], "level": settings.log_level},
            "loggers": {
                # uvicorn's own access log formats every request twice over; ours is one line.
                "uvicorn.access": {"handlers": [], "propagate": False},
                "uvicorn.error": {"level": settings.log_level},
            },
        }
    )


REQUESTS = Counter(
    "almaty_http_requests_total",
    "requests answered, by route template, method and status",
    ["handler", "method", "status"],
)
DURATION = Histogram(
    "almaty_http_request_duration_seconds",
    "time to answer, by route template and method",
    ["handler", "method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
# Labels come from a closed set: a client's path or method never becomes a new time series.
METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS"})
UNMATCHED = "none"
NOT_MEASURED = frozenset({"/metrics", "/health"})
ROUTE_KEY = "almaty.route"
_REQUEST_ID = re.compile(r"[0-9A-Za-z._-]{8,64}")


def route_template(scope: Scope) -> str | None:
    """The template of the route that answered (`/api/v1/events/{slug}`), never the raw path.

    A route in an included router knows only its own part (`/events/{slug}`); FastAPI keeps the
    whole template on the request's scope. An answer served from the cache carries its own.
    """
    known = scope.get(ROUTE_KEY)
    if known is None:
        effective = scope.get("fastapi", {}).get("effective_route_context")
        known = getattr(effective, "path_format", None) or getattr(scope.get("route"), "path", None)
    return known if isinstance(known, str) else None


class ObservabilityMiddleware:
    """Per request, in one layer: the request id, the metrics and the access log line."""

    def __init__(self, app: ASGIApp, *, access_log: bool) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        given_or_new = given if _REQUEST_ID.fullmatch(given) else f"{random.getrandbits(128):032x}"
        token = request_id.set(given_or_new)
        raw_id = given_or_new.encode()
        began = time.perf_counter()
        status = 500

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", raw_id)]
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            elapsed = time.perf_counter() - began
            handler = route_template(scope) or UNMATCHED
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            if handler not in NOT_MEASURED:
                REQUESTS.labels(handler, method, str(status)).inc()
                DURATION.labels(handler, method).observe(elapsed)
            if self.access_log:
                access.info(
                    "request",
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round(1000 * elapsed, 2),
                    },
                )
            request_id.reset(token)


def _pool_gauge(name: str, text: str, read: str) -> None:
    def current() -> float:
        pool = configured_engine().pool
        value = getattr(pool, read, None)
        return float(value()) if callable(value) else 0.0

    Gauge(name, text).set_function(current)


def metrics() -> Response:
    """Prometheus's text format, never cached."""
    return Response(
        generate_latest(), media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"}
    )


@contextmanager
def private_metrics() -> Iterator[None]:
    """/metrics on METRICS_HOST:METRICS_PORT while the app runs, when that port is set.

    prometheus_client's own server, in a thread: it answers even while the event loop is busy,
    which is when an operator most wants to look.
    """
    if settings.metrics_port is None:
        yield
        return
    server, thread = start_http_server(settings.metrics_port, addr=settings.metrics_host)
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def install_metrics(app: FastAPI) -> None:
    """/metrics on the app's own port when no private one is set, and the pool's gauges."""
    if settings.metrics_port is None:
        app.add_api_route("/metrics", metrics, methods=["GET"], include_in_schema=False)
    _pool_gauge("almaty_db_pool_size", "connections the pool keeps", "size")
    _pool_gauge("almaty_db_pool_checked_out", "connections in use", "checkedout")
    _pool_gauge("almaty_db_pool_overflow", "connections beyond the pool size", "overflow")


__all__ = [
    "ObservabilityMiddleware",
    "configure_logging",
    "install_metrics",
    "private_metrics",
]
