"""What one request may send: how many query parameters, how large a body, how slowly, and
in which coding (none: a compressed body is refused with a 415 rather than misread).

A request over a limit is refused here, before any route, cache or body parser sees it, with a
small problem+json that names the limit. A body is read whole before the app runs (it is
small by then: at most `max_body_bytes`), so a slow or endless one costs the app nothing.
"""

import asyncio

from fastapi_problem.error import Problem
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.http.bodies import read_body, replay
from app.http.cors import labelled
from app.http.problems import problem_answer


class RequestLimitsMiddleware:
    """Refuses too many query parameters (400), too large a body (413), a body that does not
    arrive in time (408) and a body sent with a Content-Encoding (415)."""

    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, max_query_params: int, body_timeout: float
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_query_params = max_query_params
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        count = _parameters_over(scope["query_string"], self.max_query_params)
        if count is not None:
            await _refuse(
                scope,
                receive,
                send,
                Problem(
                    "Too many query parameters",
                    type_="too-many-parameters",
                    status=400,
                    detail=f"a request may have at most {self.max_query_params} query "
                    f"parameters; this one has {count}",
                    limit=self.max_query_params,
                ),
            )
            return
        length, chunked = _body_framing(scope)
        if length is not None and length > self.max_body_bytes:
            # Refused on the header alone: not one byte of the body is read.
            await _refuse(scope, receive, send, self._too_large(), close=True)
            return
        if not chunked and not length:
            await self.app(scope, receive, send)
            return
        coding = _content_coding(scope)
        if coding is not None:
            await _refuse(scope, receive, send, _encoded(coding), close=True, identity_only=True)
            return
        try:
            async with asyncio.timeout(self.body_timeout):
                read = await read_body(receive, limit=self.max_body_bytes)
        except TimeoutError:
            detail = f"the request body did not arrive within {self.body_timeout:g} s"
            timeout = Problem("Request timeout", type_="request-timeout", status=408, detail=detail)
            await _refuse(scope, receive, send, timeout, close=True)
            return
        if len(read.data) > self.max_body_bytes:
            await _refuse(scope, receive, send, self._too_large(), close=True)
            return
        await self.app(scope, replay(read, receive), send)

    def _too_large(self) -> Problem:
        return Problem(
            "Content too large",
            type_="content-too-large",
            status=413,
            detail=f"a request body may have at most {self.max_body_bytes} bytes",
            limit=self.max_body_bytes,
        )


def _parameters_over(query_string: bytes, limit: int) -> int | None:
    """How many parameters the query string has, when more than `limit`; counted as the query
    parser counts them (empty ones skipped), after a cheap bound that almost every request meets."""
    if query_string.count(b"&") < limit:
        return None
    count = sum(1 for part in query_string.split(b"&") if part)
    return count if count > limit else None


def _content_coding(scope: Scope) -> str | None:
    """The body's Content-Encoding, unless there is none (or it is `identity`)."""
    for name, value in scope["headers"]:
        if name == b"content-encoding":
            coding: str = value.decode("latin-1").strip().lower()
            if coding not in ("", "identity"):
                return coding
    return None


def _encoded(coding: str) -> Problem:
    return Problem(
        "Unsupported content encoding",
        type_="unsupported-content-encoding",
        status=415,
        detail=f"request bodies are read as sent: Content-Encoding {coding!r} is not accepted; "
        "send the body without it",
    )


def _body_framing(scope: Scope) -> tuple[int | None, bool]:
    """The declared Content-Length (None if absent), and whether the body comes chunked."""
    length: int | None = None
    chunked = False
    for name, value in scope["headers"]:
        if name == b"content-length":
            length = int(value) if value.isdigit() else None
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
    return length, chunked


async def _refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    problem: Problem,
    *,
    close: bool = False,
    identity_only: bool = False,
) -> None:
    headers = {}
    if close:
        # Part of the body may still be on its way: the connection cannot serve another request.
        headers["Connection"] = "close"
    if identity_only:
        # RFC 9110 15.5.16: a 415 for a content coding says which codings are accepted.
        headers["Accept-Encoding"] = "identity"
    response = problem_answer(problem, headers=headers)
    await labelled(Request(scope), response)(scope, receive, send)
