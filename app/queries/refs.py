"""Rows as the small references every answer embeds."""

from typing import Any

import sqlalchemy as sa

from app.models import Event, Organization, Participation, Person, State
from app.queries.records import Evidence
from app.schemas.common import (
    EventRef,
    OrganizationRef,
    Participant,
    PersonRef,
    StateRef,
    partial_date,
)


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


def event_ref(event: Event | sa.Row[Any]) -> EventRef:
    """The reference of an event, or of a row holding its columns under their names."""
    return EventRef(
        slug=event.slug,
        title=event.title,
        kind=event.kind,
        start_date=partial_date(event.start_date, event.start_precision) or "",
        end_date=partial_date(event.end_date, event.end_precision) or "",
    )


def participant(
    participation: Participation,
    state: State | None,
    organization: Organization | None,
    person: Person | None,
    *,
    evidence: Evidence,
) -> Participant:
    return Participant(
        role=participation.role,
        state=state_ref(state),
        organization=organization_ref(organization),
        person=person_ref(person),
        **evidence.of(participation),
    )
