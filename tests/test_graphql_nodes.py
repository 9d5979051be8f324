"""Relay's Object Identification (issue 17, part 4): every record type has an opaque `id`, the
same in every data version, and `node(id:)` / `nodes(ids:)` find the records again, batched, so
that Apollo Client or Relay normalise their caches with no type policy of their own."""

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from graphql import GraphQLInterfaceType, GraphQLObjectType

from app.graphql.schema import MAX_IDS, NODES, schema
from app.seed.loader import load_seed
from tests.graphql import data, graphql
from tests.rest import counting_queries
from tests.seed_edits import Data, edit_yaml, record

ClientFor = Callable[[sa.Engine], TestClient]

# One record of each type, with its key, from the lists a client starts from.
EVERY = """{
  process { __typename id slug }
  states { __typename id code }
  organizations(first: 5) { nodes { __typename id slug } }
  people(first: 5) { nodes { __typename id slug } }
  events(first: 5) { nodes { __typename id slug } }
  documents { __typename id slug }
}"""


def _records(client: TestClient) -> list[dict[str, Any]]:
    found = data(client, EVERY)
    records = [found["process"], *found["states"], *found["documents"]]
    for plural in ("organizations", "people", "events"):
        records += found[plural]["nodes"]
    return records


def _key(record: dict[str, Any]) -> str:
    return str(record.get("slug") or record.get("code"))


def test_every_record_type_implements_node_with_an_id() -> None:
    node = schema._schema.type_map["Node"]
    assert isinstance(node, GraphQLInterfaceType)
    implementing = {
        name
        for name, kind in schema._schema.type_map.items()
        if isinstance(kind, GraphQLObjectType) and node in kind.interfaces
    }
    assert (
        implementing
        == set(NODES)
        == {
            "Process",
            "State",
            "Organization",
            "Person",
            "Event",
            "Document",
        }
    )
    for name in implementing:
        kind = schema._schema.type_map[name]
        assert isinstance(kind, GraphQLObjectType)
        assert str(kind.fields["id"].type) == "ID!"


def test_node_finds_every_record_by_its_id(each_db_api: TestClient) -> None:
    records = _records(each_db_api)
    assert {record["__typename"] for record in records} == set(NODES)
    ids = [each["id"] for each in records]
    assert len(set(ids)) == len(ids)
    for each in records:
        found = data(
            each_db_api,
            "query($id: ID!) { node(id: $id) { __typename id "
            "... on State { code } ... on Event { slug title } "
            "... on Organization { slug } ... on Person { slug } "
            "... on Document { slug } ... on Process { slug } } }",
            {"id": each["id"]},
        )["node"]
        assert found["__typename"] == each["__typename"]
        assert found["id"] == each["id"]
        assert _key(found) == _key(each)


def test_nodes_are_read_in_one_query_per_kind_in_the_order_asked(
    client_for: ClientFor, shared_seeded_engine: sa.Engine
) -> None:
    client = client_for(shared_seeded_engine)
    records = _records(client)
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
    events = [r["id"] for r in records if r["__typename"] == "Event"]
    states = [r["id"] for r in records if r["__typename"] == "State"]

    def counted(ids: list[str]) -> tuple[int, list[Any]]:
        data(client, query, {"ids": ids})  # the data version is known before counting
        with counting_queries(shared_seeded_engine) as log:
            found = data(client, f"# {time.monotonic()}\n{query}", {"ids": ids})["nodes"]
        return log.count, found

    few, found = counted([events[0], states[0]])
    many, found_many = counted([*reversed(events), *states])
    assert few == many
    assert [node["id"] for node in found] == [events[0], states[0]]
    assert [node["id"] for node in found_many] == [*reversed(events), *states]


def test_ids_stay_the_same_when_the_data_changes(
    client_for: ClientFor, sqlite_seeded_engine: sa.Engine, seed_copy: Path
) -> None:
    client = client_for(sqlite_seeded_engine)
    before = {_key(r): r["id"] for r in _records(client)}
    version = client.get("/api/v1/events?limit=1").headers["x-data-version"]

    def retitle(data: Data) -> None:
        record(data, "events", "first-som-2014")["title"] = "First Senior Officials Meeting"

    edit_yaml(seed_copy, "events.yaml", retitle)
    load_seed(sqlite_seeded_engine, seed_copy)
    assert client.get("/api/v1/events?limit=1").headers["x-data-version"] != version
    after = {_key(r): r["id"] for r in _records(client)}
    assert after == before


@pytest.mark.parametrize(
    ("value", "answer"),
    [
        ("not an id", "error"),
        ("RXZlbnQ", "error"),  # "Event", no key
        ("RXZlbnQ6AA", "error"),  # "Event:\x00", which no database compares
        ("Tm9zdWNoOnRoaW5n", None),  # "Nosuch:thing": no such type
        ("RXZlbnQ6bm8tc3VjaC1ldmVudA", None),  # "Event:no-such-event"
    ],
)
def test_an_id_that_names_nothing_is_null_and_one_that_is_not_an_id_is_refused(
    sqlite_api: TestClient, value: str, answer: str | None
) -> None:
    found = graphql(sqlite_api, "query($id: ID!) { node(id: $id) { id } }", {"id": value})
    if answer is None:
        assert found == {"data": {"node": None}, "extensions": found["extensions"]}
        return
    [error] = found["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "id"}


def test_too_many_ids_are_refused_naming_the_argument(sqlite_api: TestClient) -> None:
    ids = ["RXZlbnQ6bm8tc3VjaC1ldmVudA"] * (MAX_IDS + 1)
    found = graphql(sqlite_api, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    [error] = found["errors"]
    assert error["extensions"]["argument"] == "ids"
