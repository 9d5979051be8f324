"""/events: the list, one event, facets, and the calendar and CSV feeds."""

from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from app.db import EngineDep
from app.http.hosts import site_base
from app.queries import events
from app.queries.filters import EventFilters
from app.queries.stats import event_stats as events_stats
from app.rest.formats import event_jsonld, events_csv, events_ics, stats_csv
from app.rest.negotiation import preferred
from app.rest.openapi import answers
from app.rest.params import EventListParams, EventStatsParams, EventTableParams, NoQueryParams
from app.rest.reading import Versioned, answer, reading, respond
from app.schemas.discovery import EventFacets, EventStats
from app.schemas.events import EventDetail, EventSummary
from app.schemas.jsonld import EventJsonLd
from app.schemas.pages import page_of

router = APIRouter(tags=["events"])
Slug = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9-]{1,120}$", description="the event's slug", examples=["second-som-2015"]
    ),
]
JSONLD = "application/ld+json"


def api_base(request: Request) -> str:
    """The absolute URL of /api/v1."""
    return site_base(request) + "/api/v1"


@router.get("/events", response_model=page_of(EventSummary), responses=answers(page=True))
async def list_events(
    request: Request, engine: EngineDep, params: Annotated[EventListParams, Query()]
) -> Response:
    """Events, filtered and paginated; `related=true` adds the ones only referred to."""

    def work() -> Response:
        with reading(engine) as (session, version):
            listing = events.list_events(
                session, filters=params.filters, sort=params.sort, page=params.page
            )
        return respond(request, listing.page, version)

    return await answer(engine, work)


@router.get(
    "/events.ics",
    response_class=Response,
    responses=answers(
        "an iCalendar feed", content={"text/calendar": {"schema": {"type": "string"}}}
    ),
)
def get_events_calendar(
    request: Request, engine: EngineDep, filters: Annotated[EventFilters, Query()]
) -> Response:
    """The matching events as an iCalendar feed to subscribe to (e.g. `?participant=KAZ`)."""
    with reading(engine) as (session, version):
        rows = events.all_events(session, filters=filters)
    body = events_ics(
        rows,
        # A calendar app opens the link for a person: the event's page, not its JSON.
        event_url=site_base(request) + "/events/{slug}",
        stamped=version.loaded_at if version else None,
    )
    return respond(request, body, version, media_type="text/calendar; charset=utf-8")


@router.get(
    "/events.csv",
    response_class=Response,
    responses=answers(
        "one row per event, after a header row",
        content={"text/csv": {"schema": {"type": "string"}}},
        attachment=True,
    ),
)
def get_events_csv(
    request: Request, engine: EngineDep, params: Annotated[EventTableParams, Query()]
) -> Response:
    """The matching events as CSV, with a header row; `bom=true` for Excel."""
    with reading(engine) as (session, version):
        rows = events.all_events(session, filters=params.filters)
    body = events_csv(rows, event_url=api_base(request) + "/events/{slug}", bom=params.bom)
    return _csv_answer(request, body, version, "almaty-process-events.csv")


def _csv_answer(request: Request, body: bytes, version: Versioned | None, name: str) -> Response:
    """A CSV file to save, under `name`."""
    return respond(
        request,
        body,
        version,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/facets/events", response_model=EventFacets, tags=["discovery"], responses=answers())
def get_event_facets(
    request: Request, engine: EngineDep, filters: Annotated[EventFilters, Query()]
) -> Response:
    """How many matching events there are by year, kind, host country and organisation."""
    with reading(engine) as (session, version):
        facets = events.event_facets(session, filters=filters)
    return respond(request, facets, version)


@router.get("/stats/events", response_model=EventStats, tags=["discovery"], responses=answers())
def get_event_stats(
    request: Request, engine: EngineDep, params: Annotated[EventStatsParams, Query()]
) -> Response:
    """How many matching events there are in each group of one to three dimensions (rows by
    year and kind add up to the total); `bom` is for the CSV."""
    with reading(engine) as (session, version):
        stats = events_stats(session, filters=params.filters, group_by=params.dimensions)
    return respond(request, stats, version)


@router.get(
    "/stats/events.csv",
    response_class=Response,
    tags=["discovery"],
    responses=answers(
        "one row per group, after a header row",
        content={"text/csv": {"schema": {"type": "string"}}},
        attachment=True,
    ),
)
def get_event_stats_csv(
    request: Request, engine: EngineDep, params: Annotated[EventStatsParams, Query()]
) -> Response:
    """The counts of /stats/events as CSV: the dimensions' columns, then `count`."""
    with reading(engine) as (session, version):
        stats = events_stats(session, filters=params.filters, group_by=params.dimensions)
    return _csv_answer(
        request, stats_csv(stats, bom=params.bom), version, "almaty-process-event-stats.csv"
    )


class JsonLdResponse(JSONResponse):
    """JSON under JSON-LD's media type: FastAPI documents its response model as JSON."""

    media_type = JSONLD


def _jsonld_answer(request: Request, engine: EngineDep, slug: str) -> Response:
    with reading(engine) as (session, version):
        event = events.get_event(session, slug)
        alpha2 = events.host_alpha2(session, event)
    document = event_jsonld(event, base_url=api_base(request), country_alpha2=alpha2)
    return respond(request, orjson.dumps(document), version, media_type=JSONLD)


# Before /events/{slug}, whose pattern would refuse the suffix.
@router.get(
    "/events/{slug}.jsonld",
    response_model=EventJsonLd,
    response_class=JsonLdResponse,
    responses=answers(
        "the event as a schema.org Event (JSON-LD)", not_found="no event has this slug"
    ),
)
def get_event_jsonld(request: Request, engine: EngineDep, slug: Slug, _: NoQueryParams) -> Response:
    """One event as schema.org JSON-LD, as `Accept: application/ld+json` on the event gives it."""
    return _jsonld_answer(request, engine, slug)


@router.get(
    "/events/{slug}",
    response_model=EventDetail,
    responses=answers(
        "the event (`Accept: application/ld+json` gives /events/{slug}.jsonld instead)",
        not_found="no event has this slug",
        vary=True,
    ),
)
def get_event(request: Request, engine: EngineDep, slug: Slug, _: NoQueryParams) -> Response:
    """One event in full, each fact with its passage; JSON-LD for `Accept: application/ld+json`."""
    # The JSON-LD has an operation of its own: a client generated from the OpenAPI document then
    # gets one type for each (a union of the two would type neither).
    if preferred(request.headers.get("accept"), ["application/json", JSONLD]) == JSONLD:
        jsonld = _jsonld_answer(request, engine, slug)
        jsonld.headers["Vary"] = "Accept"
        return jsonld
    # Eight statements and every passage and claim of the event (some 6 ms): in a worker thread.
    with reading(engine) as (session, version):
        event = events.get_event(session, slug)
    return respond(request, event, version, headers={"Vary": "Accept"})
