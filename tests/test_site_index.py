"""The site for people and crawlers: the index of events, the sitemap, robots.txt, and a crawl
from the landing page that reaches every event's page."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.config import settings
from app.main import response_store
from app.rest import site
from app.rest.site import PAGES
from tests.rest import all_pages

HTML = "text/html; charset=utf-8"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PUBLIC = "https://data.example.org"
EVENT_PAGE = re.compile(r"^/events/([a-z0-9-]+)$")


class _Page(HTMLParser):
    """Links (href and rel), form controls with their ids, labels, and the landmarks."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.controls: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if tag == "a":
            self.links.append((found.get("href") or "", found.get("rel") or ""))
        if tag in ("input", "select") and found.get("type") != "hidden":
            self.controls.append(found)
        if tag == "label":
            self.labelled.add(found.get("for") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    @property
    def events(self) -> list[str]:
        """The slugs of the event pages linked, in the page's order."""
        return [m.group(1) for href, _ in self.links if (m := EVENT_PAGE.match(href))]

    def rel(self, name: str) -> str | None:
        return next((unescape(href) for href, rel in self.links if rel == name), None)


def _index(client: TestClient, url: str) -> _Page:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == HTML
    page = _Page()
    page.feed(response.text)
    return page


# The same filters as the API, as a form sends them (an empty field is "any") or as a link does.
FILTERS = [
    "",
    "year=2015",
    "kind=senior_officials_meeting",
    "country=KAZ",
    "participant=KAZ",
    "organizer=iom",
    "q=migration",
    "related=true",
    "status=held&sort=-start_date",
    "date_from=2013-01-01&date_to=2015-06-30&sort=title",
    "year=&kind=&country=&q=migration&city=",
]


@pytest.mark.parametrize("query", FILTERS)
def test_the_index_lists_exactly_the_events_the_api_lists(
    each_db_api: TestClient, query: str
) -> None:
    api_query = "&".join(part for part in query.split("&") if not part.endswith("="))
    expected = [e["slug"] for e in all_pages(each_db_api, f"/api/v1/events?{api_query}")]
    assert _index(each_db_api, f"/events?{query}").events == expected
    # Each filter selects some events and leaves others: lists are compared, not empty pages.
    assert 0 < len(expected) < 9 or query in ("", "related=true")


def test_the_index_pages_forward_and_back_like_the_api(each_db_api: TestClient) -> None:
    expected = [e["slug"] for e in all_pages(each_db_api, "/api/v1/events?related=true")]
    pages: list[list[str]] = []
    url: str | None = "/events?related=true&limit=2"
    while url is not None:
        page = _index(each_db_api, url)
        pages.append(page.events)
        url = page.rel("next")
    assert [slug for events in pages for slug in events] == expected
    assert len(pages) == (len(expected) + 1) // 2
    # From the last page back to the first by its previous links: the same pages, reversed.
    back: list[list[str]] = []
    url = _last_url(each_db_api)
    while url is not None:
        page = _index(each_db_api, url)
        back.append(page.events)
        url = page.rel("prev")
    assert back == pages[::-1]
    assert _index(each_db_api, "/events?related=true&limit=2").rel("first") is None


def _last_url(client: TestClient) -> str:
    url = "/events?related=true&limit=2"
    while (following := _index(client, url).rel("next")) is not None:
        url = following
    return url


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("year=abc", "year"),
        ("kind=party", "kind"),
        ("country=K", "country"),
        ("sort=random", "sort"),
        ("limit=0", "limit"),
        ("cursor=forged.abc", "cursor"),
        ("before=forged.abc", "before"),
        ("colour=red", "colour"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(
    sqlite_api: TestClient, query: str, parameter: str
) -> None:
    response = sqlite_api.get(f"/events?{query}", headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == parameter


def test_going_back_and_forward_at_once_is_refused(sqlite_api: TestClient) -> None:
    following = _index(sqlite_api, "/events?limit=2").rel("next")
    assert following is not None
    cursor = following.split("cursor=")[1]
    response = sqlite_api.get(f"/events?limit=2&cursor={cursor}&before={cursor}")
    assert response.status_code == 400
    assert response.json()["parameter"] == "before"


def test_the_form_shows_the_filters_applied_and_labels_each_control(
    sqlite_api: TestClient,
) -> None:
    response = sqlite_api.get("/events?year=2015&kind=forum&q=migration&related=true")
    page = _Page()
    page.feed(response.text)
    names = {control["name"] for control in page.controls}
    # Every filter of the API, and its order, can be set from the page.
    assert {"year", "kind", "country", "participant", "q", "related", "sort"} <= names
    for control in page.controls:
        assert control["id"] in page.labelled, control
    assert "<input type=number inputmode=numeric id=f-year name=year" in response.text
    assert 'value="2015"' in response.text
    assert "<option value=forum selected>" in response.text
    assert 'value="migration"' in response.text
    assert "value=true checked" in response.text
    assert {"main", "h1", "nav", "form"} <= set(page.tags)
    assert '<meta name=viewport content="width=device-width, initial-scale=1">' in response.text
    assert "<script" not in response.text


def test_the_index_is_kept_per_data_version(sqlite_api: TestClient) -> None:
    first = sqlite_api.get("/events?year=2015")
    assert first.headers["x-data-version"]
    again = sqlite_api.get("/events?year=2015", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_the_landing_page_links_every_page(sqlite_api: TestClient) -> None:
    landing = _Page()
    landing.feed(sqlite_api.get("/", headers={"Accept": "text/html"}).text)
    hrefs = {href for href, _ in landing.links}
    assert {path for path, _ in PAGES if path != "/"} <= hrefs
    assert "/events" in hrefs


def _sitemap(client: TestClient, at: str = "/sitemap.xml") -> list[tuple[str, str | None]]:
    """(loc, lastmod) of each URL, checked against the sitemap protocol as they are read."""
    response = client.get(at)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    urls = []
    for url in root:
        assert url.tag == f"{SITEMAP}url"
        children = [child.tag.removeprefix(SITEMAP) for child in url]
        assert children in (["loc"], ["loc", "lastmod"]), children
        loc = url.findtext(f"{SITEMAP}loc") or ""
        assert len(loc) < 2048
        assert urlsplit(loc).scheme in ("http", "https")
        lastmod = url.findtext(f"{SITEMAP}lastmod")
        if lastmod is not None:
            # W3C Datetime with its time zone.
            assert datetime.fromisoformat(lastmod).tzinfo is not None
        urls.append((loc, lastmod))
    assert 0 < len(urls) <= 50_000
    return urls


def test_the_sitemap_lists_every_page_and_each_answers(each_db_api: TestClient) -> None:
    urls = _sitemap(each_db_api)
    events = [e["slug"] for e in all_pages(each_db_api, "/api/v1/events?related=true&limit=500")]
    expected = [f"http://testserver{path}" for path, _ in PAGES]
    expected += [f"http://testserver/events/{slug}" for slug in events]
    assert [loc for loc, _ in urls] == expected
    # Every event was loaded at some version: each event page says when it last changed.
    assert all(lastmod for _, lastmod in urls)
    for loc, _ in urls:
        response = each_db_api.get(loc, headers={"Accept": "text/html"})
        assert response.status_code == 200, loc
        assert response.headers["content-type"] == HTML


def test_the_sitemap_and_robots_use_the_public_url(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "public_url", PUBLIC + "/")
    assert all(loc.startswith(f"{PUBLIC}/") for loc, _ in _sitemap(sqlite_api))
    robots = sqlite_api.get("/robots.txt")
    assert robots.headers["content-type"] == "text/plain; charset=utf-8"
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots.text.splitlines()
    assert "host" not in robots.headers.get("vary", "").lower()


def _crawl(client: TestClient, start: str) -> dict[str, str]:
    """Every HTML page of the site reachable by links from `start`, as a crawler reads them:
    the path (and query) of each, with its body."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.status_code == 200, url
        if not response.headers["content-type"].startswith("text/html"):
            continue
        seen[url] = response.text
        page = _Page()
        page.feed(response.text)
        for href, _ in page.links:
            parts = urlsplit(unescape(href))
            if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
                continue
            # The pages: not the API, GraphiQL or Swagger UI, which a crawler leaves aside.
            if parts.path.startswith(("/api/", "/graphql", "/docs", "/openapi")):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def test_a_crawler_from_the_landing_page_reaches_every_event_page(
    each_db_api: TestClient,
) -> None:
    reached = _crawl(each_db_api, "/")
    events = {e["slug"] for e in all_pages(each_db_api, "/api/v1/events?related=true")}
    pages = {m.group(1) for url in reached if (m := EVENT_PAGE.match(url))}
    assert pages == events
    # ...and reads each event's JSON-LD there.
    for slug in events:
        assert '<script type="application/ld+json">' in reached[f"/events/{slug}"]


def test_past_the_protocol_s_limit_the_sitemap_is_an_index_of_parts(
    sqlite_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _sitemap(sqlite_api)
    monkeypatch.setattr(site, "SITEMAP_URLS", 4)
    # The whole sitemap was kept for this data version: the smaller files are made anew.
    assert response_store is not None
    response_store.clear()
    index = ET.fromstring(sqlite_api.get("/sitemap.xml").content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [entry.findtext(f"{SITEMAP}loc") or "" for entry in index]
    assert parts == [f"http://testserver/sitemap.xml?part={n}" for n in (1, 2, 3)]
    found = []
    for part in parts:
        urls = _sitemap(sqlite_api, part)
        assert len(urls) <= 4
        found += urls
    assert found == whole
    assert sqlite_api.get("/sitemap.xml?part=4").status_code == 404
    assert sqlite_api.get("/sitemap.xml?part=0").json()["parameter"] == "part"
