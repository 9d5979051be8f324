"""A query costs the SQL queries its fields select: the same over the seed and 1,000 more events.

Each relation is one query per request (a DataLoader over a batch query), read only when a query
selects it; the list itself is two (the count and the page).
"""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.graphql import data
from tests.rest import QueryLog, counting_queries

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


EVENTS = "events(first: 100, filter: {related: true})"


def _nodes(fields: str) -> str:
    return f"{{ {EVENTS} {{ nodes {{ slug title {fields} }} }} }}"


def _resolver_queries(log: QueryLog) -> int:
    return log.count


def _fresh(client: TestClient, query: str) -> Any:
    """The query's data, run by its resolvers: a comment no cached answer has keeps it new."""
    return data(client, f"# {uuid.uuid4()}\n{query}")


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # Every answer first reads the data version of its snapshot (one query), then:
        # the count (and the page, which the list reads with it): no event is loaded.
        ("{ events { totalCount } }", 3),
        # the page's scalars come from the list query itself.
        (_nodes("kind startDate endDate city country { code } participantCount { value }"), 3),
        # each relation is one query more, whatever the number of events...
        (_nodes("participants { role organization { slug } }"), 4),
        (_nodes("participants { role } sources { quote }"), 5),
        (_nodes("participants { role } sources { quote } claims { value }"), 6),
        # ...and organizers, funders and participants share theirs.
        (_nodes("organizers { role } funders { role } participants { role }"), 4),
        # a claim's passages are a relation of the claim: one more.
        (_nodes("claims { value sources { quote } }"), 5),
        # the fields a list does not read (summary, process...) are one query for the page.
        (_nodes("summary attendance process processRelation"), 4),
        # aliases are preferred claims: they share the claims query.
        (_nodes('aliases claims(field: "startDate") { value }'), 4),
        # outcomes, themes, relations with their events, and the project with its funders.
        (_nodes("outcomes { document { slug } } themes { title } relations { event { slug } }"), 7),
        (_nodes("project { slug funders { organization { slug } } }"), 5),
        # count + page, participations, outcomes, citations; then what event_facets reads (2).
        (DASHBOARD, 8),
        # the same connection read through `nodes` beside `edges`: no query more.
        (NODES, 4),
        # the state, its events with roles, those events, their participations.
        (STATE_RECORD, 5),
        # count + page, their events with roles, those events.
        (ORGANIZATIONS, 5),
    ],
)
def test_the_query_count_depends_on_the_fields_not_the_rows(
    shared_seeded_engine: sa.Engine,
    crowded_engine: sa.Engine,
    client_for: ClientFor,
    query: str,
    queries: int,
) -> None:
    with counting_queries(shared_seeded_engine) as seed:
        small = _fresh(client_for(shared_seeded_engine), query)
    with counting_queries(crowded_engine) as crowded:
        large = _fresh(client_for(crowded_engine), query)

    assert _resolver_queries(seed) == _resolver_queries(crowded) == queries
    if "events(first" in query:
        listed = "nodes" if "nodes" in query else "edges"
        assert len(small["events"][listed]) == 9
        assert len(large["events"][listed]) == 100


def test_batched_relations_land_on_their_own_events(each_db_api: TestClient) -> None:
    """Each event of a page gets its own participants, outcomes, passages and claims (as REST)."""
    fields = """participants { role organization { slug } state { code } }
        outcomes { relation document { slug } } sources { quote } claims { field value }"""
    found = _fresh(each_db_api, _nodes(fields))["events"]["nodes"]
    assert len(found) == 9
    for event in found:
        rest = each_db_api.get(f"/api/v1/events/{event['slug']}").json()
        assert [(p["role"], p["organization"], p["state"]) for p in event["participants"]] == [
            (
                p["role"],
                p["organization"] and {"slug": p["organization"]["slug"]},
                p["state"] and {"code": p["state"]["code"]},
            )
            for p in rest["participants"]
        ]
        assert [o["document"]["slug"] for o in event["outcomes"]] == [
            o["document"]["slug"] for o in rest["outcomes"]
        ]
        assert [s["quote"] for s in event["sources"]] == [s["quote"] for s in rest["sources"]]
        assert [(c["field"], c["value"]) for c in event["claims"]] == [
            (name, claim["value"])
            for name, claims in sorted(rest["claims"].items())
            for claim in claims
        ]
