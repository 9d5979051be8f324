"""Counts of the matching events by any of their dimensions, in one GROUP BY."""

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from app.errors import InvalidParameterError
from app.models import Event, Organization, Participation, State
from app.models.enums import EventDimension
from app.queries.events import count_matching
from app.queries.filters import EventFilters, FilterShape, event_conditions, filter_values
from app.queries.pagination import remembered
from app.schemas.common import OrganizationRef, StateRef
from app.schemas.discovery import EventStats, EventStatsRow

# More dimensions at once make groups of one event: a list, not a count.
MAX_DIMENSIONS = 3
_ACTORS = {EventDimension.state, EventDimension.organization}

_HOST = aliased(State, name="host")
_TAKING_PART = aliased(Participation, name="taking_part")
_PARTICIPANT_STATE = aliased(State, name="participant_state")
_PARTICIPANT_ORGANIZATION = aliased(Organization, name="participant_organization")
_YEAR = sa.cast(sa.extract("year", col(Event.start_date)), sa.Integer)

# The columns each dimension reads, labelled as the rows name them.
_COLUMNS: dict[EventDimension, tuple[Any, ...]] = {
    EventDimension.year: (_YEAR.label("year"),),
    EventDimension.kind: (col(Event.kind).label("kind"),),
    EventDimension.status: (col(Event.status).label("status"),),
    EventDimension.country: (
        col(Event.country_code).label("country_code"),
        col(_HOST.name).label("country_name"),
    ),
    EventDimension.city: (col(Event.city).label("city"),),
    EventDimension.state: (
        col(_TAKING_PART.state_code).label("state_code"),
        col(_PARTICIPANT_STATE.name).label("state_name"),
    ),
    EventDimension.organization: (
        col(_TAKING_PART.organization_slug).label("organization_slug"),
        col(_PARTICIPANT_ORGANIZATION.name).label("organization_name"),
        col(_PARTICIPANT_ORGANIZATION.acronym).label("organization_acronym"),
    ),
    EventDimension.role: (col(_TAKING_PART.role).label("role"),),
}


def dimensions(group_by: Sequence[EventDimension]) -> tuple[EventDimension, ...]:
    """`group_by` checked: one to three dimensions (a repeated one counts once)."""
    chosen = tuple(dict.fromkeys(group_by))
    if not chosen or len(chosen) > MAX_DIMENSIONS:
        raise InvalidParameterError(
            "group_by", f"names one to {MAX_DIMENSIONS} dimensions ({len(chosen)} given)"
        )
    return chosen


@lru_cache(maxsize=256)
def _grouped(shape: FilterShape, group_by: tuple[EventDimension, ...]) -> sa.Select[Any]:
    columns = [c for dimension in group_by for c in _COLUMNS[dimension]]
    keys = [c.element for c in columns]
    joins_participations = bool({EventDimension.role, *_ACTORS} & set(group_by))
    # Without the participations each event is one row: counted as rows, with no sort of slugs.
    counted = (
        sa.func.count(sa.distinct(col(Event.slug))) if joins_participations else sa.func.count()
    )
    statement = sa.select(*columns, counted.label("n")).select_from(Event)
    if EventDimension.country in group_by:
        statement = statement.outerjoin(_HOST, col(_HOST.code) == col(Event.country_code))
    if joins_participations:
        # Each event once per participation of the kind asked for (with both, of a state or of
        # an organisation); an event with none, once, with nulls.
        kinds = []
        if EventDimension.state in group_by:
            kinds.append(col(_TAKING_PART.state_code).is_not(None))
        if EventDimension.organization in group_by:
            kinds.append(col(_TAKING_PART.organization_slug).is_not(None))
        joined = col(_TAKING_PART.event_slug) == col(Event.slug)
        statement = statement.outerjoin(
            _TAKING_PART, sa.and_(joined, sa.or_(*kinds)) if kinds else joined
        )
    if EventDimension.state in group_by:
        statement = statement.outerjoin(
            _PARTICIPANT_STATE, col(_PARTICIPANT_STATE.code) == col(_TAKING_PART.state_code)
        )
    if EventDimension.organization in group_by:
        statement = statement.outerjoin(
            _PARTICIPANT_ORGANIZATION,
            col(_PARTICIPANT_ORGANIZATION.slug) == col(_TAKING_PART.organization_slug),
        )
    return statement.where(*event_conditions(shape)).group_by(*keys)


def _row(found: Any, group_by: tuple[EventDimension, ...]) -> EventStatsRow:
    mapping = found._mapping
    asked = set(group_by)

    def value(name: str, dimension: EventDimension) -> Any:
        return mapping[name] if dimension in asked else None

    state_code = value("state_code", EventDimension.state)
    country_code = value("country_code", EventDimension.country)
    organization_slug = value("organization_slug", EventDimension.organization)
    return EventStatsRow(
        year=value("year", EventDimension.year),
        kind=value("kind", EventDimension.kind),
        status=value("status", EventDimension.status),
        country=StateRef(code=country_code, name=mapping["country_name"] or country_code)
        if country_code
        else None,
        city=value("city", EventDimension.city),
        state=StateRef(code=state_code, name=mapping["state_name"] or state_code)
        if state_code
        else None,
        organization=OrganizationRef(
            slug=organization_slug,
            acronym=mapping["organization_acronym"],
            name=mapping["organization_name"] or organization_slug,
        )
        if organization_slug
        else None,
        role=value("role", EventDimension.role),
        count=mapping["n"],
    )


def _sort_key(found: Any, group_by: tuple[EventDimension, ...]) -> tuple[Any, ...]:
    """Groups in the order of their values (a reference's by its code or slug), dimension by
    dimension; nulls last, on both databases alike."""
    values = (found._mapping[_COLUMNS[dimension][0].name] for dimension in group_by)
    return tuple((value is None, "" if value is None else value) for value in values)


def _count(
    session: Session, filters: EventFilters, group_by: tuple[EventDimension, ...]
) -> EventStats:
    values = filter_values(filters)
    statement = _grouped(FilterShape.of(filters, values), group_by)
    found = sorted(
        session.connection().execute(statement, values), key=lambda row: _sort_key(row, group_by)
    )
    return EventStats(
        group_by=list(group_by),
        total=count_matching(session, filters),
        rows=[_row(row, group_by) for row in found],
    )


def event_stats(
    session: Session, *, filters: EventFilters, group_by: Sequence[EventDimension]
) -> EventStats:
    """How many matching events there are in each group of `group_by`'s values: one GROUP BY
    and a count, remembered per data version like the facets."""
    chosen = dimensions(group_by)
    return remembered(
        session, ("event stats", filters, chosen), lambda: _count(session, filters, chosen)
    )
