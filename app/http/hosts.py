"""Absolute URLs that no client's `Host` header can shape, so a shared cache is never poisoned.

Three configurations, read per request (tests switch them):
- `PUBLIC_URL` set: every absolute URL the service writes starts with it.
- `ALLOWED_HOSTS` set (not `*`): a request naming another host is refused with a 400, by
  Starlette's TrustedHostMiddleware, in our problem+json shape.
- neither (development): a URL may be built from the request's own base, and the answer that
  holds one then says `Vary: Host` (the response cache keys on Host as well).

Links within the service that need not be absolute (the `Link` of a page, a redirect's
`Location`) are relative references unless `PUBLIC_URL` is set.
"""

from fastapi import Request
from fastapi_problem.error import Problem
from starlette.datastructures import URL, MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import settings
from app.http.operations import OPERATIONS_PATHS
from app.http.problems import problem_answer

# Set in a request's scope once an absolute URL was built from its Host.
_FROM_HOST = "app.url_from_host"
# Set once TrustedHostMiddleware let the request through.
_ADMITTED = "app.host_admitted"
REFUSAL = problem_answer(
    Problem(
        "Invalid host",
        type_="invalid-host",
        status=400,
        detail="the Host header names a host this service does not answer for",
    ),
    headers={"Cache-Control": "no-store"},
)


def site_base(request: Request) -> str:
    """The service's absolute base URL: `PUBLIC_URL`, or the request's own (the answer then
    varies by Host, and says so)."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    request.scope[_FROM_HOST] = True
    return str(request.base_url).rstrip("/")


def reference(url: URL) -> str:
    """A link to `url` of this service: absolute from `PUBLIC_URL`, else a relative reference
    (path and query), which a client resolves against the URL it asked for (RFC 3986 5.2)."""
    local = url.path + (f"?{url.query}" if url.query else "")
    return settings.public_url.rstrip("/") + local if settings.public_url else local


class HostPolicy:
    """Refuses hosts outside `ALLOWED_HOSTS`; makes redirects relative (or from `PUBLIC_URL`);
    adds `Vary: Host` to an answer holding a URL built from the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._checks: dict[tuple[str, ...], TrustedHostMiddleware] = {}

    def check(self, hosts: tuple[str, ...]) -> TrustedHostMiddleware:
        """Starlette's check for these hosts, built once for them."""
        if hosts not in self._checks:
            # No www redirect: its Location would be built from the very Host refused.
            self._checks[hosts] = TrustedHostMiddleware(
                self._answer, allowed_hosts=hosts, www_redirect=False
            )
        return self._checks[hosts]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        hosts = tuple(settings.allowed_hosts)
        if hosts == ("*",) or scope["path"] in OPERATIONS_PATHS:
            await self._answer(scope, receive, send)
            return
        if scope["type"] == "websocket":
            # GraphQL's websocket: no cache keeps one, Starlette's own refusal will do.
            await self.check(hosts)(scope, receive, send)
            return

        async def refused_as_problem(message: Message) -> None:
            if scope.get(_ADMITTED):
                await send(message)
            elif message["type"] == "http.response.start":
                # The check's own answer is plain text; ours is the service's problem+json.
                await REFUSAL(scope, receive, send)

        await self.check(hosts)(scope, receive, refused_as_problem)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[_ADMITTED] = True

        async def rewritten(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                location = headers.get("location")
                if location is not None and 300 <= message["status"] < 400:
                    headers["Location"] = _own_location(scope, location)
                if scope.get(_FROM_HOST):
                    headers.add_vary_header("Host")
            await send(message)

        await self.app(scope, receive, rewritten)


def _own_location(scope: Scope, location: str) -> str:
    """A redirect within the service (Starlette's trailing-slash redirect writes the request's
    scheme and Host) as a reference no Host shaped; a redirect elsewhere as it was."""
    target, own = URL(location), URL(scope=scope)
    if (target.scheme, target.netloc) != (own.scheme, own.netloc):
        return location
    return reference(target)


def check_host_patterns(app: ASGIApp) -> None:
    """Starlette checks the patterns (`*.example.org`, never `a*b`) as its middleware is built:
    built at start, a malformed ALLOWED_HOSTS stops the start rather than failing every request."""
    TrustedHostMiddleware(app, allowed_hosts=settings.allowed_hosts)
