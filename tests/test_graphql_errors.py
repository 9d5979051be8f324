"""Every refused or invalid GraphQL request has `extensions.code`, and names GraphQL's words."""

import logging
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.config import settings
from app.db import create_db_engine
from app.graphql.schema import MAX_ALIASES, MAX_DEPTH
from tests.graphql import graphql


def _nested(depth: int) -> str:
    nested = "{ slug }"
    for _ in range(depth):
        nested = f"{{ events {{ event {nested} }} }}"
    return f'{{ state(code: "KAZ") {nested} }}'


def _only_error(answer: dict[str, Any]) -> dict[str, Any]:
    errors: list[dict[str, Any]] = answer["errors"]
    assert len(errors) >= 1
    return errors[0]


# (query, variables, code, the argument or limit it names, words of the message)
REQUEST_ERRORS = {
    "parse": ("{ events { ", None, "GRAPHQL_PARSE_FAILED", {}, "Syntax Error"),
    "unknown field": ("{ nothing }", None, "GRAPHQL_VALIDATION_FAILED", {}, "nothing"),
    "unknown argument": (
        "{ events(sort: TITLE) { totalCount } }",
        None,
        "GRAPHQL_VALIDATION_FAILED",
        {},
        "sort",
    ),
    "depth": (_nested(MAX_DEPTH), None, "BAD_USER_INPUT", {"limit": "depth"}, "depth"),
    "aliases": (
        "{ " + " ".join(f"a{i}: process {{ name }}" for i in range(MAX_ALIASES + 1)) + " }",
        None,
        "BAD_USER_INPUT",
        {"limit": "aliases"},
        "aliases",
    ),
    "tokens": (
        "{ process { " + " ".join("name" for _ in range(2500)) + " } }",
        None,
        "BAD_USER_INPUT",
        {"limit": "tokens"},
        "tokens",
    ),
    "bad date literal": (
        '{ events(filter: {dateFrom: "2015-13-45"}) { totalCount } }',
        None,
        "BAD_USER_INPUT",
        {"argument": "filter.dateFrom"},
        "filter.dateFrom: ",
    ),
    "date of the wrong type": (
        "{ events(filter: {dateTo: 2015}) { totalCount } }",
        None,
        "BAD_USER_INPUT",
        {"argument": "filter.dateTo"},
        "filter.dateTo: ",
    ),
    "bad enum literal": (
        "{ events(orderBy: NEWEST) { totalCount } }",
        None,
        "BAD_USER_INPUT",
        {"argument": "orderBy"},
        "orderBy: ",
    ),
    "bad date variable": (
        "query($f: EventFilter) { events(filter: $f) { totalCount } }",
        {"f": {"dateFrom": "2015-13-45"}},
        "BAD_USER_INPUT",
        {"argument": "$f"},
        "dateFrom",
    ),
    "missing variable": (
        "query($n: Int!) { events(first: $n) { totalCount } }",
        None,
        "BAD_USER_INPUT",
        {"argument": "$n"},
        "$n",
    ),
}


@pytest.mark.parametrize("case", REQUEST_ERRORS)
def test_a_request_error_has_a_code_and_no_data(sqlite_api: TestClient, case: str) -> None:
    query, variables, code, named, words = REQUEST_ERRORS[case]
    answer = graphql(sqlite_api, query, variables)
    # Raised before execution: the GraphQL spec wants no `data` entry at all.
    assert "data" not in answer
    error = _only_error(answer)
    assert error["extensions"]["code"] == code
    assert named.items() <= error["extensions"].items()
    assert words in error["message"]
    if "limit" in named:
        assert f"(limit: {named['limit']})" in error["message"]


# (query, argument, message start): refused by a resolver, so on that field's path.
FIELD_ERRORS: list[tuple[str, str, str]] = [
    ('{ events(after: "forged.cursor") { totalCount } }', "after", "after: "),
    ('{ organizations(after: "\\u00c1F\\r") { totalCount } }', "after", "after: "),
    ('{ events(filter: {country: "Kazakhstan"}) { totalCount } }', "filter.country", "filter."),
    ('{ events(filter: {dateFrom: "2015-03-01", year: 3000}) { totalCount } }', "filter.year", ""),
    ('{ events(filter: {city: "  "}) { totalCount } }', "filter.city", ""),
    ('{ organizations(q: "a\\u0000b") { totalCount } }', "q", "q: "),
    ("{ events(first: 101) { totalCount } }", "first", "Query.events: first "),
    ('{ search(q: "iom", first: 500) { id } }', "first", "Query.search: first "),
]


@pytest.mark.parametrize(("query", "argument", "start"), FIELD_ERRORS)
def test_a_refused_argument_is_bad_user_input_named_as_graphql_names_it(
    sqlite_api: TestClient, query: str, argument: str, start: str
) -> None:
    error = _only_error(graphql(sqlite_api, query))
    assert error["path"] == [query.split("(")[0].strip("{ ")]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument
    assert error["message"].startswith(start or argument)
    assert "cursor" not in error["message"].split(":")[0]


def test_the_rest_name_of_a_filter_is_never_used(sqlite_api: TestClient) -> None:
    error = _only_error(
        graphql(
            sqlite_api, '{ events(filter: {dateFrom: "2015-03-01", year: 3000}) { totalCount } }'
        )
    )
    assert error["message"].startswith("filter.year: ")
    answer = graphql(sqlite_api, '{ events(filter: {dateFrom: "2015-3-1"}) { totalCount } }')
    assert "date_from" not in str(answer)


def test_the_time_budget_is_a_refused_query_naming_its_limit(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "graphql_time_budget", 1e-9)
    error = _only_error(graphql(sqlite_api, "{ events { totalCount } }"))
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": "time"}
    assert "(limit: time)" in error["message"]


def test_an_unexpected_error_is_masked_with_a_code(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr("app.queries.events.event_facets", broken)
    error = _only_error(graphql(sqlite_api, "{ eventFacets { total } }"))
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}


def test_an_unreachable_database_is_said_not_masked(
    client_for: Callable[[sa.Engine], TestClient],
) -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    unreachable = create_db_engine("postgresql+psycopg://postgres@127.0.0.1:1/almaty")
    answer = client_for(unreachable).post("/graphql", json={"query": "{ events { totalCount } }"})

    error = _only_error(answer.json())
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "retry" in error["message"]
    assert answer.headers["cache-control"] == "no-store"


def test_only_the_servers_own_faults_are_logged_as_errors(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A client can send refused queries at will: they must not fill the log with errors.
    for query, variables, *_ in REQUEST_ERRORS.values():
        graphql(sqlite_api, query, variables)
    for query, *_ in FIELD_ERRORS:
        graphql(sqlite_api, query)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr("app.queries.events.event_facets", broken)
    graphql(sqlite_api, "{ eventFacets { total } }")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None
    assert "secret detail" in str(errors[0].exc_info[1])
