"""Every GraphQL list is paged and bounded, and every answer says what it may cost (issue 17,
parts 2 and 3): a dashboard's natural queries pass the cost limit as written, a refusal says
which list to page and to what, and the cost can be asked without running the query."""

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from graphql import GraphQLObjectType, get_named_type, get_nullable_type, is_list_type

from app.config import settings
from app.graphql.cost import list_size
from app.graphql.schema import schema
from tests.graphql import data, graphql

ClientFor = Callable[[sa.Engine], TestClient]

# The matrix a dashboard author writes first: every state, with the events it took part in.
MATRIX = "{ states { code name role events { roles event { slug startDate } } } }"


def _lists() -> list[tuple[str, str, int, int]]:
    """Every list of objects that is not a connection's page: (type, field, default, bound)."""
    found = []
    for name, kind in schema._schema.type_map.items():
        if not isinstance(kind, GraphQLObjectType) or name.startswith("__"):
            continue
        for field, definition in kind.fields.items():
            listed = is_list_type(get_nullable_type(definition.type))
            if not listed or not isinstance(get_named_type(definition.type), GraphQLObjectType):
                continue
            if name.endswith("Connection"):
                continue
            first = definition.args.get("first")
            bound = list_size(kind, field)
            assert first is not None, f"{name}.{field} takes no first"
            assert bound is not None, f"{name}.{field} has no bound"
            found.append((name, field, first.default_value, bound))
    return found


def test_every_list_of_objects_takes_first_with_a_default_within_its_bound() -> None:
    listed = _lists()
    assert len(listed) > 40
    for name, field, default, bound in listed:
        assert 1 <= default <= bound, (name, field)


def test_the_natural_matrix_query_passes_with_room_and_matches_the_counts(
    each_db_api: TestClient,
) -> None:
    answer = graphql(each_db_api, MATRIX)
    assert "errors" not in answer, answer
    cost = answer["extensions"]["cost"]
    assert cost["limit"] == settings.graphql_max_cost
    assert cost["requested"] * 2 < cost["limit"]
    # Each state's events are those eventStats counts for it.
    counted = data(each_db_api, "{ eventStats(groupBy: [state]) { state { code } count } }")
    by_state = {row["state"]["code"]: row["count"] for row in counted["eventStats"]}
    involved = {
        state["code"]: len(state["events"]) for state in answer["data"]["states"] if state["events"]
    }
    assert involved == by_state
    assert len(involved) >= 10


def test_a_page_of_a_list_holds_at_most_first_and_says_there_were_more(
    each_db_api: TestClient,
) -> None:
    whole = data(each_db_api, '{ state(code: "KAZ") { events { event { slug } } } }')
    events = [each["event"]["slug"] for each in whole["state"]["events"]]
    assert len(events) >= 3
    answer = graphql(each_db_api, '{ state(code: "KAZ") { events(first: 2) { event { slug } } } }')
    assert [each["event"]["slug"] for each in answer["data"]["state"]["events"]] == events[:2]
    assert answer["extensions"]["truncated"] == [
        {"path": ["state", "events"], "bound": 2, "items": len(events)}
    ]


@pytest.mark.parametrize("asked", [0, -1, "bound"])
def test_a_page_outside_its_bounds_is_refused_naming_the_field_and_argument(
    sqlite_api: TestClient, asked: Any
) -> None:
    bound = list_size(schema._schema.type_map["Event"], "participants")
    assert bound is not None
    first = bound + 1 if asked == "bound" else asked
    answer = graphql(
        sqlite_api,
        f"{{ events(first: 1) {{ nodes {{ participants(first: {first}) {{ role }} }} }} }}",
    )
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "first"
    assert error["message"].startswith("Event.participants: first must be between 1 and")


def test_a_state_or_organisation_pages_its_events_with_cursors(
    client_for: ClientFor, crowded_engine: sa.Engine
) -> None:
    """IOM took part in some 1,000 events here: pages of 30, each from the last one's cursor,
    give the same events in the same order as one page of 100."""
    client = client_for(crowded_engine)
    query = """query($after: String) { organization(slug: "iom") {
        events(first: 30, after: $after) { cursor roles event { slug } } } }"""
    seen: list[str] = []
    after = None
    for _ in range(3):
        page = data(client, query, {"after": after})["organization"]["events"]
        assert len(page) == 30
        seen += [each["event"]["slug"] for each in page]
        after = page[-1]["cursor"]
    whole = data(client, '{ organization(slug: "iom") { events(first: 100) { event { slug } } } }')[
        "organization"
    ]["events"]
    assert seen == [each["event"]["slug"] for each in whole][:90]
    assert len(set(seen)) == 90
    # With a role too, and a cursor that is not one of ours is a clear refusal.
    answer = graphql(
        client, '{ organization(slug: "iom") { events(after: "nonsense") { roles } } }'
    )
    [error] = answer["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "after"}


def test_a_refusal_names_the_list_to_page_and_its_advice_passes(
    sqlite_api: TestClient,
) -> None:
    query = (
        "{ states { code events(first: 100) { roles event { slug "
        "participants { role state { code } } } } } }"
    )
    refused = sqlite_api.post("/graphql", json={"query": query})
    assert refused.status_code == 200
    [error] = refused.json()["errors"]
    extensions = error["extensions"]
    assert extensions["limit"] == "cost"
    assert extensions["argument"] == "first"
    assert extensions["path"] in ("states", "states.events", "states.events.event.participants")
    assert f"`{extensions['path']}`" in error["message"]
    # Following the advice: the same query with that list's first lowered as said.
    field = extensions["field"]
    assert field in ("Query.states", "State.events", "Event.participants")
    first = extensions["first"]
    if field == "Query.states":
        advised = query.replace("{ states {", f"{{ states(first: {first}) {{")
    elif field == "State.events":
        advised = query.replace("events(first: 100)", f"events(first: {first})")
    else:
        advised = query.replace("participants {", f"participants(first: {first}) {{")
    answer = graphql(sqlite_api, advised)
    assert "errors" not in answer, answer
    assert answer["extensions"]["cost"]["requested"] <= settings.graphql_max_cost


def test_every_answer_says_its_cost_and_the_dry_run_says_the_same(
    sqlite_api: TestClient,
) -> None:
    query = "{ events(first: 5) { nodes { slug participants { role } } } }"
    answer = graphql(sqlite_api, query)
    requested = answer["extensions"]["cost"]["requested"]
    assert requested == 1 + 5 * (1 + 1 + 50 * 2)
    asked = data(
        sqlite_api,
        "query($q: String!) { queryCost(query: $q) { requested limit allowed path field first } }",
        {"q": query},
    )["queryCost"]
    assert asked == {
        "requested": requested,
        "limit": settings.graphql_max_cost,
        "allowed": True,
        "path": None,
        "field": None,
        "first": None,
    }
    over = data(
        sqlite_api,
        "query($q: String!) { queryCost(query: $q) { allowed path first } }",
        {"q": "{ states { events(first: 100) { event { participants { role } } } } }"},
    )["queryCost"]
    assert over["allowed"] is False
    assert over["path"]
    assert over["first"] >= 1
    # An error answer costs too: a query that asks for an unknown state still says its cost.
    missing = graphql(sqlite_api, '{ state(code: "ZZZ") { code } }')
    assert missing["data"] == {"state": None}
    assert missing["extensions"]["cost"]["requested"] == 2


def test_the_dry_run_refuses_a_query_that_is_not_one(sqlite_api: TestClient) -> None:
    for bad, argument in (("{ states {", "query"), ("{ nosuch }", "query")):
        answer = graphql(
            sqlite_api, "query($q: String!) { queryCost(query: $q) { requested } }", {"q": bad}
        )
        [error] = answer["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["argument"] == argument
    answer = graphql(
        sqlite_api,
        'query($v: JSON) { queryCost(query: "{ process { name } }", variables: $v) { requested } }',
        {"v": [1, 2]},
    )
    [error] = answer["errors"]
    assert error["extensions"]["argument"] == "variables"
    # A query that could not run: variables it refuses, an operation it does not have.
    paged = "query($n: Int!) { events(first: $n) { nodes { slug } } }"
    for variables, name, argument in (
        ({"n": "x"}, None, "variables"),
        ({}, None, "variables"),
        ({"n": 5}, "Other", "operationName"),
    ):
        answer = graphql(
            sqlite_api,
            "query($q: String!, $v: JSON, $o: String) "
            "{ queryCost(query: $q, variables: $v, operationName: $o) { requested } }",
            {"q": paged, "v": variables, "o": name},
        )
        [error] = answer["errors"]
        assert error["extensions"]["argument"] == argument, (variables, name)


def test_the_dry_run_says_what_the_query_would_be_refused_for(sqlite_api: TestClient) -> None:
    twice = "{ a: __schema { types { name } } b: __schema { types { name } } }"
    asked = data(
        sqlite_api,
        "query($q: String!) { queryCost(query: $q) { allowed refusal } }",
        {"q": twice},
    )["queryCost"]
    sent = graphql(sqlite_api, twice)
    assert asked["allowed"] is False
    assert asked["refusal"] == sent["errors"][0]["message"]


def test_nodes_cost_what_their_ids_ask_for(sqlite_api: TestClient) -> None:
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    costs = []
    for count in (1, 3):
        answer = graphql(sqlite_api, query, {"ids": ["RXZlbnQ6bm8tc3VjaC1ldmVudA"] * count})
        costs.append(answer["extensions"]["cost"]["requested"])
    assert costs == [1 * 2, 3 * 2]
