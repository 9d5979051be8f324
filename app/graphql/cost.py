"""What a query may cost, known before it runs: the values it may return.

Each field counts one per parent object (a scalar, or a list of scalars, is one value); a list
of objects counts its size bound per parent, and what it selects is multiplied by that bound,
down the nesting. Scalars count because resolving them is most of the work: 15 aliases of a
page of 100 events with 15 scalar fields return 1,500 objects but resolve 24,000 fields.

A paged list is bounded by its page size (`first`, or its default); every other list by a
declared size, a few times the largest the seed data holds, so the cost is an upper bound, not
a guess of the mean. Fragments and aliases count where they are spread; a branch that @skip or
@include leaves out costs nothing. Introspection is bounded apart: the whole of this schema's
introspection is some 4,000 values, resolved at once on the event loop; a query may ask for it
once (one `__schema`, no aliases), as GraphiQL and code generators do, never fifteen times over.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)
from graphql.execution.values import VariableValues, get_variable_values
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from app.config import settings
from app.graphql.common import LIST_SIZE, PAGE_ARGUMENT, SIZED_BY, included
from app.graphql.errors import BAD_USER_INPUT

# Where strawberry keeps its own field on a graphql-core field.
STRAWBERRY = "strawberry-definition"
# The lists a page size bounds: their items are this many per page.
PAGED_ITEMS = ("edges", "nodes")


class CostLimitError(GraphQLError):
    """A query that may return more values than allowed: refused before it runs."""

    def __init__(self, weight: "Weight", limit: int) -> None:
        extensions: dict[str, Any] = {
            "code": BAD_USER_INPUT,
            "limit": "cost",
            "cost": weight.values,
            "maxCost": limit,
        }
        advice = "ask for smaller pages or fewer nested lists"
        paging = weight.advice(limit)
        if paging is not None:
            path, field, first, fits = paging
            extensions |= {"path": path, "field": field, "argument": PAGE_ARGUMENT}
            if fits is None:
                advice = f"lower `first` on `{path}` ({field}, {first} now) and ask for fewer lists"
            else:
                advice = f"lower `first` on `{path}` ({field}) from {first} to {fits} or less"
                extensions["first"] = fits
        super().__init__(
            f"the query may return up to {weight.values:,} values, more than the {limit:,} "
            f"allowed: {advice} (limit: cost)",
            extensions=extensions,
        )


class IntrospectionLimitError(GraphQLError):
    """A query that would introspect the schema more than once: refused before it runs."""

    def __init__(self) -> None:
        super().__init__(
            "a query may introspect the schema once: one __schema field and no aliases "
            "(limit: introspection)",
            extensions={"code": BAD_USER_INPUT, "limit": "introspection"},
        )


def _fields(document: DocumentNode) -> Iterator[FieldNode]:
    """Every field written in the document, in its operations and fragments alike."""
    pending = [
        each.selection_set
        for each in document.definitions
        if isinstance(each, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while pending:
        for node in pending.pop().selections:
            if isinstance(node, FieldNode):
                yield node
            selections = getattr(node, "selection_set", None)
            if selections is not None:
                pending.append(selections)


def introspects_more_than_once(document: DocumentNode) -> bool:
    """Whether the document asks for `__schema` twice, or once with aliases anywhere."""
    fields = list(_fields(document))
    schemas = sum(field.name.value == "__schema" for field in fields)
    return schemas > 1 or (schemas == 1 and any(field.alias for field in fields))


def list_size(parent: GraphQLNamedType, field: str) -> int | None:
    """The most items a list field gives per parent (`bounded_field(n, ...)`): the largest
    `first` it takes, or the bound of a list as long as a list argument (`nodes(ids:)`)."""
    fields = getattr(parent, "fields", {})
    definition = fields[field].extensions.get(STRAWBERRY) if field in fields else None
    size = (getattr(definition, "metadata", None) or {}).get(LIST_SIZE)
    return size if isinstance(size, int) else None


@dataclass(frozen=True)
class Page:
    """A paged field of a query (the first place it is written, and its page size), and the
    values it adds to the query's cost, wherever it is written."""

    path: str
    first: int
    values: int


# The paged fields of a selection, by field and page size: values per parent object.
Pages = dict[tuple[str, int], Page]


def _times(pages: Pages, items: int) -> Pages:
    return {key: replace(page, values=page.values * items) for key, page in pages.items()}


def _add(into: Pages, pages: Pages) -> None:
    for key, page in pages.items():
        known = into.get(key)
        into[key] = page if known is None else replace(known, values=known.values + page.values)


@dataclass(frozen=True)
class Weight:
    """What a query may cost, and the paged field whose `first` to lower, to what, to bring
    it within `limit` (none if no one field can: then it names the heaviest)."""

    values: int
    pages: Pages

    def advice(self, limit: int) -> tuple[str, str, int, int | None] | None:
        """(path, field, first now, first that would do) of the field to page."""
        best: tuple[float, int, str, str, int, int] | None = None
        heaviest: tuple[int, str, str, int] | None = None
        for (field, first), page in self.pages.items():
            if page.values <= 0 or first <= 0:
                continue
            if heaviest is None or page.values > heaviest[0]:
                heaviest = (page.values, page.path, field, first)
            # The cost is linear in a field's page: the largest page that brings it within.
            fits = first * (limit - (self.values - page.values)) // page.values
            if 1 <= fits < first:
                ranked = (fits / first, page.path.count("."), page.path, field, first, fits)
                best = max(best, ranked) if best is not None else ranked
        if best is not None:
            return best[2], best[3], best[4], best[5]
        if heaviest is not None:
            return heaviest[1], heaviest[2], heaviest[3], None
        return None


NOTHING = Weight(0, {})


class _Cost:
    """The cost of one operation, its fragments each costed once (per page size)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues,
        max_page: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.max_page = max_page
        # A fragment's cost per parent, and its paged fields', by (name, page size): a fragment
        # spread many times, or spreading others many times, is walked once, not once per path
        # to it (its paths are those of the first place it is spread).
        self.known: dict[tuple[str, int | None], tuple[int, Pages]] = {}

    def of(
        self, selections: SelectionSetNode, parent: GraphQLNamedType, page: int | None, at: str
    ) -> tuple[int, Pages]:
        """Values returned under one parent object of type `parent`, and what each paged field
        below it adds to them (`at` is the path to the parent)."""
        total, pages = 0, Pages()
        for node in self._included(selections):
            if isinstance(node, FieldNode):
                cost, heavy = self._field(node, parent, page, at)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                cost, heavy = self.of(node.selection_set, on or parent, page, at)
            elif isinstance(node, FragmentSpreadNode):
                cost, heavy = self._fragment(node.name.value, page, at)
            else:
                continue
            total += cost
            _add(pages, heavy)
        return total, pages

    def _included(self, selections: SelectionSetNode) -> Iterator[Any]:
        for node in selections.selections:
            if included(node, self.variables):
                yield node

    def _fragment(self, name: str, page: int | None, at: str) -> tuple[int, Pages]:
        key = (name, page)
        if key not in self.known:
            fragment = self.fragments.get(name)
            on = self.schema.get_type(fragment.type_condition.name.value) if fragment else None
            # Nothing while it is walked: a cycle (validation refuses them) cannot recurse.
            self.known[key] = (0, {})
            if fragment is not None and on is not None:
                self.known[key] = self.of(fragment.selection_set, on, page, at)
        return self.known[key]

    def _field(
        self, node: FieldNode, parent: GraphQLNamedType, page: int | None, at: str
    ) -> tuple[int, Pages]:
        name = node.name.value
        if name.startswith("__") or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return 0, {}
        definition = parent.fields.get(name)
        if definition is None:
            return 0, {}
        returned = get_nullable_type(definition.type)
        named = get_named_type(returned)
        if not is_composite_type(named):
            # A scalar, or a list of them (aliases, roles): one value to resolve.
            return 1, {}
        path = f"{at}.{(node.alias or node.name).value}".lstrip(".")
        bound = list_size(parent, name)
        paged = self._page(node, definition, bound or self.max_page)
        items = 1
        if is_list_type(returned):
            if paged is not None:
                items = paged
            elif name in PAGED_ITEMS and page is not None:
                items = page
            else:
                items = self._sized(node, parent, name) or bound or self.max_page
        below, inner = (
            self.of(node.selection_set, named, paged, path) if node.selection_set else (0, {})
        )
        cost = items * (1 + below)
        pages = _times(inner, items)
        if paged is not None:
            _add(pages, {(f"{parent.name}.{name}", paged): Page(path, paged, cost)})
        return cost, pages

    def _sized(
        self, node: FieldNode, parent: GraphQLObjectType | GraphQLInterfaceType, name: str
    ) -> int | None:
        """The items of a list as long as a list argument (`nodes(ids:)`), within its bound."""
        definition = parent.fields[name].extensions.get(STRAWBERRY)
        argument = (getattr(definition, "metadata", None) or {}).get(SIZED_BY)
        if argument is None:
            return None
        for each in node.arguments or ():
            if each.name.value != argument:
                continue
            given: Any = None
            if isinstance(each.value, ListValueNode):
                given = each.value.values
            elif isinstance(each.value, VariableNode):
                given = self.variables.coerced.get(each.value.name.value)
            if isinstance(given, list | tuple):
                return min(len(given), list_size(parent, name) or self.max_page)
        return None

    def _page(self, node: FieldNode, definition: GraphQLField, most: int) -> int | None:
        """The page size a field is asked for (its argument, or its default), within bounds."""
        argument = definition.args.get(PAGE_ARGUMENT)
        if argument is None:
            return None
        given: Any = argument.default_value
        for each in node.arguments or ():
            if each.name.value != PAGE_ARGUMENT:
                continue
            if isinstance(each.value, IntValueNode):
                given = int(each.value.value)
            elif isinstance(each.value, VariableNode):
                given = self.variables.coerced.get(each.value.name.value, given)
        if not isinstance(given, int) or isinstance(given, bool):
            # Not a number: the field will refuse it; count the largest page meanwhile.
            return most
        return min(max(given, 0), most)


def weigh(
    schema: GraphQLSchema,
    document: Any,
    *,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    max_page: int,
) -> Weight:
    """The most values the operation to run may return, and what each paged field adds to
    them; NotRunnableError if it cannot run at all (none of that name, or variables it refuses)."""
    operation: OperationDefinitionNode | None = get_operation_ast(document, operation_name)
    root = schema.query_type
    if operation is None or root is None:
        raise NotRunnableError("operationName", "names no operation of the query to run")
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), dict(variables or {}), max_errors=1
    )
    if isinstance(coerced, list):
        raise NotRunnableError("variables", coerced[0].message)
    fragments = {
        each.name.value: each
        for each in document.definitions
        if isinstance(each, FragmentDefinitionNode)
    }
    values, pages = _Cost(schema, fragments, coerced, max_page).of(
        operation.selection_set, root, None, ""
    )
    return Weight(values, pages)


class NotRunnableError(Exception):
    """An operation that cannot run: `argument` of the request says why."""

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(f"{argument}: {reason}")
        self.argument = argument
        self.reason = reason


def judge(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    max_page: int,
) -> tuple[Weight, GraphQLError | None]:
    """What a parsed query may cost, and the limit it goes over (None if within them): the one
    judgement of the cost limit before a query runs and of `queryCost`."""
    weight = weigh(
        schema, document, operation_name=operation_name, variables=variables, max_page=max_page
    )
    if weight.values > settings.graphql_max_cost:
        return weight, CostLimitError(weight, settings.graphql_max_cost)
    if introspects_more_than_once(document):
        return weight, IntrospectionLimitError()
    return weight, None


def query_cost(
    schema: GraphQLSchema,
    document: Any,
    *,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    max_page: int,
) -> int:
    """The most values the operation to run may return; 0 if it cannot run at all."""
    try:
        return weigh(
            schema, document, operation_name=operation_name, variables=variables, max_page=max_page
        ).values
    except NotRunnableError:
        return 0


class QueryCost(SchemaExtension):
    """Refuses a query over the cost limit once it is parsed, before it is validated or run,
    and says in every answer what it may cost (`extensions.cost`: requested, limit).

    Before validation: validating 15 aliases of one deep selection takes 20-40 ms, which a
    query refused anyway need not cost (list it before the validation cache, which then skips
    validating it). `max_page` is the largest page a paged field gives, whatever it is asked.
    """

    def __init__(self, *, max_page: int) -> None:
        super().__init__()
        self.max_page = max_page
        self.requested: int | None = None

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            try:
                weight, refused = judge(
                    context.schema._schema,
                    document,
                    operation_name=context.operation_name,
                    variables=context.variables,
                    max_page=self.max_page,
                )
            except NotRunnableError:
                # It runs no resolver: execution says why, at no cost.
                weight, refused = NOTHING, None
            self.requested = weight.values
            if refused is not None:
                context.pre_execution_errors = [refused]
        yield

    def get_results(self) -> dict[str, Any]:
        if self.requested is None:
            return {}
        return {"cost": {"requested": self.requested, "limit": settings.graphql_max_cost}}


@strawberry.type(description="What a query would cost, worked out without running it.")
class QueryCostReport:
    requested: int = strawberry.field(description="The most values the query may return.")
    limit: int = strawberry.field(description="The most values a query may return.")
    allowed: bool = strawberry.field(
        description="Whether it is within the limits (the cost, and one introspection)."
    )
    refusal: str | None = strawberry.field(description="Why it would be refused, if it would.")
    path: str | None = strawberry.field(
        description="Over the limit: the list whose `first` to lower (its response path)."
    )
    field: str | None = strawberry.field(description="That list's field, as Type.field.")
    first: int | None = strawberry.field(
        description="The largest `first` of that list that brings the query within the limit."
    )


def report(weight: Weight, refused: GraphQLError | None) -> QueryCostReport:
    """The cost of a query, and if over the limit which list to page to what."""
    limit = settings.graphql_max_cost
    paging = weight.advice(limit) if weight.values > limit else None
    path, field, _, fits = paging if paging is not None else (None, None, None, None)
    return QueryCostReport(
        requested=weight.values,
        limit=limit,
        allowed=refused is None,
        refusal=refused.message if refused is not None else None,
        path=path,
        field=field,
        first=fits,
    )
