"""What calendar apps, spreadsheets and linked-data crawlers get from the event feeds."""

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import Any

import icalendar
import ics
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from httpx2 import Response
from pyld import jsonld
from sqlmodel import col

from app.models import Event
from app.models.enums import DatePrecision
from app.rest.formats import events_csv
from app.schemas.events import EventSummary
from app.schemas.jsonld import EventJsonLd
from tests.rest import counting_queries, slugs

ClientFor = Callable[[sa.Engine], TestClient]
SCHEMA = "https://schema.org/"
QUOTED_TITLE = (
    "Regional Training on “Migration Management and Capacity Building on Irregular Migration”"
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?related=true", "/api/v1/events?related=true"),
        ("?participant=KAZ&year=2015", "/api/v1/events?participant=KAZ&year=2015"),
        ("?year=1999", None),
    ],
)
def test_two_independent_parsers_read_the_calendar(
    sqlite_api: TestClient, query: str, expected: str | None
) -> None:
    text = sqlite_api.get(f"/api/v1/events.ics{query}").content.decode("utf-8")
    uids = (
        {f"{slug}@almaty-process.api" for slug in slugs(sqlite_api.get(expected))}
        if expected
        else set()
    )

    by_icalendar = icalendar.Calendar.from_ical(text)
    assert {str(e["uid"]) for e in by_icalendar.walk("VEVENT")} == uids
    by_ics = ics.Calendar(text)
    assert {e.uid for e in by_ics.events} == uids
    # RFC 5545 wants at least one component, with or without events.
    assert by_icalendar.subcomponents


def test_an_empty_calendar_holds_a_component_clients_ignore(sqlite_api: TestClient) -> None:
    calendar = icalendar.Calendar.from_ical(sqlite_api.get("/api/v1/events.ics?year=1999").content)

    assert [c.name for c in calendar.subcomponents] == ["X-ALMATY-NO-EVENTS"]
    assert calendar.walk("VEVENT") == []


def test_the_calendar_tells_subscribers_when_to_refresh(sqlite_api: TestClient) -> None:
    text = sqlite_api.get("/api/v1/events.ics?year=1999").content.decode("utf-8")

    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:P1D\r\n" in text
    assert "\r\nX-PUBLISHED-TTL:P1D\r\n" in text


def test_bom_true_gives_excel_a_byte_order_mark(sqlite_api: TestClient) -> None:
    plain = sqlite_api.get("/api/v1/events.csv?year=2015").content
    for_excel = sqlite_api.get("/api/v1/events.csv?year=2015&bom=true")

    assert for_excel.status_code == 200
    assert for_excel.content == b"\xef\xbb\xbf" + plain
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert sqlite_api.get("/api/v1/events.csv?year=2015&bom=false").content == plain


def test_an_invalid_bom_is_a_400_problem(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/api/v1/events.csv?bom=maybe")

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == "bom"


def test_bom_is_a_documented_parameter_of_the_csv_only(sqlite_api: TestClient) -> None:
    paths = sqlite_api.get("/openapi.json").json()["paths"]

    assert "bom" in {p["name"] for p in paths["/api/v1/events.csv"]["get"]["parameters"]}
    assert "bom" not in {p["name"] for p in paths["/api/v1/events.ics"]["get"]["parameters"]}
    assert sqlite_api.get("/api/v1/events.ics?bom=true").status_code == 400


def _rows(response: Response) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return {row["slug"]: row for row in rows}


def test_a_formula_in_the_data_is_text_in_the_csv(
    sqlite_seeded_engine: sa.Engine, client_for: ClientFor
) -> None:
    with sqlite_seeded_engine.begin() as connection:
        connection.execute(
            sa.update(Event)
            .where(col(Event.slug) == "second-som-2015")
            .values(title='=HYPERLINK("http://example.com","click")', city="@SUM(A1)")
        )
    client = client_for(sqlite_seeded_engine)

    for query in ("", "?bom=true"):
        rows = _rows(client.get(f"/api/v1/events.csv{query}"))
        formula = rows["second-som-2015"]
        assert formula["title"] == '\'=HYPERLINK("http://example.com","click")'
        assert formula["city"] == "'@SUM(A1)"
        normal = rows["regional-training-irregular-migration-2015"]
        assert normal["title"] == QUOTED_TITLE
        assert normal["city"] == "Almaty"
        assert rows["regional-forum-emergency-preparedness-2015"]["participant_count"] == "40"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_each_formula_start_is_neutralised(start: str) -> None:
    event = EventSummary(
        slug="e",
        title=f"{start}1+1",
        kind="meeting",
        status="held",
        start_date="2015",
        end_date="2015",
        start_on=date(2015, 1, 1),
        start_date_precision=DatePrecision.year,
        end_on=date(2015, 12, 31),
        end_date_precision=DatePrecision.year,
        city="A-town",
        country=None,
        participant_count=None,
        related=False,
    )

    body = events_csv([(event, None)], event_url="https://x/{slug}").decode("utf-8")
    [row] = csv.DictReader(io.StringIO(body))

    assert row["title"] == f"'{start}1+1"
    # Only a cell's first character counts.
    assert row["city"] == "A-town"


def _expanded(sqlite_api: TestClient, slug: str) -> dict[str, Any]:
    response = sqlite_api.get(f"/api/v1/events/{slug}", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    [event] = jsonld.expand(response.json())
    return dict(event)


def test_json_ld_names_the_attendees(sqlite_api: TestClient) -> None:
    detail = sqlite_api.get("/api/v1/events/second-som-2015").json()
    event = _expanded(sqlite_api, "second-som-2015")

    attendees = event[f"{SCHEMA}attendee"]
    types = {a["@type"][0] for a in attendees}
    assert f"{SCHEMA}GovernmentOrganization" in types
    names = {a[f"{SCHEMA}name"][0]["@value"] for a in attendees}
    states = {p["state"]["name"] for p in detail["participants"] if p["state"]}
    assert "China" in states
    assert states <= names
    china = next(a for a in attendees if a[f"{SCHEMA}name"][0]["@value"] == "China")
    [country] = china[f"{SCHEMA}areaServed"]
    assert country["@type"] == [f"{SCHEMA}Country"]
    # Each actor once, however many roles it had.
    assert len({a.get("@id", id(a)) for a in attendees}) == len(attendees)


def test_json_ld_gives_the_host_country_as_its_alpha_2_code(sqlite_api: TestClient) -> None:
    event = _expanded(sqlite_api, "regional-forum-emergency-preparedness-2015")

    [place] = event[f"{SCHEMA}location"]
    [address] = place[f"{SCHEMA}address"]
    assert address[f"{SCHEMA}addressCountry"] == [{"@value": "TM"}]
    assert event[f"{SCHEMA}eventStatus"] == [{"@id": f"{SCHEMA}EventScheduled"}]


def test_json_ld_leaves_out_a_funder_it_does_not_have(sqlite_api: TestClient) -> None:
    unfunded = [
        slug
        for slug in slugs(sqlite_api.get("/api/v1/events?limit=100"))
        if not sqlite_api.get(f"/api/v1/events/{slug}").json()["funders"]
    ]
    assert unfunded
    response = sqlite_api.get(
        f"/api/v1/events/{unfunded[0]}", headers={"Accept": "application/ld+json"}
    )

    assert "funder" not in response.json()
    assert all(value != [] for value in response.json().values())


def test_json_ld_costs_one_query_more_than_json(
    sqlite_shared_engine: sa.Engine, client_for: ClientFor
) -> None:
    client = client_for(sqlite_shared_engine)
    url = "/api/v1/events/second-som-2015"
    with counting_queries(sqlite_shared_engine) as as_json:
        client.get(url)
    with counting_queries(sqlite_shared_engine) as as_jsonld:
        client.get(url, headers={"Accept": "application/ld+json"})

    # The host country's alpha-2 code, read by its primary key.
    assert as_jsonld.count == as_json.count + 1


def test_every_event_s_json_ld_is_the_documented_shape(sqlite_api: TestClient) -> None:
    slugs = [item["slug"] for item in sqlite_api.get("/api/v1/events?related=true").json()["items"]]
    assert slugs
    for slug in slugs:
        linked = sqlite_api.get(f"/api/v1/events/{slug}.jsonld")
        negotiated = sqlite_api.get(
            f"/api/v1/events/{slug}", headers={"Accept": "application/ld+json"}
        )
        assert linked.headers["content-type"] == "application/ld+json"
        assert linked.content == negotiated.content
        # extra="forbid": a key the builder writes and the document does not name fails here.
        document = EventJsonLd.model_validate(linked.json())
        assert document.identifier == slug
