"""Each endpoint costs a fixed number of SQL queries, however many rows it returns."""

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.rest import counting_queries

ClientFor = Callable[[sa.Engine], TestClient]


def _cost(engine: sa.Engine, client: TestClient, url: str) -> int:
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
