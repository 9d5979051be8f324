"""Many generated rows, to show that a query's cost does not grow with the rows it returns."""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.models import Citation, Event, Participation
from app.models.enums import DatePrecision, EventKind, ParticipationRole, SubjectType


def add_generated_events(
    engine: sa.Engine, count: int, participants_each: int, prefix: str = "generated-event"
) -> list[str]:
    """`count` events in Almaty with `participants_each` IOM-like participations, all cited."""
    organizations = ["iom", "unhcr", "undp", "osce", "unrcca", "eu", "prm", "icmpd"]
    states = ["AFG", "AZE", "KAZ", "KGZ", "TJK", "TUR", "TKM", "IRN", "PAK"]
    slugs = []
    with Session(engine) as session, session.begin():
        for number in range(count):
            slug = f"{prefix}-{number:04d}"
            slugs.append(slug)
            start = date(2016, 1, 1) + timedelta(days=number)
            session.add(
                Event(
                    slug=slug,
                    title=f"Generated meeting {number}",
                    kind=EventKind.meeting,
                    start_date=start,
                    start_precision=DatePrecision.day,
                    end_date=start,
                    end_precision=DatePrecision.day,
                    city="Almaty",
                    country_code="KAZ",
                    process_slug="almaty-process",
                    summary="A generated event.",
                )
            )
            for index in range(participants_each):
                actors = organizations + states
                actor = actors[index % len(actors)]
                is_state = actor.isupper()
                key = f"{slug}/participant/{'state' if is_state else 'organization'}:{actor}"
                session.add(
                    Participation(
                        id=key,
                        event_slug=slug,
                        role=ParticipationRole.participant,
                        state_code=actor if is_state else None,
                        organization_slug=None if is_state else actor,
                    )
                )
                session.add(
                    Citation(
                        id=f"{slug}/{index}",
                        subject_type=SubjectType.participation,
                        subject_id=key,
                        document_slug="almaty-process",
                        start_offset=0,
                        end_offset=15,
                        quote="Almaty Process ",
                        slide=None,
                    )
                )
            session.flush()
    return slugs
