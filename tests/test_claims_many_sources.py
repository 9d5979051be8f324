"""A second source dates the 2011 conference otherwise: every view shows the record's own value,
and the claims show what each source document states."""

import csv
import io
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import icalendar
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pyld import jsonld

from app.db import create_db_engine
from app.seed.errors import SeedError
from app.seed.loader import load_seed
from tests.conftest import SEED_DIR
from tests.databases import DatabaseFactory
from tests.graphql import data
from tests.seed_edits import Data, edit_yaml, record
from tests.snapshots import snapshot

EVENT = "first-regional-conference-2011"
SEED_SOURCE = "almaty-process"
NOTE = "unhcr-2011-note"
# What the seed's own source writes, and what the record makes of it.
SEED_DATES = "15 - 16 March 2011"
START, END = "2011-03-15", "2011-03-16"
# What the note written here states: another first day, the same last day.
SENTENCE = (
    "The first Regional Conference on Refugee Protection and International Migration in Central "
    "Asia took place in Almaty from 14 to 16 March 2011."
)
NOTE_START = "2011-03-14"
# The sentence is not at the start of the note, so an offset of 0 cannot pass by chance.
NOTE_TEXT = (
    "UNHCR note on the Almaty Process\n\n"
    f"{SENTENCE} It ended with the adoption of the Almaty Declaration.\n"
)


def add_the_note(folder: Path, *, start_rank: str | None = None) -> None:
    """Write the note into `folder`, register it, and claim the event's dates from it."""
    (folder / f"{NOTE}.txt").write_text(NOTE_TEXT, encoding="utf-8")

    def register(data: Data) -> None:
        data["sources"].append(
            {
                "slug": NOTE,
                "title": "UNHCR note on the 2011 Almaty conference",
                "kind": "web_page",
                "language": "en",
                "path": f"{NOTE}.txt",
            }
        )

    def claim(data: Data) -> None:
        event = record(data, "events", EVENT)
        assert (str(event["start"]), str(event["end"])) == (START, END), "the seed changed"
        cited = [{"document": NOTE, "quote": SENTENCE}]
        # The seed names a field as its records write it (`start`); the API calls it `start_date`.
        start: Data = {"field": "start", "value": NOTE_START, "sources": cited}
        if start_rank is not None:
            start["rank"] = start_rank
        # The note's last day agrees with the record's, so that claim is preferred unasked.
        event["claims"] = [start, {"field": "end", "value": END, "sources": cited}]

    edit_yaml(folder, "sources.yaml", register)
    edit_yaml(folder, "events.yaml", claim)


@dataclass(frozen=True)
class TwoLoads:
    engine: sa.Engine
    before: str  # the data version of the load without the note
    after: str  # the data version of the load with it


@pytest.fixture(scope="module")
def loaded(
    databases: DatabaseFactory,
    migrated_template: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[TwoLoads]:
    """One database (per backend) loaded with the seed, then with the seed and the note."""
    folder = tmp_path_factory.mktemp("many-sources") / "seed"
    shutil.copytree(SEED_DIR, folder)
    engine = create_db_engine(databases.new(template=migrated_template))
    try:
        before = load_seed(engine, folder).version
        add_the_note(folder)
        after = load_seed(engine, folder).version
        yield TwoLoads(engine=engine, before=before, after=after)
    finally:
        engine.dispose()


@pytest.fixture
def client(loaded: TwoLoads, client_for: Callable[[sa.Engine], TestClient]) -> TestClient:
    return client_for(loaded.engine)


def _by_rank(claims: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The claims keyed by rank, each rank given once."""
    ranks = [claim["rank"] for claim in claims]
    assert len(set(ranks)) == len(ranks), claims
    return {claim["rank"]: claim for claim in claims}


def _text(client: TestClient, source: str) -> str:
    response = client.get(f"/api/v1/sources/{source}")
    assert response.status_code == 200, response.text
    text: str = response.json()["text"]
    return text


def test_the_detail_shows_the_record_value_and_a_claim_per_source(client: TestClient) -> None:
    response = client.get(f"/api/v1/events/{EVENT}")
    assert response.status_code == 200, response.text
    event = response.json()

    assert (event["start_date"], event["end_date"]) == (START, END)
    starts = event["claims"]["start_date"]
    assert len(starts) == 2, starts
    ranked = _by_rank(starts)
    assert set(ranked) == {"preferred", "normal"}
    own, other = ranked["preferred"], ranked["normal"]
    assert (own["value"], own["document"], own["basis"]) == (START, SEED_SOURCE, "stated")
    assert any(SEED_DATES in source["quote"] for source in own["sources"]), own
    assert (other["value"], other["document"], other["basis"]) == (NOTE_START, NOTE, "stated")
    assert other["note"] is None
    [cited] = other["sources"]
    assert (cited["document"], cited["quote"]) == (NOTE, SENTENCE)
    # Every offset indexes the text the sources endpoint serves.
    texts = {source: _text(client, source) for source in (SEED_SOURCE, NOTE)}
    for claim in starts:
        for source in claim["sources"]:
            assert texts[source["document"]][source["start"] : source["end"]] == source["quote"]
    assert cited["start"] > 0
    ends = event["claims"]["end_date"]
    assert sorted((c["document"], c["rank"], c["value"]) for c in ends) == [
        (SEED_SOURCE, "preferred", END),
        (NOTE, "preferred", END),
    ]


def test_the_list_shows_the_record_start(client: TestClient) -> None:
    response = client.get("/api/v1/events")
    assert response.status_code == 200, response.text
    [item] = [item for item in response.json()["items"] if item["slug"] == EVENT]
    assert (item["start_date"], item["end_date"]) == (START, END)


EVENT_CLAIMS = """
query ($slug: String!) {
  event(slug: $slug) {
    startDate
    endDate
    starts: claims(field: "start_date") {
      field value rank basis note document { slug } sources { document { slug } quote start end }
    }
    camel: claims(field: "startDate") { field value rank }
    all: claims { field }
  }
  sources { slug }
}
"""


def test_graphql_gives_the_same_claims(client: TestClient) -> None:
    answer = data(client, EVENT_CLAIMS, {"slug": EVENT})
    event = answer["event"]
    rest = client.get(f"/api/v1/events/{EVENT}").json()

    assert (event["startDate"], event["endDate"]) == (START, END)
    # The field may be named as GraphQL names it, too.
    assert sorted(event["camel"], key=repr) == sorted(
        ({k: c[k] for k in ("field", "value", "rank")} for c in event["starts"]), key=repr
    )
    # The same claims as REST gives, field by field.
    assert sorted(event["starts"], key=repr) == sorted(
        (
            {
                "field": "start_date",
                "value": claim["value"],
                "rank": claim["rank"],
                "basis": claim["basis"],
                "note": claim["note"],
                "document": {"slug": claim["document"]},
                "sources": [
                    {
                        "document": {"slug": source["document"]},
                        "quote": source["quote"],
                        "start": source["start"],
                        "end": source["end"],
                    }
                    for source in claim["sources"]
                ],
            }
            for claim in rest["claims"]["start_date"]
        ),
        key=repr,
    )
    ranked = _by_rank(event["starts"])
    assert (ranked["preferred"]["value"], ranked["preferred"]["document"]["slug"]) == (
        START,
        SEED_SOURCE,
    )
    assert (ranked["normal"]["value"], ranked["normal"]["document"]["slug"]) == (NOTE_START, NOTE)
    assert [source["quote"] for source in ranked["normal"]["sources"]] == [SENTENCE]
    fields = {claim["field"] for claim in event["all"]}
    assert fields == set(rest["claims"])
    assert {"start_date", "end_date", "city"} <= fields
    assert {source["slug"] for source in answer["sources"]} == {SEED_SOURCE, NOTE}


def _unfolded_vevents(ics: str) -> list[list[str]]:
    """The content lines of each VEVENT, read by hand (RFC 5545 3.1: a fold is CRLF + blank)."""
    lines = re.sub(r"\r\n[ \t]", "", ics).split("\r\n")
    events: list[list[str]] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            events.append([])
        elif events and line != "END:VEVENT":
            events[-1].append(line)
    return events


def test_the_calendar_shows_the_record_dates(client: TestClient) -> None:
    response = client.get("/api/v1/events.ics")
    assert response.status_code == 200, response.text

    calendar = icalendar.Calendar.from_ical(response.content)
    [entry] = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith(f"{EVENT}@")]
    assert entry.decoded("dtstart") == date.fromisoformat(START)
    # All-day: DTEND is the day after the last day.
    assert entry.decoded("dtend") == date(2011, 3, 17)
    # No second iCalendar parser is installed; the raw content lines are a check of their own.
    [lines] = [
        lines
        for lines in _unfolded_vevents(response.content.decode("utf-8"))
        if any(re.fullmatch(rf"UID:{re.escape(EVENT)}@.+", line) for line in lines)
    ]
    assert [line for line in lines if line.startswith("DTSTART")] == [
        f"DTSTART;VALUE=DATE:{START.replace('-', '')}"
    ]


def test_the_csv_row_shows_the_record_dates(client: TestClient) -> None:
    response = client.get("/api/v1/events.csv")
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    [row] = [row for row in rows if row["slug"] == EVENT]
    assert (row["start_date"], row["end_date"]) == (START, END)


def test_json_ld_shows_the_record_dates(client: TestClient) -> None:
    response = client.get(f"/api/v1/events/{EVENT}", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/ld+json"
    assert response.json()["startDate"] == START

    [event] = jsonld.expand(response.json())
    schema = "https://schema.org/"
    assert event[f"{schema}startDate"][0]["@value"] == START
    assert event[f"{schema}endDate"][0]["@value"] == END


def test_both_documents_are_listed(client: TestClient) -> None:
    response = client.get("/api/v1/sources")
    assert response.status_code == 200, response.text
    listed = {item["slug"]: item for item in response.json()["items"]}
    assert set(listed) == {SEED_SOURCE, NOTE}
    assert listed[NOTE]["citation_count"] >= 1
    assert _text(client, NOTE) == NOTE_TEXT


def test_the_changes_name_the_claim_the_note_added(client: TestClient, loaded: TwoLoads) -> None:
    assert loaded.before != loaded.after
    response = client.get("/api/v1/changes", params={"since": loaded.before})
    assert response.status_code == 200, response.text
    changes = response.json()

    assert changes["current_version"] == loaded.after
    assert response.headers["x-data-version"] == loaded.after
    claims = [
        (item["action"], item["field"])
        for item in changes["items"]
        if item["entity"] == "claim" and item["subject"] == f"event/{EVENT}"
    ]
    # The record's own claims are untouched; the note adds one claim on each date.
    assert sorted(claims) == [("added", "end_date"), ("added", "start_date")]
    [added] = [
        item
        for item in changes["items"]
        if item["entity"] == "claim" and item["field"] == "start_date"
    ]
    assert added["version"] == loaded.after
    assert added["url"] == f"/api/v1/events/{EVENT}"
    assert ("source_document", NOTE, "added") in {
        (item["entity"], item["key"], item["action"]) for item in changes["items"]
    }


def test_a_second_preferred_value_is_refused(seeded_engine: sa.Engine, seed_copy: Path) -> None:
    before = snapshot(seeded_engine)
    add_the_note(seed_copy, start_rank="preferred")

    with pytest.raises(SeedError, match="only the record's own value is preferred") as refused:
        load_seed(seeded_engine, seed_copy)

    assert refused.value.file == str(seed_copy / "events.yaml")
    assert (refused.value.record, refused.value.field) == (f"event '{EVENT}'", "claims[0].rank")
    assert snapshot(seeded_engine) == before
