"""The GraphQL API: every root field, the shared filters, pagination, limits and errors."""

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from fastapi.testclient import TestClient

from app.config import settings
from app.graphql import schema as schema_module
from app.graphql.schema import MAX_ALIASES, MAX_DEPTH, schema
from tests.graphql import data, graphql
from tests.rest import slugs
from tests.test_rest_events import FILTERS, PROCESS_EVENTS

PROJECT = Path(__file__).resolve().parent.parent
EVENT_FIELDS = """
  slug title kind startDate endDate city country { code name }
  participantCount { value qualifier }
  organizers { role state { code } organization { slug } }
  funders { role organization { slug } }
  participants { role state { code name } organization { slug acronym name } person { slug name } }
  outcomes { relation document { slug title kind } }
  themes { number title }
  project { slug title }
  sources { document { slug } quote start end slide }
"""


def test_the_committed_schema_is_the_code_s_schema() -> None:
    committed = (PROJECT / "schema.graphql").read_text(encoding="utf-8")
    assert committed.strip() == schema.as_str().strip(), (
        "schema.graphql is stale: run `uv run almaty graphql-schema > schema.graphql`"
    )


def test_the_process(sqlite_api: TestClient) -> None:
    process = data(
        sqlite_api,
        """{ process { name chair { code name } secretariat { slug acronym name }
             members { code } observers { code } objectives { number text } keyAreas { number }
             initiators { state { code } organization { slug } } launchedOn
             sources { document { slug } quote } } }""",
    )["process"]
    rest = sqlite_api.get("/api/v1/process").json()
    assert process["name"] == rest["name"]
    assert process["chair"] == rest["chair"] == {"code": "KAZ", "name": "Kazakhstan"}
    assert [m["code"] for m in process["members"]] == [m["code"] for m in rest["members"]]
    assert [o["code"] for o in process["observers"]] == ["IRN", "PAK"]
    assert process["launchedOn"] == "2013-06-05"
    assert len(process["objectives"]) == 5
    assert len(process["keyAreas"]) == 7
    assert process["sources"][0]["document"] == {"slug": "almaty-process"}


def test_processes(sqlite_api: TestClient) -> None:
    found = data(sqlite_api, "{ processes { slug secretariat { slug } } }")["processes"]
    assert {p["slug"] for p in found} == {
        "almaty-process",
        "bali-process",
        "budapest-process",
        "prague-process",
        "puebla-process",
    }


@pytest.mark.parametrize(("role", "codes"), [("MEMBER", 7), ("OBSERVER", 2), (None, 15)])
def test_states_by_role(sqlite_api: TestClient, role: str | None, codes: int) -> None:
    argument = f"(role: {role})" if role else ""
    states = data(sqlite_api, f"{{ states{argument} {{ code name officialName role }} }}")["states"]
    assert len(states) == codes


def test_a_state_with_its_events(sqlite_api: TestClient) -> None:
    state = data(
        sqlite_api,
        """{ state(code: "tkm") { code name officialName role
             events { roles event { slug country { code } } }
             hosted: events(role: host) { event { slug } } } }""",
    )["state"]
    assert state["code"] == "TKM"
    assert state["role"] == "member"
    assert [e["event"]["slug"] for e in state["hosted"]] == [
        "regional-forum-emergency-preparedness-2015"
    ]
    rest = sqlite_api.get("/api/v1/states/TKM").json()
    assert [e["event"]["slug"] for e in state["events"]] == [
        e["event"]["slug"] for e in rest["events"]
    ]


def test_organizations_connection_and_one_organization(sqlite_api: TestClient) -> None:
    page = data(
        sqlite_api,
        """{ organizations(kind: un_agency, first: 2) { totalCount
             pageInfo { hasNextPage endCursor } edges { cursor node { slug kind } } } }""",
    )["organizations"]
    assert page["totalCount"] >= 2
    assert {edge["node"]["kind"] for edge in page["edges"]} == {"un_agency"}
    iom = data(
        sqlite_api,
        """{ organization(slug: "iom") { slug acronym name kind parent { slug }
             events(role: organizer) { roles event { slug } } } }""",
    )["organization"]
    assert iom["acronym"] == "IOM"
    assert "regional-training-drr-mcof-2015" in {e["event"]["slug"] for e in iom["events"]}
    office = data(
        sqlite_api,
        '{ organization(slug: "iom-sub-regional-office-central-asia") { parent { slug } } }',
    )
    assert office["organization"]["parent"] == {"slug": "iom"}


def test_an_event_has_the_contract_s_fields(sqlite_api: TestClient) -> None:
    event = data(sqlite_api, f'{{ event(slug: "second-som-2015") {{ {EVENT_FIELDS} }} }}')["event"]
    rest = sqlite_api.get("/api/v1/events/second-som-2015").json()
    assert event["title"] == rest["title"]
    assert (event["startDate"], event["city"]) == ("2015-09-22", "Astana")
    assert len(event["participants"]) == len(rest["participants"])
    assert {o["document"]["slug"] for o in event["outcomes"]} == {
        o["document"]["slug"] for o in rest["outcomes"]
    }
    assert event["sources"] == [
        {
            "document": {"slug": s["document"]},
            **{k: s[k] for k in ("quote", "start", "end", "slide")},
        }
        for s in rest["sources"]
    ]


def test_unknown_keys_are_null_without_errors(sqlite_api: TestClient) -> None:
    answer = graphql(
        sqlite_api,
        """{ event(slug: "nope") { slug } state(code: "XXX") { code }
             organization(slug: "nope") { slug } document(slug: "nope") { slug } }""",
    )
    assert "errors" not in answer
    assert answer["data"] == {"event": None, "state": None, "organization": None, "document": None}


def test_documents_sources_search_and_facets(sqlite_api: TestClient) -> None:
    found = data(
        sqlite_api,
        """{ documents(kind: declaration) { slug date events { relation event { slug } } }
             document(slug: "regional-cooperation-framework") { parts { number text } }
             sources { slug sha256 coverage { sentences cited percent } }
             search(q: "Almaty Declaration", first: 3) { type id score }
             eventFacets(filter: {year: 2015}) { total kind { value count } } }""",
    )
    assert found["documents"] == [
        {
            "slug": "almaty-declaration",
            "date": "2011-03",
            "events": [
                {"relation": "adopted_at", "event": {"slug": "first-regional-conference-2011"}}
            ],
        }
    ]
    assert [p["number"] for p in found["document"]["parts"]] == [1, 2, 3, 4]
    assert found["sources"][0]["coverage"]["percent"] == 100.0
    assert found["search"][0] == {"type": "document", "id": "almaty-declaration", "score": 100.0}
    assert found["eventFacets"]["total"] == 4


def _filter_input(query: str) -> str:
    """A REST query string as a GraphQL EventFilter literal."""
    names = {"date_from": "dateFrom", "date_to": "dateTo", "process_relation": "processRelation"}
    unquoted = ("year", "related", "kind", "status", "process_relation")  # numbers, enums
    parts = []
    for key, value in parse_qsl(query):
        name = names.get(key, key)
        if key in unquoted:
            parts.append(f"{name}: {value}")
        else:
            parts.append(f'{name}: "{value}"')
    return "{" + ", ".join(parts) + "}"


@pytest.mark.parametrize("query", FILTERS)
def test_every_rest_filter_works_the_same_in_graphql(each_db_api: TestClient, query: str) -> None:
    selection = "totalCount edges { node { slug } }"
    found = data(
        each_db_api, f"{{ events(filter: {_filter_input(query)}, first: 100) {{ {selection} }} }}"
    )
    found = found["events"]
    assert [edge["node"]["slug"] for edge in found["edges"]] == slugs(
        each_db_api.get(f"/api/v1/events?{query}&limit=100")
    )
    assert found["totalCount"] == len(FILTERS[query])


@pytest.mark.parametrize(
    ("order", "expected"),
    [("START_DATE", PROCESS_EVENTS), ("START_DATE_DESC", PROCESS_EVENTS[::-1])],
)
@pytest.mark.parametrize("first", [1, 3])
def test_first_after_pages_to_the_end(
    each_db_api: TestClient, order: str, expected: list[str], first: int
) -> None:
    seen: list[str] = []
    after: Any = None
    while True:
        page = data(
            each_db_api,
            """query($first: Int!, $after: String, $order: EventOrder!) {
                 events(first: $first, after: $after, orderBy: $order) {
                   pageInfo { hasNextPage endCursor } edges { cursor node { slug } } } }""",
            {"first": first, "after": after, "order": order},
        )["events"]
        seen += [edge["node"]["slug"] for edge in page["edges"]]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected


def test_a_connection_s_page_info_nodes_and_edges_agree(sqlite_api: TestClient) -> None:
    query = """query($after: String) { events(first: 2, after: $after) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { slug } } nodes { slug } } }"""
    first = data(sqlite_api, query)["events"]
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    assert first["nodes"] == [edge["node"] for edge in first["edges"]]
    second = data(sqlite_api, query, {"after": first["pageInfo"]["endCursor"]})["events"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert second["nodes"][0]["slug"] == PROCESS_EVENTS[2]
    empty = data(
        sqlite_api,
        '{ organizations(q: "no such words") { pageInfo { startCursor endCursor '
        "hasNextPage hasPreviousPage } nodes { slug } } }",
    )["organizations"]
    assert empty == {
        "pageInfo": {
            "startCursor": None,
            "endCursor": None,
            "hasNextPage": False,
            "hasPreviousPage": False,
        },
        "nodes": [],
    }


def test_the_cursor_is_the_rest_cursor(sqlite_api: TestClient) -> None:
    rest = sqlite_api.get("/api/v1/events?limit=2").json()["next_cursor"]
    graph = data(sqlite_api, "{ events(first: 2) { pageInfo { endCursor } } }")
    assert graph["events"]["pageInfo"]["endCursor"] == rest


def _error(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer.get("data") is None or any(v is None for v in answer["data"].values())
    [error] = answer["errors"]
    found: dict[str, Any] = error
    return found


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ('{ events(filter: {country: "Kazakhstan"}) { totalCount } }', "filter.country"),
        ('{ events(filter: {dateFrom: "2015-13-45"}) { totalCount } }', "Date"),
        ('{ events(after: "forged.cursor") { totalCount } }', "after:"),
        ('{ organizations(after: "\\u00c1F\\r") { totalCount } }', "after:"),
        ('{ organizations(q: "a\\u0000b") { totalCount } }', "q:"),
        ("{ events(first: 101) { totalCount } }", "limit: first"),
        ("{ events(first: 0) { totalCount } }", "limit: first"),
        ('{ search(q: "iom", first: 500) { id } }', "limit: first"),
    ],
)
def test_a_bad_value_is_an_error_with_its_path(
    sqlite_api: TestClient, query: str, fragment: str
) -> None:
    error = _error(graphql(sqlite_api, query))
    assert fragment in error["message"]


def test_a_bad_filter_names_the_field_and_the_path(sqlite_api: TestClient) -> None:
    error = _error(
        graphql(sqlite_api, '{ events(filter: {country: "Kazakhstan"}) { totalCount } }')
    )
    assert error["path"] == ["events"]
    assert error["message"].startswith("filter.country:")


def test_depth_is_limited(sqlite_api: TestClient) -> None:
    nested = "{ slug }"
    for _ in range(MAX_DEPTH):
        nested = f"{{ events {{ event {nested} }} }}"
    query = f'{{ state(code: "KAZ") {nested} }}'
    response = sqlite_api.post("/graphql", json={"query": query})
    assert response.status_code < 500
    assert "exceeds maximum operation depth" in response.json()["errors"][0]["message"]


def test_aliases_are_limited(sqlite_api: TestClient) -> None:
    aliases = " ".join(f"a{i}: process {{ name }}" for i in range(MAX_ALIASES + 1))
    response = sqlite_api.post("/graphql", json={"query": f"{{ {aliases} }}"})
    assert response.status_code < 500
    assert "aliases" in response.json()["errors"][0]["message"].lower()


def test_tokens_are_limited(sqlite_api: TestClient) -> None:
    fields = " ".join("name" for _ in range(2500))
    response = sqlite_api.post("/graphql", json={"query": f"{{ process {{ {fields} }} }}"})
    assert response.status_code < 500
    assert "token" in response.json()["errors"][0]["message"].lower()


def test_the_time_budget_is_enforced(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "graphql_time_budget", 1e-9)
    error = _error(graphql(sqlite_api, "{ events { totalCount } }"))
    assert "time budget" in error["message"]
    assert "limit: time" in error["message"]


def test_malformed_queries_are_client_errors(sqlite_api: TestClient) -> None:
    for body in [{"query": "{ events { "}, {"query": "{ nothing }"}]:
        response = sqlite_api.post("/graphql", json=body)
        assert 200 <= response.status_code < 500
        assert response.json()["errors"]
    assert sqlite_api.post("/graphql", json={"quer": "{}"}).status_code == 400


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times the schema parses and validates a query from now on."""
    calls = {"parse": 0, "validate": 0}
    for name in calls:
        real = getattr(schema_module, name)

        def counted(*args: Any, _name: str = name, _real: Any = real, **kwargs: Any) -> Any:
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(schema_module, name, counted)
    return calls


def test_a_repeated_query_is_parsed_and_validated_once_with_the_limits_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counting(monkeypatch)
    query = "{ memoised: __typename }"
    for _ in range(3):
        assert asyncio.run(schema.execute(query)).errors is None
    assert calls == {"parse": 1, "validate": 1}


def test_a_long_query_is_never_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    # Longer than a memo keeps, within every limit: a comment pads it.
    query = "{ __typename }\n#" + "x" * schema_module.MEMO_QUERY_BYTES
    kept = schema_module._parsed.size
    for _ in range(2):
        assert asyncio.run(schema.execute(query)).errors is None
    assert calls == {"parse": 2, "validate": 2}
    assert schema_module._parsed.size == kept
