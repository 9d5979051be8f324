"""The GraphQL schema: root fields over the shared query layer, with abuse limits."""

import asyncio
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from datetime import date
from typing import Annotated, Any, TypeVar, cast

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
    specified_rules,
    validate,
)
from pydantic import TypeAdapter, ValidationError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.scalars import JSON
from strawberry.types import ExecutionContext
from strawberry.types.base import get_object_definition

from app.config import settings
from app.graphql import common, discovery
from app.graphql import documents as document_types
from app.graphql import events as event_types
from app.graphql import organizations as organization_types
from app.graphql import people as person
from app.graphql import processes as process_types
from app.graphql import states as state_types
from app.graphql.common import (
    LIST_SIZE,
    SIZED_BY,
    Ctx,
    Node,
    bounded_field,
    from_global_id,
    produced,
)
from app.graphql.context import BadUserInputError
from app.graphql.cost import NotRunnableError, QueryCost, QueryCostReport, judge
from app.graphql.cost import report as cost_report
from app.graphql.errors import ErrorCodes
from app.http.memo import SmallInputMemo
from app.models import enums
from app.models.enums import EventDimension
from app.param_types import text
from app.queries import actors, documents, events, people, processes, search, stats
from app.queries.entities import BY_PLURAL
from app.queries.filters import EventFilters
from app.queries.pagination import MAX_LIMIT, Listing, PageParams

MAX_FIRST = 100
MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000
EVERYTHING = PageParams(limit=MAX_LIMIT)
_TEXT = TypeAdapter(Annotated[str, text("text")])


def root_list(plural: str) -> int:
    """A root list's size bound, as the registry of kinds of record declares it."""
    bound = BY_PLURAL[plural].list_bound
    assert bound is not None, plural
    return bound


def _page(first: int, after: str | None) -> PageParams:
    """The page a connection asks for: `first` is held to its bounds by its field (PagedList)."""
    try:
        return PageParams(limit=first, cursor=after)
    except ValidationError:
        raise BadUserInputError(
            "after: is not a cursor this API issued", argument="after"
        ) from None


def _text(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return _TEXT.validate_python(value.strip())
    except ValidationError as error:
        raise BadUserInputError(f"{name}: {error.errors()[0]['msg']}", argument=name) from None


def _camel(name: str) -> str:
    """A REST field name as GraphQL writes it: date_from -> dateFrom."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _filters(given: event_types.EventFilter | None) -> EventFilters:
    """The input as the shared filter model; a bad value is an error on this field's path."""
    if given is None:
        return EventFilters()
    try:
        filters: EventFilters = given.to_pydantic()
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(["filter", *(_camel(str(part)) for part in first["loc"])])
        raise BadUserInputError(f"{name}: {first['msg']}", argument=name) from None
    return filters


def _connection(
    info: Ctx, listing: Listing[Any], nodes: Sequence[Any], after: str | None
) -> dict[str, Any]:
    """A Relay connection's fields; each edge carries the REST keyset cursor.

    `hasPreviousPage` is true when the page starts after a cursor: that cursor is of an item
    the list had, which comes before this page (Relay allows false here; true tells more).
    """
    pairs = list(zip(listing.cursors, nodes, strict=True))
    common.produced(info, len(pairs), connection=True)
    page_info = common.PageInfo(
        has_next_page=listing.page.next_cursor is not None,
        has_previous_page=bool(after),
        start_cursor=pairs[0][0] if pairs else None,
        end_cursor=pairs[-1][0] if pairs else None,
    )
    return {
        "total_count": listing.page.total,
        "page_info": page_info,
        "edges": [common.Edge(cursor=cursor, node=item) for cursor, item in pairs],
        "nodes": list(nodes),
    }


# Groups an answer of eventStats may hold: years x kinds x statuses of the seed are a few
# dozen; states x roles x years a few thousand.
STATS_ROWS = 5_000


# The records an id can name: by their GraphQL type, the loader of their kind and the builder
# of the object from what it loads.
NODES: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "Process": ("processes", process_types.from_row),
    "State": ("states", lambda found: state_types.from_row(*found)),
    "Organization": ("organizations", lambda found: organization_types.from_row(*found)),
    "Person": ("people", lambda found: person.from_row(*found)),
    "Event": ("events", lambda found: event_types.from_row(*found)),
    "Document": ("documents", lambda found: document_types.from_row(*found)),
}
# The most ids `nodes(ids:)` takes.
MAX_IDS = MAX_FIRST


Record = TypeVar("Record", bound=Node)


async def _record(info: Ctx, kind: type[Record], key: str) -> Record | None:
    """The record of a type by its key, through its kind's loader; None if there is none."""
    plural, build = NODES[get_object_definition(kind, strict=True).name]
    found = await info.context.records(plural).load(key)
    return cast(Record, build(found)) if found else None


async def _node(info: Ctx, id: strawberry.ID) -> Node | None:
    type_name, key = from_global_id(id)
    known = NODES.get(type_name)
    if known is None:
        return None
    plural, build = known
    found = await info.context.records(plural).load(key)
    return build(found) if found else None


@strawberry.type
class Query:
    @strawberry.field(description="The record an `id` names; null if there is none.")
    async def node(self, info: Ctx, id: strawberry.ID) -> Node | None:
        return await _node(info, id)

    @strawberry.field(
        description=f"The records the ids name, in their order (null where there is none); at "
        f"most {MAX_IDS}.",
        metadata={LIST_SIZE: MAX_IDS, SIZED_BY: "ids"},
    )
    async def nodes(self, info: Ctx, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_IDS:
            raise BadUserInputError(
                f"ids: at most {MAX_IDS} ids (limit: ids)", argument="ids", limit="ids"
            )
        found = list(await asyncio.gather(*(_node(info, each) for each in ids)))
        produced(info, len(found))
        return found

    @strawberry.field(description="The Almaty Process.")
    async def process(self, info: Ctx) -> process_types.Process | None:
        return await _record(info, process_types.Process, settings.main_process)

    @bounded_field(
        root_list("processes"),
        description="The Almaty Process and the other processes the documents name.",
    )
    async def processes(self, info: Ctx) -> list[process_types.Process]:
        listed = await info.context.read(
            lambda session: processes.list_processes(session, page=EVERYTHING)
        )
        return [process_types.from_summary(process) for process in listed.items]

    @bounded_field(
        root_list("states"), description="States, optionally only the members or the observers."
    )
    async def states(
        self, info: Ctx, role: state_types.StateRole | None = None
    ) -> list[state_types.State]:
        listed = await info.context.read(
            lambda session: actors.list_states(
                session, role=role.value if role else None, page=EVERYTHING
            )
        )
        return [state_types.from_summary(state) for state in listed.items]

    @strawberry.field(description="A state by ISO 3166-1 alpha-3 code; null if unknown.")
    async def state(self, info: Ctx, code: str) -> state_types.State | None:
        return await _record(info, state_types.State, code.upper())

    @bounded_field(
        MAX_FIRST,
        default=50,
        description="Organisations by name, optionally of one kind or matching q.",
    )
    async def organizations(
        self,
        info: Ctx,
        kind: enums.OrganizationKind | None = None,
        q: str | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> organization_types.OrganizationConnection:
        page, words = _page(first, after), _text(q, "q")
        listing = await info.context.read(
            lambda session: actors.list_organizations(session, kind=kind, q=words, page=page)
        )
        nodes = [organization_types.from_summary(o) for o in listing.page.items]
        return organization_types.OrganizationConnection(**_connection(info, listing, nodes, after))

    @strawberry.field(description="An organisation by slug; null if unknown.")
    async def organization(self, info: Ctx, slug: str) -> organization_types.Organization | None:
        return await _record(info, organization_types.Organization, slug)

    @bounded_field(
        MAX_FIRST, default=50, description="People the documents name, by name (keyset cursors)."
    )
    async def people(
        self, info: Ctx, first: int = 50, after: str | None = None
    ) -> common.Connection[person.Person]:
        page = _page(first, after)
        listing = await info.context.read(lambda session: people.list_people(session, page=page))
        nodes = [person.from_summary(summary) for summary in listing.page.items]
        return common.Connection[person.Person](**_connection(info, listing, nodes, after))

    @strawberry.field(description="A person by slug; null if unknown.")
    async def person(self, info: Ctx, slug: str) -> person.Person | None:
        return await _record(info, person.Person, slug)

    @bounded_field(
        MAX_FIRST,
        default=50,
        description="Events, filtered, ordered and paginated (keyset cursors).",
    )
    async def events(
        self,
        info: Ctx,
        filter: event_types.EventFilter | None = None,
        order_by: event_types.EventOrder = event_types.EventOrder.START_DATE,
        first: int = 50,
        after: str | None = None,
    ) -> event_types.EventConnection:
        page, filters = _page(first, after), _filters(filter)
        listing = await info.context.read(
            lambda session: events.list_events(
                session, filters=filters, sort=order_by.value, page=page
            )
        )
        nodes = [event_types.from_summary(event) for event in listing.page.items]
        return event_types.EventConnection(**_connection(info, listing, nodes, after))

    @strawberry.field(description="An event by slug; null if unknown.")
    async def event(self, info: Ctx, slug: str) -> event_types.Event | None:
        return await _record(info, event_types.Event, slug)

    @bounded_field(root_list("documents"), description="Documents the processes produced or used.")
    async def documents(
        self,
        info: Ctx,
        kind: enums.DocumentKind | None = None,
        status: enums.DocumentStatus | None = None,
    ) -> list[document_types.Document]:
        listed = await info.context.read(
            lambda session: documents.list_documents(
                session, kind=kind, status=status, page=EVERYTHING
            )
        )
        return [document_types.from_summary(document) for document in listed.items]

    @strawberry.field(description="A document by slug; null if unknown.")
    async def document(self, info: Ctx, slug: str) -> document_types.Document | None:
        return await _record(info, document_types.Document, slug)

    @bounded_field(
        root_list("sources"), description="The source documents, with their citation coverage."
    )
    async def sources(self, info: Ctx) -> list[document_types.SourceDocument]:
        listed = await info.context.read(
            lambda session: documents.list_sources(session, page=EVERYTHING)
        )
        return [document_types.SourceDocument.from_pydantic(source) for source in listed.items]

    @bounded_field(MAX_FIRST, default=20, description="Every kind of entity matching q, ranked.")
    async def search(self, info: Ctx, q: str, first: int = 20) -> list[discovery.SearchHit]:
        words = _text(q, "q") or ""
        hits = await info.context.read(
            lambda session: search.search(session, q=words, limit=first, cursor=None)
        )
        return [discovery.SearchHit.from_pydantic(hit) for hit in hits.items]

    @strawberry.field(description="Counts of matching events by year, kind, country, organisation.")
    async def event_facets(
        self,
        info: Ctx,
        filter: event_types.EventFilter | None = None,
    ) -> discovery.EventFacets:
        filters = _filters(filter)
        facets = await info.context.read(
            lambda session: events.event_facets(session, filters=filters)
        )
        return discovery.EventFacets.from_pydantic(facets)

    @strawberry.field(
        description="What a query would cost (`extensions.cost` of its answer), without "
        "running it: to page a query to within the limit before sending it."
    )
    def query_cost(
        self,
        info: Ctx,
        query: str,
        variables: JSON | None = None,
        operation_name: str | None = None,
    ) -> QueryCostReport:
        if variables is not None and not isinstance(variables, dict):
            raise BadUserInputError("variables: must be an object", argument="variables")
        # Parsed and validated through the memos a request's query goes through.
        try:
            document = _parsed(query)
        except GraphQLError as error:
            raise BadUserInputError(f"query: {error.message}", argument="query") from None
        invalid = _validation_memo(COST_RULES)(query)
        if invalid:
            raise BadUserInputError(f"query: {invalid[0].message}", argument="query")
        try:
            weight, refused = judge(
                info._raw_info.schema,
                document,
                operation_name=operation_name,
                variables=variables,
                max_page=MAX_FIRST,
            )
        except NotRunnableError as error:
            argument = error.argument
            raise BadUserInputError(f"{argument}: {error.reason}", argument=argument) from None
        return cost_report(weight, refused)

    @bounded_field(
        STATS_ROWS,
        description="How many matching events there are in each group of one to three "
        "dimensions; rows grouped by year and kind add up to the events matched.",
    )
    async def event_stats(
        self,
        info: Ctx,
        group_by: list[EventDimension],
        filter: event_types.EventFilter | None = None,
    ) -> list[discovery.EventStatsRow]:
        filters = _filters(filter)
        found = await info.context.read(
            lambda session: stats.event_stats(session, filters=filters, group_by=group_by)
        )
        return [discovery.EventStatsRow.from_pydantic(row) for row in found.rows]


def _masked(error: GraphQLError) -> bool:
    """Hide the text of unexpected errors; ours (limits, bad values) are meant to be read.

    Only errors raised while resolving (they have a path) can be unexpected: before that, an
    error is about the query, a bad Date literal's ValueError included.
    """
    original = error.original_error
    return (
        error.path is not None and original is not None and not isinstance(original, GraphQLError)
    )


# Each limiter builds its validation rule class when constructed: build them once. A fresh
# extension per request (strawberry's rule) over these same classes keeps the validation
# cache, keyed by the document and the rule classes, hitting; limiters built per request
# would bring new classes each time and miss it on every request (bench/graphql_cache.py).
LIMIT_RULES = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)


# What `queryCost` validates a query with: graphql-core's rules and the limits'.
COST_RULES = (*specified_rules, *LIMIT_RULES)


def _limit_rules() -> AddValidationRules:
    return AddValidationRules(list(LIMIT_RULES))


def _max_tokens() -> MaxTokensLimiter:
    return MaxTokensLimiter(max_token_count=MAX_TOKENS)


# GraphQL queries as dashboards and clients send them (a few KB), remembered with their parse and
# their validation; a longer one is parsed and validated each time and never kept.
MEMO_QUERIES = 256
MEMO_QUERY_BYTES = 8 * 1024


def _parse(query: str) -> DocumentNode:
    # The token limit of MaxTokensLimiter, as the parse it replaces would apply it.
    return parse(query, max_tokens=MAX_TOKENS)


_parsed = SmallInputMemo("graphql_parse", _parse, entries=MEMO_QUERIES, max_input=MEMO_QUERY_BYTES)
# By the rule classes a request validates with: the same classes on every request (LIMIT_RULES
# are built once), so one memo in practice.
_validations: dict[tuple[Any, ...], SmallInputMemo[str, list[GraphQLError]]] = {}


def _validation_memo(rules: tuple[Any, ...]) -> SmallInputMemo[str, list[GraphQLError]]:
    memo = _validations.get(rules)
    if memo is None:
        memo = _validations[rules] = SmallInputMemo(
            "graphql_validation",
            lambda query: validate(schema._schema, _parsed(query), list(rules)),
            entries=MEMO_QUERIES,
            max_input=MEMO_QUERY_BYTES,
        )
    return memo


def introspection_only(query: str, operation_name: str | None) -> bool:
    """Whether the operation to run asks only for `__schema`, `__type` or `__typename`: an
    answer that depends on the schema alone, never on the data."""
    try:
        document = _parsed(query)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        return False
    return all(
        isinstance(node, FieldNode) and node.name.value.startswith("__")
        for node in operations[0].selection_set.selections
    )


class _ParserCache(SchemaExtension):
    """The parse of a query, remembered by its text (app.http.memo: short queries only).

    A query that does not parse is left to strawberry: raised from here, the syntax error would
    pass by every extension's `on_operation` (so ErrorCodes could not mark it); strawberry
    parses the query again and reports it normally.
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None:
            with suppress(GraphQLError):
                context.graphql_document = _parsed(context.query)
        yield


class _ValidationCache(SchemaExtension):
    """The validation of a query, remembered by its text, except that a query refused already
    is not validated: QueryCost, listed before it, refuses a query over the cost limit first."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        query, document = context.query, context.graphql_document
        if not context.pre_execution_errors and query is not None and document is not None:
            rules = tuple(context.validation_rules)
            if len(query) <= MEMO_QUERY_BYTES:
                context.pre_execution_errors = _validation_memo(rules)(query)
            else:
                # Not kept: validated once, from the document at hand.
                context.pre_execution_errors = validate(context.schema._schema, document, rules)
        yield


class _Truncations(SchemaExtension):
    """`extensions.truncated` of an answer some list of which was cut at its bound."""

    def get_results(self) -> dict[str, Any]:
        cuts = getattr(self.execution_context.context, "cuts", None)
        return {"truncated": cuts} if cuts else {}


def _parser_cache() -> SchemaExtension:
    return _ParserCache()


def _validation_cache() -> SchemaExtension:
    return _ValidationCache()


def _query_cost() -> QueryCost:
    return QueryCost(max_page=MAX_FIRST)


def _mask_errors() -> MaskErrors:
    return MaskErrors(should_mask_error=_masked)


class _Schema(strawberry.Schema):
    """Logs only the errors that are the server's fault (masked), each once with its traceback.

    A refused query, a bad value, a spent budget or a database away are answers, not faults:
    strawberry would log each at ERROR, so that a client could fill the log at will.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        super().process_errors([error for error in errors if _masked(error)], execution_context)


schema = _Schema(
    query=Query,
    scalar_overrides={date: common.Date},
    # ErrorCodes before MaskErrors: it then sees the errors as masked, and codes those too.
    extensions=[
        _limit_rules,
        _max_tokens,
        _parser_cache,
        _query_cost,
        _validation_cache,
        ErrorCodes,
        _mask_errors,
        _Truncations,
    ],
)
