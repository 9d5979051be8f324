"""GraphQL types every family shares: references, passages, claims, participants, Relay pages.

The objects are built straight from rows, never through the REST details: a field the list or
the lookup already read is set on the object; every relation resolves through a DataLoader of
the request, keyed by its parent, so a query reads only what it selects, in one query per
relation whatever the number of parents. Builders follow one rule: `*_ref` makes a reference,
each family's `from_row` an object from its row and `from_summary` one from a list's summary.
"""

import base64
import datetime as dt
import inspect
import re
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar, cast

import strawberry
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLIncludeDirective,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.execution.values import get_directive_values
from pydantic import BaseModel
from strawberry.annotation import StrawberryAnnotation
from strawberry.experimental.pydantic import type as pydantic_type
from strawberry.extensions import FieldExtension
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.field import StrawberryField

from app import models
from app.graphql.context import BadUserInputError, GraphQLContext
from app.models import enums
from app.models.base import subject_of
from app.queries import batches
from app.queries.records import Subject
from app.schemas import actors, common

for vocabulary in (
    enums.ClaimBasis,
    enums.ClaimRank,
    enums.CountQualifier,
    enums.DatePrecision,
    enums.DocumentKind,
    enums.DocumentRelationKind,
    enums.DocumentStatus,
    enums.EntityType,
    enums.EventKind,
    enums.EventDimension,
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


# The metadata key of a list's size bound: the most items it holds per parent, the largest
# `first` it takes (the cost limit, app.graphql.cost, multiplies what each item selects by the
# `first` asked, or its default). Declared on the field it bounds; in brackets beside each, the
# largest the seed data has.
LIST_SIZE = "list_size"
# The argument that pages a list: every list of objects takes it.
PAGE_ARGUMENT = "first"
# The metadata key naming the list argument a list is as long as (`nodes(ids:)`), within its
# bound: the cost counts the items asked for.
SIZED_BY = "sized_by"


def included(node: Any, variables: Any) -> bool:
    """Whether @skip and @include keep a selection, as execution will (a directive that
    execution will refuse counts as keeping it). The cost before a query runs and the count as
    it runs both ask this."""
    try:
        skip = get_directive_values(GraphQLSkipDirective, node, variables)
        include = get_directive_values(GraphQLIncludeDirective, node, variables)
    except GraphQLError:
        return True
    return not (skip and skip["if"]) and (include is None or include["if"])


def _width(selections: SelectionSetNode | None, raw: Any) -> int:
    """The fields a selection asks of each object (fragments spread in place)."""
    if selections is None:
        return 0
    width = 0
    for node in selections.selections:
        if not included(node, raw.variable_values):
            continue
        if isinstance(node, FieldNode):
            width += 1
        elif isinstance(node, InlineFragmentNode):
            width += _width(node.selection_set, raw)
        elif isinstance(node, FragmentSpreadNode) and node.name.value in raw.fragments:
            width += _width(raw.fragments[node.name.value].selection_set, raw)
    return width


def _items(selections: SelectionSetNode | None, raw: Any) -> int:
    """What a connection's selection asks of each item: `nodes {...}` and `edges {...}`."""
    if selections is None:
        return 0
    width = 0
    for node in selections.selections:
        if not included(node, raw.variable_values):
            continue
        if isinstance(node, FieldNode) and node.name.value in ("nodes", "edges"):
            width += _width(node.selection_set, raw)
            if node.name.value == "edges" and node.selection_set is not None:
                for inner in node.selection_set.selections:
                    if isinstance(inner, FieldNode) and inner.name.value == "node":
                        width += _width(inner.selection_set, raw)
        elif isinstance(node, InlineFragmentNode):
            width += _items(node.selection_set, raw)
        elif isinstance(node, FragmentSpreadNode) and node.name.value in raw.fragments:
            width += _items(raw.fragments[node.name.value].selection_set, raw)
    return width


def produced(info: Info, items: int, *, connection: bool = False) -> None:
    """Count the values of `items` objects the field being resolved returns, each with the
    fields the query selects on it (through `nodes` and `edges` for a connection): the answer
    stops once past the cost limit (GraphQLContext.produce). A nested list counts its own."""
    raw = info._raw_info
    measure = _items if connection else _width
    width = sum(measure(node.selection_set, raw) for node in raw.field_nodes)
    produce = getattr(info.context, "produce", None)
    if produce is not None:
        produce(items * max(1, width))


class Capped(list[Any]):
    """A list read at most at its bound (SQL's limit), which knows how many there were."""

    def __init__(self, items: list[Any], total: int) -> None:
        super().__init__(items)
        self.total = total


class PagedList(FieldExtension):
    """A list field's page: it takes `first` (from 1 to its `maximum`, `default` if not given),
    which the cost computed before a query runs multiplies what each item selects by, and it
    holds the answer to it: past `first` the list is cut, and the answer says where
    (`extensions.truncated`: the path, the page size, how many there were).

    A resolver that reads a page itself (SQL's limit) declares `first` and is given it; for the
    others the argument is added here and the list they return is cut.
    """

    def __init__(self, default: int, maximum: int) -> None:
        super().__init__()
        self.default = default
        self.maximum = maximum
        self.passes_first = False

    def apply(self, field: StrawberryField) -> None:
        declared = next((a for a in field.arguments if a.python_name == PAGE_ARGUMENT), None)
        self.passes_first = declared is not None
        if declared is None:
            field.arguments = [
                *field.arguments,
                StrawberryArgument(
                    python_name=PAGE_ARGUMENT,
                    graphql_name=None,
                    type_annotation=StrawberryAnnotation(int),
                    default=self.default,
                    description=f"At most this many items: 1 to {self.maximum}.",
                ),
            ]
        else:
            declared.default = self.default
            declared.description = f"At most this many items: 1 to {self.maximum}."

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        first = self._first(info, kwargs)
        return self._cut(next_(source, info, **kwargs), info, first)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        first = self._first(info, kwargs)
        found = next_(source, info, **kwargs)
        if inspect.isawaitable(found):
            found = await found
        return self._cut(found, info, first)

    def _first(self, info: Info, kwargs: dict[str, Any]) -> int:
        first = kwargs[PAGE_ARGUMENT] if self.passes_first else kwargs.pop(PAGE_ARGUMENT)
        if not 1 <= first <= self.maximum:
            raise BadUserInputError(
                f"{info._raw_info.parent_type.name}.{info.field_name}: first must be between 1 and "
                f"{self.maximum} (limit: first)",
                argument=PAGE_ARGUMENT,
                limit=PAGE_ARGUMENT,
            )
        return cast(int, first)

    def _cut(self, found: Any, info: Info, first: int) -> Any:
        if not isinstance(found, list):
            return found
        total = found.total if isinstance(found, Capped) else len(found)
        if total <= first:
            produced(info, len(found))
            return found
        record = getattr(info.context, "truncated", None)
        if record is not None:
            record({"path": info.path.as_list(), "bound": first, "items": total})
        kept = found[:first]
        produced(info, len(kept))
        return kept


def bounded_field(
    maximum: int,
    *,
    default: int | None = None,
    resolver: Callable[..., Any] | None = None,
    description: str | None = None,
) -> Any:
    """`strawberry.field` of a list of at most `maximum` items per parent, paged by `first`
    (`default` if not given, `maximum` unless said): declared for the cost limit (its metadata),
    held when it resolves (PagedList); without a resolver, a decorator."""
    page = PagedList(maximum if default is None else default, maximum)
    if resolver is None:
        return strawberry.field(
            description=description, metadata={LIST_SIZE: maximum}, extensions=[page]
        )
    return strawberry.field(
        resolver=resolver, description=description, metadata={LIST_SIZE: maximum}, extensions=[page]
    )


def described(
    model: type[BaseModel], name: str, resolver: Callable[..., Any], *, bound: int | None = None
) -> Any:
    """A field resolved by `resolver`, described as the REST shape describes it."""
    description = model.model_fields[name].description
    if bound is not None:
        return bounded_field(bound, resolver=resolver, description=description)
    return strawberry.field(resolver=resolver, description=description)


def global_id(type_name: str, key: str) -> str:
    """A record's id across the schema: opaque, the same in every data version."""
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


def from_global_id(value: str) -> tuple[str, str]:
    """The type and the key a global id holds, or BAD_USER_INPUT naming `id`."""
    try:
        plain = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except ValueError:
        plain = ""
    type_name, colon, key = plain.partition(":")
    # A key no record has and no database can compare (PostgreSQL refuses NUL in text).
    if not (type_name and colon and key) or "\x00" in plain:
        raise BadUserInputError(f"id: {value!r} is not an id this API gave", argument="id")
    return type_name, key


@strawberry.interface(
    description="A record with an id of its own across the schema: `node(id:)` finds it again "
    "(Relay's Object Identification)."
)
class Node:
    subject: strawberry.Private[Subject]

    @strawberry.field(description="Opaque and stable: the same record has it in every version.")
    def id(self, info: Info) -> strawberry.ID:
        return strawberry.ID(global_id(info._raw_info.parent_type.name, self.subject[1]))


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


def sources_field(bound: int = 10) -> Any:
    """`sources`, the same on every type whose REST shape carries them: the passages one record
    cites [6]."""
    return bounded_field(bound, resolver=_sources)


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
    sources: list[Source] = bounded_field(10, resolver=_claim_sources)
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
    """`claims(field)`, the same on every type whose REST shape carries claims [12]."""
    return bounded_field(30, resolver=_claims, description=common.CLAIMS_DOC)


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


def participant_from_row(
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


@pydantic_type(model=actors.ProcessRoleEntry, all_fields=True, name="ProcessRoleEntry")
class ProcessRoleEntry:
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()


def role_entries(rows: list[Any]) -> list[ProcessRoleEntry]:
    return [
        ProcessRoleEntry(subject=subject_of(actor), process=actor.process_slug, role=actor.role)
        for (actor,) in rows
    ]


@pydantic_type(model=actors.RoleEvents, all_fields=True, name="RoleEvents")
class RoleEvents:
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


Item = TypeVar("Item")


# Generic: strawberry names them after the node type (EventEdge, EventConnection).
@strawberry.type(description="An item of a connection, with the cursor that points at it.")
class Edge(Generic[Item]):
    cursor: str = strawberry.field(description="pass it as `after` for the items after this one")
    node: Item


@strawberry.type(description="A page of a list (Relay connection), with keyset cursors.")
class Connection(Generic[Item]):
    total_count: int = strawberry.field(description="items in the whole list, on every page")
    page_info: PageInfo
    edges: list[Edge[Item]]
    nodes: list[Item] = strawberry.field(
        description="the edges' nodes, when cursors are not needed"
    )
