"""Errors that carry their HTTP status; one handler turns each into application/problem+json."""

from typing import Any

from fastapi_problem.error import BadRequestProblem, NotFoundProblem


class NotFoundError(NotFoundProblem):
    title = "Not found"

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(detail=f"no {kind} {key!r}", kind=kind, key=key)


class InvalidParameterError(BadRequestProblem):
    title = "Invalid parameter"

    def __init__(self, parameter: str, reason: str, **extras: Any) -> None:
        super().__init__(
            detail=f"{parameter}: {reason}",
            parameter=parameter,
            invalid_params=[{"name": parameter, "reason": reason}],
            **extras,
        )
