"""Batch loads by key: one query for any number of keys (REST detail views and GraphQL loaders)."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.models import (
    Citation,
    Event,
    Organization,
    Participation,
    Person,
    State,
)
from app.models.enums import SubjectType
from app.schemas.common import (
    EventRef,
    OrganizationRef,
    Participant,
    PersonRef,
    Source,
    StateRef,
    partial_date,
)

Subject = tuple[SubjectType, str]
Row = TypeVar("Row")


def grouped(rows: Iterable[Row], key: Callable[[Row], str]) -> defaultdict[str, list[Row]]:
    """Rows gathered under their parent's key, in the order the query returned them."""
    groups: defaultdict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def load_sources(session: Session, subjects: Iterable[Subject]) -> dict[Subject, list[Source]]:
    """The citations of each subject, in document order."""
    wanted = list(dict.fromkeys(subjects))
    found: dict[Subject, list[Source]] = defaultdict(list)
    if not wanted:
        return found
    statement = (
        select(Citation)
        .where(sa.tuple_(col(Citation.subject_type), col(Citation.subject_id)).in_(wanted))
        .order_by(col(Citation.document_slug), col(Citation.start_offset))
    )
    for citation in session.exec(statement):
        found[(SubjectType(citation.subject_type), citation.subject_id)].append(
            Source(
                document=citation.document_slug,
                quote=citation.quote,
                start=citation.start_offset,
                end=citation.end_offset,
                slide=citation.slide,
            )
        )
    return found


def state_ref(state: State | None) -> StateRef | None:
    return StateRef(code=state.code, name=state.name) if state else None


def organization_ref(organization: Organization | None) -> OrganizationRef | None:
    if organization is None:
        return None
    return OrganizationRef(
        slug=organization.slug, acronym=organization.acronym, name=organization.name
    )


def person_ref(person: Person | None) -> PersonRef | None:
    return PersonRef(slug=person.slug, name=person.name) if person else None


def event_ref(event: Event) -> EventRef:
    return EventRef(
        slug=event.slug,
        title=event.title,
        kind=event.kind,
        start_date=partial_date(event.start_date, event.start_precision) or "",
        end_date=partial_date(event.end_date, event.end_precision) or "",
    )


def load_participations(
    session: Session, event_slugs: Sequence[str]
) -> dict[str, list[tuple[Participation, State | None, Organization | None, Person | None]]]:
    """Each event's participations with the state, organisation or person, in one query."""
    statement = (
        select(Participation, State, Organization, Person)
        .outerjoin(State, col(Participation.state_code) == State.code)
        .outerjoin(Organization, col(Participation.organization_slug) == Organization.slug)
        .outerjoin(Person, col(Participation.person_slug) == Person.slug)
        .where(col(Participation.event_slug).in_(event_slugs))
        .order_by(col(Participation.event_slug), col(Participation.role), col(Participation.id))
    )
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in session.exec(statement):
        grouped[row[0].event_slug].append(tuple(row))
    return grouped


def participant(
    participation: Participation,
    state: State | None,
    organization: Organization | None,
    person: Person | None,
    sources: list[Source],
) -> Participant:
    return Participant(
        role=participation.role,
        state=state_ref(state),
        organization=organization_ref(organization),
        person=person_ref(person),
        sources=sources,
    )
