"""An event as a page for people and crawlers: facts, participants, documents, passages, JSON-LD."""

import html
import json
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from pyld import jsonld

from app.rest.pages import script_json

SCHEMA = "https://schema.org/"
EVENT = "regional-forum-emergency-preparedness-2015"


class _Page(HTMLParser):
    """The page's title, links, scripts by type, and the text of its blockquotes."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.quotes: list[str] = []
        self._open: str | None = None
        self._type = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a":
            self.links.append(found.get("href") or "")
        if tag in ("script", "blockquote"):
            self._open, self._type = tag, found.get("type") or ""
            if tag == "script":
                self.scripts.append((self._type, ""))
            else:
                self.quotes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "script":
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)
        elif self._open == "blockquote":
            self.quotes[-1] += data


def _page(sqlite_api: TestClient, slug: str = EVENT) -> tuple[_Page, str]:
    response = sqlite_api.get(f"/events/{slug}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = _Page()
    page.feed(response.text)
    return page, response.text


def test_the_page_shows_the_event_with_each_passage(sqlite_api: TestClient) -> None:
    page, text = _page(sqlite_api)
    detail = sqlite_api.get(f"/api/v1/events/{EVENT}").json()
    assert f"<h1>{detail['title']}</h1>" in text
    for participant in detail["participants"]:
        name = (participant["organization"] or participant["state"] or {}).get("name")
        assert name
        assert name in text
    # Every passage the JSON cites for the event is quoted on the page, word for word.
    assert len(page.quotes) >= len(detail["sources"])
    shown = " ".join(html.unescape(text).split())
    for source in detail["sources"]:
        assert " ".join(source["quote"].split()) in shown
    assert any(link.endswith(f"/api/v1/events/{EVENT}") for link in page.links)


def test_the_page_embeds_the_schema_org_event_and_no_other_script(sqlite_api: TestClient) -> None:
    page, _ = _page(sqlite_api)
    [(kind, data)] = page.scripts
    assert kind == "application/ld+json"
    [event] = jsonld.expand(json.loads(data))
    assert event["@type"] == [f"{SCHEMA}Event"]
    assert event[f"{SCHEMA}attendee"]
    assert event[f"{SCHEMA}eventStatus"] == [{"@id": f"{SCHEMA}EventScheduled"}]
    [place] = event[f"{SCHEMA}location"]
    [address] = place[f"{SCHEMA}address"]
    assert address[f"{SCHEMA}addressCountry"][0]["@value"] == "TM"


def test_json_in_the_page_cannot_end_or_hide_its_script_element() -> None:
    hostile = {"name": "x <!--<script> </script><h1>&amp;"}
    embedded = script_json(hostile)
    assert not {"<", ">", "&"} & set(embedded)
    assert json.loads(embedded) == hostile


def test_the_page_names_itself_as_the_event_s_url(sqlite_api: TestClient) -> None:
    page, text = _page(sqlite_api)
    [(_, data)] = page.scripts
    assert json.loads(data)["url"].endswith(f"/events/{EVENT}")
    assert "/api/v1/" not in json.loads(data)["url"]
    assert f'<link rel=canonical href="http://testserver/events/{EVENT}">' in text


def test_an_unknown_event_page_is_a_404(sqlite_api: TestClient) -> None:
    assert sqlite_api.get("/events/no-such-event").status_code == 404


def test_the_calendar_links_each_event_to_its_page(sqlite_api: TestClient) -> None:
    calendar = sqlite_api.get("/api/v1/events.ics").text
    assert f"/events/{EVENT}" in calendar
    assert f"/api/v1/events/{EVENT}" not in calendar
