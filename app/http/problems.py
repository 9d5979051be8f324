"""Every error as application/problem+json (RFC 9457): one handler, configured here."""

import logging
from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_problem.error import Problem, ServerProblem, StatusProblem
from fastapi_problem.handler import ExceptionHandler, add_exception_handler, new_exception_handler
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import budget
from app.config import settings
from app.db import DATABASE_ERRORS
from app.errors import (
    DomainError,
    InvalidParameterError,
    NotFoundError,
    NotReadyError,
    OverBudgetError,
)
from app.http.cors import labelled
from app.http.observability import request_id

logger = logging.getLogger("app.errors")
PROBLEM_JSON = "application/problem+json"


def problem_answer(problem: Problem, *, headers: Mapping[str, str] | None = None) -> Response:
    """A problem as a whole answer, for what refuses a request outside the routes (limits, the
    Host policy, CORS, GraphQL's transport, readiness)."""
    return Response(
        orjson.dumps(problem.marshal()),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=dict(headers) if headers else None,
    )


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


# PostgreSQL's SQLSTATEs for a statement it cancelled (statement_timeout, or a cancel request)
# and for a lock it gave up waiting for (lock_timeout).
_CANCELLED = "57014"
_LOCKED = "55P03"
# SQLite's result code for a statement its progress handler stopped.
_SQLITE_INTERRUPT = 9


def _database_down(_: ExceptionHandler, __: Request, error: Exception) -> Problem:
    cause = getattr(error, "orig", None)
    state = getattr(cause, "sqlstate", None)
    if getattr(cause, "sqlite_errorcode", None) == _SQLITE_INTERRUPT or budget.spent():
        # SQLite stopped the statement, or the watchdog cut the connection: the budget ran out.
        return _over_budget(_, __, OverBudgetError(str(error)))
    if state == _CANCELLED:
        # PostgreSQL's statement timeout, never longer than what is left of the request's budget.
        logger.warning("statement cancelled: %s", type(cause).__name__)
        return DatabaseUnavailable(
            detail="a read took longer than allowed and was stopped; "
            "retry, or ask for less (a smaller limit, more filters)"
        )
    if state == _LOCKED:
        logger.warning("database locked: %s", type(cause).__name__)
        return DatabaseUnavailable(
            detail="the data is locked by another transaction (a reload or maintenance); "
            "retry shortly"
        )
    logger.warning("database unavailable: %s", type(error).__name__)
    return DatabaseUnavailable(detail="the database is unavailable; retry shortly")


def _not_ready(_: ExceptionHandler, __: Request, error: NotReadyError) -> Problem:
    return DatabaseUnavailable(detail=error.detail, headers={"Retry-After": str(error.retry_after)})


def _over_budget(_: ExceptionHandler, __: Request, error: OverBudgetError) -> Problem:
    logger.warning("request stopped: %s", error)
    return DatabaseUnavailable(
        detail=f"the request took longer than its {settings.request_time_budget:g} s budget; "
        "retry, or ask for less (a smaller limit, more filters)"
    )


def _with_request_id(
    content: dict[str, Any], _: Request, response: JSONResponse
) -> tuple[dict[str, Any], JSONResponse]:
    """A server error names its request, as the log does, for a report to be matched to it."""
    current = request_id.get()
    if response.status_code >= 500 and current is not None:
        content = {**content, "request_id": current}
        response.body = response.render(content)
    return content, response


# No logger: an expected 5xx (the database away, a budget spent) is logged by its handler as
# one warning, and an unexpected error by ErrorAnswerMiddleware, with its traceback, once.
handler = new_exception_handler(
    unhandled_wrappers={"default": InternalError},
    handlers={
        NotFoundError: _not_found,
        InvalidParameterError: _invalid_parameter,
        OverBudgetError: _over_budget,
        NotReadyError: _not_ready,
        **dict.fromkeys(DATABASE_ERRORS, _database_down),
    },
    request_validation_handler=_invalid_request,
    post_hooks=[_with_request_id],
)


class ErrorAnswerMiddleware:
    """Answers any exception raised below it as a problem, and does not raise it further.

    Starlette's outermost layer answers an unexpected error, then re-raises it to the server,
    which resets the connection: a keep-alive client loses the request after the 500. That layer
    also sits outside the request id, the access log and the metrics. This one sits inside them.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            if started:
                # Part of an answer is out: closing the connection is the only way to say so.
                raise
            request = Request(scope)
            response = labelled(request, handler(request, error))
            if response.status_code == 500:
                logger.error("unexpected error: %s", type(error).__name__, exc_info=error)
            await response(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    """Problem answers for errors raised by routes (ErrorAnswerMiddleware for the rest)."""
    # The answers are documented per route (app.rest.openapi), not as generic 4XX/5XX.
    add_exception_handler(app, handler, generic_swagger_defaults=False)
    # Handled inside the middleware stack, as HTTP errors are, so that the access log and the
    # metrics see the status sent rather than a crash (the catch-all Exception handler runs
    # outside every middleware).
    for expected in (DomainError, OverBudgetError, NotReadyError, *DATABASE_ERRORS):
        app.add_exception_handler(expected, handler)
