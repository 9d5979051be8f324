"""Every GraphQL error carries `extensions.code`, as Apollo servers mark them, for clients.

Errors raised by our resolvers carry their code already (`BadUserInputError`). The others come
from graphql-core (parsing, validation, variable coercion) and strawberry's limiters, which set
none: this extension gives each the code of its kind, once, at the edge of the schema.
"""

import re
from collections.abc import Iterator
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    Node,
    ObjectFieldNode,
    ValueNode,
    VariableDefinitionNode,
    Visitor,
    visit,
)
from strawberry.extensions import SchemaExtension

BAD_USER_INPUT = "BAD_USER_INPUT"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL = "INTERNAL_SERVER_ERROR"
# Apollo's codes for automatic persisted queries, which Apollo Client looks for.
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"

# The limiters' own words (strawberry and graphql-core give them no code or class of their own).
LIMITS = {
    "tokens": re.compile(r"^Syntax Error: Document contains more than \d+ tokens"),
    "depth": re.compile(r"exceeds maximum operation depth of \d+$"),
    "aliases": re.compile(r"^\d+ aliases found\. Allowed: \d+$"),
}


class _ArgumentPath(Visitor):
    """Finds the argument, and the input fields inside it, that hold one value of a document."""

    def __init__(self, target: Node) -> None:
        super().__init__()
        self.target = target
        self.path: list[str] | None = None

    def enter(self, node: Node, _key: Any, parent: Any, _path: Any, ancestors: Any) -> Any:
        if node is not self.target:
            return None
        # graphql-core's ancestors stop short of the parent; lists of nodes are among them.
        self.path = [
            holder.name.value
            for holder in [*ancestors, parent]
            if isinstance(holder, ArgumentNode | ObjectFieldNode)
        ]
        return self.BREAK


def argument_path(document: DocumentNode | None, value: Node) -> str | None:
    """`filter.dateFrom` for the value written in `events(filter: {dateFrom: ...})`."""
    if document is None:
        return None
    finder = _ArgumentPath(value)
    visit(document, finder)
    return ".".join(finder.path) if finder.path else None


def _classified(error: GraphQLError, document: DocumentNode | None) -> GraphQLError:
    """The error with a code; a bad value written in the query also names its argument."""
    if error.extensions and "code" in error.extensions:
        return error
    extensions: dict[str, Any] = dict(error.extensions or {})
    message = error.message
    limit = next((name for name, words in LIMITS.items() if words.search(message)), None)
    node = error.nodes[0] if error.nodes else None
    if limit is not None:
        extensions.update(code=BAD_USER_INPUT, limit=limit)
        message = f"{message} (limit: {limit})"
    elif error.path is not None:
        # Raised while resolving and not one of ours: masked, a fault of the server.
        extensions["code"] = INTERNAL
    elif message.startswith("Syntax Error"):
        extensions["code"] = PARSE_FAILED
    elif isinstance(node, ValueNode):
        extensions["code"] = BAD_USER_INPUT
        argument = argument_path(document, node)
        if argument is not None:
            extensions["argument"] = argument
            message = f"{argument}: {message}"
    elif isinstance(node, VariableDefinitionNode):
        extensions.update(code=BAD_USER_INPUT, argument=f"${node.variable.name.value}")
    else:
        extensions["code"] = VALIDATION_FAILED
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=extensions,
    )


class ErrorCodes(SchemaExtension):
    """Gives every error of the result its `extensions.code` (list it before MaskErrors)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            document = self.execution_context.graphql_document
            result.errors = [_classified(error, document) for error in result.errors]
