"""A spoofed Host never reaches an answer a shared cache may keep (issue 11, failure 5)."""

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from starlette.testclient import WebSocketDenialResponse

from app.config import settings
from app.main import app

SPOOFED = "evil.example"
PUBLIC = "https://data.example.org"
EVENT = "regional-forum-emergency-preparedness-2015"
# Every kind of answer that holds, or may hold, a URL of the service: (what, path, headers).
ANSWERS = [
    ("JSON-LD event", f"/api/v1/events/{EVENT}", {"Accept": "application/ld+json"}),
    ("JSON event", f"/api/v1/events/{EVENT}", {}),
    ("ICS feed", "/api/v1/events.ics", {}),
    ("CSV", "/api/v1/events.csv", {}),
    ("events page with Link", "/api/v1/events?limit=2", {}),
    ("search page with Link", "/api/v1/search?q=migration&limit=1", {}),
    ("bulk listing", "/api/v1/bulk", {}),
    ("trailing-slash redirect", "/api/v1/events/", {}),
    ("trailing-slash redirect with a query", "/api/v1/states/?role=member", {}),
    ("home as JSON", "/", {}),
    ("home as HTML", "/", {"Accept": "text/html"}),
    ("event page", f"/events/{EVENT}", {}),
    ("index of events", "/events?limit=2", {}),
    ("sitemap", "/sitemap.xml", {}),
    ("robots.txt", "/robots.txt", {}),
    ("GraphiQL redirect", "/graphql", {"Accept": "text/html"}),
    ("OpenAPI document", "/openapi.json", {}),
    ("Swagger UI", "/docs", {}),
    ("GraphQL over GET", "/graphql?query=%7B__typename%7D", {}),
]


def _fetch(sqlite_api: TestClient, path: str, headers: dict[str, str], host: str) -> Response:
    response = sqlite_api.get(path, headers={**headers, "Host": host}, follow_redirects=False)
    assert response.status_code < 500, response.text
    return response


def _everything(response: Response) -> str:
    """The answer as a cache keeps it: every header and the body."""
    head = "\n".join(f"{name}: {value}" for name, value in response.headers.multi_items())
    return f"{head}\n{response.content.decode('utf-8', 'replace')}"


def _publicly_cacheable(response: Response) -> bool:
    control = response.headers.get("cache-control", "")
    return "public" in control and "no-store" not in control and "private" not in control


def _varies_by_host(response: Response) -> bool:
    return "host" in {v.strip().lower() for v in response.headers.get("vary", "").split(",")}


@pytest.fixture
def neither(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "public_url", None)
    monkeypatch.setattr(settings, "allowed_hosts", ["*"])


@pytest.fixture
def public_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "public_url", PUBLIC + "/")
    monkeypatch.setattr(settings, "allowed_hosts", ["*"])


@pytest.fixture
def allowed_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "public_url", None)
    monkeypatch.setattr(settings, "allowed_hosts", ["testserver", "*.example.org"])


@pytest.mark.usefixtures("neither")
def test_without_configuration_a_url_from_the_host_is_marked_vary_host(
    sqlite_api: TestClient,
) -> None:
    shaped = []
    for what, path, headers in ANSWERS:
        response = _fetch(sqlite_api, path, headers, SPOOFED)
        if SPOOFED in _everything(response):
            shaped.append(what)
            assert _varies_by_host(response) or not _publicly_cacheable(response), what
    # The Host does shape these (no PUBLIC_URL): the test looks where it must.
    assert {"JSON-LD event", "ICS feed", "CSV", "bulk listing", "event page"} <= set(shaped)
    assert {"sitemap", "robots.txt"} <= set(shaped)


@pytest.mark.usefixtures("public_url")
def test_with_a_public_url_the_host_reaches_no_answer(sqlite_api: TestClient) -> None:
    for what, path, headers in ANSWERS:
        response = _fetch(sqlite_api, path, headers, SPOOFED)
        assert SPOOFED not in _everything(response), what
        # Nothing varies by Host when nothing is built from it: a cache keeps one copy.
        assert not _varies_by_host(response), what


@pytest.mark.usefixtures("allowed_hosts")
def test_with_allowed_hosts_another_host_is_refused_as_a_problem(sqlite_api: TestClient) -> None:
    for what, path, headers in ANSWERS:
        response = _fetch(sqlite_api, path, headers, SPOOFED)
        assert response.status_code == 400, what
        assert response.headers["content-type"] == "application/problem+json", what
        assert response.json()["type"] == "invalid-host", what
        assert SPOOFED not in _everything(response), what
        assert not _publicly_cacheable(response), what


@pytest.mark.usefixtures("allowed_hosts")
@pytest.mark.parametrize("host", ["testserver", "api.example.org", "API.example.org:8443"])
def test_with_allowed_hosts_a_listed_host_is_answered(sqlite_api: TestClient, host: str) -> None:
    response = sqlite_api.get("/api/v1/events.ics", headers={"Host": host})
    assert response.status_code == 200
    # Several hosts are allowed and the feed's links name the one asked: it varies by Host.
    assert host.split(":")[0].lower() in response.text.lower()
    assert _varies_by_host(response)


@pytest.mark.usefixtures("allowed_hosts")
@pytest.mark.parametrize("path", ["/health", "/ready"])
def test_probes_by_address_are_answered_whatever_the_host(
    sqlite_api: TestClient, path: str
) -> None:
    """Docker's HEALTHCHECK and orchestrators ask by address; these answers hold no URL."""
    response = sqlite_api.get(path, headers={"Host": "127.0.0.1:8000"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.usefixtures("allowed_hosts")
def test_a_request_without_a_usable_host_is_refused(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/api/v1/events", headers={"Host": ""})
    assert response.status_code == 400
    assert response.json()["type"] == "invalid-host"


@pytest.mark.usefixtures("neither")
def test_the_response_cache_never_serves_one_host_the_answer_made_for_another(
    sqlite_api: TestClient,
) -> None:
    spoofed = sqlite_api.get("/api/v1/events.ics", headers={"Host": SPOOFED})
    assert SPOOFED in spoofed.text
    honest = sqlite_api.get("/api/v1/events.ics")
    assert honest.status_code == 200
    assert SPOOFED not in _everything(honest)
    assert "http://testserver/events/" in honest.text


@pytest.mark.usefixtures("neither")
def test_without_configuration_the_next_link_is_relative_and_followable(
    sqlite_api: TestClient,
) -> None:
    response = sqlite_api.get("/api/v1/events?limit=2", headers={"Host": SPOOFED})
    link = response.headers["link"]
    assert link.startswith("</api/v1/events?limit=2&cursor=")
    assert link.endswith('>; rel="next"')
    assert not _varies_by_host(response)
    following = sqlite_api.get(link[1 : link.index(">")])
    assert following.status_code == 200
    assert following.json()["items"][0] != response.json()["items"][0]


@pytest.mark.usefixtures("public_url")
def test_with_a_public_url_links_and_redirects_start_with_it(sqlite_api: TestClient) -> None:
    page = sqlite_api.get("/api/v1/events?limit=2", headers={"Host": SPOOFED})
    assert page.headers["link"].startswith(f"<{PUBLIC}/api/v1/events?limit=2&cursor=")
    redirect = sqlite_api.get("/api/v1/states/?role=member", follow_redirects=False)
    assert redirect.status_code == 307
    assert redirect.headers["location"] == f"{PUBLIC}/api/v1/states?role=member"
    listing = sqlite_api.get("/api/v1/bulk", headers={"Host": SPOOFED}).json()
    assert all(f["url"].startswith(f"{PUBLIC}/api/v1/bulk/") for f in listing["files"])
    jsonld = sqlite_api.get(
        f"/api/v1/events/{EVENT}", headers={"Host": SPOOFED, "Accept": "application/ld+json"}
    ).json()
    assert jsonld["@id"] == f"{PUBLIC}/api/v1/events/{EVENT}"


@pytest.mark.usefixtures("neither")
def test_without_configuration_a_redirect_is_relative(sqlite_api: TestClient) -> None:
    redirect = sqlite_api.get("/api/v1/events/", headers={"Host": SPOOFED}, follow_redirects=False)
    assert redirect.status_code == 307
    assert redirect.headers["location"] == "/api/v1/events"
    assert sqlite_api.get(redirect.headers["location"]).status_code == 200


@pytest.mark.usefixtures("allowed_hosts")
def test_with_allowed_hosts_a_websocket_from_another_host_is_refused() -> None:
    client = TestClient(app)
    with (
        pytest.raises(WebSocketDenialResponse) as refused,
        client.websocket_connect(
            "/graphql", headers={"Host": SPOOFED}, subprotocols=["graphql-transport-ws"]
        ),
    ):
        pass
    assert refused.value.status_code == 400
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]):
        pass
