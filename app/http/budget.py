"""Each request's time budget, and a watcher that notices when its client has gone.

What the budget is and how the database layer honours it: `app.budget`.
"""

import asyncio
import time
from contextlib import suppress

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.budget import Budget, current


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
