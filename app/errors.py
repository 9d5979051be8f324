"""Errors of the domain: what a read cannot answer, with no HTTP in them.

The edges say how each reaches a client: REST as application/problem+json (`app.http.problems`),
GraphQL as an error with `extensions.code` (`app.graphql.context`).
"""


class DomainError(Exception):
    """A request the data cannot answer as asked."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(DomainError):
    """No record of that kind has that key."""

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"no {kind} {key!r}")
        self.kind = kind
        self.key = key


class InvalidParameterError(DomainError):
    """A value the client sent cannot be used; `parameter` names it."""

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"{parameter}: {reason}")
        self.parameter = parameter
        self.reason = reason


class OverBudgetError(Exception):
    """The request ran out of time, or its client left: the read was stopped part way.

    Not a DomainError: the data could answer, the service could not in time (a 503, not a 4xx).
    """


class NotReadyError(Exception):
    """What was asked for is being prepared (the bulk files of a new data version): a 503 with
    the seconds after which to ask again, not a fault."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after
