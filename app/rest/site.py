"""Pages for people and crawlers, beside the API: /events/{slug} as server-rendered HTML."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.db import EngineDep
from app.http.hosts import site_base
from app.queries import events
from app.rest.events import api_base
from app.rest.formats import event_jsonld
from app.rest.pages import event_page
from app.rest.params import NoQueryParams
from app.rest.reading import reading, respond

router = APIRouter(include_in_schema=False)
Slug = Annotated[str, Path(pattern=r"^[a-z0-9-]{1,120}$")]


@router.get("/events/{slug}")
def event_page_route(request: Request, engine: EngineDep, slug: Slug, _: NoQueryParams) -> Response:
    """The event as a page: its facts, participants and documents, each with its passages."""
    with reading(engine) as (session, version):
        event = events.get_event(session, slug)
        alpha2 = events.host_alpha2(session, event)
    base = api_base(request)
    page_url = f"{site_base(request)}/events/{slug}"
    document = event_jsonld(event, base_url=base, country_alpha2=alpha2)
    # A crawler reading this page learns that the page is where a person reads the event.
    document["url"] = page_url
    page = event_page(event, page_url=page_url, json_url=f"{base}/events/{slug}", jsonld=document)
    return respond(request, page, version, media_type="text/html; charset=utf-8")
