"""GraphQL types, derived from the REST shapes (app.schemas): one field list for both APIs.

Where REST returns a reference to an event (slug, title, dates), GraphQL returns the whole
Event, loaded through the request's DataLoader so that a list of them costs one batch.
"""

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar, cast

import strawberry
from strawberry.experimental.pydantic import input as pydantic_input
from strawberry.experimental.pydantic import type as pydantic_type
from strawberry.scalars import JSON
from strawberry.types import Info

from app.graphql.context import GraphQLContext
from app.models import enums
from app.queries.filters import EventFilters
from app.schemas import actors, common, discovery, documents, events, processes

for vocabulary in (
    enums.ClaimBasis,
    enums.ClaimRank,
    enums.CountQualifier,
    enums.DocumentKind,
    enums.DocumentRelationKind,
    enums.DocumentStatus,
    enums.EntityType,
    enums.EventKind,
    enums.EventProcessRelation,
    enums.EventRelationKind,
    enums.EventStatus,
    enums.LinkDirection,
    enums.OrganizationKind,
    enums.OutcomeRelation,
    enums.ParticipationRole,
    enums.PartKind,
    enums.ProcessKind,
    enums.ProcessRole,
    enums.SourceKind,
):
    strawberry.enum(vocabulary)

Ctx = Info[GraphQLContext, None]


def _iso_date(value: object) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(f"a Date is a string, not {type(value).__name__}")
    return dt.date.fromisoformat(value)


# strawberry's own Date, except that a bad value raises a plain error: graphql-core then reports
# it on the node that holds it, so that ErrorCodes can name the argument (`filter.dateFrom`).
Date = strawberry.scalar(
    name="Date",
    description="Date (isoformat)",
    serialize=dt.date.isoformat,
    parse_value=_iso_date,
)


def original(value: Any) -> Any:
    """The REST model a GraphQL object was made from (strawberry keeps it on the object)."""
    return value._original_model


@strawberry.enum
class StateRole(Enum):
    MEMBER = "member"
    OBSERVER = "observer"


@strawberry.enum
class EventOrder(Enum):
    START_DATE = "start_date"
    START_DATE_DESC = "-start_date"
    TITLE = "title"


@pydantic_type(model=common.StateRef, all_fields=True, name="StateRef")
class StateRef:
    pass


@pydantic_type(model=common.OrganizationRef, all_fields=True, name="OrganizationRef")
class OrganizationRef:
    pass


@pydantic_type(model=common.PersonRef, all_fields=True, name="PersonRef")
class PersonRef:
    pass


@pydantic_type(model=common.DocumentRef, all_fields=True, name="DocumentRef")
class DocumentRef:
    pass


@pydantic_type(model=common.EventRef, all_fields=True, name="EventRef")
class EventRef:
    pass


@pydantic_type(model=actors.StateEvent, all_fields=True, name="StateEvent")
class StateEvent:
    pass


@pydantic_type(model=common.ParticipantCount, all_fields=True, name="ParticipantCount")
class ParticipantCount:
    pass


@strawberry.type(description="A source document, by its slug (GET /api/v1/sources/{slug}).")
class SourceDocumentRef:
    slug: str


def _source_document(root: Any) -> SourceDocumentRef:
    return SourceDocumentRef(slug=original(root).document)


@pydantic_type(model=common.Source, all_fields=True, name="Source")
class Source:
    document: SourceDocumentRef = strawberry.field(
        resolver=_source_document, description="the source document the passage is quoted from"
    )


@strawberry.type(description="One value of a field as one source document states it.")
class Claim:
    field: str = strawberry.field(description="the field the claim is about, as REST names it")
    value: JSON = strawberry.field(description=common.Claim.model_fields["value"].description)
    rank: enums.ClaimRank = strawberry.field(
        description=common.Claim.model_fields["rank"].description
    )
    basis: enums.ClaimBasis = strawberry.field(
        description=common.Claim.model_fields["basis"].description
    )
    document: SourceDocumentRef
    sources: list[Source]
    note: str | None


def _claims(root: Any, field: str | None = None) -> list[Claim]:
    """The claims of the record, on one field or on all of them (REST's `claims`, as a list).

    `field` may be written as GraphQL names it (`startDate`) or as REST does (`start_date`).
    """
    found: dict[str, list[common.Claim]] = original(root).claims
    if field is not None:
        field = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", field).lower()
    return [
        Claim(
            field=name,
            value=cast(JSON, claim.value),
            rank=claim.rank,
            basis=claim.basis,
            document=SourceDocumentRef(slug=claim.document),
            sources=[Source.from_pydantic(source) for source in claim.sources],
            note=claim.note,
        )
        for name, claims in sorted(found.items())
        if field is None or name == field
        for claim in claims
    ]


def claims_field() -> Any:
    """`claims(field)`, the same on every type whose REST shape carries claims."""
    return strawberry.field(resolver=_claims, description=common.CLAIMS_DOC)


@pydantic_type(model=common.Actor, all_fields=True, name="Actor")
class Actor:
    pass


@pydantic_type(model=common.Participant, all_fields=True, name="Participant")
class Participant:
    claims: list[Claim] = claims_field()


@pydantic_type(model=common.NumberedText, all_fields=True, name="NumberedText")
class NumberedText:
    pass


@pydantic_type(model=events.Theme, all_fields=True, name="Theme")
class Theme:
    pass


@pydantic_type(model=events.Outcome, all_fields=True, name="Outcome")
class Outcome:
    claims: list[Claim] = claims_field()


@pydantic_type(model=events.Funder, all_fields=True, name="Funder")
class Funder:
    claims: list[Claim] = claims_field()


@pydantic_type(model=events.ProjectRef, all_fields=True, name="ProjectRef")
class ProjectRef:
    claims: list[Claim] = claims_field()


async def _linked_event(root: Any, info: Ctx) -> Any:
    ref: common.EventRef = original(root).event
    [event] = await _events(info, [ref.slug])
    return event


# An event links to events: the type refers to Event, which is declared below.
LazyEvent = Annotated["Event", strawberry.lazy("app.graphql.types")]


@pydantic_type(model=events.EventLink, all_fields=True, name="EventLink")
class EventLink:
    event: LazyEvent = strawberry.field(resolver=_linked_event)
    claims: list[Claim] = claims_field()


@pydantic_type(model=events.EventDetail, all_fields=True, name="Event")
class Event:
    claims: list[Claim] = claims_field()


async def _events(info: Ctx, slugs: list[str]) -> list[Event]:
    details = await info.context.events.load_many(slugs)
    return [Event.from_pydantic(detail) for detail in details if detail is not None]


@strawberry.type(description="An event, and the roles a state or an organisation had at it.")
class Involvement:
    slug: strawberry.Private[str]
    roles: list[enums.ParticipationRole]

    @strawberry.field
    async def event(self, info: Ctx) -> Event:
        [event] = await _events(info, [self.slug])
        return event


def _involvements(
    found: list[tuple[str, list[enums.ParticipationRole]]],
    role: enums.ParticipationRole | None,
) -> list[Involvement]:
    return [
        Involvement(slug=slug, roles=roles)
        for slug, roles in found
        if role is None or role in roles
    ]


@pydantic_type(model=actors.ProcessRoleEntry, all_fields=True, name="ProcessRoleEntry")
class ProcessRoleEntry:
    claims: list[Claim] = claims_field()


@pydantic_type(model=actors.RoleEvents, all_fields=True, name="RoleEvents")
class RoleEvents:
    pass


def _state_events(root: Any, role: enums.ParticipationRole | None = None) -> list[Involvement]:
    detail: actors.StateDetail = original(root)
    return _involvements([(e.event.slug, e.roles) for e in detail.events], role)


def _organization_events(
    root: Any, role: enums.ParticipationRole | None = None
) -> list[Involvement]:
    detail: actors.OrganizationDetail = original(root)
    roles: dict[str, list[enums.ParticipationRole]] = {}
    for group in detail.events:
        for ref in group.events:
            roles.setdefault(ref.slug, []).append(group.role)
    return _involvements(list(roles.items()), role)


@pydantic_type(model=actors.StateDetail, all_fields=True, name="State")
class State:
    events: list[Involvement] = strawberry.field(
        resolver=_state_events,
        description="the events the state took part in, with its roles at each",
    )
    claims: list[Claim] = claims_field()


@pydantic_type(model=actors.OrganizationDetail, all_fields=True, name="Organization")
class Organization:
    events: list[Involvement] = strawberry.field(
        resolver=_organization_events,
        description="the events the organisation took part in, with its roles at each",
    )
    claims: list[Claim] = claims_field()


@pydantic_type(model=documents.DocumentPart, all_fields=True, name="DocumentPart")
class DocumentPart:
    pass


@pydantic_type(model=documents.DocumentLink, all_fields=True, name="DocumentLink")
class DocumentLink:
    claims: list[Claim] = claims_field()


@pydantic_type(model=documents.DocumentEvent, all_fields=True, name="DocumentEvent")
class DocumentEvent:
    event: Event = strawberry.field(resolver=_linked_event)
    claims: list[Claim] = claims_field()


@pydantic_type(model=documents.DocumentDetail, all_fields=True, name="Document")
class Document:
    claims: list[Claim] = claims_field()


@pydantic_type(model=documents.Coverage, all_fields=True, name="Coverage")
class Coverage:
    pass


@pydantic_type(model=documents.ClaimCoverage, all_fields=True, name="ClaimCoverage")
class ClaimCoverage:
    pass


@pydantic_type(model=documents.SourceSummary, all_fields=True, name="SourceDocument")
class SourceDocument:
    pass


@pydantic_type(model=processes.ProcessDetail, all_fields=True, name="Process")
class Process:
    claims: list[Claim] = claims_field()


@pydantic_type(model=discovery.SearchHit, all_fields=True, name="SearchHit")
class SearchHit:
    pass


@pydantic_type(model=discovery.FacetValue, all_fields=True, name="FacetValue")
class FacetValue:
    pass


@pydantic_type(model=discovery.EventFacets, all_fields=True, name="EventFacets")
class EventFacets:
    pass


@pydantic_input(model=EventFilters, all_fields=True, name="EventFilter")
class EventFilter:
    pass


@strawberry.type(description="Where a page of a connection lies in its list (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="more items follow this page")
    has_previous_page: bool = strawberry.field(
        description="items come before this page: true when it was asked for `after` a cursor"
    )
    start_cursor: str | None = strawberry.field(description="the first edge's cursor")
    end_cursor: str | None = strawberry.field(
        description="the last edge's cursor: pass it as `after` for the next page"
    )


Node = TypeVar("Node")


# Generic: strawberry names them after the node type (EventEdge, EventConnection).
@strawberry.type(description="An item of a connection, with the cursor that points at it.")
class Edge(Generic[Node]):
    cursor: str = strawberry.field(description="pass it as `after` for the items after this one")
    node: Node


@strawberry.type(description="A page of a list (Relay connection), with keyset cursors.")
class Connection(Generic[Node]):
    total_count: int = strawberry.field(description="items in the whole list, on every page")
    page_info: PageInfo
    edges: list[Edge[Node]]
    nodes: list[Node] = strawberry.field(
        description="the edges' nodes, when cursors are not needed"
    )


EventConnection = Connection[Event]
OrganizationConnection = Connection[Organization]
