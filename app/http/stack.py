"""The HTTP edge around the routes: every layer a request passes, built in one place."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI
from starlette.middleware import Middleware

from app.config import settings
from app.db import configured_engine, get_engine
from app.http.budget import RequestBudgetMiddleware
from app.http.cache import HttpCacheMiddleware, ResponseStore
from app.http.compression import NegotiatedGZipMiddleware
from app.http.cors import CORS, EXPOSED, ProblemCORSMiddleware
from app.http.hosts import HostPolicy, check_host_patterns
from app.http.limits import RequestLimitsMiddleware
from app.http.observability import ObservabilityMiddleware, install_metrics
from app.http.operations import OPERATIONS_PATHS
from app.http.problems import ErrorAnswerMiddleware, install_problem_handlers
from app.http.versions import VersionWatcher

# The bulk files (app.rest.bulk), under this path.
STREAMED = "/api/v1/bulk/"


def engine_of(scope: Any) -> sa.Engine:
    """The engine a request's routes use (tests replace it the way the routes see it)."""
    override = getattr(scope.get("app"), "dependency_overrides", {}).get(get_engine)
    engine: sa.Engine = override() if override is not None else configured_engine()
    return engine


def layers(store: ResponseStore | None, versions: VersionWatcher) -> list[Middleware]:
    """Our layers, in the order a request meets them (its answer meets them in reverse)."""
    return [
        # The request id, the metrics and the access log: it sees every answer, refusals too.
        Middleware(ObservabilityMiddleware, access_log=settings.access_log),
        # A crash below is answered as a problem carrying the request id, and counted.
        Middleware(ErrorAnswerMiddleware),
        # Too many parameters; too large, too slow or an encoded body: refused before any key,
        # route or body parser costs anything. The body is read whole here.
        Middleware(
            RequestLimitsMiddleware,
            max_body_bytes=settings.max_body_bytes,
            max_query_params=settings.max_query_params,
            body_timeout=settings.body_timeout,
        ),
        # Kept answers per data version, and 304s: a hit runs none of the layers below.
        Middleware(
            HttpCacheMiddleware,
            cache_control="public, max-age=300",
            versions=versions,
            engine=engine_of,
            store=store,
            graphql_paths=frozenset({"/graphql"}),
            uncached_paths=OPERATIONS_PATHS,
            # The bulk files, streamed from disk with byte ranges (app.rest.bulk): never whole.
            streamed_prefixes=(STREAMED,),
            # CORS answers every origin alike when all are allowed: only whether one was sent
            # matters then.
            origin_value_matters=settings.cors_origins != ["*"],
        ),
        # Answers preflights (a refused one as a problem) and labels every answer (the cache
        # above keeps the labels).
        Middleware(
            ProblemCORSMiddleware,
            allow_origins=CORS.allow_origins,
            allow_methods=CORS.allow_methods,
            allow_headers=CORS.allow_headers,
            allow_credentials=CORS.allow_credentials,
            expose_headers=EXPOSED,
            max_age=86400,
        ),
        # Only a request that runs a route gets a time budget and a disconnect watcher.
        Middleware(RequestBudgetMiddleware, seconds=settings.request_time_budget),
        # Large bodies gzipped as Accept-Encoding allows (the cache keys on it).
        Middleware(
            NegotiatedGZipMiddleware,
            minimum_size=1000,
            compresslevel=6,
            # Byte ranges of a file are ranges of its bytes as stored: never gzipped on the way.
            stored_prefixes=(STREAMED,),
        ),
        # Hosts outside ALLOWED_HOSTS refused; redirects relative; `Vary: Host` where a URL was
        # built from it. Innermost: what it answers, the cache and the logs see.
        Middleware(HostPolicy),
    ]


@dataclass(frozen=True)
class Edge:
    """What the edge keeps: the response cache (None when sized 0) and the version watcher."""

    store: ResponseStore | None
    versions: VersionWatcher


def install_edge(app: FastAPI) -> Edge:
    """Wraps `app`'s routes in the edge."""
    check_host_patterns(app)
    install_problem_handlers(app)
    install_metrics(app)
    cache_bytes = int(settings.response_cache_mb * 1024 * 1024)
    store = ResponseStore(cache_bytes) if cache_bytes > 0 else None
    versions = VersionWatcher(interval=settings.data_version_check)
    # Starlette makes the last layer added the outermost.
    for layer in reversed(layers(store, versions)):
        app.add_middleware(layer.cls, *layer.args, **layer.kwargs)
    return Edge(store, versions)


__all__ = ["Edge", "engine_of", "install_edge", "layers"]
