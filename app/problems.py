"""Every error as application/problem+json (RFC 9457): one handler, configured here."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi_problem.error import Problem, ServerProblem, StatusProblem
from fastapi_problem.handler import ExceptionHandler, add_exception_handler, new_exception_handler

from app.config import settings
from app.db import DATABASE_ERRORS
from app.errors import DomainError, InvalidParameterError, NotFoundError, OverBudgetError

logger = logging.getLogger("app.errors")


class InternalError(ServerProblem):
    title = "Internal server error"

    def __init__(self, *_: Any, **__: Any) -> None:
        # The exception's own text may hold internals; the log has it, the client does not.
        super().__init__(detail="the server failed to answer; the error was logged")


class DatabaseUnavailable(StatusProblem):
    status = 503
    title = "Service unavailable"


def _invalid_request(_: ExceptionHandler, __: Request, error: RequestValidationError) -> Problem:
    """A bad parameter: 400, naming each parameter at fault."""
    invalid: list[dict[str, str]] = []
    for detail in error.errors():
        # Parameters are flat; deeper parts of `loc` name the branch of a union that failed.
        location, *path = detail["loc"]
        name = str(path[0]) if path else str(location)
        reason = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            reason = "is not a parameter of this endpoint"
        same = next((entry for entry in invalid if entry["name"] == name), None)
        if same is None:
            invalid.append({"name": name, "in": str(location), "reason": reason})
        else:
            # A union parameter failed every form it may take: say so for each.
            same["reason"] += f"; or {reason}"
    first = invalid[0]
    return Problem(
        "Invalid parameter",
        type_="invalid-parameter",
        status=400,
        detail=f"{first['name']}: {first['reason']}",
        parameter=first["name"],
        invalid_params=invalid,
    )


def _not_found(_: ExceptionHandler, __: Request, error: NotFoundError) -> Problem:
    return Problem(
        "Not found",
        type_="not-found",
        status=404,
        detail=error.detail,
        kind=error.kind,
        key=error.key,
    )


def _invalid_parameter(_: ExceptionHandler, __: Request, error: InvalidParameterError) -> Problem:
    return Problem(
        "Invalid parameter",
        type_="invalid-parameter",
        status=400,
        detail=error.detail,
        parameter=error.parameter,
        invalid_params=[{"name": error.parameter, "reason": error.reason}],
    )


def _database_down(_: ExceptionHandler, __: Request, error: Exception) -> Problem:
    if "interrupted" in str(getattr(error, "orig", "")):
        # SQLite stopped the statement: the request's budget ran out while it read.
        return _over_budget(_, __, OverBudgetError(str(error)))
    logger.warning("database unavailable: %s", type(error).__name__)
    return DatabaseUnavailable(detail="the database is unavailable; retry shortly")


def _over_budget(_: ExceptionHandler, __: Request, error: OverBudgetError) -> Problem:
    logger.warning("request stopped: %s", error)
    return DatabaseUnavailable(
        detail=f"the request took longer than its {settings.request_time_budget:g} s budget; "
        "retry, or ask for less (a smaller limit, more filters)"
    )


def install_problem_handlers(app: FastAPI) -> None:
    handler = new_exception_handler(
        logger=logger,
        unhandled_wrappers={"default": InternalError},
        handlers={
            NotFoundError: _not_found,
            InvalidParameterError: _invalid_parameter,
            OverBudgetError: _over_budget,
            **dict.fromkeys(DATABASE_ERRORS, _database_down),
        },
        request_validation_handler=_invalid_request,
    )
    # The answers are documented per route (app.rest.openapi), not as generic 4XX/5XX.
    add_exception_handler(app, handler, generic_swagger_defaults=False)
    # Handled inside the middleware stack, as HTTP errors are, so that the access log and the
    # metrics see the status sent rather than a crash (the catch-all Exception handler runs
    # outside every middleware).
    for expected in (DomainError, OverBudgetError, *DATABASE_ERRORS):
        app.add_exception_handler(expected, handler)
