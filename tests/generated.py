"""Many generated rows, to show that a query's cost does not grow with the rows it returns."""

import hashlib
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.models import Citation, Claim, Event, Participation
from app.models.enums import (
    ClaimBasis,
    ClaimRank,
    DatePrecision,
    EventKind,
    EventProcessRelation,
    EventStatus,
    ParticipationRole,
    SubjectType,
)


def _claimed(
    session: Session, subject_type: SubjectType, subject_id: str, field: str, value: str
) -> None:
    """A claim on one field of a generated row, with the citation that states it."""
    claim_id = f"{subject_type}|{subject_id}|{field}|generated"
    session.add(
        Claim(
            id=claim_id,
            subject_type=subject_type,
            subject_id=subject_id,
            field=field,
            value=value,
            rank=ClaimRank.preferred,
            basis=ClaimBasis.stated,
            document_slug="almaty-process",
        )
    )
    session.add(
        Citation(
            id=hashlib.sha256(claim_id.encode()).hexdigest()[:32],
            subject_type=SubjectType.claim,
            subject_id=claim_id,
            document_slug="almaty-process",
            start_offset=0,
            end_offset=15,
            quote="Almaty Process ",
            slide=None,
        )
    )


def add_generated_events(
    engine: sa.Engine, count: int, participants_each: int, prefix: str = "generated-event"
) -> list[str]:
    """`count` events in Almaty with `participants_each` IOM-like participations, all cited and
    with claims on their city and roles."""
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
                    status=EventStatus.held,
                    start_date=start,
                    start_precision=DatePrecision.day,
                    end_date=start,
                    end_precision=DatePrecision.day,
                    city="Almaty",
                    country_code="KAZ",
                    process_slug="almaty-process",
                    process_relation=EventProcessRelation.key_event,
                    summary="A generated event.",
                )
            )
            _claimed(session, SubjectType.event, slug, "city", '"Almaty"')
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
                _claimed(session, SubjectType.participation, key, "role", '"participant"')
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
