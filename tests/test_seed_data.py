"""The loaded data says what the source document says, and every row cites its passage."""

import hashlib
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.models import (
    Citation,
    Event,
    Objective,
    Outcome,
    Participation,
    Process,
    ProcessActor,
    SourceDocument,
    metadata,
)
from app.models.enums import SubjectType
from app.passages.coverage import document_coverage
from app.passages.text import SourceText, Span, normalize
from tests.conftest import SEED_DIR

MEMBERS = {"AFG", "AZE", "KAZ", "KGZ", "TJK", "TUR", "TKM"}
OBSERVERS = {"IRN", "PAK"}

# slug: (start, end, city, host country) as the document states them.
EVENTS = {
    "first-regional-conference-2011": ("2011-03-15", "2011-03-16", "Almaty", "KAZ"),
    "national-coordinators-meeting-2012": ("2012-09-07", "2012-09-07", "Almaty", "KAZ"),
    "ministerial-conference-2013": ("2013-06-05", "2013-06-05", "Almaty", "KAZ"),
    "first-som-2014": ("2014-11-21", "2014-11-21", "Almaty", "KAZ"),
    "regional-training-irregular-migration-2015": ("2015-03-30", "2015-04-01", "Almaty", "KAZ"),
    "regional-forum-emergency-preparedness-2015": ("2015-06-17", "2015-06-18", "Ashgabat", "TKM"),
    "regional-training-drr-mcof-2015": ("2015-09-14", "2015-09-15", "Almaty", "KAZ"),
    "second-som-2015": ("2015-09-22", "2015-09-22", "Astana", "KAZ"),
    # Only referred to; the document names the city but not the country.
    "world-humanitarian-summit-2016": ("2016-05-26", "2016-05-27", "Istanbul", None),
}


def _actors(session: Session, role: str) -> set[str]:
    rows = session.exec(
        select(ProcessActor).where(
            ProcessActor.process_slug == "almaty-process", ProcessActor.role == role
        )
    )
    return {row.state_code or row.organization_slug or "" for row in rows}


def test_the_process_members_observers_chair_and_secretariat(
    shared_seeded_engine: sa.Engine,
) -> None:
    with Session(shared_seeded_engine) as session:
        assert _actors(session, "member") == MEMBERS
        assert _actors(session, "observer") == OBSERVERS
        assert _actors(session, "chair") == {"KAZ"}
        assert _actors(session, "secretariat") == {"iom", "unhcr"}
        assert _actors(session, "initiator") == {"KAZ", "iom", "unhcr"}
        process = session.get(Process, "almaty-process")
        assert process is not None
        assert (process.initiated_date, process.initiated_precision) == (date(2011, 1, 1), "year")
        assert (process.launched_date, process.launched_precision) == (date(2013, 6, 5), "day")
        objectives = session.exec(select(Objective).order_by(col(Objective.number))).all()
        assert [o.number for o in objectives] == [1, 2, 3, 4, 5]
        assert objectives[0].text.startswith("To promote sustained dialogue")


@pytest.mark.parametrize("slug", EVENTS)
def test_each_event_has_the_dates_and_place_of_the_document(
    shared_seeded_engine: sa.Engine, slug: str
) -> None:
    start, end, city, country = EVENTS[slug]
    with Session(shared_seeded_engine) as session:
        event = session.get(Event, slug)
    assert event is not None
    assert (event.start_date.isoformat(), event.end_date.isoformat()) == (start, end)
    assert (event.city, event.country_code) == (city, country)
    assert (event.process_slug is None) == (slug == "world-humanitarian-summit-2016")


def test_participant_counts_keep_their_qualifier(shared_seeded_engine: sa.Engine) -> None:
    with Session(shared_seeded_engine) as session:
        counts = {
            event.slug: (event.participant_count, event.participant_count_qualifier)
            for event in session.exec(select(Event))
            if event.participant_count is not None
        }
    assert counts["first-regional-conference-2011"] == (120, "more_than")
    assert counts["regional-training-irregular-migration-2015"] == (60, "exact")


def test_the_second_som_roles(shared_seeded_engine: sa.Engine) -> None:
    with Session(shared_seeded_engine) as session:
        rows = session.exec(
            select(Participation).where(Participation.event_slug == "second-som-2015")
        ).all()
        outcomes = session.exec(
            select(Outcome).where(Outcome.event_slug == "second-som-2015")
        ).all()
    by_role: dict[str, set[str]] = {}
    for row in rows:
        key = row.state_code or row.organization_slug or row.person_slug or ""
        by_role.setdefault(row.role, set()).add(key)
    assert by_role["member_state"] == MEMBERS
    assert by_role["observer_state"] == OBSERVERS
    assert by_role["guest_state"] == {"CHN", "RUS", "USA"}
    assert by_role["organizer"] >= {"KAZ"}
    assert {"iom", "undp", "unhcr", "icmpd"} <= by_role["participant"]
    assert "birzhan-nurymbetov" in by_role["speaker"]
    assert ("presented_at", "mapping-irregular-migration-central-asia-2014") in {
        (o.relation, o.document_slug) for o in outcomes
    }


def test_every_citation_is_the_exact_text_at_its_offsets(shared_seeded_engine: sa.Engine) -> None:
    with Session(shared_seeded_engine) as session:
        texts = {doc.slug: doc.text for doc in session.exec(select(SourceDocument))}
        citations = session.exec(select(Citation)).all()
    assert citations
    for citation in citations:
        assert texts[citation.document_slug][citation.start_offset : citation.end_offset] == (
            citation.quote
        )
    slides = {normalize(c.quote)[:40]: c.slide for c in citations}
    assert slides["It consists of 7 Member States: the Isla"] == 3
    assert slides["The current chair is the Republic of Kaz"] == 3


def test_every_row_of_every_record_table_cites_a_passage(shared_seeded_engine: sa.Engine) -> None:
    with shared_seeded_engine.connect() as connection:
        cited = set(connection.execute(sa.select(Citation.subject_type, Citation.subject_id)))  # type: ignore[call-overload]
        for subject_type in SubjectType:
            table = metadata.tables[subject_type.value]
            rows = connection.execute(sa.select(*table.primary_key.columns)).all()
            assert rows, f"no {subject_type} rows"
            for row in rows:
                subject_id = "/".join(str(part) for part in row)
                assert (subject_type.value, subject_id) in cited, (subject_type, subject_id)


def test_the_source_document_is_stored_byte_for_byte(shared_seeded_engine: sa.Engine) -> None:
    raw = (SEED_DIR / "almaty-process.txt").read_bytes()
    with Session(shared_seeded_engine) as session:
        document = session.get(SourceDocument, "almaty-process")
    assert document is not None
    assert document.text.encode("utf-8") == raw
    assert document.sha256 == hashlib.sha256(raw).hexdigest()


def test_every_sentence_of_the_document_is_cited(shared_seeded_engine: sa.Engine) -> None:
    with Session(shared_seeded_engine) as session:
        document = session.get(SourceDocument, "almaty-process")
        assert document is not None
        spans = [
            Span(c.start_offset, c.end_offset)
            for c in session.exec(select(Citation).where(Citation.document_slug == document.slug))
        ]
    coverage = document_coverage(document.slug, SourceText(document.text), spans)
    assert coverage.sentences > 100
    assert coverage.uncited == []
