"""The event filters: declared once, applied once, shared by every format and by GraphQL."""

import json
from datetime import date
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col

from app.models import Claim, Event, EventTheme, Organization, Participation
from app.models.enums import (
    ClaimRank,
    EventKind,
    EventProcessRelation,
    EventStatus,
    ParticipationRole,
    SubjectType,
)
from app.param_types import IsoDate, text

ORGANIZER_ROLES = (ParticipationRole.organizer, ParticipationRole.co_organizer)
FUNDER_ROLES = (ParticipationRole.funder,)

ActorKey = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9-]{1,120}$",
        description="a state's ISO 3166-1 alpha-3 code or an organisation's or person's slug; "
        "an organisation also matches through its sub-units",
    ),
]


class EventFilters(BaseModel):
    """Which events to return; every field narrows the result."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    year: Annotated[
        int | None, Field(ge=1900, le=2100, description="events taking place in that year")
    ] = None
    date_from: Annotated[
        IsoDate | None, Field(description="events ending on or after this day (ISO 8601)")
    ] = None
    date_to: Annotated[
        IsoDate | None, Field(description="events starting on or before this day (ISO 8601)")
    ] = None
    city: Annotated[str | None, text("case-insensitive", max_length=100)] = None
    country: Annotated[
        str | None,
        Field(pattern=r"^[A-Za-z]{3}$", description="host country, ISO 3166-1 alpha-3"),
    ] = None
    participant: Annotated[ActorKey | None, Field(description="takes part in any role")] = None
    organizer: Annotated[ActorKey | None, Field(description="organizer or co-organizer")] = None
    funder: Annotated[ActorKey | None, Field(description="funder")] = None
    kind: Annotated[EventKind | None, Field(description="the kind of event")] = None
    status: Annotated[
        EventStatus | None,
        Field(description="held: reported as having taken place; planned: announced"),
    ] = None
    process_relation: Annotated[
        EventProcessRelation | None,
        Field(description="key events of the process, or activities in support of it"),
    ] = None
    q: Annotated[
        str | None, text("words that must all occur in the title, an alias, summary or themes")
    ] = None
    related: Annotated[
        bool, Field(description="also return events the documents only refer to")
    ] = False


def like_pattern(word: str) -> str:
    """A LIKE pattern that finds `word` anywhere, its wildcards taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def organization_units(slug: str, name: str) -> sa.Select[Any]:
    """The organisation and every body under it (an IOM office counts as IOM)."""
    units = (
        sa.select(col(Organization.slug))
        .where(col(Organization.slug) == slug)
        .cte(name, recursive=True)
    )
    units = units.union_all(
        sa.select(col(Organization.slug)).where(col(Organization.parent_slug) == units.c.slug)
    )
    return sa.select(units.c.slug)


def takes_part(key: str, roles: tuple[ParticipationRole, ...], name: str) -> sa.ColumnElement[bool]:
    """The event has a participation of `key` (state, organisation or person) in one of `roles`.

    `name` names the recursive CTE: each use in one query needs its own.
    """
    who = sa.or_(
        col(Participation.state_code) == key.upper(),
        col(Participation.organization_slug).in_(organization_units(key.lower(), f"{name}_units")),
        col(Participation.person_slug) == key.lower(),
    )
    condition = sa.select(1).where(col(Participation.event_slug) == Event.slug, who)
    if roles:
        condition = condition.where(col(Participation.role).in_(roles))
    return condition.exists()


def has_alias(subject_type: SubjectType, key: Any, word: str) -> sa.ColumnElement[bool]:
    """The record (`key` a column of its table) has a preferred alias holding `word`.

    An alias is stored as a JSON string: the word is matched inside its quotes, JSON-escaped as
    the value is, so that a `"` looks for a quote in a name, not for the quotes around it.
    """
    escaped = json.dumps(word, ensure_ascii=False)[1:-1]
    pattern = '"' + like_pattern(escaped) + '"'
    return (
        sa.select(1)
        .where(
            col(Claim.subject_type) == subject_type,
            col(Claim.subject_id) == key,
            col(Claim.field) == "aliases",
            col(Claim.rank) == ClaimRank.preferred,
            col(Claim.value).ilike(pattern, escape="\\"),
        )
        .exists()
    )


def mentions(word: str) -> sa.ColumnElement[bool]:
    pattern = like_pattern(word)
    in_themes = (
        sa.select(1)
        .where(
            col(EventTheme.event_slug) == Event.slug,
            sa.or_(
                col(EventTheme.title).ilike(pattern, escape="\\"),
                col(EventTheme.summary).ilike(pattern, escape="\\"),
            ),
        )
        .exists()
    )
    return sa.or_(
        col(Event.title).ilike(pattern, escape="\\"),
        col(Event.summary).ilike(pattern, escape="\\"),
        in_themes,
        has_alias(SubjectType.event, Event.slug, word),
    )


def event_conditions(filters: EventFilters) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses that select the events `filters` describes."""
    conditions: list[sa.ColumnElement[bool]] = []
    if not filters.related:
        conditions.append(col(Event.process_slug).is_not(None))
    if filters.year is not None:
        conditions.append(col(Event.start_date) <= date(filters.year, 12, 31))
        conditions.append(col(Event.end_date) >= date(filters.year, 1, 1))
    if filters.date_from is not None:
        conditions.append(col(Event.end_date) >= filters.date_from)
    if filters.date_to is not None:
        conditions.append(col(Event.start_date) <= filters.date_to)
    if filters.city is not None:
        conditions.append(sa.func.lower(col(Event.city)) == filters.city.lower())
    if filters.country is not None:
        conditions.append(col(Event.country_code) == filters.country.upper())
    if filters.kind is not None:
        conditions.append(col(Event.kind) == filters.kind)
    if filters.status is not None:
        conditions.append(col(Event.status) == filters.status)
    if filters.process_relation is not None:
        conditions.append(col(Event.process_relation) == filters.process_relation)
    if filters.participant is not None:
        conditions.append(takes_part(filters.participant, (), "participant"))
    if filters.organizer is not None:
        conditions.append(takes_part(filters.organizer, ORGANIZER_ROLES, "organizer"))
    if filters.funder is not None:
        conditions.append(takes_part(filters.funder, FUNDER_ROLES, "funder"))
    if filters.q is not None:
        conditions.extend(mentions(word) for word in filters.q.split())
    return conditions
