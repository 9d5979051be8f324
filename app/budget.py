"""How long a request may keep the database busy, and whether anyone still waits for it.

The budget travels with the request as a context variable, which the worker thread that runs a
sync route inherits. The database layer looks at it between statements (both databases) and
while a statement runs (SQLite's progress handler), so that a request whose client has gone or
whose time is up stops and frees its memory instead of running on in its thread.
"""

import asyncio
import time
from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import OverBudgetError


@dataclass
class Budget:
    deadline: float
    abandoned: bool = False

    def spent(self) -> bool:
        return self.abandoned or time.monotonic() > self.deadline


current: ContextVar[Budget | None] = ContextVar("request_budget", default=None)


def check() -> None:
    """Raise OverBudgetError when the current request is out of time or abandoned."""
    budget = current.get()
    if budget is not None and budget.spent():
        reason = "its client left" if budget.abandoned else "it ran out of time"
        raise OverBudgetError(f"the request was stopped: {reason}")


def spent() -> bool:
    budget = current.get()
    return budget is not None and budget.spent()


class RequestBudgetMiddleware:
    """Gives each request its budget; for GET and HEAD, notices when the client disconnects.

    Only requests without a body are watched: the watcher reads the connection, which must not
    take a body that the route has yet to read.
    """

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        budget = Budget(deadline=time.monotonic() + self.seconds)
        token = current.set(budget)
        watcher = None
        if scope["method"] in ("GET", "HEAD"):
            watcher = asyncio.ensure_future(_watch(receive, budget))
        try:
            await self.app(scope, receive, send)
        finally:
            current.reset(token)
            if watcher is not None:
                watcher.cancel()
                with suppress(asyncio.CancelledError):
                    await watcher


async def _watch(receive: Receive, budget: Budget) -> None:
    message: Message = await receive()
    while message["type"] == "http.request" and message.get("more_body", False):
        message = await receive()
    if message["type"] == "http.request":
        message = await receive()
    if message["type"] == "http.disconnect":
        budget.abandoned = True
