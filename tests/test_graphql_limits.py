"""GraphQL under attack (issue 11): a query's cost is known before it runs, its answer's size is
capped, its time is wall time, its text is capped before parsing, and deep JSON is a 400."""

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from graphql import (
    GraphQLObjectType,
    get_introspection_query,
    get_named_type,
    get_nullable_type,
    is_list_type,
    parse,
)
from graphql.language.parser import Parser

from app.config import settings
from app.db import create_db_engine
from app.graphql import cost
from app.graphql.cost import PAGED_ITEMS, list_size, query_cost
from app.graphql.schema import MAX_FIRST, schema
from app.queries import events
from bench.servers import running_server
from tests.databases import DatabaseFactory
from tests.graphql import graphql
from tests.rest import counting_queries

ClientFor = Callable[[sa.Engine], TestClient]

# The issue's query: 15 aliases, each every state's events with their participants, passages,
# themes and outcomes. 2.8 KB, within the token, depth and alias limits; 10 MB of answer.
FAN_OUT = (
    "{ "
    + " ".join(
        f"a{n}: states {{ code events {{ roles event {{ slug participants {{ role "
        "state { code } organization { slug } sources { quote document { slug } } } "
        "themes { title } outcomes { relation } } } }"
        for n in range(15)
    )
    + " }"
)
SMALL = "{ events(first: 10) { nodes { slug } } }"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def _cost(query: str, variables: dict[str, Any] | None = None) -> int:
    return query_cost(
        schema._schema, parse(query), operation_name=None, variables=variables, max_page=MAX_FIRST
    )


def _error(answer: httpx2.Response) -> dict[str, Any]:
    errors: list[dict[str, Any]] = answer.json()["errors"]
    assert len(errors) == 1, errors
    return errors[0]


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the GraphQL documents parsed meanwhile."""
    parsed: list[int] = []
    original = Parser.parse_document

    def parse_document(self: Parser) -> Any:
        parsed.append(len(self._lexer.source.body))
        return original(self)

    monkeypatch.setattr(Parser, "parse_document", parse_document)
    return parsed


def test_every_list_of_objects_has_a_size_bound() -> None:
    """A new list field without a declared bound would be costed as a full page."""
    unbounded = [
        f"{name}.{field}"
        for name, kind in schema._schema.type_map.items()
        if isinstance(kind, GraphQLObjectType) and not name.startswith("__")
        for field, definition in kind.fields.items()
        if is_list_type(get_nullable_type(definition.type))
        and isinstance(get_named_type(definition.type), GraphQLObjectType)
        and "first" not in definition.args
        and not (name.endswith("Connection") and field in PAGED_ITEMS)
        and list_size(kind, field) is None
    ]
    assert unbounded == []
    declared = [
        size
        for kind in schema._schema.type_map.values()
        if isinstance(kind, GraphQLObjectType)
        for field in kind.fields
        if (size := list_size(kind, field)) is not None
    ]
    assert len(declared) > 40
    assert all(size > 0 for size in declared)


def test_the_cost_multiplies_list_bounds_down_the_nesting() -> None:
    # The connection, and per node: the node and its slug.
    assert _cost(SMALL) == 1 + 10 * 2
    # The default page, and the largest page whatever is asked.
    assert _cost("{ events { nodes { slug } } }") == 1 + 50 * 2
    assert _cost("{ events(first: 100000) { nodes { slug } } }") == 1 + MAX_FIRST * 2
    # A list of a page of its own: its default page, or the page asked for up to its bound,
    # times what each item selects.
    state = schema._schema.type_map["State"]
    assert isinstance(state, GraphQLObjectType)
    involvements = state.fields["events"].args["first"].default_value
    most = list_size(state, "events")
    assert most is not None
    assert involvements < most
    assert _cost('{ state(code: "KAZ") { events { roles event { slug } } } }') == 1 + (
        involvements * (1 + 1 + 2)
    )
    assert _cost('{ state(code: "KAZ") { events(first: 7) { roles event { slug } } } }') == 1 + (
        7 * (1 + 1 + 2)
    )
    assert _cost('{ state(code: "KAZ") { events(first: 100000) { roles event { slug } } } }') == (
        1 + most * (1 + 1 + 2)
    )


def test_aliases_fragments_variables_and_directives_count_as_written() -> None:
    assert _cost(f"{{ a: {SMALL[2:-2]} b: {SMALL[2:-2]} }}") == 2 * _cost(SMALL)
    spread = "{ events(first: 10) { ...page } } fragment page on EventConnection { nodes { slug } }"
    assert _cost(spread) == _cost(SMALL)
    inline = "{ events(first: 10) { ... on EventConnection { nodes { slug } } } }"
    assert _cost(inline) == _cost(SMALL)
    paged = "query($n: Int!) { events(first: $n) { nodes { slug } } }"
    assert _cost(paged, {"n": 10}) == _cost(SMALL)
    defaulted = "query($n: Int! = 10) { events(first: $n) { nodes { slug } } }"
    assert _cost(defaulted) == _cost(SMALL)
    skipped = (
        "query($s: Boolean!) { events(first: 10) { nodes { slug participants @skip(if: $s) "
        "{ role } } } }"
    )
    assert _cost(skipped, {"s": True}) == _cost(SMALL)
    assert _cost(skipped, {"s": False}) > _cost(SMALL)
    assert _cost("{ __schema { types { name fields { name } } } }") == 0


def test_fragments_spreading_fragments_are_costed_once_each() -> None:
    """30 fragments, each spreading the next twice: 2^30 paths, walked in no time."""
    fragments = " ".join(f"fragment f{n} on Query {{ ...f{n + 1} ...f{n + 1} }}" for n in range(30))
    began = time.monotonic()
    cost = _cost(f"{{ ...f0 }} {fragments} fragment f30 on Query {{ process {{ name }} }}")
    assert cost == 2**30 * 2
    assert time.monotonic() - began < 0.5


def test_a_query_over_the_cost_limit_is_refused_before_any_sql(
    client_for: ClientFor, sqlite_shared_engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(sqlite_shared_engine)
    monkeypatch.setattr(settings, "graphql_max_cost", _cost(SMALL) - 1)
    with counting_queries(sqlite_shared_engine) as log:
        refused = client.post(
            "/graphql", json={"query": SMALL}, headers={"Accept": GRAPHQL_RESPONSE}
        )
    assert log.count == 0
    # Refused before it runs: a request error, with no data (400 in GraphQL over HTTP).
    assert refused.status_code == 400
    assert "data" not in refused.json()
    error = _error(refused)
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "limit": "cost",
        "cost": _cost(SMALL),
        "maxCost": _cost(SMALL) - 1,
        # The list to page, and to what: one event fewer.
        "path": "events",
        "field": "Query.events",
        "argument": "first",
        "first": 9,
    }
    assert "(limit: cost)" in error["message"]
    assert refused.headers["cache-control"] == "no-store"

    monkeypatch.setattr(settings, "graphql_max_cost", _cost(SMALL))
    answered = client.post("/graphql", json={"query": SMALL})
    assert "errors" not in answered.json()
    assert answered.json()["data"]["events"]["nodes"]


def test_the_issue_fan_out_query_is_refused_at_once(
    client_for: ClientFor, sqlite_shared_engine: sa.Engine
) -> None:
    client = client_for(sqlite_shared_engine)
    with counting_queries(sqlite_shared_engine) as log:
        began = time.monotonic()
        answer = client.post("/graphql", json={"query": FAN_OUT})
        elapsed = time.monotonic() - began
    assert elapsed < 1
    assert log.count == 0
    error = _error(answer)
    assert error["extensions"]["limit"] == "cost"
    assert error["extensions"]["cost"] > settings.graphql_max_cost


@pytest.mark.slow
def test_the_fan_out_query_stalls_nobody(sqlite_live_server: str) -> None:
    """Three clients send the fan-out query over and over; /health answers meanwhile."""
    stop = threading.Event()
    answers: list[tuple[float, dict[str, Any]]] = []

    def attack() -> None:
        with httpx2.Client(base_url=sqlite_live_server, timeout=10) as http:
            while not stop.is_set():
                began = time.monotonic()
                # A comment of its own each time: no answer can come from a cache.
                query = f"# {began}\n{FAN_OUT}"
                body = http.post("/graphql", json={"query": query}).json()
                answers.append((time.monotonic() - began, body))

    attackers = [threading.Thread(target=attack) for _ in range(3)]
    for each in attackers:
        each.start()
    health: list[float] = []
    try:
        with httpx2.Client(base_url=sqlite_live_server, timeout=10) as http:
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                began = time.monotonic()
                assert http.get("/health").status_code == 200
                health.append(time.monotonic() - began)
                time.sleep(0.01)
    finally:
        stop.set()
        for each in attackers:
            each.join()
    assert len(answers) >= 3
    assert all(seconds < 1 for seconds, _ in answers)
    assert all(body["errors"][0]["extensions"]["limit"] == "cost" for _, body in answers)
    # Before: 2.3 s waits. A shared two-core test machine shows spikes of ~200 ms with no
    # attack at all, so the bound is on the typical answer, and no answer is stalled.
    health.sort()
    assert health[len(health) // 2] < 0.1, health
    assert health[-1] < 1, health


def test_an_answer_over_the_size_cap_is_an_error_never_sent_whole_nor_kept(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "{ events(first: 9) { nodes { slug title summary } } }"
    monkeypatch.setattr(settings, "graphql_max_response_bytes", 2000)
    refused = sqlite_api.post("/graphql", json={"query": query})
    assert len(refused.content) < 2000
    assert refused.json()["data"] is None
    error = _error(refused)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["limit"] == "responseBytes"
    assert error["extensions"]["bytes"] > error["extensions"]["maxBytes"] == 2000
    assert refused.headers["cache-control"] == "no-store"

    monkeypatch.undo()
    answered = sqlite_api.post("/graphql", json={"query": query})
    assert answered.json()["data"]["events"]["nodes"]


# A statement that runs for minutes unless stopped: counting on SQLite, sleeping on PostgreSQL.
SLOW = {
    "sqlite": "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
    "SELECT count(*) FROM (SELECT x FROM n LIMIT 10000000000)",
    "postgresql": "SELECT pg_sleep(120)",
}
STOPPED = {"BAD_USER_INPUT": "time", "SERVICE_UNAVAILABLE": None}


def test_a_slow_read_ends_at_the_budget_and_stops(
    client_for: ClientFor,
    shared_seeded_engine: sa.Engine,
    databases: DatabaseFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The client hears at the end of its budget, and the statement stops then too."""
    ended: list[float] = []
    listing = events.list_events

    def slow(session: Any, **arguments: Any) -> Any:
        try:
            session.execute(sa.text(SLOW[databases.backend]))
        finally:
            ended.append(time.monotonic())
        return listing(session, **arguments)

    monkeypatch.setattr(events, "list_events", slow)
    monkeypatch.setattr(settings, "graphql_time_budget", 1.0)
    client = client_for(shared_seeded_engine)
    began = time.monotonic()
    answer = client.post("/graphql", json={"query": SMALL})
    assert time.monotonic() - began < 2
    error = _error(answer)
    assert STOPPED[error["extensions"]["code"]] == error["extensions"].get("limit")
    assert error["message"] != "Unexpected error."
    # The work left behind stops: the statement ends within the budget and a little.
    while not ended and time.monotonic() - began < 3:
        time.sleep(0.05)
    assert ended
    assert ended[0] - began < 2


@pytest.mark.postgres
def test_a_locked_table_is_answered_within_the_budget(
    postgres: DatabaseFactory,
    postgres_seeded_template: str,
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another transaction holds the events table: an answer, not a wait, and nothing left."""
    url = postgres.new(template=postgres_seeded_template)
    engine = create_db_engine(url)
    locker = sa.create_engine(url)
    name = sa.make_url(url).database
    monkeypatch.setattr(settings, "graphql_time_budget", 1.0)
    client = client_for(engine)
    try:
        with locker.connect() as holder:
            holder.execute(sa.text("LOCK TABLE event IN ACCESS EXCLUSIVE MODE"))
            began = time.monotonic()
            answer = client.post("/graphql", json={"query": SMALL})
            assert time.monotonic() - began < 2
            error = _error(answer)
            assert STOPPED[error["extensions"]["code"]] == error["extensions"].get("limit")
            # Nobody still waits for the lock shortly after.
            waiting = sa.text(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                "WHERE NOT l.granted AND a.datname = :name"
            )
            with postgres.admin().connect() as admin:
                while admin.execute(waiting, {"name": name}).scalar_one():
                    assert time.monotonic() - began < 2
                    time.sleep(0.05)
            holder.rollback()
    finally:
        locker.dispose()
        engine.dispose()


def test_a_query_text_over_the_cap_is_refused_unparsed(
    sqlite_api: TestClient, parses: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under the body limit of the HTTP layer, which was set when the app was built: the query's
    # own cap is what refuses it.
    monkeypatch.setattr(settings, "max_body_bytes", 10_000)
    query = "#" + "x" * 10_000 + "\n{ process { name } }"
    for answer in (
        sqlite_api.get("/graphql", params={"query": query}, headers={"Accept": GRAPHQL_RESPONSE}),
        sqlite_api.post("/graphql", json={"query": query}, headers={"Accept": GRAPHQL_RESPONSE}),
    ):
        assert answer.status_code == 400
        assert "data" not in answer.json()
        error = _error(answer)
        assert error["extensions"]["limit"] == "queryBytes"
        assert error["extensions"]["bytes"] > error["extensions"]["maxBytes"] == 10_000
    assert parses == []
    # Just under the cap, the same comment is read (and skipped) like any query.
    fits = "#" + "x" * 9_900 + "\n{ process { name } }"
    assert sqlite_api.post("/graphql", json={"query": fits}).json()["data"]["process"]["name"]


def test_a_20_mb_comment_is_refused_at_once(sqlite_api: TestClient, parses: list[int]) -> None:
    query = "#" + "x" * 20_000_000 + "\n{ process { name } }"
    began = time.monotonic()
    answer = sqlite_api.post("/graphql", json={"query": query})
    assert time.monotonic() - began < 1
    assert parses == []
    # The body limit (a 413) or, past it, the query's own (a GraphQL error).
    if answer.status_code != 413:
        assert _error(answer)["extensions"]["limit"] == "queryBytes"


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [5_000, 40_000])
def test_deeply_nested_json_is_a_bad_request(sqlite_api: TestClient, depth: int) -> None:
    query = "query($a: [Int]) { process { name } }"
    body = f'{{"query": "{query}", "variables": {{"a": {_nested(depth)}}}}}'
    answer = sqlite_api.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert "body" in answer.text


def test_deeply_nested_variables_in_a_url_are_a_bad_request(sqlite_api: TestClient) -> None:
    query = "query($a: [Int]) { process { name } }"
    answer = sqlite_api.get(
        "/graphql", params={"query": query, "variables": f'{{"a": {_nested(5000)}}}'}
    )
    assert answer.status_code == 400


def test_nested_json_within_the_parser_limit_is_read(sqlite_api: TestClient) -> None:
    query = "query($a: [Int]) { process { name } }"
    body = f'{{"query": "{query}", "variables": {{"a": {_nested(1000)}}}}}'
    answer = sqlite_api.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    # Read, then refused by GraphQL itself: [[...]] is not a list of Int.
    assert answer.status_code == 200
    assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_introspection_is_worked_out_once_and_then_answered_from_memory(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some 4,000 values that depend on the schema alone: worked out for the first request, not
    again for the next ones (GraphiQL sends it on every page load, code generators on each run).
    A query that reads data is worked out every time."""
    executed: list[str] = []
    execute = schema.execute

    async def counted(query: str | None, *args: Any, **kwargs: Any) -> Any:
        executed.append(query or "")
        return await execute(query, *args, **kwargs)

    monkeypatch.setattr(schema, "execute", counted)
    # A text of this test's own: nothing earlier can have kept it. Asked three ways the
    # response cache keeps apart (POST, GET, another media type), so that it answers none.
    query = "# memory\n" + get_introspection_query(descriptions=True)
    answers = [
        sqlite_api.post("/graphql", json={"query": query}),
        sqlite_api.get("/graphql", params={"query": query}, headers={"Accept": "application/json"}),
        sqlite_api.post("/graphql", json={"query": query}, headers={"Accept": GRAPHQL_RESPONSE}),
    ]
    assert all(answer.status_code == 200 for answer in answers)
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert len(answers[0].json()["data"]["__schema"]["types"]) > 20
    assert executed == [query]

    reading = "# memory\n{ __typename process { name } }"
    assert "errors" not in sqlite_api.post("/graphql", json={"query": reading}).json()
    assert "errors" not in sqlite_api.get("/graphql", params={"query": reading}).json()
    assert executed == [query, reading, reading]


def test_the_schema_is_introspected_once_per_query_not_fifteen_times(
    sqlite_api: TestClient,
) -> None:
    # What GraphiQL and code generators send: answered whole.
    whole = sqlite_api.post("/graphql", json={"query": get_introspection_query(descriptions=True)})
    assert whole.status_code == 200
    assert "errors" not in whole.json()
    assert len(whole.json()["data"]["__schema"]["types"]) > 20
    # Each asks for the whole introspection again, resolved at once on the event loop.
    repeated = [
        "{ " + " ".join(f"a{n}: __schema {{ types {{ name }} }}" for n in range(15)) + " }",
        "{ __schema { a: types { name } b: types { name } } }",
        "{ __schema { types { name } } process { name } more: __schema { types { name } } }",
    ]
    for query in repeated:
        error = _error(sqlite_api.post("/graphql", json={"query": query}))
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": "introspection"}
    assert (
        "errors"
        not in sqlite_api.post(
            "/graphql", json={"query": "{ __typename a: process { name } }"}
        ).json()
    )


# Where every object of a type is found, as a selection to wrap around its fields.
_EVERY = {
    "State": ("states {", "}"),
    "Process": ("processes {", "}"),
    "Document": ("documents {", "}"),
    "Event": ("events(first: 100) { nodes {", "} }"),
    "Organization": ("organizations(first: 100) { nodes {", "} }"),
    "EventFacets": ("eventFacets {", "}"),
}


def _largest(found: Any, field: str) -> int:
    """The longest list named `field` anywhere in an answer."""
    if isinstance(found, list):
        return max((_largest(item, field) for item in found), default=0)
    if not isinstance(found, dict):
        return 0
    here = len(found[field]) if isinstance(found.get(field), list) else 0
    return max(here, *(_largest(value, field) for value in found.values()))


def test_the_declared_list_sizes_hold_for_the_data_served(each_db_api: TestClient) -> None:
    """The cost is an upper bound only while no list outgrows its declared size."""
    checked = 0
    for type_name, (opening, closing) in _EVERY.items():
        kind = schema._schema.type_map[type_name]
        assert isinstance(kind, GraphQLObjectType)
        for name, field in kind.fields.items():
            size = list_size(kind, name)
            if size is None or not is_list_type(get_nullable_type(field.type)):
                continue
            named = get_named_type(field.type)
            selection = "" if not isinstance(named, GraphQLObjectType) else "{ __typename }"
            answer = graphql(each_db_api, f"{{ {opening} {name} {selection} {closing} }}")
            assert "errors" not in answer, (type_name, name, answer)
            assert _largest(answer["data"], name) <= size, (type_name, name)
            checked += 1
    assert checked >= 25


def test_a_list_never_returns_more_than_its_bound_and_says_where_it_was_cut(
    client_for: ClientFor, crowded_engine: sa.Engine
) -> None:
    """IOM takes part in each of the crowded database's 1,000 generated events: far past the 100
    `Organization.events` may give. The cost computed before the query holds for the answer."""
    bound = list_size(schema._schema.type_map["Organization"], "events")
    assert bound is not None
    answer = graphql(
        client_for(crowded_engine),
        f'{{ organization(slug: "iom") {{ events(first: {bound}) {{ event {{ slug }} }} }} }}',
    )

    assert "errors" not in answer, answer
    events = answer["data"]["organization"]["events"]
    assert len(events) == bound
    [cut] = answer["extensions"]["truncated"]
    assert cut["path"] == ["organization", "events"]
    assert cut["bound"] == bound
    assert cut["items"] > bound


# The query of issue 16: every organisation with its passages, claims and events. At 100k events
# each of the busiest organisations took part in some 6,200 events, and the answer ran 26 s on
# the server's event loop, holding /health for 20 s.
ORGANIZATIONS_FAN_OUT = (
    "{a0:organizations(first:100){totalCount nodes{slug name acronym kind aliases "
    "sources{quote start end} claims{value rank} "
    "events(first:100){roles event{slug title startDate}}}}}"
)


@pytest.fixture(scope="module")
def busy_live_server(busy_sqlite_url: str) -> Iterator[str]:
    with running_server(busy_sqlite_url) as base:
        yield base


@pytest.mark.slow
@pytest.mark.xdist_group("busy")
def test_the_organisations_fan_out_is_answered_in_budget_and_health_keeps_answering(
    busy_live_server: str,
) -> None:
    health: list[float] = []
    done = threading.Event()

    def check_health() -> None:
        with httpx2.Client(base_url=busy_live_server, timeout=10) as http:
            http.get("/health")
            while not done.is_set():
                began = time.monotonic()
                assert http.get("/health").status_code == 200
                health.append(time.monotonic() - began)
                time.sleep(0.005)

    checker = threading.Thread(target=check_health)
    checker.start()
    try:
        with httpx2.Client(base_url=busy_live_server, timeout=30) as http:
            time.sleep(0.2)
            timings = []
            for attempt in range(2):
                # A comment of its own each time: no answer can come from a cache.
                query = f"# {attempt}\n{ORGANIZATIONS_FAN_OUT}"
                began = time.monotonic()
                answer = http.post("/graphql", json={"query": query}).json()
                timings.append(time.monotonic() - began)
                assert "errors" not in answer, answer
    finally:
        done.set()
        checker.join()
    assert max(timings) < settings.graphql_time_budget + 0.5, timings
    nodes = answer["data"]["a0"]["nodes"]
    iom = next(node for node in nodes if node["slug"] == "iom")
    assert len(iom["events"]) == 100
    cut = next(
        c
        for c in answer["extensions"]["truncated"]
        if c["path"][-2:] == [nodes.index(iom), "events"]
    )
    assert cut["items"] > 12000
    # Before: the answer completed on the server's loop, and /health waited 0.9 s behind it
    # here (p99 425 ms on the benchmark's 100k database). A stall is one long sample, so the
    # longest counts; a shared two-core machine shows spikes of ~200 ms with no load at all.
    health.sort()
    assert len(health) > 50
    assert health[int(len(health) * 0.99)] < 0.05, health[-10:]
    assert health[-1] < 0.25, health[-10:]


def test_the_values_counted_as_they_come_stop_a_query_the_estimate_underrated(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cost computed before a query runs is an upper bound by construction; counting what
    the answer holds as it is made is the check that it stays one. Here the estimate is made to
    believe that every list holds one item, as a wrong declared bound would."""
    query = '{ state(code: "KAZ") { events { roles event { slug title startDate } } } }'
    answered = graphql(sqlite_api, query)
    # Each event the state took part in, with its roles and the event.
    returned = len(answered["data"]["state"]["events"]) * 2
    monkeypatch.setattr(cost, "list_size", lambda parent, field: 1)
    underrated = _cost(query)
    assert underrated < returned
    monkeypatch.setattr(settings, "graphql_max_cost", underrated)

    stopped = sqlite_api.post("/graphql", json={"query": f"# counted\n{query}"})
    body = stopped.json()
    assert body["data"] is None
    error = _error(stopped)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["limit"] == "cost"
    assert error["extensions"]["maxCost"] == underrated
    assert error["extensions"]["cost"] > underrated
    assert stopped.headers["cache-control"] == "no-store"

    monkeypatch.setattr(settings, "graphql_max_cost", returned)
    assert "errors" not in graphql(sqlite_api, f"# enough\n{query}")
