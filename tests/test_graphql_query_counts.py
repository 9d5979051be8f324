"""A dashboard query costs the same SQL queries over the seed and over 1,000 more events."""

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.graphql import data
from tests.rest import counting_queries

ClientFor = Callable[[sa.Engine], TestClient]

DASHBOARD = """{
  events(first: 100, filter: {related: true}) {
    totalCount
    edges { node {
      slug title startDate endDate country { code name }
      participants { role state { code name } organization { slug acronym } person { slug } }
      outcomes { relation document { slug title } }
      sources { document { slug } quote slide }
    } }
  }
  eventFacets { total year { value count } country { value count } }
}"""
NODES = """{
  events(first: 100, filter: {related: true}) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { slug participants { role organization { slug } } }
    edges { cursor }
  }
}"""
STATE_RECORD = """{
  state(code: "KAZ") {
    name role
    events { roles event { slug title participants { role organization { slug } } } }
  }
}"""
ORGANIZATIONS = """{
  organizations(first: 100) { totalCount edges { node {
    slug name parent { slug } events { roles event { slug startDate } }
  } } }
}"""


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # count + page, then one event batch: events, participations, outcomes, themes,
        # relations, project funders, claims, citations; facets: events + organisations.
        (DASHBOARD, 12),
        # the same connection read through `nodes` beside `edges`: no query more.
        (NODES, 10),
        # state batch (5), then the events it took part in as one batch (8).
        (STATE_RECORD, 13),
        # count + page, organisation batch (7), their events as one batch (8).
        (ORGANIZATIONS, 17),
    ],
)
def test_the_query_count_depends_on_the_shape_not_the_rows(
    shared_seeded_engine: sa.Engine,
    crowded_engine: sa.Engine,
    client_for: ClientFor,
    query: str,
    queries: int,
) -> None:
    with counting_queries(shared_seeded_engine) as seed:
        small = data(client_for(shared_seeded_engine), query)
    with counting_queries(crowded_engine) as crowded:
        large = data(client_for(crowded_engine), query)

    assert seed.count == crowded.count == queries
    if "events(first" in query:
        assert len(small["events"]["edges"]) == 9
        assert len(large["events"]["edges"]) == 100
