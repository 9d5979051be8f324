"""GraphQL over HTTP: media types and status codes, queries over GET cached, CORS for POST."""

from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.schemas.discovery import GRAPHQL_EXAMPLE
from tests.graphql import data

GRAPHQL_RESPONSE = "application/graphql-response+json"
QUERY = '{ event(slug: "second-som-2015") { title city } }'


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
        (f"{GRAPHQL_RESPONSE};q=0", "application/json"),
    ],
)
def test_the_answer_has_the_media_type_asked_for(
    sqlite_api: TestClient, accept: str | None, media_type: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = sqlite_api.post("/graphql", json={"query": QUERY}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.json()["data"]["event"]["city"] == "Astana"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("{ events { ", 400),  # does not parse
        ("{ nothing }", 400),  # does not validate
        ('{ events(filter: {dateFrom: "2015-13-45"}) { totalCount } }', 400),
        ("{ events(first: 101) { totalCount } }", 200),  # a field error: data is null
        ('{ event(slug: "nope") { slug } }', 200),
    ],
)
def test_status_codes_follow_graphql_over_http(
    sqlite_api: TestClient, query: str, status: int
) -> None:
    strict = sqlite_api.post(
        "/graphql", json={"query": query}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert strict.status_code == status
    assert strict.headers["content-type"] == GRAPHQL_RESPONSE
    assert ("data" in strict.json()) == (status == 200)
    # application/json keeps 200 for every well-formed request, as the spec asks of it.
    legacy = sqlite_api.post(
        "/graphql", json={"query": query}, headers={"Accept": "application/json"}
    )
    assert legacy.status_code == 200
    assert legacy.json() == strict.json()


def test_a_malformed_body_is_a_400_whatever_is_accepted(sqlite_api: TestClient) -> None:
    for accept in ("application/json", GRAPHQL_RESPONSE):
        response = sqlite_api.post(
            "/graphql",
            content=b"{not json",
            headers={"Content-Type": "application/json", "Accept": accept},
        )
        assert response.status_code == 400


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
def test_a_query_over_get_is_cached_with_an_etag(sqlite_api: TestClient, accept: str) -> None:
    params = {
        "query": "query($s: String!) { event(slug: $s) { city } }",
        "variables": '{"s": "second-som-2015"}',
    }
    first = sqlite_api.get("/graphql", params=params, headers={"Accept": accept})
    assert first.status_code == 200
    assert first.json()["data"] == {"event": {"city": "Astana"}}
    assert first.headers["content-type"] == accept
    assert "Accept" in first.headers["vary"]
    assert first.headers["cache-control"] == "public, max-age=300"
    etag = first.headers["etag"]
    again = sqlite_api.get(
        "/graphql", params=params, headers={"Accept": accept, "If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


def test_the_two_media_types_have_different_etags(sqlite_api: TestClient) -> None:
    params = {"query": QUERY}
    tags = {
        sqlite_api.get("/graphql", params=params, headers={"Accept": accept}).headers["etag"]
        for accept in ("application/json", GRAPHQL_RESPONSE)
    }
    assert len(tags) == 2


def test_an_answer_with_errors_is_not_cached(sqlite_api: TestClient) -> None:
    for query in ("{ nothing }", "{ events(first: 101) { totalCount } }"):
        response = sqlite_api.get("/graphql", params={"query": query})
        assert response.headers["cache-control"] == "no-store"
        assert "etag" not in response.headers


def test_graphiql_still_opens_in_a_browser(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _sent_to(response_location: str) -> dict[str, list[str]]:
    target = urlsplit(response_location)
    assert target.path == "/graphql"
    return parse_qs(target.query)


@pytest.mark.parametrize(
    ("url", "opened_on"),
    [
        ("/graphql", GRAPHQL_EXAMPLE),
        (f"/graphql?query={QUERY}", QUERY),
        (f"/graphql?query={QUERY}&variables=%7B%7D", QUERY),
    ],
)
def test_a_browser_opens_graphiql_on_the_query_or_the_example(
    sqlite_api: TestClient, url: str, opened_on: str
) -> None:
    response = sqlite_api.get(url, headers={"Accept": BROWSER}, follow_redirects=False)
    assert response.status_code == 303
    assert "Accept" in response.headers["vary"]
    # `q` is what strawberry's GraphiQL page opens its editor on.
    assert _sent_to(response.headers["location"])["q"] == [opened_on]
    # Spaces as %20: the page decodes with decodeURIComponent, which would leave a "+".
    assert "+" not in response.headers["location"]
    page = sqlite_api.get(response.headers["location"], headers={"Accept": BROWSER})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


@pytest.mark.parametrize("accept", ["application/json", "*/*", None])
def test_a_client_that_asks_for_json_still_gets_json(
    sqlite_api: TestClient, accept: str | None
) -> None:
    home = sqlite_api.get("/", headers={"Accept": "application/json"}).json()
    [link] = [link["href"] for link in home["links"] if link["rel"] == "graphql"]
    headers = {"Accept": accept} if accept else {}
    response = sqlite_api.get(link, headers=headers, follow_redirects=False)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert "errors" not in response.json()
    assert response.json()["data"]["eventStats"]


def test_the_example_query_answers_from_the_seed(each_db_api: TestClient) -> None:
    answer = data(each_db_api, GRAPHQL_EXAMPLE)
    events = answer["events"]["nodes"]
    assert answer["events"]["totalCount"] == len(events) > 0
    assert all(event["startDate"].startswith("2015") for event in events)
    assert any(p["state"] for event in events for p in event["participants"])
    rows = answer["eventStats"]
    assert sum(row["count"] for row in rows if row["year"] == 2015) == len(events)


# The GraphQL-over-HTTP request media type is application/json (its drafts' graphql+json is
# gone); the answer's is chosen by Accept, which needs no preflight of its own.
@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
def test_cors_allows_a_graphql_post_from_another_origin(
    sqlite_api: TestClient, content_type: str
) -> None:
    preflight = sqlite_api.options(
        "/graphql",
        headers={
            "Origin": "http://127.0.0.1:9999",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200, preflight.text
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in preflight.headers
    response = sqlite_api.post(
        "/graphql",
        json={"query": QUERY},
        headers={
            "Origin": "http://127.0.0.1:9999",
            "Content-Type": content_type,
            "Accept": GRAPHQL_RESPONSE,
        },
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert response.headers["access-control-allow-origin"] == "*"


def test_head_answers_like_get_without_a_body(sqlite_api: TestClient) -> None:
    url = "/graphql?query=%7B__typename%7D"
    got, head = sqlite_api.get(url), sqlite_api.head(url)
    assert (head.status_code, head.content) == (200, b"")
    for name in ("content-type", "content-length", "etag", "x-data-version"):
        assert head.headers.get(name) == got.headers.get(name), name
    # Without a query: the refusal GET gets, as problem+json, without its body.
    refused = sqlite_api.head("/graphql", headers={"Accept": "application/json"})
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.content == b""
