"""Each endpoint costs a fixed number of SQL queries, however many rows it returns."""

import html
import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.main import response_store
from app.queries.events import event_facets, list_events
from app.queries.filters import EventFilters
from app.queries.pagination import RESULTS, PageParams
from app.queries.search import search
from tests.rest import counting_queries

ClientFor = Callable[[sa.Engine], TestClient]


def _cost(engine: sa.Engine, client: TestClient, url: str, *, remembered: bool = False) -> int:
    """The queries `url` costs: on a first call (nothing remembered), or a repeated one."""
    if not remembered:
        RESULTS.clear()
    with counting_queries(engine) as log:
        response = client.get(url)
    assert response.status_code == 200, response.text
    return log.count


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events?limit={n}",
        "/api/v1/events?limit={n}&sort=-start_date",
        "/api/v1/events?limit={n}&participant=iom&q=meeting",
        "/api/v1/states?limit={n}",
        "/api/v1/organizations?limit={n}",
        "/api/v1/documents?limit={n}",
        "/api/v1/search?q=a&limit={n}",
    ],
)
def test_a_page_of_5_costs_what_a_page_of_500_costs(
    crowded_engine: sa.Engine, client_for: ClientFor, url: str
) -> None:
    client = client_for(crowded_engine)

    small = _cost(crowded_engine, client, url.format(n=5))
    large = _cost(crowded_engine, client, url.format(n=500))

    assert small == large
    assert len(client.get(url.format(n=500)).json()["items"]) > 5 or "states" in url


def test_a_deep_page_costs_what_the_first_costs(
    crowded_engine: sa.Engine, client_for: ClientFor
) -> None:
    client = client_for(crowded_engine)
    first = _cost(crowded_engine, client, "/api/v1/events?limit=50")
    url = "/api/v1/events?limit=50"
    for _ in range(10):
        url = client.get(url).headers["link"][1:].split(">")[0]
    assert _cost(crowded_engine, client, url) == first == 3


QUERY_LAYER: dict[str, tuple[Callable[[Session], object], int, int]] = {
    # a count and a page; then the page alone
    "events": (
        lambda s: list_events(
            s,
            filters=EventFilters(participant="iom", q="meeting"),
            sort="start_date",
            page=PageParams(limit=5),
        ),
        2,
        1,
    ),
    # kinds and countries, and years, in one; organisations; then nothing
    "facets": (lambda s: event_facets(s, filters=EventFilters(participant="KAZ")), 2, 0),
    # a count and a page per kind of entity; then the pages
    "search": (lambda s: search(s, q="migration", limit=5, cursor=None), 14, 7),
}


@pytest.mark.parametrize("name", QUERY_LAYER)
def test_totals_and_facets_are_counted_once_per_data_version(
    crowded_engine: sa.Engine, name: str
) -> None:
    call, first, again = QUERY_LAYER[name]
    RESULTS.clear()

    def cost(version: str | None) -> tuple[int, object]:
        with counting_queries(crowded_engine) as log, Session(crowded_engine) as session:
            session.info["data_version"] = version
            answer = call(session)
        # The transaction's own BEGIN, which SQLite's driver may send, is not a query.
        return len([sql for sql in log.statements if sql != "BEGIN"]), answer

    assert cost("v1")[0] == first
    assert cost("v1")[0] == again
    # Another data version is another answer: nothing of v1's is served for it.
    assert cost("v2")[0] == first
    # Without a version (GraphQL), everything is counted each time.
    assert cost(None)[0] == cost(None)[0] == first
    assert cost("v1")[1] == cost(None)[1]


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # data version, event, then its declared children (participations, outcomes, themes,
        # relations, project funders) and its evidence (claims, then every citation)
        ("/api/v1/events/second-som-2015", 9),
        # data version, process, actors, objectives, key areas, claims, citations
        ("/api/v1/process", 7),
        # data version, state, process roles, events, claims, citations
        ("/api/v1/states/KAZ", 6),
        # data version, organisation, units, people, process roles, events, claims, citations
        ("/api/v1/organizations/iom", 8),
        # data version, document, events, areas, objectives, relations, claims, citations
        ("/api/v1/documents/operating-modalities", 8),
        # data version, source, its citations, its claims by basis
        ("/api/v1/sources/almaty-process", 4),
        # data version, kinds and countries and years in one, organisations (from the
        # participations, less the events the documents only refer to, in one)
        ("/api/v1/facets/events", 3),
        ("/api/v1/events.ics", 2),
        ("/api/v1/events.csv", 2),
        ("/api/v1/changes?since=2000-01-01T00:00:00Z", 3),
    ],
)
def test_detail_views_cost_the_same_on_the_seed_and_on_600_more_events(
    shared_seeded_engine: sa.Engine,
    crowded_engine: sa.Engine,
    client_for: ClientFor,
    url: str,
    queries: int,
) -> None:
    assert _cost(shared_seeded_engine, client_for(shared_seeded_engine), url) == queries
    assert _cost(crowded_engine, client_for(crowded_engine), url) == queries


def test_an_event_with_17_participants_costs_what_one_with_2_costs(
    crowded_engine: sa.Engine, client_for: ClientFor
) -> None:
    client = client_for(crowded_engine)

    small = _cost(crowded_engine, client, "/api/v1/events/generated-event-0000")
    large = _cost(crowded_engine, client, "/api/v1/events/crowded-0000")

    assert small == large == 9
    assert len(client.get("/api/v1/events/crowded-0000").json()["participants"]) == 17


def _link(client: TestClient, url: str, rel: str) -> str:
    """The URL of the page a page of /events links as `rel`."""
    found = re.search(rf'<a rel={rel} href="([^"]+)"', client.get(url).text)
    assert found is not None, (url, rel)
    return html.unescape(found.group(1))


def test_the_index_of_events_costs_what_the_api_list_costs(
    crowded_engine: sa.Engine, client_for: ClientFor
) -> None:
    client = client_for(crowded_engine)
    listed = _cost(crowded_engine, client, "/api/v1/events?limit=500")
    assert _cost(crowded_engine, client, "/events?limit=5") == listed
    assert _cost(crowded_engine, client, "/events?limit=500") == listed
    # A page reached going back costs what one reached going forward does.
    second = _link(client, _link(client, "/events?limit=50", "next"), "next")
    back = _link(client, second, "prev")
    # Both pages were read to find the links: asked again, they must be worked out again.
    assert response_store is not None
    response_store.clear()
    assert _cost(crowded_engine, client, back) == _cost(crowded_engine, client, second) == listed
