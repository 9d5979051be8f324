"""The GraphQL types of events: an event, its participants, outcomes, themes and links."""

import datetime as dt
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.experimental.pydantic import input as pydantic_input
from strawberry.experimental.pydantic import type as pydantic_type

from app import models
from app.errors import InvalidParameterError
from app.graphql.common import (
    Capped,
    Claim,
    Connection,
    Ctx,
    Node,
    Participant,
    ParticipantCount,
    Source,
    aliases_field,
    bounded_field,
    claims_field,
    described,
    document_ref,
    organization_ref,
    participant_from_row,
    sources_field,
    state_ref,
)
from app.graphql.context import BadUserInputError
from app.models import enums
from app.models.base import subject_of
from app.queries.events import EVENT_CHILDREN
from app.queries.filters import FUNDER_ROLES, ORGANIZER_ROLES, EventFilters
from app.queries.pagination import cursor_values, encode_cursor
from app.queries.records import Subject, direction
from app.queries.refs import EVENT_DATE_FIELDS, event_dates
from app.schemas import events


@strawberry.enum
class EventOrder(Enum):
    START_DATE = "start_date"
    START_DATE_DESC = "-start_date"
    TITLE = "title"


@pydantic_type(model=events.Theme, all_fields=True, name="Theme")
class Theme:
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()


@pydantic_type(model=events.Outcome, all_fields=True, name="Outcome")
class Outcome:
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()


@pydantic_type(model=events.Funder, all_fields=True, name="Funder")
class Funder:
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()


async def _project_funders(root: "ProjectRef", info: Ctx) -> list[Funder]:
    rows = await info.context.children(EVENT_CHILDREN["funders"]).load(root.event_slug)
    return [
        Funder(
            subject=subject_of(funder),
            state=state_ref(state),
            organization=organization_ref(organization),
        )
        for funder, state, organization, _ in rows
    ]


@pydantic_type(model=events.ProjectRef, all_fields=True, name="ProjectRef")
class ProjectRef:
    subject: strawberry.Private[Subject]
    event_slug: strawberry.Private[str]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    funders: list[Funder] = bounded_field(10, resolver=_project_funders)


async def _load_event(info: Ctx, slug: str) -> "Event":
    found = await info.context.records("events").load(slug)
    if found is None:
        # Linked a moment ago and gone now: the seed was reloaded between two reads.
        raise LookupError(f"event {slug} is gone")
    return from_row(*found)


async def linked_event(root: Any, info: Ctx) -> "Event":
    return await _load_event(info, root.event_slug)


# An event links to events: the type refers to Event, which is declared below.
LazyEvent = Annotated["Event", strawberry.lazy("app.graphql.events")]


@pydantic_type(model=events.EventLink, all_fields=True, name="EventLink")
class EventLink:
    subject: strawberry.Private[Subject]
    event_slug: strawberry.Private[str]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    event: LazyEvent = strawberry.field(resolver=linked_event)


async def _event_row(root: "Event", info: Ctx) -> models.Event:
    """The event's row: at hand when the object was built from it, else read by slug."""
    if root.row is not None:
        return root.row
    found = await info.context.records("events").load(root.slug)
    if found is None:
        raise LookupError(f"event {root.slug} is gone")
    row: models.Event = found[0]
    return row


def _event_column(name: str, read: Callable[[models.Event], Any]) -> Any:
    """A field of the event's row that lists do not read (the summary, the process...)."""

    async def resolve(root: "Event", info: Ctx) -> Any:
        return read(await _event_row(root, info))

    return described(events.EventDetail, name, resolve)


async def _participants(root: "Event", info: Ctx) -> list[Participant]:
    rows = await info.context.children(EVENT_CHILDREN["participations"]).load(root.slug)
    return [participant_from_row(*row) for row in rows]


async def _organizers(root: "Event", info: Ctx) -> list[Participant]:
    return [p for p in await _participants(root, info) if p.role in ORGANIZER_ROLES]


async def _funders(root: "Event", info: Ctx) -> list[Participant]:
    return [p for p in await _participants(root, info) if p.role in FUNDER_ROLES]


async def _outcomes(root: "Event", info: Ctx) -> list[Outcome]:
    rows = await info.context.children(EVENT_CHILDREN["outcomes"]).load(root.slug)
    return [
        Outcome(subject=subject_of(outcome), relation=outcome.relation, document=document_ref(doc))
        for outcome, doc in rows
    ]


async def _themes(root: "Event", info: Ctx) -> list[Theme]:
    rows = await info.context.children(EVENT_CHILDREN["themes"]).load(root.slug)
    return [
        Theme(
            subject=subject_of(theme),
            number=theme.position,
            title=theme.title,
            summary=theme.summary,
        )
        for (theme,) in rows
    ]


async def _relations(root: "Event", info: Ctx) -> list[EventLink]:
    rows = await info.context.children(EVENT_CHILDREN["relations"]).load(root.slug)
    return [
        EventLink(
            subject=subject_of(link),
            event_slug=other.slug,
            relation=link.relation,
            direction=direction(link, root.slug),
        )
        for link, other in rows
    ]


async def _project(root: "Event", info: Ctx) -> ProjectRef | None:
    project = await info.context.projects.load(root.slug)
    if project is None:
        return None
    return ProjectRef(
        subject=subject_of(project), event_slug=root.slug, slug=project.slug, title=project.title
    )


@pydantic_type(model=events.EventDetail, all_fields=True, name="Event")
class Event(Node):
    slug: str
    subject: strawberry.Private[Subject]
    row: strawberry.Private[models.Event | None]
    sources: list[Source] = sources_field(40)  # [17]
    claims: list[Claim] = claims_field()
    aliases: list[str] = aliases_field(events.EventDetail)
    summary: str | None = _event_column("summary", lambda event: event.summary)
    attendance: str | None = _event_column("attendance", lambda event: event.attendance)
    process: str | None = _event_column("process", lambda event: event.process_slug)
    process_relation: enums.EventProcessRelation | None = _event_column(
        "process_relation", lambda event: event.process_relation
    )
    organizers: list[Participant] = described(
        events.EventDetail, "organizers", _organizers, bound=50
    )
    funders: list[Participant] = described(events.EventDetail, "funders", _funders, bound=50)
    participants: list[Participant] = described(
        events.EventDetail,
        "participants",
        _participants,
        bound=50,  # [21]
    )
    outcomes: list[Outcome] = bounded_field(10, resolver=_outcomes)  # [3]
    themes: list[Theme] = bounded_field(30, resolver=_themes)  # [12]
    relations: list[EventLink] = described(
        events.EventDetail,
        "relations",
        _relations,
        bound=10,  # [1]
    )
    project: ProjectRef | None = strawberry.field(resolver=_project)


def from_row(event: models.Event, country: models.State | None) -> Event:
    """An Event from its row and its host country's."""
    count = None
    if event.participant_count is not None and event.participant_count_qualifier is not None:
        count = ParticipantCount(
            value=event.participant_count,
            qualifier=event.participant_count_qualifier,
            counts=event.participant_count_counts,
        )
    return Event(
        subject=subject_of(event),
        row=event,
        slug=event.slug,
        title=event.title,
        kind=event.kind,
        **event_dates(event),
        status=event.status,
        city=event.city,
        country=state_ref(country),
        participant_count=count,
        related=event.process_slug is None,
    )


def from_summary(summary: events.EventSummary) -> Event:
    """An Event from a list's summary; the fields lists do not read are read when selected."""
    count = summary.participant_count
    return Event(
        subject=(enums.SubjectType.event, summary.slug),
        row=None,
        slug=summary.slug,
        title=summary.title,
        kind=summary.kind,
        **{name: getattr(summary, name) for name in EVENT_DATE_FIELDS},
        status=summary.status,
        city=summary.city,
        country=state_ref(summary.country),
        participant_count=ParticipantCount(
            value=count.value, qualifier=count.qualifier, counts=count.counts
        )
        if count
        else None,
        related=summary.related,
    )


@strawberry.type(description="An event, and the roles a state or an organisation had at it.")
class Involvement:
    slug: strawberry.Private[str]
    starts: strawberry.Private[dt.date]
    roles: list[enums.ParticipationRole]

    @strawberry.field
    async def event(self, info: Ctx) -> Event:
        return await _load_event(info, self.slug)

    @strawberry.field(description="Where this item is: `after` it, the list goes on from here.")
    def cursor(self) -> str:
        return encode_cursor(INVOLVEMENT_CURSOR, [self.starts, self.slug])


# How many events a state's or an organisation's `events` lists: by default, and at most.
INVOLVEMENTS = 20
MOST_INVOLVEMENTS = 100
INVOLVEMENT_CURSOR = "involvements"


def involvements_field(plural: str, key: Callable[[Any], str], description: str) -> Any:
    """The `events` of a state or an organisation (`plural`; `key` gives its key): in date order,
    with its roles at each; only those where it had `role`, if given; a page of `first` from the
    cursor `after`, if given."""

    async def resolve(
        root: Any,
        info: Ctx,
        role: enums.ParticipationRole | None = None,
        first: int = INVOLVEMENTS,
        after: str | None = None,
    ) -> list[Involvement]:
        start: tuple[dt.date, str] | None = None
        if after is not None:
            try:
                starts, slug = cursor_values(INVOLVEMENT_CURSOR, after, (dt.date, str))
            except InvalidParameterError as error:
                raise BadUserInputError(f"after: {error.reason}", argument="after") from None
            start = (starts, slug)
        found = await info.context.involvements(plural, first, start).load((key(root), role))
        listed = [
            Involvement(slug=slug, starts=day, roles=roles) for slug, day, roles in found.events
        ]
        return Capped(listed, found.total)

    return bounded_field(
        MOST_INVOLVEMENTS, default=INVOLVEMENTS, resolver=resolve, description=description
    )


@pydantic_input(model=EventFilters, all_fields=True, name="EventFilter")
class EventFilter:
    pass


EventConnection = Connection[Event]
