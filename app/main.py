"""The FastAPI application: the routers, inside the HTTP edge (`app.http.stack`)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import APIRouter
from fastapi_offline import FastAPIOffline

from app.config import settings
from app.graphql import router as graphql
from app.http import operations
from app.http.observability import configure_logging, private_metrics
from app.http.server import FrozenAfterStart
from app.http.stack import install_edge
from app.rest import bulk, catalogue, dashboard, discovery, events, home, people, site
from app.rest.openapi import document_http, operation_id

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
    """Threads as many as connections; the private metrics port while the app runs."""
    # A route thread never waits for a connection, and no request waits for a thread that
    # itself waits for one: the pool's timeout (a 503) is what a client meets when both are busy.
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = settings.db_pool_size + settings.db_max_overflow
    with private_metrics():
        yield


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

api = APIRouter(prefix="/api/v1")
api.include_router(catalogue.router)
api.include_router(events.router)
api.include_router(people.router)
api.include_router(discovery.router)
api.include_router(bulk.router)
app.include_router(api)
app.include_router(home.router)
app.include_router(site.router)
app.include_router(dashboard.router)
app.include_router(operations.router)
# GraphQL describes itself (introspection, schema.graphql): not part of the OpenAPI document.
app.include_router(graphql.router, prefix="/graphql", include_in_schema=False)

edge = install_edge(app)
# After the edge: its problem handlers add to the document what this then finishes.
document_http(app)
response_store, version_watcher = edge.store, edge.versions
# What `almaty up` and the benchmark serve: the app, frozen for the collector once started.
served = FrozenAfterStart(app)
