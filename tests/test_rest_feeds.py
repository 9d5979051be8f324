"""The calendar feed, the CSV export and the facet counts take the /events filters."""

import csv
import io
from datetime import date

import icalendar
from fastapi.testclient import TestClient

from tests.rest import slugs


def _calendar(sqlite_api: TestClient, query: str = "") -> icalendar.Calendar:
    response = sqlite_api.get(f"/api/v1/events.ics{query}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_calendar_has_one_all_day_event_per_event(sqlite_api: TestClient) -> None:
    calendar = _calendar(sqlite_api, "?related=true")
    entries = {str(e["uid"]): e for e in calendar.walk("VEVENT")}

    assert set(entries) == {
        f"{slug}@almaty-process.api"
        for slug in slugs(sqlite_api.get("/api/v1/events?related=true"))
    }
    training = entries["regional-training-irregular-migration-2015@almaty-process.api"]
    # All-day: DTSTART and DTEND are dates, and DTEND is the day after the last day.
    assert training.decoded("dtstart") == date(2015, 3, 30)
    assert training.decoded("dtend") == date(2015, 4, 2)
    assert str(training["location"]) == "Almaty, Kazakhstan"
    # A person opens the link: the event's page, not its JSON.
    assert str(training["url"]).endswith("/events/regional-training-irregular-migration-2015")
    assert "/api/v1/" not in str(training["url"])
    assert str(training["description"]).startswith("The objectives of the training")
    summit = entries["world-humanitarian-summit-2016@almaty-process.api"]
    assert str(summit["location"]) == "Istanbul"
    # The source announces the summit ("to be held"): a calendar shows it as tentative.
    assert str(summit["status"]) == "TENTATIVE"
    assert str(training["status"]) == "CONFIRMED"


def test_a_calendar_of_one_participant(each_db_api: TestClient) -> None:
    calendar = _calendar(each_db_api, "?participant=CHN")
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [
        each_db_api.get("/api/v1/events/second-som-2015").json()["title"]
    ]


def test_the_calendar_is_the_same_bytes_for_the_same_data(sqlite_api: TestClient) -> None:
    first = sqlite_api.get("/api/v1/events.ics")
    second = sqlite_api.get("/api/v1/events.ics")
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]


def test_the_csv_export(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/api/v1/events.csv?year=2015")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))

    assert [row["slug"] for row in rows] == slugs(sqlite_api.get("/api/v1/events?year=2015"))
    forum = next(r for r in rows if r["slug"] == "regional-forum-emergency-preparedness-2015")
    assert forum["city"] == "Ashgabat"
    assert forum["country_code"] == "TKM"
    assert (forum["participant_count"], forum["participant_count_qualifier"]) == ("40", "exact")


def test_facets_count_the_matching_events(each_db_api: TestClient) -> None:
    facets = each_db_api.get("/api/v1/facets/events").json()
    assert facets["total"] == 8
    assert {f["value"]: f["count"] for f in facets["year"]} == {
        2011: 1,
        2012: 1,
        2013: 1,
        2014: 1,
        2015: 4,
    }
    assert {f["value"]: f["count"] for f in facets["country"]} == {"KAZ": 7, "TKM": 1}
    kinds = {f["value"]: f["count"] for f in facets["kind"]}
    assert kinds["training"] == 2
    assert sum(kinds.values()) == 8
    organizations = {f["value"]: f["count"] for f in facets["organization"]}
    assert organizations["iom"] >= 5


def test_facets_take_the_event_filters(each_db_api: TestClient) -> None:
    facets = each_db_api.get("/api/v1/facets/events?country=TKM").json()
    assert facets["total"] == 1
    assert facets["year"] == [{"value": 2015, "label": "2015", "count": 1}]
    assert facets["country"] == [
        {
            "value": "TKM",
            "label": "Turkmenistan",
            "state": {"code": "TKM", "name": "Turkmenistan"},
            "count": 1,
        }
    ]
    with_summit = each_db_api.get("/api/v1/facets/events?related=true").json()
    assert with_summit["total"] == 9
