"""The FastAPI application: routers, middleware, error handling."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from sqlmodel import Session

from app.budget import RequestBudgetMiddleware
from app.compression import NegotiatedGZipMiddleware
from app.config import settings
from app.cors import CORS, EXPOSED
from app.db import EngineDep, get_engine
from app.errors import OverBudgetError
from app.graphql import router as graphql
from app.hosts import install_hosts
from app.http_cache import HttpCacheMiddleware, ResponseStore
from app.limits import RequestLimitsMiddleware
from app.migrations import current_revision, head_revision
from app.observability import configure_logging, install_observability, private_metrics
from app.problems import ErrorAnswerMiddleware, install_problem_handlers
from app.queries.changes import latest_version
from app.rest import bulk, catalogue, discovery, events, home, site
from app.rest.openapi import PROBLEM_JSON, document_http, operation_id
from app.versions import VersionWatcher

DESCRIPTION = """\
Open data about the **Almaty Process on Refugee Protection and International Migration**: its
states, organisations, events and documents. **Every fact cites the exact passage of the source
document it comes from** (`sources`: document, quote, character offsets, slide).

Lists are pages: `{"items", "total", "next_cursor"}` with an RFC 8288 `Link: rel="next"` header;
pass `cursor` to continue. Every GET answer carries a strong `ETag` (send it back in
`If-None-Match` for a 304) and `X-Data-Version`, the version of the data it was read from, which
`/api/v1/changes?since=` takes to list what changed. Errors are `application/problem+json`
naming the parameter at fault.
"""


@asynccontextmanager
async def lifespan(_: Any) -> AsyncIterator[None]:
    """Threads as many as connections; then what start-up made is kept out of the collector."""
    # A route thread never waits for a connection, and no request waits for a thread that
    # itself waits for one: the pool's timeout (a 503) is what a client meets when both are busy.
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = settings.db_pool_size + settings.db_max_overflow
    gc.collect()
    # The app, its schema and its modules live as long as the process: the collector need not
    # walk them again on every collection of the oldest generation.
    gc.freeze()
    with private_metrics():
        yield
    gc.unfreeze()


def engine_of(scope: Any) -> sa.Engine:
    """The engine a request's routes use (tests replace it the way the routes see it)."""
    overrides = getattr(scope.get("app"), "dependency_overrides", {})
    engine: sa.Engine = overrides.get(get_engine, get_engine)()
    return engine


configure_logging()
app = FastAPIOffline(
    lifespan=lifespan,
    title="Almaty Process open data API",
    summary="Events, states, organisations and documents, every fact cited to its passage.",
    description=DESCRIPTION,
    version="1.0.0",
    license_info={
        "name": "Data: CC BY 4.0 (source documents remain their authors'); code: MIT",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    },
    generate_unique_id_function=operation_id,
    # FastAPI's own OpenTelemetry hooks: off, /metrics and the access log do that job, and
    # their per-request checks for a configured provider were 6 % of a cached answer's time.
    telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
)
install_problem_handlers(app)
install_hosts(app)

api = APIRouter(prefix="/api/v1")
api.include_router(catalogue.router)
api.include_router(events.router)
api.include_router(discovery.router)
api.include_router(bulk.router)
app.include_router(api)
app.include_router(home.router)
app.include_router(site.router)
# GraphQL describes itself (introspection, schema.graphql): not part of the OpenAPI document.
app.include_router(graphql.router, prefix="/graphql", include_in_schema=False)

document_http(app)

# Outermost first: observability (request id, metrics, access log) sees every answer; the limits
# refuse what is too large or too slow before any other work; the cache keeps and tags what CORS
# and the compressor produced, so a hit runs none of the layers below it; CORS answers preflights
# and labels every answer; the compressor shrinks large bodies.
version_watcher = VersionWatcher(interval=settings.data_version_check)
cache_bytes = int(settings.response_cache_mb * 1024 * 1024)
response_store = ResponseStore(cache_bytes) if cache_bytes > 0 else None
app.add_middleware(NegotiatedGZipMiddleware, minimum_size=1000, compresslevel=6)
# Inside the cache: only a request that runs a route gets a budget and a disconnect watcher.
app.add_middleware(RequestBudgetMiddleware, seconds=settings.request_time_budget)
app.add_middleware(
    CORSMiddleware,
    allow_origins=CORS.allow_origins,
    allow_methods=CORS.allow_methods,
    allow_headers=CORS.allow_headers,
    allow_credentials=CORS.allow_credentials,
    expose_headers=EXPOSED,
    max_age=86400,
)
app.add_middleware(
    HttpCacheMiddleware,
    cache_control="public, max-age=300",
    versions=version_watcher,
    engine=engine_of,
    store=response_store,
    post_paths=frozenset({"/graphql"}),
    uncached_paths=frozenset({"/health", "/ready", "/metrics"}),
    # CORS answers every origin alike when all are allowed: only whether one was sent matters.
    origin_value_matters=settings.cors_origins != ["*"],
)
# Outside the cache: a request over a limit costs no cache key, route or body parser.
app.add_middleware(
    RequestLimitsMiddleware,
    max_body_bytes=settings.max_body_bytes,
    max_query_params=settings.max_query_params,
    body_timeout=settings.body_timeout,
)
# Just inside observability: a crash below is answered with the request id, and counted.
app.add_middleware(ErrorAnswerMiddleware)
install_observability(app)

NO_STORE = {"Cache-Control": "no-store"}


@app.get("/health", tags=["operations"], name="check_health")
async def health() -> JSONResponse:
    """Liveness: the process is up and answering."""
    # async: it does no I/O, and must answer while every worker thread is busy.
    return JSONResponse({"status": "ok"}, headers=NO_STORE)


def _not_ready(detail: str) -> JSONResponse:
    body = {"type": "not-ready", "title": "Service Unavailable", "status": 503, "detail": detail}
    return JSONResponse(
        body, status_code=503, media_type="application/problem+json", headers=NO_STORE
    )


@app.get(
    "/ready",
    tags=["operations"],
    name="check_readiness",
    responses={
        503: {
            "description": "not ready: the database is unreachable, behind or not seeded",
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    },
)
def ready(engine: EngineDep) -> Any:
    """Readiness: the database answers, its schema is at head and the seed is loaded."""
    try:
        with Session(engine) as session:
            revision = current_revision(session.connection())
            version = latest_version(session) if revision == head_revision() else None
    except (sa.exc.SQLAlchemyError, OverBudgetError) as error:
        return _not_ready(f"database unreachable: {type(error).__name__}")
    if revision != head_revision():
        return _not_ready(f"schema at revision {revision}, expected {head_revision()}")
    if version is None:
        return _not_ready("the seed data is not loaded")
    return JSONResponse(
        {"status": "ready", "schema_revision": revision, "data_version": version.version},
        headers=NO_STORE,
    )
