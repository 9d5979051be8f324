"""GET /: a landing page for people, links for clients, the licences for both."""

from html.parser import HTMLParser

from fastapi.testclient import TestClient


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value or "" for name, value in attrs if name == "href"]
        self.scripts += tag == "script"


def test_a_client_gets_links_and_licences(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    home = response.json()
    assert home["data_version"] == response.headers["x-data-version"]
    assert "CC BY 4.0" in home["data_licence"]
    assert home["code_licence"] == "MIT"
    rels = {link["rel"]: link["href"] for link in home["links"]}
    assert {"events", "graphql", "docs", "openapi", "bulk"} <= set(rels)
    # Every link leads somewhere that answers the client that followed it.
    for href in rels.values():
        answer = sqlite_api.get(href, headers={"Accept": "application/json"})
        assert answer.status_code == 200, href


def test_a_browser_gets_a_page_without_script(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept" in response.headers["vary"]
    page = _Links()
    page.feed(response.text)
    assert page.scripts == 0
    assert "/api/v1/bulk" in page.hrefs
    assert "CC BY 4.0" in response.text
    assert "Every value cites the exact passage" in response.text


def test_the_openapi_document_states_the_licence(sqlite_api: TestClient) -> None:
    info = sqlite_api.get("/openapi.json").json()["info"]
    assert "CC BY 4.0" in info["license"]["name"]
    assert "MIT" in info["license"]["name"]
