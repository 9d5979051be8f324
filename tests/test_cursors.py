"""Cursors: signed, rotated with a grace period, and typed before any value reaches SQL (issue
11, failure 8). A forged cursor here is signed with the service's own key, as one who knew the
key (the old public default) could sign it: only the checks of its values stand in the way."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.config import settings
from app.main import response_store
from tests.graphql import graphql
from tests.rest import counting_queries

OLD_KEY = "the-key-before-the-rotation"
NOT_OURS = "is not a cursor of this list and order"
UNUSABLE = "holds values this list cannot use"
# Every REST list that takes a cursor: (path, the keyset it was issued for, good values).
REST_LISTS: dict[str, tuple[str, str, list[Any]]] = {
    "processes": ("/api/v1/processes?limit=1", "processes", ["almaty-process"]),
    "states": ("/api/v1/states?limit=1", "states", ["AFG"]),
    "organizations": ("/api/v1/organizations?limit=1", "organizations", ["IOM", "iom"]),
    "documents": ("/api/v1/documents?limit=1", "documents", ["almaty-declaration"]),
    "sources": ("/api/v1/sources?limit=1", "sources", ["almaty-process"]),
    "people": ("/api/v1/people?limit=1", "people", ["Birzhan Nurymbetov", "birzhan-nurymbetov"]),
    "events by date": (
        "/api/v1/events?limit=1",
        "events:start_date",
        ["2011-03-15", "first-regional-conference-2011"],
    ),
    "events newest first": (
        "/api/v1/events?limit=1&sort=-start_date",
        "events:-start_date",
        ["2011-03-15", "first-regional-conference-2011"],
    ),
    "events by title": (
        "/api/v1/events?limit=1&sort=title",
        "events:title",
        ["First", "first-regional-conference-2011"],
    ),
    "search": ("/api/v1/search?q=migration&limit=1", "search", [50.0, "event", "a"]),
}
GRAPHQL_LISTS: dict[str, tuple[str, str, list[Any]]] = {
    "organizations": (
        "query($after: String) { organizations(first: 1, after: $after) { nodes { slug } } }",
        "organizations",
        ["IOM", "iom"],
    ),
    "events": (
        "query($after: String) { events(first: 1, after: $after) { nodes { slug } } }",
        "events:start_date",
        ["2011-03-15", "first-regional-conference-2011"],
    ),
    "people": (
        "query($after: String) { people(first: 1, after: $after) { nodes { slug } } }",
        "people",
        ["Birzhan Nurymbetov", "birzhan-nurymbetov"],
    ),
}
# What may stand where a text, a date or a score is expected, and is none of them.
NOT_TEXT: list[Any] = [
    ["a"],
    {"a": "b"},
    2**70,
    -(2**63) - 1,
    1.5,
    float("nan"),
    True,
    None,
    "nul\x00inside",
    "\ud800 alone",
]
NOT_DATE: list[Any] = ["2011-13-45", "not a date", "", 20110315, *NOT_TEXT]
NOT_SCORE: list[Any] = [
    "50",
    "nan",
    float("nan"),
    float("inf"),
    float("-inf"),
    10**309,  # an integer beyond any float
    [50],
    {"score": 50},
    True,
    None,
]


def _sign(payload: bytes, key: str) -> str:
    digest = hmac.new(key.encode(), payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode()


def _key() -> str:
    assert settings.cursor_key is not None  # load_settings() always sets one
    return settings.cursor_key


def forge(raw: bytes, key: str | None = None) -> str:
    """A cursor holding exactly `raw`, signed as the service signs its own."""
    payload = base64.urlsafe_b64encode(raw).rstrip(b"=")
    return f"{payload.decode()}.{_sign(payload, key or _key())}"


def forge_values(name: str, values: list[Any], key: str | None = None) -> str:
    return forge(json.dumps([name, *values]).encode(), key)


def _bad_values(good: list[Any]) -> list[tuple[str, list[Any]]]:
    """Each position given each value of the wrong kind, and the wrong counts."""
    shapes = [("one value too few", good[:-1]), ("one value too many", [*good, "x"])]
    for at, value in enumerate(good):
        is_date = isinstance(value, str) and value[:4].isdigit() and value[4:5] == "-"
        wrong = NOT_SCORE if isinstance(value, float) else NOT_DATE if is_date else NOT_TEXT
        shapes += [(f"{value!r} as {bad!r}", [*good[:at], bad, *good[at + 1 :]]) for bad in wrong]
    return shapes


def _bad_documents(name: str) -> list[tuple[str, bytes]]:
    """Payloads that are not a list of values at all, each signed."""
    return [
        ("not UTF-8", b'["' + name.encode() + b'", "\xe4\xff"]'),
        ("UTF-16 at best", b"\xff\xfe\x00[" + name.encode()),
        ("not JSON", b"[" + name.encode()),
        ("an object", json.dumps({name: "AFG"}).encode()),
        ("a string", json.dumps(name + "AFG").encode()),
        ("a number", b"12"),
        ("null", b"null"),
        ("an empty list", b"[]"),
        ("a nesting bomb", b"[" * 300),
        ("a deep list", json.dumps([name, json.loads("[" * 150 + "]" * 150)]).encode()),
    ]


def _forged_cursors(name: str, good: list[Any]) -> list[tuple[str, str, str]]:
    """(shape, cursor, the reason expected) for every bad shape of a cursor of `name`."""
    cursors = [(shape, forge_values(name, values), UNUSABLE) for shape, values in _bad_values(good)]
    cursors += [(shape, forge(raw), UNUSABLE) for shape, raw in _bad_documents(name)]
    cursors += [
        ("bad base64", "a." + _sign(b"a", _key()), UNUSABLE),
        ("another list's", forge_values("no-such-list", good), NOT_OURS),
        ("unsigned", forge_values(name, good).split(".")[0] + ".", NOT_OURS),
        ("signed with another key", forge_values(name, good, "x" * 32), NOT_OURS),
    ]
    return cursors


def _refused(response: Any, shape: str, reason: str) -> None:
    assert response.status_code == 400, (shape, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["parameter"] == "cursor", shape
    assert reason in problem["detail"], (shape, problem["detail"])


@pytest.mark.parametrize("kind", list(REST_LISTS))
def test_a_well_formed_forged_cursor_is_used(each_db_api: TestClient, kind: str) -> None:
    """The forging here is the service's own format: the refusals below are about values."""
    path, name, good = REST_LISTS[kind]
    response = each_db_api.get(f"{path}&cursor={forge_values(name, good)}")
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("kind", list(REST_LISTS))
def test_a_forged_cursor_of_any_bad_shape_is_a_400_naming_cursor(
    sqlite_api: TestClient, sqlite_shared_engine: sa.Engine, kind: str
) -> None:
    path, name, good = REST_LISTS[kind]
    for shape, cursor, reason in _forged_cursors(name, good):
        with counting_queries(sqlite_shared_engine) as log:
            response = sqlite_api.get(f"{path}&cursor={cursor}")
        _refused(response, shape, reason)
        # The page query (keyset-bounded, its keys labelled) never ran with such values.
        assert not any("_key0" in s or " AS score" in s for s in log.statements), shape


@pytest.mark.parametrize("kind", list(GRAPHQL_LISTS))
def test_a_forged_after_is_bad_user_input_in_graphql(sqlite_api: TestClient, kind: str) -> None:
    query, name, good = GRAPHQL_LISTS[kind]
    assert "errors" not in graphql(sqlite_api, query, {"after": forge_values(name, good)})
    for shape, cursor, reason in _forged_cursors(name, good):
        errors = graphql(sqlite_api, query, {"after": cursor}).get("errors")
        assert errors, shape
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", (shape, errors)
        assert errors[0]["extensions"]["argument"] == "after", (shape, errors)
        assert reason in errors[0]["message"], (shape, errors)


def test_a_search_cursor_names_a_kind_of_entity(sqlite_api: TestClient) -> None:
    cursor = forge_values("search", [50.0, "planet", "a"])
    _refused(sqlite_api.get(f"/api/v1/search?q=migration&cursor={cursor}"), "planet", UNUSABLE)


def test_a_cursor_too_long_to_be_ours_is_refused_before_decoding(sqlite_api: TestClient) -> None:
    # As deep as a URL a client sends can carry (httpx stops at 64 KB).
    deep = forge(b"[" * 40_000)
    response = sqlite_api.get("/api/v1/states", params={"cursor": deep})
    assert response.status_code == 400
    assert response.json()["parameter"] == "cursor"
    errors = graphql(
        sqlite_api,
        "query($after: String) { events(after: $after) { totalCount } }",
        {"after": deep},
    )["errors"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_new_cursors_are_signed_with_the_current_key(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "cursor_previous_key", OLD_KEY)
    monkeypatch.setattr(settings, "cursor_previous_key_until", datetime.now(UTC) + timedelta(1))
    cursor = sqlite_api.get("/api/v1/events?limit=2").json()["next_cursor"]
    payload, _, signature = cursor.partition(".")
    assert signature == _sign(payload.encode(), _key())


def test_a_cursor_of_the_previous_key_is_used_until_its_grace_ends(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sqlite_api.get("/api/v1/events?limit=2").json()
    payload = first["next_cursor"].partition(".")[0]
    before_rotation = f"{payload}.{_sign(payload.encode(), OLD_KEY)}"
    current = sqlite_api.get("/api/v1/events", params={"limit": 2, "cursor": first["next_cursor"]})
    monkeypatch.setattr(settings, "cursor_previous_key", OLD_KEY)

    monkeypatch.setattr(settings, "cursor_previous_key_until", datetime.now(UTC) + timedelta(1))
    during = sqlite_api.get("/api/v1/events", params={"limit": 2, "cursor": before_rotation})
    assert during.status_code == 200
    assert during.json() == current.json()

    monkeypatch.setattr(settings, "cursor_previous_key_until", datetime.now(UTC) - timedelta(1))
    # The answer made during the grace period stays in the response cache until the data
    # changes (a page it was right to serve); a request that runs the route is refused.
    if response_store is not None:
        response_store.clear()
    after = sqlite_api.get("/api/v1/events", params={"limit": 2, "cursor": before_rotation})
    _refused(after, "after the grace period", "has expired")
    assert "start again" in after.json()["detail"]
    errors = graphql(
        sqlite_api,
        "query($after: String) { events(first: 2, after: $after) { totalCount } }",
        {"after": before_rotation},
    )["errors"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "has expired" in errors[0]["message"]


def test_without_a_previous_key_an_old_cursor_is_not_ours(sqlite_api: TestClient) -> None:
    payload = sqlite_api.get("/api/v1/events?limit=2").json()["next_cursor"].partition(".")[0]
    response = sqlite_api.get(
        "/api/v1/events",
        params={"limit": 2, "cursor": f"{payload}.{_sign(payload.encode(), OLD_KEY)}"},
    )
    _refused(response, "an unknown key", NOT_OURS)
