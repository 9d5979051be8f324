"""A real GraphQL client (gql, over HTTP) reads the connections as the Relay spec shapes them."""

from collections.abc import Iterator
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.client import SyncClientSession
from gql.transport.httpx import HTTPXTransport
from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLType,
    get_nullable_type,
)

from tests.test_rest_events import PROCESS_EVENTS

# A system test (a live server, a browser, a fuzzer or the Docker files): `-m "not slow"` skips it.
pytestmark = pytest.mark.slow

PAGE = GraphQLRequest(
    """query Page($first: Int, $after: String) {
      events(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { slug } }
        nodes { slug }
      }
    }"""
)


@pytest.fixture
def session(sqlite_live_server: str) -> Iterator[tuple[SyncClientSession, GraphQLSchema]]:
    """A gql session that fetched the schema by introspection (and validates against it)."""
    client = Client(
        transport=HTTPXTransport(url=f"{sqlite_live_server}/graphql"),
        fetch_schema_from_transport=True,
    )
    with client as connected:
        assert client.schema is not None
        yield connected, client.schema


def _object(kind: object) -> GraphQLObjectType:
    assert isinstance(kind, GraphQLObjectType), kind
    return kind


def _is_non_null(kind: GraphQLType, of: str) -> bool:
    return isinstance(kind, GraphQLNonNull) and getattr(kind.of_type, "name", None) == of


def test_every_connection_has_the_relay_shapes(
    session: tuple[SyncClientSession, GraphQLSchema],
) -> None:
    _, schema = session
    page_info = _object(schema.get_type("PageInfo"))
    for name in ("hasNextPage", "hasPreviousPage"):
        assert _is_non_null(page_info.fields[name].type, "Boolean"), name
    for name in ("startCursor", "endCursor"):
        # Opaque strings, null when the page is empty.
        assert page_info.fields[name].type == schema.get_type("String"), name

    connections = [name for name in schema.type_map if name.endswith("Connection")]
    assert sorted(connections) == ["EventConnection", "OrganizationConnection", "PersonConnection"]
    query = _object(schema.query_type)
    for name in connections:
        connection = _object(schema.get_type(name))
        assert _is_non_null(connection.fields["pageInfo"].type, "PageInfo")
        edges = get_nullable_type(connection.fields["edges"].type)
        assert isinstance(edges, GraphQLList)
        edge = _object(get_nullable_type(edges.of_type))
        assert edge.name.endswith("Edge")
        cursor = get_nullable_type(edge.fields["cursor"].type)
        assert isinstance(cursor, GraphQLScalarType)
        assert cursor.name == "String"
        node = get_nullable_type(edge.fields["node"].type)
        nodes = get_nullable_type(connection.fields["nodes"].type)
        assert isinstance(nodes, GraphQLList)
        assert get_nullable_type(nodes.of_type) == node
        # The root field that returns it takes Relay's forward pagination arguments.
        [field] = [f for f in query.fields.values() if get_nullable_type(f.type) == connection]
        assert get_nullable_type(field.args["first"].type) == schema.get_type("Int")
        assert get_nullable_type(field.args["after"].type) == schema.get_type("String")


def test_paging_through_events_with_first_and_after_to_the_end(
    session: tuple[SyncClientSession, GraphQLSchema],
) -> None:
    client, _ = session
    seen: list[str] = []
    after: str | None = None
    pages = 0
    while True:
        PAGE.variable_values = {"first": 2, "after": after}
        answer: dict[str, Any] = client.execute(PAGE)
        page = answer["events"]
        info, edges = page["pageInfo"], page["edges"]
        assert edges, "no empty page before the end"
        assert info["hasPreviousPage"] is (after is not None)
        assert info["startCursor"] == edges[0]["cursor"]
        assert info["endCursor"] == edges[-1]["cursor"]
        assert page["nodes"] == [edge["node"] for edge in edges]
        assert page["totalCount"] == len(PROCESS_EVENTS)
        seen += [edge["node"]["slug"] for edge in edges]
        pages += 1
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert seen == PROCESS_EVENTS
    assert pages == (len(PROCESS_EVENTS) + 1) // 2
