"""Pages for people and crawlers, beside the API: the index of events and each event as
server-rendered HTML, the sitemap that lists every page, and robots.txt that points to it."""

from datetime import UTC, datetime
from html import escape
from math import ceil
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.db import EngineDep
from app.errors import NotFoundError
from app.http.hosts import site_base
from app.queries import events
from app.queries.filters import EventFilters
from app.rest.events import api_base
from app.rest.formats import event_jsonld
from app.rest.pages import event_page, events_index_page
from app.rest.params import EventIndexParams, NoQueryParams, SitemapParams
from app.rest.reading import reading, respond

router = APIRouter(include_in_schema=False)
Slug = Annotated[str, Path(pattern=r"^[a-z0-9-]{1,120}$")]
HTML = "text/html; charset=utf-8"

# The site's pages, declared here only: the landing page links them and the sitemap lists them,
# with each event's page (/events/{slug}) after them. (path, title)
PAGES = (
    ("/", "Almaty Process open data"),
    ("/events", "Events, each with its own page"),
    ("/dashboard", "Charts of the events, filtered as you choose"),
)


@router.get("/events")
def events_index_route(
    request: Request, engine: EngineDep, params: Annotated[EventIndexParams, Query()]
) -> Response:
    """The events as GET /api/v1/events filters and pages them, each linked to its page."""
    with reading(engine) as (session, version):
        listing = events.list_events(
            session,
            filters=params.filters,
            sort=params.sort,
            page=params.page,
            before=params.before,
        )
    return respond(request, events_index_page(listing, params=params), version, media_type=HTML)


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
    return respond(request, page, version, media_type=HTML)


# The most URLs the protocol allows in one file: past it, /sitemap.xml is an index of parts.
SITEMAP_URLS = 50_000
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
_NAMESPACE = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
# Every event has a page: the ones the documents only refer to as well.
_EVERY_EVENT = EventFilters(related=True)


def _entry(tag: str, location: str, modified: datetime | None) -> str:
    stamp = ""
    if modified is not None:
        # W3C Datetime with its zone, as the protocol asks (SQLite gives back naive UTC).
        utc = modified.astimezone(UTC) if modified.tzinfo else modified.replace(tzinfo=UTC)
        stamp = f"<lastmod>{utc.isoformat(timespec='seconds')}</lastmod>"
    return f"<{tag}><loc>{escape(location)}</loc>{stamp}</{tag}>"


@router.get("/sitemap.xml")
def sitemap(
    request: Request, engine: EngineDep, params: Annotated[SitemapParams, Query()]
) -> Response:
    """Every page (sitemaps.org 0.9): its absolute URL, and when its data last changed; past
    SITEMAP_URLS pages, an index of parts (`?part=`), each a sitemap."""
    base = site_base(request)
    with reading(engine) as (session, version):
        # The landing page shows the data version, the index every event: both change with a
        # load.
        loaded = version.loaded_at if version else None
        parts = ceil((len(PAGES) + events.count_matching(session, _EVERY_EVENT)) / SITEMAP_URLS)
        if params.part is None and parts > 1:
            entries = [
                _entry("sitemap", f"{base}/sitemap.xml?part={part}", loaded)
                for part in range(1, parts + 1)
            ]
            body = f"{_XML_HEAD}<sitemapindex {_NAMESPACE}>{''.join(entries)}</sitemapindex>"
            return respond(request, body.encode(), version, media_type="application/xml")
        part = params.part or 1
        if part > parts:
            raise NotFoundError("sitemap part", str(part))
        first = (part - 1) * SITEMAP_URLS
        pages = PAGES[first : first + SITEMAP_URLS]
        rows = events.event_pages(
            session, offset=max(0, first - len(PAGES)), limit=SITEMAP_URLS - len(pages)
        )
    entries = [_entry("url", base + path, loaded) for path, _ in pages]
    entries += [_entry("url", f"{base}/events/{slug}", changed) for slug, changed in rows]
    body = f"{_XML_HEAD}<urlset {_NAMESPACE}>{''.join(entries)}</urlset>"
    return respond(request, body.encode(), version, media_type="application/xml")


@router.get("/robots.txt")
def robots(request: Request, _: NoQueryParams) -> Response:
    """Every page may be crawled; the sitemap lists them."""
    body = f"User-agent: *\nAllow: /\nSitemap: {site_base(request)}/sitemap.xml\n"
    return Response(body, media_type="text/plain; charset=utf-8")
