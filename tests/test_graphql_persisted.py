"""Automatic persisted queries (Apollo's APQ) over GET and POST: a query named by its SHA-256."""

import hashlib
import json
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from app.config import settings
from app.graphql import router
from app.graphql.schema import MAX_DEPTH
from app.http.persisted import PersistedQueries
from app.main import response_store

QUERY = "query City($slug: String!) { event(slug: $slug) { title city } }"
VARIABLES = {"slug": "second-som-2015"}


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _persisted(digest: str, version: object = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


def _ask(
    client: TestClient,
    method: str,
    *,
    query: str | None = None,
    extensions: dict[str, Any] | None = None,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx2.Response:
    """A GraphQL request as Apollo Client sends it: over GET, its parts URL-encoded JSON."""
    fields: dict[str, Any] = {"variables": VARIABLES if variables is None else variables}
    if query is not None:
        fields["query"] = query
    if extensions is not None:
        fields["extensions"] = extensions
    if method == "POST":
        return client.post("/graphql", json=fields, headers=headers)
    params = {k: v if k == "query" else json.dumps(v) for k, v in fields.items()}
    return client.get("/graphql", params=params, headers=headers)


def _error(response: httpx2.Response) -> dict[str, Any]:
    """The one error of an answer refused before it ran (no data)."""
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "data" not in answer
    [error] = answer["errors"]
    assert response.headers["cache-control"] == "no-store"
    found: dict[str, Any] = error
    return found


def _install(monkeypatch: pytest.MonkeyPatch, **bounds: int) -> PersistedQueries:
    """A registry of its own for the test, with the settings' bounds unless given."""
    registry = PersistedQueries(
        entries=bounds.get("entries", settings.graphql_persisted_queries),
        max_bytes=bounds.get("max_bytes", settings.graphql_persisted_bytes),
        max_query_bytes=bounds.get("max_query_bytes", settings.graphql_persisted_query_bytes),
    )
    monkeypatch.setattr(router, "PERSISTED", registry)
    return registry


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> PersistedQueries:
    """An empty registry with the settings' bounds, for this test only."""
    return _install(monkeypatch)


METHODS = pytest.mark.parametrize("method", ["GET", "POST"])


@METHODS
@pytest.mark.usefixtures("registry")
def test_an_unknown_hash_is_not_found(sqlite_api: TestClient, method: str) -> None:
    # A browser's Accept too: a GET by hash is a query, not a request for GraphiQL.
    headers = {"Accept": "text/html,*/*;q=0.8"} if method == "GET" else None
    response = _ask(sqlite_api, method, extensions=_persisted(_sha256(QUERY)), headers=headers)
    assert response.headers["content-type"] == "application/json"
    error = _error(response)
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@METHODS
def test_the_text_with_its_hash_registers_it_and_the_hash_alone_then_runs_it(
    sqlite_api: TestClient, registry: PersistedQueries, method: str
) -> None:
    digest = _sha256(QUERY)
    registering = _ask(sqlite_api, method, query=QUERY, extensions=_persisted(digest))
    assert registering.status_code == 200
    assert registering.json()["data"]["event"]["city"] == "Astana"
    # Never answered from a cache: that would not register the query where it was dropped.
    assert registering.headers["cache-control"] == "no-store"
    assert len(registry) == 1
    for by_hash in ("GET", "POST"):
        answer = _ask(sqlite_api, by_hash, extensions=_persisted(digest))
        assert answer.status_code == 200
        assert answer.json() == registering.json()
    other = _ask(sqlite_api, "GET", extensions=_persisted(digest), variables={"slug": "nope"})
    assert other.json()["data"] == {"event": None}
    assert "errors" not in other.json()


@METHODS
def test_a_hash_that_is_not_the_texts_is_refused_and_not_kept(
    sqlite_api: TestClient, registry: PersistedQueries, method: str
) -> None:
    wrong = _sha256(QUERY + " ")
    error = _error(_ask(sqlite_api, method, query=QUERY, extensions=_persisted(wrong)))
    assert error["message"].startswith("provided sha does not match query")
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "extensions.persistedQuery.sha256Hash",
    }
    assert len(registry) == 0
    for digest in (wrong, _sha256(QUERY)):
        missed = _error(_ask(sqlite_api, method, extensions=_persisted(digest)))
        assert missed["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@METHODS
@pytest.mark.parametrize("version", [2, 0, "1", True, None])
@pytest.mark.usefixtures("registry")
def test_another_version_is_not_supported(
    sqlite_api: TestClient, method: str, version: object
) -> None:
    extensions = _persisted(_sha256(QUERY), version=version)
    for query in (None, QUERY):
        error = _error(_ask(sqlite_api, method, query=query, extensions=extensions))
        assert error["extensions"] == {
            "code": "PERSISTED_QUERY_NOT_SUPPORTED",
            "argument": "extensions.persistedQuery.version",
        }
        assert f"version {version!r}" in error["message"]


@METHODS
@pytest.mark.parametrize("digest", ["abc", 12, "g" * 64, None])
@pytest.mark.usefixtures("registry")
def test_a_hash_that_is_no_sha256_names_its_field(
    sqlite_api: TestClient, method: str, digest: object
) -> None:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    error = _error(_ask(sqlite_api, method, extensions=extensions))
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "extensions.persistedQuery.sha256Hash",
    }


def _register(client: TestClient, query: str) -> httpx2.Response:
    return _ask(client, "POST", query=query, extensions=_persisted(_sha256(query)), variables={})


def _forget_answers() -> None:
    """Empties the response cache, which would answer a repeated request without the registry."""
    if response_store is not None:
        response_store.clear()


def _known(client: TestClient, query: str) -> bool:
    """Whether the registry runs `query` by its hash alone."""
    _forget_answers()
    answer = _ask(client, "POST", extensions=_persisted(_sha256(query)), variables={})
    return "data" in answer.json()


def test_the_registry_keeps_to_its_bounds_least_recently_used_out(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = [f"{{ n{n}: __typename }}" for n in range(4)]
    size = len(queries[0])
    registry = _install(monkeypatch, entries=2, max_bytes=10 * size)
    for query in queries[:2]:
        assert _register(sqlite_api, query).json()["data"]
    assert _known(sqlite_api, queries[0])  # now the most recently used
    assert _register(sqlite_api, queries[2]).json()["data"]
    assert len(registry) == 2
    assert [_known(sqlite_api, q) for q in queries[:3]] == [True, False, True]
    # In bytes: two queries' worth, whatever the count allows.
    registry = _install(monkeypatch, entries=100, max_bytes=2 * size)
    for query in queries:
        _register(sqlite_api, query)
    assert [_known(sqlite_api, q) for q in queries] == [False, False, True, True]


def test_a_query_over_the_byte_limit_is_refused_naming_it(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = _install(monkeypatch, max_query_bytes=len(QUERY) - 1)
    error = _error(_ask(sqlite_api, "POST", query=QUERY, extensions=_persisted(_sha256(QUERY))))
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "limit": "persistedQueryBytes",
        "bytes": len(QUERY),
        "maxBytes": len(QUERY) - 1,
    }
    assert "(limit: persistedQueryBytes)" in error["message"]
    assert len(registry) == 0
    # The same text without a hash runs as ever.
    assert _ask(sqlite_api, "POST", query=QUERY).json()["data"]["event"]["city"] == "Astana"


def test_persisted_queries_off_are_not_supported(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(monkeypatch, entries=0)
    error = _error(_ask(sqlite_api, "GET", extensions=_persisted(_sha256(QUERY))))
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"


@pytest.mark.usefixtures("registry")
def test_a_registered_query_meets_the_limits_of_any_query(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = "{ slug }"
    for _ in range(MAX_DEPTH):
        deep = f"{{ events {{ event {deep} }} }}"
    deep = f'{{ state(code: "KAZ") {deep} }}'
    refused = _register(sqlite_api, deep).json()
    assert "data" not in refused
    assert "depth" in [error["extensions"].get("limit") for error in refused["errors"]]
    assert not _known(sqlite_api, deep)  # a refused query is never registered
    invalid = "{ nothing }"
    assert _error(_register(sqlite_api, invalid))["extensions"]["code"] == (
        "GRAPHQL_VALIDATION_FAILED"
    )
    assert not _known(sqlite_api, invalid)
    registered = '{ event(slug: "second-som-2015") { title city } }'
    assert _register(sqlite_api, registered).json()["data"]["event"]["city"] == "Astana"
    monkeypatch.setattr(settings, "graphql_max_cost", 1)
    _forget_answers()
    by_hash = _error(_ask(sqlite_api, "GET", extensions=_persisted(_sha256(registered))))
    assert by_hash["extensions"]["limit"] == "cost"


@pytest.mark.usefixtures("registry")
def test_a_get_by_hash_is_cached_like_a_get_of_the_text(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = _sha256(QUERY)
    assert _ask(sqlite_api, "POST", query=QUERY, extensions=_persisted(digest)).status_code == 200
    by_hash = _ask(sqlite_api, "GET", extensions=_persisted(digest))
    assert by_hash.status_code == 200
    assert by_hash.json()["data"]["event"]["city"] == "Astana"
    etag = by_hash.headers["etag"]
    assert by_hash.headers["cache-control"] == "public, max-age=300"
    assert by_hash.headers["x-data-version"]
    unchanged = _ask(
        sqlite_api, "GET", extensions=_persisted(digest), headers={"If-None-Match": etag}
    )
    assert unchanged.status_code == 304
    assert unchanged.headers["etag"] == etag
    assert unchanged.content == b""
    # The GET of the whole text is the same answer, kept once: the same ETag, a 304 for it.
    by_text = _ask(sqlite_api, "GET", query=QUERY, headers={"If-None-Match": etag})
    assert by_text.status_code == 304
    # Kept under the query it runs: served even where this process's registry lost the hash.
    _install(monkeypatch)
    again = _ask(sqlite_api, "GET", extensions=_persisted(digest))
    assert again.status_code == 200
    assert again.headers["etag"] == etag
    assert again.content == by_hash.content


@pytest.mark.usefixtures("registry")
def test_a_post_by_hash_shares_the_kept_answer_of_the_post_of_the_text(
    sqlite_api: TestClient,
) -> None:
    by_text = _ask(sqlite_api, "POST", query=QUERY)
    assert by_text.json()["data"]["event"]["city"] == "Astana"
    # Never registered here, yet answered: kept under the SHA-256 of the text it names.
    by_hash = _ask(sqlite_api, "POST", extensions=_persisted(_sha256(QUERY)))
    assert by_hash.status_code == 200
    assert by_hash.content == by_text.content
    # Other variables are another answer, which only the registry could make.
    other = _error(
        _ask(sqlite_api, "POST", extensions=_persisted(_sha256(QUERY)), variables={"slug": "x"})
    )
    assert other["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
