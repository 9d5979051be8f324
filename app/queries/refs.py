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
    period_end,
    period_start,
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


# The fields of an event's dates, as `event_dates` fills them.
EVENT_DATE_FIELDS = frozenset(
    ("start_date", "end_date", "start_on", "start_date_precision", "end_on", "end_date_precision")
)


def event_dates(event: Event | sa.Row[Any]) -> dict[str, Any]:
    """An event's dates, from its stored day and precision: as the source writes them, and as
    the period they cover, from its first day to its last."""
    return {
        "start_date": partial_date(event.start_date, event.start_precision) or "",
        "end_date": partial_date(event.end_date, event.end_precision) or "",
        "start_on": period_start(event.start_date, event.start_precision),
        "start_date_precision": event.start_precision,
        "end_on": period_end(event.end_date, event.end_precision),
        "end_date_precision": event.end_precision,
    }


def event_ref(event: Event | sa.Row[Any]) -> EventRef:
    """The reference of an event, or of a row holding its columns under their names."""
    return EventRef(slug=event.slug, title=event.title, kind=event.kind, **event_dates(event))


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
