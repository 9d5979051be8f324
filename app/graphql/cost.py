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
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
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
from app.graphql.common import LIST_SIZE, included
from app.graphql.errors import BAD_USER_INPUT

PAGE_ARGUMENT = "first"
# Where strawberry keeps its own field on a graphql-core field.
STRAWBERRY = "strawberry-definition"
# The lists a page size bounds: their items are this many per page.
PAGED_ITEMS = ("edges", "nodes")


class CostLimitError(GraphQLError):
    """A query that may return more values than allowed: refused before it runs."""

    def __init__(self, cost: int, limit: int) -> None:
        super().__init__(
            f"the query may return up to {cost:,} values, more than the {limit:,} allowed: "
            "ask for smaller pages or fewer nested lists (limit: cost)",
            extensions={"code": BAD_USER_INPUT, "limit": "cost", "cost": cost, "maxCost": limit},
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
    """The size bound declared on a list field that takes no page size (`bounded_field(n, ...)`)."""
    fields = getattr(parent, "fields", {})
    definition = fields[field].extensions.get(STRAWBERRY) if field in fields else None
    size = (getattr(definition, "metadata", None) or {}).get(LIST_SIZE)
    return size if isinstance(size, int) else None


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
        # A fragment's cost per parent, by (name, page size): a fragment spread many times, or
        # spreading others many times, is walked once, not once per path to it.
        self.known: dict[tuple[str, int | None], int] = {}

    def of(self, selections: SelectionSetNode, parent: GraphQLNamedType, page: int | None) -> int:
        """Values returned under one parent object of type `parent`."""
        total = 0
        for node in self._included(selections):
            if isinstance(node, FieldNode):
                total += self._field(node, parent, page)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self.of(node.selection_set, on or parent, page)
            elif isinstance(node, FragmentSpreadNode):
                total += self._fragment(node.name.value, page)
        return total

    def _included(self, selections: SelectionSetNode) -> Iterator[Any]:
        for node in selections.selections:
            if included(node, self.variables):
                yield node

    def _fragment(self, name: str, page: int | None) -> int:
        key = (name, page)
        if key not in self.known:
            fragment = self.fragments.get(name)
            on = self.schema.get_type(fragment.type_condition.name.value) if fragment else None
            # Zero while it is walked: a cycle (validation refuses them) cannot recurse.
            self.known[key] = 0
            if fragment is not None and on is not None:
                self.known[key] = self.of(fragment.selection_set, on, page)
        return self.known[key]

    def _field(self, node: FieldNode, parent: GraphQLNamedType, page: int | None) -> int:
        name = node.name.value
        if name.startswith("__") or not isinstance(parent, GraphQLObjectType):
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        returned = get_nullable_type(definition.type)
        named = get_named_type(returned)
        if not is_composite_type(named):
            # A scalar, or a list of them (aliases, roles): one value to resolve.
            return 1
        paged = self._page(node, definition)
        items = 1
        if is_list_type(returned):
            if paged is not None:
                items = paged
            elif name in PAGED_ITEMS and page is not None:
                items = page
            else:
                items = list_size(parent, name) or self.max_page
        below = self.of(node.selection_set, named, paged) if node.selection_set else 0
        return items * (1 + below)

    def _page(self, node: FieldNode, definition: GraphQLField) -> int | None:
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
            return self.max_page
        return min(max(given, 0), self.max_page)


def query_cost(
    schema: GraphQLSchema,
    document: Any,
    *,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    max_page: int,
) -> int:
    """The most values the operation to run may return; 0 if it cannot run at all.

    An operation that cannot run (none of that name, or variables it refuses) runs no resolver:
    execution reports why.
    """
    operation: OperationDefinitionNode | None = get_operation_ast(document, operation_name)
    root = schema.query_type
    if operation is None or root is None:
        return 0
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), dict(variables or {}), max_errors=1
    )
    if isinstance(coerced, list):
        return 0
    fragments = {
        each.name.value: each
        for each in document.definitions
        if isinstance(each, FragmentDefinitionNode)
    }
    walk = _Cost(schema, fragments, coerced, max_page)
    return walk.of(operation.selection_set, root, None)


class QueryCost(SchemaExtension):
    """Refuses a query over the cost limit once it is parsed, before it is validated or run.

    Before validation: validating 15 aliases of one deep selection takes 20-40 ms, which a
    query refused anyway need not cost (list it before the validation cache, which then skips
    validating it). `max_page` is the largest page a paged field gives, whatever it is asked.
    """

    def __init__(self, *, max_page: int) -> None:
        super().__init__()
        self.max_page = max_page

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            cost = query_cost(
                context.schema._schema,
                document,
                operation_name=context.operation_name,
                variables=context.variables,
                max_page=self.max_page,
            )
            if cost > settings.graphql_max_cost:
                context.pre_execution_errors = [CostLimitError(cost, settings.graphql_max_cost)]
            elif introspects_more_than_once(document):
                context.pre_execution_errors = [IntrospectionLimitError()]
        yield
