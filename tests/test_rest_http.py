"""HTTP behaviour every client relies on: caching, compression, CORS and problem details."""

import pytest
from fastapi.testclient import TestClient


def test_every_get_has_a_strong_etag_and_answers_304(sqlite_api: TestClient) -> None:
    first = sqlite_api.get("/api/v1/events/second-som-2015")
    etag = first.headers["etag"]
    assert etag.startswith('"')  # strong: no W/ prefix
    assert first.headers["cache-control"] == "public, max-age=300"

    again = sqlite_api.get("/api/v1/events/second-som-2015", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag

    other = sqlite_api.get("/api/v1/events/first-som-2014", headers={"If-None-Match": etag})
    assert other.status_code == 200
    assert other.headers["etag"] != etag


def test_if_none_match_takes_a_list_and_weak_forms(sqlite_api: TestClient) -> None:
    etag = sqlite_api.get("/api/v1/states").headers["etag"]
    assert (
        sqlite_api.get("/api/v1/states", headers={"If-None-Match": f'"x", W/{etag}'}).status_code
        == 304
    )
    assert sqlite_api.get("/api/v1/states", headers={"If-None-Match": "*"}).status_code == 304


def test_the_etag_differs_by_representation(sqlite_api: TestClient) -> None:
    plain = sqlite_api.get("/api/v1/events/second-som-2015")
    linked = sqlite_api.get(
        "/api/v1/events/second-som-2015", headers={"Accept": "application/ld+json"}
    )
    assert plain.headers["etag"] != linked.headers["etag"]


def test_large_bodies_are_compressed(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/api/v1/sources/almaty-process", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["vary"]
    identity = sqlite_api.get(
        "/api/v1/sources/almaty-process", headers={"Accept-Encoding": "identity"}
    )
    assert "content-encoding" not in identity.headers
    assert response.json() == identity.json()
    assert response.headers["etag"] != identity.headers["etag"]


def test_cors_is_open_for_reading(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/api/v1/events", headers={"Origin": "https://dashboard.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "ETag" in response.headers["access-control-expose-headers"]
    preflight = sqlite_api.options(
        "/api/v1/events",
        headers={"Origin": "https://dashboard.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["access-control-allow-methods"]


def test_operations_endpoints_are_not_cached(sqlite_api: TestClient) -> None:
    assert sqlite_api.get("/health").headers["cache-control"] == "no-store"
    assert sqlite_api.get("/ready").headers["cache-control"] == "no-store"


BAD_PARAMETERS = {
    "/api/v1/events?limit=0": "limit",
    "/api/v1/events?limit=100000": "limit",
    "/api/v1/events?limit=ten": "limit",
    "/api/v1/events?date_from=garbage": "date_from",
    "/api/v1/events?year=99999": "year",
    "/api/v1/events?sort=popularity": "sort",
    "/api/v1/events?kind=party": "kind",
    "/api/v1/events?country=Kazakhstan": "country",
    "/api/v1/events?participant=%25%27;drop": "participant",
    "/api/v1/events?related=perhaps": "related",
    "/api/v1/events?cursor=tampered": "cursor",
    "/api/v1/events?colour=red": "colour",
    "/api/v1/events?q=": "q",
    "/api/v1/events.ics?limit=5": "limit",
    "/api/v1/states?role=guest": "role",
    "/api/v1/organizations?kind=club": "kind",
    "/api/v1/documents?kind=novel": "kind",
    "/api/v1/search": "q",
    "/api/v1/search?q=a%00b": "q",
    "/api/v1/events?city=Al%00maty": "city",
    "/api/v1/changes?since=0.5": "since",
    "/api/v1/events?date_to=0": "date_to",
    "/api/v1/search?q=x&limit=0": "limit",
    "/api/v1/changes": "since",
    "/api/v1/facets/events?year=abc": "year",
    "/api/v1/states/KA": "code",
    "/api/v1/events/Not_A_Slug": "slug",
}


@pytest.mark.parametrize("url", BAD_PARAMETERS)
def test_a_bad_parameter_is_a_400_problem_naming_it(sqlite_api: TestClient, url: str) -> None:
    response = sqlite_api.get(url)

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"] == "Invalid parameter"
    assert problem["parameter"] == BAD_PARAMETERS[url]
    assert problem["detail"].startswith(BAD_PARAMETERS[url])


def test_a_tampered_cursor_is_refused(sqlite_api: TestClient) -> None:
    cursor = sqlite_api.get("/api/v1/events?limit=1").json()["next_cursor"]
    payload, signature = cursor.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    response = sqlite_api.get(f"/api/v1/events?limit=1&cursor={forged}")
    assert response.status_code == 400
    assert response.json()["parameter"] == "cursor"


def test_an_unknown_path_is_a_404_problem(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_head_answers_like_get_without_a_body(sqlite_api: TestClient) -> None:
    get = sqlite_api.get("/api/v1/events")
    head = sqlite_api.head("/api/v1/events")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/ld+json", "application/ld+json"),
        ("APPLICATION/LD+JSON", "application/ld+json"),
        ("application/json, application/ld+json;q=0.1", "application/json"),
        ("application/ld+json;q=0", "application/json"),
        ("text/html, application/ld+json;q=0.9, */*;q=0.8", "application/ld+json"),
        ("*/*", "application/json"),
        # A weight outside 0 to 1 is no weight: it cannot outbid a real preference.
        ("application/json;q=0.5, application/ld+json;q=inf", "application/json"),
        ("application/json;q=0.5, application/ld+json;q=nan", "application/json"),
    ],
)
def test_the_event_representation_follows_accept_weights(
    sqlite_api: TestClient, accept: str, media_type: str
) -> None:
    response = sqlite_api.get("/api/v1/events/second-som-2015", headers={"Accept": accept})
    assert response.headers["content-type"] == media_type


def test_a_cursor_with_foreign_characters_is_a_400(sqlite_api: TestClient) -> None:
    for url in ["/api/v1/events?cursor=abc.%C3%A9", "/api/v1/search?q=iom&cursor=%C3%A9.%C3%A9"]:
        response = sqlite_api.get(url)
        assert response.status_code == 400, url
        assert response.json()["parameter"] == "cursor"


def test_a_cursor_of_one_list_is_refused_by_another(sqlite_api: TestClient) -> None:
    cursor = sqlite_api.get("/api/v1/documents?limit=1").json()["next_cursor"]
    response = sqlite_api.get(f"/api/v1/processes?limit=1&cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["parameter"] == "cursor"


def test_health_is_never_a_304(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/health", headers={"If-None-Match": "*"})
    assert response.status_code == 200
    assert "etag" not in response.headers


@pytest.mark.parametrize(
    "url", ["/api/v1/process", "/api/v1/events/second-som-2015", "/api/v1/states/KAZ"]
)
def test_a_stray_parameter_on_a_detail_route_is_refused(sqlite_api: TestClient, url: str) -> None:
    response = sqlite_api.get(f"{url}?fields=title")
    assert response.status_code == 400
    assert response.json()["parameter"] == "fields"
