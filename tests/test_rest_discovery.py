"""Search across entities, and following changes between loads of the data."""

from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.seed.loader import load_seed
from tests.seed_edits import Data, edit_yaml, record
from tests.test_operations import ClientFor


def test_search_ranks_names_above_text(each_db_api: TestClient) -> None:
    hits = each_db_api.get("/api/v1/search?q=Almaty Declaration").json()["items"]
    assert hits[0] == {
        "type": "document",
        "id": "almaty-declaration",
        "title": "Almaty Declaration",
        "snippet": None,
        "score": 100.0,
        "url": "/api/v1/documents/almaty-declaration",
    }
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)


def test_search_finds_every_kind(each_db_api: TestClient) -> None:
    def types(q: str) -> set[str]:
        return {hit["type"] for hit in each_db_api.get(f"/api/v1/search?q={q}").json()["items"]}

    assert "state" in types("Kyrgyz")  # the official name, "Kyrgyz Republic"
    assert "organization" in types("UNHCR")
    assert "person" in types("Nurymbetov")
    assert "process" in types("Bali")
    assert "project" in types("Capacity Building")
    assert "event" in types("Ashgabat") or "event" in types("Emergency Preparedness")


def test_a_text_match_ranks_low_and_comes_with_a_snippet(each_db_api: TestClient) -> None:
    hits = each_db_api.get("/api/v1/search?q=four areas").json()["items"]
    framework = next(hit for hit in hits if hit["id"] == "regional-cooperation-framework")
    assert framework["score"] == 10.0
    assert "four areas" in framework["snippet"]
    # A match in an event's themes finds the event too.
    themed = each_db_api.get("/api/v1/search?q=remittances").json()["items"]
    assert "second-som-2015" in {hit["id"] for hit in themed}
    # An alias finds its record: the document's spelling of a renamed state, an acronym.
    turkey = each_db_api.get("/api/v1/search?q=Turkey").json()["items"]
    assert ("state", "TUR") in {(hit["type"], hit["id"]) for hit in turkey}
    whs = each_db_api.get("/api/v1/search?q=WHS").json()["items"]
    assert ("event", "world-humanitarian-summit-2016") in {(h["type"], h["id"]) for h in whs}
    # Aliases are stored as JSON strings: their quotes are not part of any name.
    assert each_db_api.get("/api/v1/search", params={"q": '"'}).json()["items"] == []
    assert (
        each_db_api.get("/api/v1/events", params={"q": '"', "related": "true"}).json()["items"]
        == []
    )
    ocha = each_db_api.get("/api/v1/organizations?q=UNOCHA").json()["items"]
    assert [o["slug"] for o in ocha] == ["unocha"]


def test_search_pages(each_db_api: TestClient) -> None:
    whole = each_db_api.get("/api/v1/search?q=migration&limit=500").json()
    first = each_db_api.get("/api/v1/search?q=migration&limit=3").json()
    assert first["total"] == whole["total"] > 3
    second = each_db_api.get(
        f"/api/v1/search?q=migration&limit=3&cursor={first['next_cursor']}"
    ).json()
    assert first["items"] + second["items"] == whole["items"][:6]


def test_changes_since_the_beginning_list_everything_as_added(each_db_api: TestClient) -> None:
    body = each_db_api.get("/api/v1/changes?since=2000-01-01T00:00:00Z").json()
    assert {c["action"] for c in body["items"]} == {"added"}
    assert ("event", "second-som-2015") in {(c["entity"], c["key"]) for c in body["items"]}
    current = each_db_api.get("/api/v1/process").headers["x-data-version"]
    assert body["current_version"] == current
    assert each_db_api.get(f"/api/v1/changes?since={current}").json()["items"] == []
    assert each_db_api.get(f"/api/v1/changes?since={current[:12]}").json()["items"] == []


def test_changes_after_a_reload(
    seeded_engine: sa.Engine, seed_copy: Path, client_for: ClientFor
) -> None:
    client = client_for(seeded_engine)
    before = client.get("/api/v1/events").headers["x-data-version"]

    def retitle(data: Data) -> None:
        record(data, "events", "first-som-2014")["title"] = "First Senior Officials Meeting"

    edit_yaml(seed_copy, "events.yaml", retitle)
    load_seed(seeded_engine, seed_copy)

    body = client.get(f"/api/v1/changes?since={before}").json()
    assert body["current_version"] != before
    rows = [(c["entity"], c["key"], c["action"], c["url"]) for c in body["items"]]
    assert ("event", "first-som-2014", "changed", "/api/v1/events/first-som-2014") in rows
    # The title is a claim: its old value is removed and the new one added, each saying which
    # record and field it is about.
    claims = {
        (c["action"], c["subject"], c["field"], c["url"])
        for c in body["items"]
        if c["entity"] == "claim"
    }
    assert claims == {
        (action, "event/first-som-2014", "title", "/api/v1/events/first-som-2014")
        for action in ("added", "removed")
    }
    # The rest is the citations of the two claims: nothing else changed.
    assert {c["entity"] for c in body["items"]} == {"event", "claim", "citation"}
    assert client.get("/api/v1/events").headers["x-data-version"] == body["current_version"]


def test_changes_refuse_what_is_not_a_version_or_a_time(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/api/v1/changes?since=not-a-version")
    assert response.status_code == 400
    assert response.json()["parameter"] == "since"
    unknown = sqlite_api.get("/api/v1/changes?since=0123456789abcdef")
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "no data version '0123456789abcdef'"


def test_filters_fold_case_beyond_ascii_and_dates_keep_their_precision(
    seeded_engine: sa.Engine, seed_copy: Path, client_for: ClientFor
) -> None:
    def add_event(data: Data) -> None:
        data["events"].append(
            {
                "slug": "september-meeting-2015",
                "title": "Совещание",
                "kind": "meeting",
                "status": "held",
                "start": "2015-09",
                "city": "Алматы",
                "process": "almaty-process",
                "process_relation": "key_event",
                "sources": ["The current chair is the Republic of Kazakhstan."],
                # Made up for the test: no passage states these values, so each is marked.
                "interpreted": dict.fromkeys(
                    (
                        "title",
                        "kind",
                        "status",
                        "start",
                        "end",
                        "city",
                        "process",
                        "process_relation",
                    ),
                    "a test's invention",
                ),
            }
        )

    edit_yaml(seed_copy, "events.yaml", add_event)
    load_seed(seeded_engine, seed_copy)
    client = client_for(seeded_engine)

    def found(query: str) -> set[str]:
        return {e["slug"] for e in client.get(f"/api/v1/events?{query}").json()["items"]}

    assert "september-meeting-2015" in found("city=алматы")
    assert "september-meeting-2015" in found("q=СОВЕЩАНИЕ")
    # Known only to the month: it overlaps any range within September, and shows it so.
    assert "september-meeting-2015" in found("date_from=2015-09-10&date_to=2015-09-12")
    assert "september-meeting-2015" not in found("date_from=2015-10-01")
    detail = client.get("/api/v1/events/september-meeting-2015").json()
    assert (detail["start_date"], detail["end_date"]) == ("2015-09", "2015-09")
