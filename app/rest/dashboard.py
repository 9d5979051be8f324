"""GET /dashboard: charts of the events, drawn in the browser from the public GraphQL API.

The page is HTML with a filter form that works as a plain GET form; its script (a file, so the
Content-Security-Policy needs no 'unsafe-inline') asks /graphql what every client asks and
draws the answers with Chart.js, installed from npm into dashboard/node_modules (no CDN).
"""

from html import escape
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse

from app.config import settings
from app.db import EngineDep
from app.http.assets import InstalledFiles
from app.models.enums import EventDimension
from app.queries.events import event_facets
from app.queries.filters import EventFilters
from app.queries.stats import event_stats
from app.rest.pages import page_start
from app.rest.params import DashboardParams
from app.rest.reading import reading, respond
from app.schemas.discovery import EventFacets, EventStats

router = APIRouter(include_in_schema=False)

ASSETS_PATH = "/dashboard/assets"
# The files the page loads, by the name it asks for, and where they are under DASHBOARD_ASSETS.
# An hour: a new release's script reaches browsers within it.
ASSETS = InstalledFiles(
    "the dashboard's scripts",
    lambda: settings.dashboard_assets,
    {
        "dashboard.js": "dashboard.js",
        "dashboard.css": "dashboard.css",
        "chart.umd.min.js": "node_modules/chart.js/dist/chart.umd.min.js",
    },
    max_age=3600,
)
# Only this origin's files and answers: no inline script or style, no other origin, no frames.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

# A box a wide table scrolls in: focusable, so that a keyboard can scroll it too.
_SCROLLED = 'class="scroll" tabindex="0" role="region"'

Options = list[tuple[str, str]]


def _options(options: Options, chosen: str) -> str:
    return "".join(
        f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(text)}</option>'
        for v, text in options
    )


def _select(name: str, label: str, groups: list[tuple[str | None, Options]], chosen: object) -> str:
    """A labelled <select>, first "any", then each group's choices (in an <optgroup> when it
    has a name). A chosen value missing from them (a link made before the data changed) is
    still shown, so that the form says what is filtered."""
    value = "" if chosen is None else str(chosen)
    known = {v for _, options in groups for v, _ in options}
    extra = [(value, value)] if value and value not in known else []
    choices = _options([("", "any"), *extra], value) + "".join(
        _options(options, value)
        if group is None
        else f'<optgroup label="{escape(group)}">{_options(options, value)}</optgroup>'
        for group, options in groups
    )
    return (
        f'<div class=field><label for="f-{name}">{escape(label)}</label>'
        f'<select id="f-{name}" name="{name}">{choices}</select></div>'
    )


def _participants(stats: EventStats) -> list[tuple[str | None, Options]]:
    """The states and the organisations that take part in any event, as choices."""
    states = {row.state.code: row.state.name for row in stats.rows if row.state}
    organizations = {
        row.organization.slug: (
            f"{row.organization.name} ({row.organization.acronym})"
            if row.organization.acronym
            else row.organization.name
        )
        for row in stats.rows
        if row.organization
    }
    return [
        ("States", sorted(states.items(), key=lambda item: item[1])),
        ("Organisations", sorted(organizations.items(), key=lambda item: item[1].lower())),
    ]


def _section(key: str, title: str, body: str) -> str:
    return (
        f'<section aria-labelledby="{key}-title"><h2 id="{key}-title">{title}</h2>{body}</section>'
    )


def _chart(key: str, description: str, caption: str) -> str:
    """A canvas the script draws on, and the table of the same numbers it fills."""
    return (
        f'<div class="chart" id="{key}-box"><canvas id="{key}-chart" role="img" '
        f'aria-label="{escape(description)} The table below gives the numbers."></canvas></div>'
        "<details><summary>The numbers as a table</summary>"
        f'<div {_SCROLLED} aria-label="{escape(caption)}">'
        f'<table id="{key}-table"><caption>{escape(caption)}</caption></table></div></details>'
    )


def dashboard_page(params: DashboardParams, facets: EventFacets, actors: EventStats) -> bytes:
    """The page: headings, the filter form as the address sets it, and the places the script
    fills in."""
    # Each facet's value as the address writes it (a year or a kind is typed in the facets).
    years = sorted(((str(f.value), str(f.value)) for f in facets.year), key=lambda y: int(y[0]))
    kinds = [(str(f.value), f.label) for f in facets.kind]
    countries = sorted(((str(f.value), f.label) for f in facets.country), key=lambda c: c[1])
    form = (
        '<form id="filters" method="get" action="/dashboard"><fieldset><legend>Filters</legend>'
        + _select("year_from", "From year", [(None, years)], params.year_from)
        + _select("year_to", "To year", [(None, years)], params.year_to)
        + _select("kind", "Kind of event", [(None, kinds)], params.kind)
        + _select("country", "Host country", [(None, countries)], params.country)
        + _select("participant", "Participant", _participants(actors), params.participant)
        + '<div class="actions"><button type="submit">Apply</button>'
        '<a href="/dashboard">Clear the filters</a></div></fieldset></form>'
    )
    matrix = (
        f'<p id="matrix-note"></p><div {_SCROLLED} aria-label="States at each event">'
        '<table id="matrix-table" class="matrix">'
        "<caption>States (columns) at each event (rows), with their roles</caption></table></div>"
        '<dl id="matrix-legend" class="legend"></dl>'
    )
    parts = [
        page_start("Events dashboard · Almaty Process open data", style=None),
        f'<link rel=stylesheet href="{ASSETS_PATH}/dashboard.css">',
        f'<script src="{ASSETS_PATH}/chart.umd.min.js" defer></script>',
        f'<script src="{ASSETS_PATH}/dashboard.js" defer></script>',
        '<header><p><a href="/">Almaty Process open data</a></p><h1>Events dashboard</h1>',
        "<p>Every number is counted by the public GraphQL API at "
        '<a href="/graphql">/graphql</a>, from events whose sources are cited passage by '
        "passage. Change a filter: the charts and this page's address follow, so a filtered "
        "dashboard is a link to share.</p></header><main>",
        form,
        '<p id="status" role="status" aria-live="polite">Loading the charts…</p>',
        "<noscript><p>The charts are drawn by a script. Without it, the same counts are at "
        '<a href="/api/v1/stats/events?group_by=year,kind">/api/v1/stats/events</a>.</p>'
        "</noscript>",
        _section(
            "by-year",
            "Events per year, by kind",
            _chart(
                "by-year",
                "Stacked bars of the events in each year, by kind.",
                "Events per year (rows) and kind (columns)",
            ),
        ),
        _section("matrix", "Which states took part in which events", matrix),
        _section(
            "by-organization",
            "Organisations by role",
            _chart(
                "by-organization",
                "Stacked bars of the events each organisation took part in, by its role.",
                "Events per organisation (rows) and role (columns)",
            ),
        ),
        "</main>",
    ]
    return "".join(parts).encode()


@router.get("/dashboard")
def dashboard(
    request: Request, engine: EngineDep, params: Annotated[DashboardParams, Query()]
) -> Response:
    """The dashboard; its filter form offers the years, kinds, hosts and participants there are."""
    everything = EventFilters()
    with reading(engine) as (session, version):
        facets = event_facets(session, filters=everything)
        actors = event_stats(
            session,
            filters=everything,
            group_by=[EventDimension.state, EventDimension.organization],
        )
    return respond(
        request,
        dashboard_page(params, facets, actors),
        version,
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": POLICY},
    )


@router.get(ASSETS_PATH + "/{name}")
def dashboard_asset(name: str) -> FileResponse:
    """The page's script, its styles or Chart.js (only those)."""
    return ASSETS.answer(name)
