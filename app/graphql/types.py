"""GraphQL types, derived from the REST shapes (app.schemas): one field list for both APIs.

The objects are built straight from rows, never through the REST details: a field the list or
the lookup already read is set on the object; every relation (participants, sources, claims,
a state's events...) resolves through a DataLoader of the request, keyed by its parent, so a
query reads only what it selects, in one query per relation whatever the number of parents.
Where REST returns a reference to an event (slug, title, dates), GraphQL returns the whole
Event, loaded the same way.
"""

import asyncio
import datetime as dt
import re
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar, cast

import strawberry
from pydantic import BaseModel
from strawberry.experimental.pydantic import input as pydantic_input
from strawberry.experimental.pydantic import type as pydantic_type
from strawberry.scalars import JSON
from strawberry.types import Info

from app import models
from app.graphql.context import GraphQLContext
from app.models import enums
from app.models.base import subject_of
from app.queries import batches
from app.queries.actors import ORGANIZATION_CHILDREN, STATE_CHILDREN, organization_fields
from app.queries.documents import DOCUMENT_CHILDREN, document_fields
from app.queries.events import EVENT_CHILDREN
from app.queries.filters import FUNDER_ROLES, ORGANIZER_ROLES, EventFilters
from app.queries.processes import PROCESS_CHILDREN
from app.queries.records import Subject, direction
from app.schemas import actors, common, discovery, documents, events, processes
from app.schemas.common import partial_date

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


def described(model: type[BaseModel], name: str, resolver: Callable[..., Any]) -> Any:
    """A field resolved by `resolver`, described as the REST shape describes it."""
    return strawberry.field(resolver=resolver, description=model.model_fields[name].description)


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


def state_ref(state: models.State | common.StateRef | None) -> StateRef | None:
    return StateRef(code=state.code, name=state.name) if state else None


def organization_ref(
    organization: models.Organization | common.OrganizationRef | None,
) -> OrganizationRef | None:
    if organization is None:
        return None
    return OrganizationRef(
        slug=organization.slug, acronym=organization.acronym, name=organization.name
    )


def person_ref(person: models.Person | None) -> PersonRef | None:
    return PersonRef(slug=person.slug, name=person.name) if person else None


def document_ref(document: models.Document) -> DocumentRef:
    return DocumentRef(slug=document.slug, title=document.title, kind=document.kind)


@strawberry.type(description="A source document, by its slug (GET /api/v1/sources/{slug}).")
class SourceDocumentRef:
    slug: str


def _source_document(root: "Source") -> SourceDocumentRef:
    return SourceDocumentRef(slug=root.document_slug)


@pydantic_type(model=common.Source, all_fields=True, name="Source")
class Source:
    document_slug: strawberry.Private[str]
    document: SourceDocumentRef = strawberry.field(
        resolver=_source_document, description="the source document the passage is quoted from"
    )


def _source(passage: common.Source) -> Source:
    return Source(
        document_slug=passage.document,
        quote=passage.quote,
        start=passage.start,
        end=passage.end,
        slide=passage.slide,
    )


async def _sources(root: Any, info: Ctx) -> list[Source]:
    """The passages the record cites (its `subject`), read when a query selects them."""
    return [_source(passage) for passage in await info.context.sources.load(root.subject)]


def sources_field() -> Any:
    """`sources`, the same on every type whose REST shape carries them."""
    return strawberry.field(resolver=_sources)


async def _claim_sources(root: "Claim", info: Ctx) -> list[Source]:
    passages = await info.context.sources.load((enums.SubjectType.claim, root.id))
    return [_source(passage) for passage in passages]


@strawberry.type(description="One value of a field as one source document states it.")
class Claim:
    id: strawberry.Private[str]
    field: str = strawberry.field(description="the field the claim is about, as REST names it")
    value: JSON = strawberry.field(description=common.Claim.model_fields["value"].description)
    rank: enums.ClaimRank = strawberry.field(
        description=common.Claim.model_fields["rank"].description
    )
    basis: enums.ClaimBasis = strawberry.field(
        description=common.Claim.model_fields["basis"].description
    )
    document: SourceDocumentRef
    sources: list[Source] = strawberry.field(resolver=_claim_sources)
    note: str | None


async def _claims(root: Any, info: Ctx, field: str | None = None) -> list[Claim]:
    """The claims of the record, on one field or on all of them (REST's `claims`, as a list).

    `field` may be written as GraphQL names it (`startDate`) or as REST does (`start_date`).
    """
    if field is not None:
        field = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", field).lower()
    return [
        Claim(
            id=claim.id,
            field=claim.field,
            value=cast(JSON, claim.value),
            rank=claim.rank,
            basis=claim.basis,
            document=SourceDocumentRef(slug=claim.document),
            note=claim.note,
        )
        for claim in await info.context.claims.load(root.subject)
        if field is None or claim.field == field
    ]


def claims_field() -> Any:
    """`claims(field)`, the same on every type whose REST shape carries claims."""
    return strawberry.field(resolver=_claims, description=common.CLAIMS_DOC)


async def _aliases(root: Any, info: Ctx) -> list[str]:
    return batches.aliases(await info.context.claims.load(root.subject))


def aliases_field(model: type[BaseModel]) -> Any:
    """`aliases`: the record's preferred alias claims, read with its claims."""
    return described(model, "aliases", _aliases)


@pydantic_type(model=common.Actor, all_fields=True, name="Actor")
class Actor:
    pass


@pydantic_type(model=common.Participant, all_fields=True, name="Participant")
class Participant:
    role: enums.ParticipationRole
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()


def _participant(
    participation: models.Participation,
    state: models.State | None,
    organization: models.Organization | None,
    person: models.Person | None,
) -> Participant:
    return Participant(
        subject=subject_of(participation),
        role=participation.role,
        state=state_ref(state),
        organization=organization_ref(organization),
        person=person_ref(person),
    )


@pydantic_type(model=common.NumberedText, all_fields=True, name="NumberedText")
class NumberedText:
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()


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
    funders: list[Funder] = strawberry.field(resolver=_project_funders)


async def _load_event(info: Ctx, slug: str) -> "Event":
    found = await info.context.records("events").load(slug)
    if found is None:
        # Linked a moment ago and gone now: the seed was reloaded between two reads.
        raise LookupError(f"event {slug} is gone")
    return event_of(*found)


async def _linked_event(root: Any, info: Ctx) -> "Event":
    return await _load_event(info, root.event_slug)


# An event links to events: the type refers to Event, which is declared below.
LazyEvent = Annotated["Event", strawberry.lazy("app.graphql.types")]


@pydantic_type(model=events.EventLink, all_fields=True, name="EventLink")
class EventLink:
    subject: strawberry.Private[Subject]
    event_slug: strawberry.Private[str]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    event: LazyEvent = strawberry.field(resolver=_linked_event)


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
    return [_participant(*row) for row in rows]


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
class Event:
    slug: str
    subject: strawberry.Private[Subject]
    row: strawberry.Private[models.Event | None]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    aliases: list[str] = aliases_field(events.EventDetail)
    summary: str | None = _event_column("summary", lambda event: event.summary)
    attendance: str | None = _event_column("attendance", lambda event: event.attendance)
    process: str | None = _event_column("process", lambda event: event.process_slug)
    process_relation: enums.EventProcessRelation | None = _event_column(
        "process_relation", lambda event: event.process_relation
    )
    organizers: list[Participant] = described(events.EventDetail, "organizers", _organizers)
    funders: list[Participant] = described(events.EventDetail, "funders", _funders)
    participants: list[Participant] = described(events.EventDetail, "participants", _participants)
    outcomes: list[Outcome] = strawberry.field(resolver=_outcomes)
    themes: list[Theme] = strawberry.field(resolver=_themes)
    relations: list[EventLink] = described(events.EventDetail, "relations", _relations)
    project: ProjectRef | None = strawberry.field(resolver=_project)


def event_of(event: models.Event, country: models.State | None) -> Event:
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
        start_date=partial_date(event.start_date, event.start_precision) or "",
        end_date=partial_date(event.end_date, event.end_precision) or "",
        status=event.status,
        city=event.city,
        country=state_ref(country),
        participant_count=count,
        related=event.process_slug is None,
    )


def listed_event(summary: events.EventSummary) -> Event:
    """An Event from a list's summary; the fields lists do not read are read when selected."""
    count = summary.participant_count
    return Event(
        subject=(enums.SubjectType.event, summary.slug),
        row=None,
        slug=summary.slug,
        title=summary.title,
        kind=summary.kind,
        start_date=summary.start_date,
        end_date=summary.end_date,
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
    roles: list[enums.ParticipationRole]

    @strawberry.field
    async def event(self, info: Ctx) -> Event:
        return await _load_event(info, self.slug)


def _involvements(
    found: dict[str, list[enums.ParticipationRole]], role: enums.ParticipationRole | None
) -> list[Involvement]:
    return [
        Involvement(slug=slug, roles=roles)
        for slug, roles in found.items()
        if role is None or role in roles
    ]


def _event_roles(rows: list[Any]) -> dict[str, list[enums.ParticipationRole]]:
    """Each event once, in date order, with the roles taken at it (rows: key, event, role)."""
    found: dict[str, list[enums.ParticipationRole]] = {}
    for _, event, role in rows:
        found.setdefault(event.slug, []).append(enums.ParticipationRole(role))
    return found


@pydantic_type(model=actors.ProcessRoleEntry, all_fields=True, name="ProcessRoleEntry")
class ProcessRoleEntry:
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()


def _role_entries(rows: list[Any]) -> list[ProcessRoleEntry]:
    return [
        ProcessRoleEntry(subject=subject_of(actor), process=actor.process_slug, role=actor.role)
        for (actor,) in rows
    ]


@pydantic_type(model=actors.RoleEvents, all_fields=True, name="RoleEvents")
class RoleEvents:
    pass


async def _alpha2(root: "State", info: Ctx) -> str:
    if root.row is not None:
        return root.row.alpha2
    found = await info.context.records("states").load(root.code)
    if found is None:
        raise LookupError(f"state {root.code} is gone")
    alpha2: str = found[0].alpha2
    return alpha2


async def _state_process_roles(root: "State", info: Ctx) -> list[ProcessRoleEntry]:
    return _role_entries(
        await info.context.children(STATE_CHILDREN["process_roles"]).load(root.code)
    )


async def _state_events(
    root: "State", info: Ctx, role: enums.ParticipationRole | None = None
) -> list[Involvement]:
    rows = await info.context.children(STATE_CHILDREN["events"]).load(root.code)
    return _involvements(_event_roles(rows), role)


@pydantic_type(model=actors.StateDetail, all_fields=True, name="State")
class State:
    code: str
    subject: strawberry.Private[Subject]
    row: strawberry.Private[models.State | None]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    alpha2: str = strawberry.field(resolver=_alpha2)
    aliases: list[str] = aliases_field(actors.StateDetail)
    process_roles: list[ProcessRoleEntry] = strawberry.field(resolver=_state_process_roles)
    events: list[Involvement] = strawberry.field(
        resolver=_state_events,
        description="the events the state took part in, with its roles at each",
    )


def state_of(state: models.State, role: str | None) -> State:
    """A State from its row and its role in the main process."""
    return State(
        subject=subject_of(state),
        row=state,
        code=state.code,
        name=state.name,
        official_name=state.official_name,
        role=enums.ProcessRole(role) if role else None,
    )


def listed_state(summary: actors.StateSummary) -> State:
    return State(
        subject=(enums.SubjectType.state, summary.code),
        row=None,
        code=summary.code,
        name=summary.name,
        official_name=summary.official_name,
        role=summary.role,
    )


async def _children(root: "Organization", info: Ctx) -> list[OrganizationRef]:
    rows = await info.context.children(ORGANIZATION_CHILDREN["children"]).load(root.slug)
    return [ref for (child,) in rows if (ref := organization_ref(child))]


async def _people(root: "Organization", info: Ctx) -> list[PersonRef]:
    rows = await info.context.children(ORGANIZATION_CHILDREN["people"]).load(root.slug)
    return [ref for (person,) in rows if (ref := person_ref(person))]


async def _organization_process_roles(root: "Organization", info: Ctx) -> list[ProcessRoleEntry]:
    loader = info.context.children(ORGANIZATION_CHILDREN["process_roles"])
    return _role_entries(await loader.load(root.slug))


async def _organization_events(
    root: "Organization", info: Ctx, role: enums.ParticipationRole | None = None
) -> list[Involvement]:
    rows = await info.context.children(ORGANIZATION_CHILDREN["events"]).load(root.slug)
    # By role, then by date within a role, as REST groups them (`events` by role).
    by_role: dict[enums.ParticipationRole, list[str]] = {}
    for slug, roles in _event_roles(rows).items():
        for each in roles:
            by_role.setdefault(each, []).append(slug)
    found: dict[str, list[enums.ParticipationRole]] = {}
    for each, slugs in sorted(by_role.items()):
        for slug in slugs:
            found.setdefault(slug, []).append(each)
    return _involvements(found, role)


@pydantic_type(model=actors.OrganizationDetail, all_fields=True, name="Organization")
class Organization:
    slug: str
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    aliases: list[str] = aliases_field(actors.OrganizationDetail)
    children: list[OrganizationRef] = strawberry.field(resolver=_children)
    people: list[PersonRef] = strawberry.field(resolver=_people)
    process_roles: list[ProcessRoleEntry] = strawberry.field(resolver=_organization_process_roles)
    events: list[Involvement] = strawberry.field(
        resolver=_organization_events,
        description="the events the organisation took part in, with its roles at each",
    )


def organization_of(
    organization: models.Organization | actors.OrganizationSummary,
    country: models.State | common.StateRef | None,
    parent: models.Organization | common.OrganizationRef | None,
) -> Organization:
    """An Organization from its row (or a list's summary), its country's and its parent's."""
    return Organization(
        subject=(enums.SubjectType.organization, organization.slug),
        **organization_fields(organization),
        country=state_ref(country),
        parent=organization_ref(parent),
    )


@pydantic_type(model=documents.DocumentPart, all_fields=True, name="DocumentPart")
class DocumentPart:
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()


@pydantic_type(model=documents.DocumentLink, all_fields=True, name="DocumentLink")
class DocumentLink:
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()


@pydantic_type(model=documents.DocumentEvent, all_fields=True, name="DocumentEvent")
class DocumentEvent:
    subject: strawberry.Private[Subject]
    event_slug: strawberry.Private[str]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    event: Event = strawberry.field(resolver=_linked_event)


async def _description(root: "Document", info: Ctx) -> str | None:
    if root.row is not None:
        return root.row.description
    found = await info.context.records("documents").load(root.slug)
    if found is None:
        raise LookupError(f"document {root.slug} is gone")
    description: str | None = found[0].description
    return description


async def _document_events(root: "Document", info: Ctx) -> list[DocumentEvent]:
    rows = await info.context.children(DOCUMENT_CHILDREN["events"]).load(root.slug)
    return [
        DocumentEvent(subject=subject_of(outcome), event_slug=event.slug, relation=outcome.relation)
        for outcome, event in rows
    ]


async def _parts(root: "Document", info: Ctx) -> list[DocumentPart]:
    areas, objectives = await asyncio.gather(
        info.context.children(DOCUMENT_CHILDREN["areas"]).load(root.slug),
        info.context.children(DOCUMENT_CHILDREN["objectives"]).load(root.slug),
    )
    return [
        DocumentPart(
            subject=subject_of(area),
            kind=enums.PartKind.area_of_common_understanding,
            number=area.number,
            text=area.title,
        )
        for (area,) in areas
    ] + [
        DocumentPart(
            subject=subject_of(objective),
            kind=enums.PartKind.objective,
            number=objective.number,
            text=objective.text,
        )
        for (objective,) in objectives
    ]


async def _document_relations(root: "Document", info: Ctx) -> list[DocumentLink]:
    rows = await info.context.children(DOCUMENT_CHILDREN["relations"]).load(root.slug)
    return [
        DocumentLink(
            subject=subject_of(link),
            relation=link.relation,
            direction=direction(link, root.slug),
            document=document_ref(other),
        )
        for link, other in rows
    ]


@pydantic_type(model=documents.DocumentDetail, all_fields=True, name="Document")
class Document:
    slug: str
    subject: strawberry.Private[Subject]
    row: strawberry.Private[models.Document | None]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    aliases: list[str] = aliases_field(documents.DocumentDetail)
    description: str | None = strawberry.field(resolver=_description)
    events: list[DocumentEvent] = strawberry.field(resolver=_document_events)
    parts: list[DocumentPart] = strawberry.field(resolver=_parts)
    relations: list[DocumentLink] = strawberry.field(resolver=_document_relations)


def document_of(document: models.Document, author: models.Organization | None) -> Document:
    """A Document from its row and its author's."""
    return Document(
        subject=subject_of(document),
        row=document,
        **document_fields(document),
        author=organization_ref(author),
    )


def listed_document(summary: documents.DocumentSummary) -> Document:
    return Document(
        subject=(enums.SubjectType.document, summary.slug),
        row=None,
        slug=summary.slug,
        title=summary.title,
        acronym=summary.acronym,
        kind=summary.kind,
        status=summary.status,
        date=summary.date,
        process=summary.process,
        author=organization_ref(summary.author),
    )


@pydantic_type(model=documents.Coverage, all_fields=True, name="Coverage")
class Coverage:
    pass


@pydantic_type(model=documents.ClaimCoverage, all_fields=True, name="ClaimCoverage")
class ClaimCoverage:
    pass


@pydantic_type(model=documents.SourceSummary, all_fields=True, name="SourceDocument")
class SourceDocument:
    pass


def _process_row(name: str, read: Callable[[models.Process], Any]) -> Any:
    """A field of the process's row that the list of processes does not read."""

    async def resolve(root: "Process", info: Ctx) -> Any:
        row = root.row
        if row is None:
            row = await info.context.records("processes").load(root.slug)
            if row is None:
                raise LookupError(f"process {root.slug} is gone")
        return read(row)

    return described(processes.ProcessDetail, name, resolve)


async def _actors(root: "Process", info: Ctx, role: enums.ProcessRole) -> list[Any]:
    """The process's (state, organisation) in one role, in the detail's order."""
    rows = await info.context.children(PROCESS_CHILDREN["actors"]).load(root.slug)
    return [(state, organization) for actor, state, organization in rows if actor.role == role]


async def _initiators(root: "Process", info: Ctx) -> list[Actor]:
    found = await _actors(root, info, enums.ProcessRole.initiator)
    return [Actor(state=state_ref(s), organization=organization_ref(o)) for s, o in found]


async def _states_as(root: "Process", info: Ctx, role: enums.ProcessRole) -> list[StateRef]:
    return [ref for s, _ in await _actors(root, info, role) if (ref := state_ref(s))]


async def _chair(root: "Process", info: Ctx) -> StateRef | None:
    chairs = await _states_as(root, info, enums.ProcessRole.chair)
    return chairs[0] if chairs else None


async def _members(root: "Process", info: Ctx) -> list[StateRef]:
    return await _states_as(root, info, enums.ProcessRole.member)


async def _observers(root: "Process", info: Ctx) -> list[StateRef]:
    return await _states_as(root, info, enums.ProcessRole.observer)


async def _secretariat(root: "Process", info: Ctx) -> list[OrganizationRef]:
    found = await _actors(root, info, enums.ProcessRole.secretariat)
    return [ref for _, o in found if (ref := organization_ref(o))]


async def _objectives(root: "Process", info: Ctx) -> list[NumberedText]:
    rows = await info.context.children(PROCESS_CHILDREN["objectives"]).load(root.slug)
    return [NumberedText(subject=subject_of(o), number=o.number, text=o.text) for (o,) in rows]


async def _key_areas(root: "Process", info: Ctx) -> list[NumberedText]:
    rows = await info.context.children(PROCESS_CHILDREN["key_areas"]).load(root.slug)
    return [NumberedText(subject=subject_of(a), number=a.position, text=a.text) for (a,) in rows]


@pydantic_type(model=processes.ProcessDetail, all_fields=True, name="Process")
class Process:
    slug: str
    subject: strawberry.Private[Subject]
    row: strawberry.Private[models.Process | None]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    aliases: list[str] = aliases_field(processes.ProcessDetail)
    description: str | None = _process_row("description", lambda p: p.description)
    initiated: int | None = _process_row(
        "initiated", lambda p: p.initiated_date.year if p.initiated_date else None
    )
    initiated_on: str | None = _process_row(
        "initiated_on", lambda p: partial_date(p.initiated_date, p.initiated_precision)
    )
    launched_on: str | None = _process_row(
        "launched_on", lambda p: partial_date(p.launched_date, p.launched_precision)
    )
    initiators: list[Actor] = strawberry.field(resolver=_initiators)
    chair: StateRef | None = strawberry.field(resolver=_chair)
    secretariat: list[OrganizationRef] = strawberry.field(resolver=_secretariat)
    secretariat_function: str | None = _process_row(
        "secretariat_function", lambda p: p.secretariat_function
    )
    members: list[StateRef] = strawberry.field(resolver=_members)
    observers: list[StateRef] = strawberry.field(resolver=_observers)
    objectives: list[NumberedText] = strawberry.field(resolver=_objectives)
    key_areas: list[NumberedText] = strawberry.field(resolver=_key_areas)


def process_of(process: models.Process | processes.ProcessSummary) -> Process:
    """A Process from its row, or from a list's summary (its other fields read when selected)."""
    return Process(
        subject=(enums.SubjectType.process, process.slug),
        row=process if isinstance(process, models.Process) else None,
        slug=process.slug,
        name=process.name,
        acronym=process.acronym,
        kind=process.kind,
    )


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
