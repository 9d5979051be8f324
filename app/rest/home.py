"""GET /: what the service is, under which licence, and where everything is — for a person
(HTML, no script, no CDN) or for a client (JSON links)."""

from html import escape
from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from app.db import EngineDep
from app.queries.bulk import ABOUT
from app.queries.changes import current_version
from app.queries.entities import ENTITIES
from app.rest.negotiation import preferred
from app.rest.openapi import answers
from app.rest.pages import page_start
from app.rest.params import NoQueryParams
from app.rest.reading import respond
from app.rest.site import PAGES
from app.schemas.discovery import GRAPHQL_EXAMPLE, Home, HomeLink

router = APIRouter(tags=["discovery"])

SUMMARY = (
    "Open data about the Almaty Process on Refugee Protection and International Migration: its "
    "states, organisations, events and documents. Every value cites the exact passage of the "
    "source document that states it."
)
CODE_LICENCE = "MIT"
# (relation, path, title): what a client follows, what a person reads. Each collection the
# API serves, from the registry of kinds of record, then the rest.
LINKS = (
    *(
        (entity.plural, f"/api/v1/{entity.plural}", entity.description)
        for entity in ENTITIES
        if entity.rest
    ),
    ("process", "/api/v1/process", "The Almaty Process: members, observers, objectives"),
    ("search", "/api/v1/search?q=migration", "Search every kind of record"),
    ("changes", "/api/v1/changes?since=2000-01-01T00:00:00Z", "What changed, to sync"),
    ("bulk", "/api/v1/bulk", "The whole dataset: a SQLite file, NDJSON and CSV per table"),
    # The example's answer for a client; GraphiQL opened on it for a browser.
    (
        "graphql",
        f"/graphql?query={quote(GRAPHQL_EXAMPLE, safe='')}",
        "GraphQL (GraphiQL in a browser)",
    ),
    ("docs", "/docs", "REST documentation (Swagger UI)"),
    ("openapi", "/openapi.json", "The OpenAPI document"),
)


_STYLE = "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}"


def _page(home: Home) -> bytes:
    items = "".join(
        f'<li><a href="{escape(link.href)}">{escape(link.title)}</a></li>' for link in home.links
    )
    pages = "".join(
        f'<li><a href="{escape(path)}">{escape(title)}</a></li>'
        for path, title in PAGES
        if path != "/"
    )
    version = f"<p>Data version {escape(home.data_version)}.</p>" if home.data_version else ""
    return (
        page_start(home.name, style=_STYLE)
        + f"<main><h1>{escape(home.name)}</h1><p>{escape(home.summary)}</p>"
        f"<h2>Pages</h2><ul>{pages}</ul><h2>The data</h2><ul>{items}</ul>{version}"
        f"<p>Data: {escape(home.data_licence)} Attribute it as “{escape(home.attribution)}”. "
        f"Code: {escape(home.code_licence)} licence.</p></main>"
    ).encode()


@router.get(
    "/",
    response_model=Home,
    responses=answers(
        "links to everything; a page for Accept: text/html",
        content={"text/html": {"schema": {"type": "string"}}},
        vary=True,
    ),
)
def get_home(request: Request, engine: EngineDep, _: NoQueryParams) -> Response:
    """What this service is, its licences, and links to everything it offers."""
    version = current_version(engine)
    answer = Home(
        name=ABOUT["dataset"],
        summary=SUMMARY,
        data_version=version.version if version else None,
        data_licence=ABOUT["licence"],
        attribution=ABOUT["attribution"],
        code_licence=CODE_LICENCE,
        links=[HomeLink(rel=rel, href=href, title=title) for rel, href, title in LINKS],
    )
    media = preferred(request.headers.get("accept"), ["application/json", "text/html"])
    headers = {"Vary": "Accept"}
    if media == "text/html":
        return respond(
            request, _page(answer), version, media_type="text/html; charset=utf-8", headers=headers
        )
    return respond(request, answer, version, headers=headers)
