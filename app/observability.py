"""Logs as JSON lines with the request id, one access line per request, Prometheus metrics."""

import logging
import logging.config
import sys
import time

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from prometheus_client import Gauge
from prometheus_fastapi_instrumentator import Instrumentator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import settings
from app.db import get_engine

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


def _log_format() -> str:
    """JSON in containers and files; text when a person watches the terminal."""
    if settings.log_format != "auto":
        return settings.log_format
    return "text" if sys.stdout.isatty() else "json"


def configure_logging() -> None:
    """Every log line (ours, uvicorn's, SQLAlchemy's) as JSON with the request id, or as text
    for a terminal."""
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"request_id": {"()": "asgi_correlation_id.CorrelationIdFilter"}},
            "formatters": {
                "json": {
                    "()": "pythonjsonlogger.json.JsonFormatter",
                    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
                    "rename_fields": {
                        "asctime": "time",
                        "levelname": "level",
                        "name": "logger",
                        "correlation_id": "request_id",
                    },
                },
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


class AccessLogMiddleware:
    """One log line per request: method, path, status, duration; cheap enough to leave on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            access.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(1000 * (time.perf_counter() - began), 2),
                },
            )


def _pool_gauge(name: str, text: str, read: str) -> None:
    def current() -> float:
        pool = get_engine().pool
        value = getattr(pool, read, None)
        return float(value()) if callable(value) else 0.0

    Gauge(name, text).set_function(current)


def install_observability(app: FastAPI) -> None:
    """Request ids, the access log and /metrics, on `app`."""
    if settings.access_log:
        app.add_middleware(AccessLogMiddleware)
    # Outermost: the id exists before anything logs, and goes back as X-Request-ID.
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID")
    Instrumentator(
        should_group_status_codes=False,
        excluded_handlers=["/metrics", "/health"],
    ).instrument(app, metric_namespace="almaty").expose(
        app, endpoint="/metrics", include_in_schema=False
    )
    _pool_gauge("almaty_db_pool_size", "connections the pool keeps", "size")
    _pool_gauge("almaty_db_pool_checked_out", "connections in use", "checkedout")
    _pool_gauge("almaty_db_pool_overflow", "connections beyond the pool size", "overflow")


__all__ = ["AccessLogMiddleware", "configure_logging", "install_observability"]
