"""Many generated rows, to show that a query's cost does not grow with the rows it returns."""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import col

from app.models import Event
from app.models.enums import EventKind, EventProcessRelation, EventStatus, ParticipationRole
from app.models.enums import SubjectType as Subject
from app.seed.loader import index_events
from bench.generate import Passage, Rows, cite, claim, event_row, participation_row

# The first words of the process's own document: a passage that every seed holds.
PASSAGE = Passage("almaty-process", 0, 15, "Almaty Process ")


def add_generated_events(
    engine: sa.Engine, count: int, participants_each: int, prefix: str = "generated-event"
) -> list[str]:
    """`count` events in Almaty with `participants_each` IOM-like participations, all cited and
    with claims on their city and roles (bench.generate writes the same shape at random)."""
    organizations = ["iom", "unhcr", "undp", "osce", "unrcca", "eu", "prm", "icmpd"]
    states = ["AFG", "AZE", "KAZ", "KGZ", "TJK", "TUR", "TKM", "IRN", "PAK"]
    actors = organizations + states
    rows = Rows()
    slugs = []
    for number in range(count):
        slug = f"{prefix}-{number:04d}"
        slugs.append(slug)
        start = date(2016, 1, 1) + timedelta(days=number)
        rows.events.append(
            event_row(
                slug,
                f"Generated meeting {number}",
                start,
                start,
                kind=EventKind.meeting,
                status=EventStatus.held,
                city="Almaty",
                country_code="KAZ",
                process_relation=EventProcessRelation.key_event,
                summary="A generated event.",
            )
        )
        claim(rows, Subject.event, slug, "city", "Almaty", PASSAGE)
        for index in range(participants_each):
            actor = actors[index % len(actors)]
            is_state = actor.isupper()
            row = participation_row(
                slug,
                ParticipationRole.participant,
                state=actor if is_state else None,
                org=None if is_state else actor,
            )
            rows.participations.append(row)
            claim(rows, Subject.participation, row["id"], "role", "participant", PASSAGE)
            cite(rows, Subject.participation, row["id"], PASSAGE)
    with engine.begin() as connection:
        rows.write(connection)
        index_events(connection, col(Event.slug).startswith(f"{prefix}-"))
    return slugs
