"""GET /api/v1/events and /events/{slug}: filters, order, pages, detail, and the JSON-LD view."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyld import jsonld

from tests.rest import all_pages, slugs

PROCESS_EVENTS = [
    "first-regional-conference-2011",
    "national-coordinators-meeting-2012",
    "ministerial-conference-2013",
    "first-som-2014",
    "regional-training-irregular-migration-2015",
    "regional-forum-emergency-preparedness-2015",
    "regional-training-drr-mcof-2015",
    "second-som-2015",
]
SUMMIT = "world-humanitarian-summit-2016"
IOM_ACTIVITIES = {
    "regional-training-irregular-migration-2015",
    "regional-forum-emergency-preparedness-2015",
    "regional-training-drr-mcof-2015",
}


def test_the_list_is_a_page_of_the_process_events_in_date_order(each_db_api: TestClient) -> None:
    response = each_db_api.get("/api/v1/events")

    body = response.json()
    assert [item["slug"] for item in body["items"]] == PROCESS_EVENTS
    assert body["total"] == len(PROCESS_EVENTS)
    assert body["next_cursor"] is None
    first = body["items"][0]
    assert first == {
        "slug": "first-regional-conference-2011",
        "title": "First Regional Ministerial Conference on Refugee Protection and International "
        "Migration",
        "kind": "ministerial_conference",
        "status": "held",
        "start_date": "2011-03-15",
        "end_date": "2011-03-16",
        "start_on": "2011-03-15",
        "start_date_precision": "day",
        "end_on": "2011-03-16",
        "end_date_precision": "day",
        "city": "Almaty",
        "country": {"code": "KAZ", "name": "Kazakhstan"},
        "participant_count": {"value": 120, "qualifier": "more_than", "counts": "participants"},
        "related": False,
    }


def test_related_adds_the_events_only_referred_to(each_db_api: TestClient) -> None:
    found = slugs(each_db_api.get("/api/v1/events?related=true"))
    assert found == [*PROCESS_EVENTS, SUMMIT]
    assert each_db_api.get("/api/v1/events?related=true").json()["items"][-1]["related"] is True


FILTERS: dict[str, list[str]] = {
    "year=2015": [e for e in PROCESS_EVENTS if "2015" in e],
    "year=2016&related=true": [SUMMIT],
    # Overlap: the training of 30 March - 1 April matches a range that starts on 1 April.
    "date_from=2015-04-01&date_to=2015-06-17": [
        "regional-training-irregular-migration-2015",
        "regional-forum-emergency-preparedness-2015",
    ],
    "date_from=2015-09-16": ["second-som-2015"],
    "date_to=2012-09-07": PROCESS_EVENTS[:2],
    "city=ASTANA": ["second-som-2015"],
    "city=ashgabat": ["regional-forum-emergency-preparedness-2015"],
    "country=TKM": ["regional-forum-emergency-preparedness-2015"],
    "country=kaz": [e for e in PROCESS_EVENTS if e != "regional-forum-emergency-preparedness-2015"],
    "kind=senior_officials_meeting": ["first-som-2014", "second-som-2015"],
    "kind=summit&related=true": [SUMMIT],
    "participant=CHN": ["second-som-2015"],
    "participant=birzhan-nurymbetov": ["second-som-2015"],
    "organizer=TKM": ["regional-forum-emergency-preparedness-2015"],
    # An organisation matches through its units: the Committee of Emergencies is under the ministry.
    "organizer=kaz-ministry-of-internal-affairs": ["regional-training-drr-mcof-2015"],
    "funder=eu": ["first-regional-conference-2011"],
    "funder=prm": ["first-regional-conference-2011", *sorted(IOM_ACTIVITIES)],
    "q=thematic areas": ["first-som-2014"],
    # A word found only in a theme's summary.
    "q=remittances": ["regional-training-irregular-migration-2015", "second-som-2015"],
    # An alias is searched as the title is: the summit's acronym.
    "q=WHS&related=true": [SUMMIT],
    "status=planned&related=true": [SUMMIT],
    "status=planned": [],
    "process_relation=supporting_activity": [
        "regional-training-irregular-migration-2015",
        "regional-forum-emergency-preparedness-2015",
        "regional-training-drr-mcof-2015",
    ],
    "q=LABOUR MOBILITY": ["second-som-2015"],
    "q=no-such-word-anywhere": [],
    "participant=no-such-organization": [],
    # Each actor filter is its own condition: all three together narrow, they do not clash.
    "participant=TKM&organizer=iom&funder=prm": [
        "first-regional-conference-2011",
        "regional-training-irregular-migration-2015",
        "regional-forum-emergency-preparedness-2015",
    ],
    # An empty range matches nothing (no event overlaps it).
    "date_from=2015-06-01&date_to=2015-01-01": [],
    "year=2015&kind=training&organizer=iom": [
        "regional-training-irregular-migration-2015",
        "regional-training-drr-mcof-2015",
    ],
}


@pytest.mark.parametrize("query", FILTERS)
def test_each_filter(each_db_api: TestClient, query: str) -> None:
    found = slugs(each_db_api.get(f"/api/v1/events?{query}"))
    expected = FILTERS[query]
    assert sorted(found) == sorted(expected)
    assert each_db_api.get(f"/api/v1/events?{query}").json()["total"] == len(expected)


def test_an_organization_filter_includes_its_units(each_db_api: TestClient) -> None:
    iom = set(slugs(each_db_api.get("/api/v1/events?organizer=iom")))
    office = set(
        slugs(each_db_api.get("/api/v1/events?organizer=iom-sub-regional-office-central-asia"))
    )
    assert office == IOM_ACTIVITIES
    assert iom >= office | {"first-regional-conference-2011"}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("start_date", PROCESS_EVENTS),
        ("-start_date", PROCESS_EVENTS[::-1]),
    ],
)
def test_sort_by_date(each_db_api: TestClient, sort: str, expected: list[str]) -> None:
    assert slugs(each_db_api.get(f"/api/v1/events?sort={sort}")) == expected


def test_sort_by_title(each_db_api: TestClient) -> None:
    items = each_db_api.get("/api/v1/events?sort=title").json()["items"]
    titles = [item["title"] for item in items]
    assert sorted(titles) == sorted(titles, key=str)
    assert len(titles) == len(PROCESS_EVENTS)


@pytest.mark.parametrize("sort", ["start_date", "-start_date", "title"])
@pytest.mark.parametrize("limit", [1, 3, 5])
def test_pages_cover_the_list_once_in_order(each_db_api: TestClient, sort: str, limit: int) -> None:
    whole = slugs(each_db_api.get(f"/api/v1/events?sort={sort}&related=true"))
    paged = all_pages(each_db_api, f"/api/v1/events?sort={sort}&related=true&limit={limit}")
    assert [item["slug"] for item in paged] == whole


def test_a_page_reports_the_total_and_links_to_the_next(each_db_api: TestClient) -> None:
    response = each_db_api.get("/api/v1/events?limit=3&kind=training")
    body = response.json()
    assert body["total"] == 2
    assert len(body["items"]) == 2
    response = each_db_api.get("/api/v1/events?limit=2")
    assert response.json()["total"] == len(PROCESS_EVENTS)
    # Relative (RFC 8288): resolved against the request's URL, never built from its Host.
    assert response.headers["link"].startswith("</api/v1/events?limit=2&cursor=")


def test_a_cursor_only_fits_the_order_it_was_issued_for(sqlite_api: TestClient) -> None:
    cursor = sqlite_api.get("/api/v1/events?limit=2").json()["next_cursor"]
    response = sqlite_api.get(f"/api/v1/events?limit=2&sort=title&cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["parameter"] == "cursor"


def _participants(detail: dict[str, Any], role: str) -> set[str]:
    return {
        (p["state"] or {}).get("code")
        or (p["organization"] or {}).get("slug")
        or p["person"]["slug"]
        for p in detail["participants"]
        if p["role"] == role
    }


def test_an_event_in_full(each_db_api: TestClient) -> None:
    detail = each_db_api.get("/api/v1/events/second-som-2015").json()

    assert detail["title"].startswith("Second Senior Officials Meeting")
    assert (detail["start_date"], detail["city"], detail["country"]["code"]) == (
        "2015-09-22",
        "Astana",
        "KAZ",
    )
    assert _participants(detail, "guest_state") == {"CHN", "RUS", "USA"}
    assert _participants(detail, "observer_state") == {"IRN", "PAK"}
    assert {p["state"]["code"] for p in detail["organizers"] if p["state"]} == {"KAZ"}
    project = detail["project"]
    assert (project["slug"], project["title"]) == (
        "addressing-mixed-migration-flows-central-asia",
        "Addressing Mixed Migration Flows through Capacity Building in Central Asia",
    )
    # The project's funders, and the honest doubt about one of them.
    funders = {
        (f["state"] or {}).get("code") or f["organization"]["slug"]: f for f in project["funders"]
    }
    assert set(funders) == {"prm", "KAZ"}
    assert "Senior Officials Meeting" in funders["KAZ"]["claims"]["role"][0]["note"]
    [title] = project["claims"]["title"]
    assert title["value"] == project["title"]
    assert title["sources"]
    assert detail["attendance"] == (
        "National Coordinators and Senior Officials from Almaty Process Member States"
    )
    assert detail["process_relation"] == "key_event"
    assert [theme["number"] for theme in detail["themes"]] == [1, 2, 3, 4, 5, 6]
    assert any(
        outcome["relation"] == "presented_at"
        and outcome["document"]["slug"] == "mapping-irregular-migration-central-asia-2014"
        for outcome in detail["outcomes"]
    )
    # Every fact and every relation carries its passage, with offsets into the source text
    # (the organizer role is cited from slide 6, the Chair's record; the project from slide 7).
    text = each_db_api.get("/api/v1/sources/almaty-process").json()["text"]
    cited = [detail, *detail["participants"], *detail["outcomes"], *detail["themes"]]
    for entry in cited:
        assert entry["sources"], entry
        for source in entry["sources"]:
            assert text[source["start"] : source["end"]] == source["quote"]
            assert source["slide"] in {5, 6, 7}
    # Each field shows its preferred claim; each claim cites the passages that state it.
    claims = detail["claims"]
    shown = {
        "title": detail["title"],
        "start_date": detail["start_date"],
        "city": detail["city"],
        "country": detail["country"]["code"],
        "kind": detail["kind"],
        "status": detail["status"],
    }
    for field, value in shown.items():
        preferred = [c for c in claims[field] if c["rank"] == "preferred"]
        assert [c["value"] for c in preferred] == [value], field
    for entry in [detail, *detail["participants"], *detail["outcomes"]]:
        for field_claims in entry["claims"].values():
            for claim in field_claims:
                assert claim["sources"], claim
                for source in claim["sources"]:
                    assert text[source["start"] : source["end"]] == source["quote"]
    assert "22 September 2015" in claims["start_date"][0]["sources"][0]["quote"]
    # A relation's role is a claim too: the passage names both the role and the party.
    [speaker] = [p for p in detail["participants"] if p["role"] == "speaker" and p["state"]]
    assert speaker["claims"]["role"][0]["basis"] == "interpretation"
    assert speaker["claims"]["role"][0]["note"]


def test_funders_of_an_event(each_db_api: TestClient) -> None:
    detail = each_db_api.get("/api/v1/events/first-regional-conference-2011").json()
    funders = {
        (f["organization"] or {}).get("slug") or f["state"]["code"] for f in detail["funders"]
    }
    assert funders == {"eu", "prm", "iom", "unhcr"}
    assert all(f["role"] == "funder" for f in detail["funders"])


def test_an_unknown_event_is_a_404_problem(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/api/v1/events/no-such-event")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "no event 'no-such-event'"


def test_json_ld_is_a_schema_org_event_that_expands(sqlite_api: TestClient) -> None:
    response = sqlite_api.get(
        "/api/v1/events/regional-training-drr-mcof-2015", headers={"Accept": "application/ld+json"}
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    assert "Accept" in response.headers["vary"]
    [event] = jsonld.expand(response.json())
    schema = "https://schema.org/"
    assert event["@type"] == [f"{schema}Event"]
    assert event[f"{schema}startDate"][0]["@value"] == "2015-09-14"
    assert event[f"{schema}endDate"][0]["@value"] == "2015-09-15"
    [place] = event[f"{schema}location"]
    assert place["@type"] == [f"{schema}Place"]
    [address] = place[f"{schema}address"]
    assert address[f"{schema}addressLocality"][0]["@value"] == "Almaty"
    # schema.org asks for the ISO 3166-1 alpha-2 code.
    assert address[f"{schema}addressCountry"] == [{"@value": "KZ"}]
    attendees = {a[f"{schema}name"][0]["@value"]: a["@type"] for a in event[f"{schema}attendee"]}
    assert attendees["Kyrgyzstan"] == [f"{schema}GovernmentOrganization"]
    assert attendees["United Nations Development Programme"] == [f"{schema}Organization"]
    organizers = {o[f"{schema}name"][0]["@value"] for o in event[f"{schema}organizer"]}
    assert "International Organization for Migration" in organizers
    funders = {o[f"{schema}name"][0]["@value"] for o in event[f"{schema}funder"]}
    assert funders == {"Bureau of Population, Refugees, and Migration"}
    assert event[f"{schema}eventStatus"] == [{"@id": f"{schema}EventScheduled"}]
    works = {w["@id"] for w in event[f"{schema}workFeatured"]}
    assert works == {"http://testserver/api/v1/documents/mcof"}


def test_plain_json_is_the_default(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/api/v1/events/second-som-2015", headers={"Accept": "*/*"})
    assert response.headers["content-type"] == "application/json"


def test_organization_keys_ignore_case(each_db_api: TestClient) -> None:
    assert slugs(each_db_api.get("/api/v1/events?organizer=IOM")) == slugs(
        each_db_api.get("/api/v1/events?organizer=iom")
    )
