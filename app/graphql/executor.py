"""Where GraphQL answers are worked out: on an event loop of their own, in a thread of their own.

Completing an answer is Python run on an event loop, thousands of small steps for a large one.
On the server's loop those steps queue ahead of every other request (a `/health` check waits
behind a whole answer), and a time budget set there with `asyncio.timeout` cannot fire while
they run. On a loop of their own, GraphQL answers share it only with one another: the server's
loop keeps answering everything else, and gives up waiting for an answer at its budget, which
then cancels it there.

One loop for the process, started when the first answer is asked for: the DataLoaders of an
answer, its reads and the limit on concurrent GraphQL sessions (app.graphql.context) all live on
it, as they lived on the server's loop before.
"""

import asyncio
import os
import threading
from collections.abc import Coroutine
from contextlib import suppress
from typing import Any, TypeVar

Result = TypeVar("Result")


class Executor:
    """A daemon thread running an event loop, to which coroutines are handed."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._starting = threading.Lock()

    def loop(self) -> asyncio.AbstractEventLoop:
        """The executor's loop, started on first use."""
        with self._starting:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                threading.Thread(target=_serve, args=(loop,), name=self.name, daemon=True).start()
                self._loop = loop
            return self._loop

    async def run(self, work: Coroutine[Any, Any, Result]) -> Result:
        """Run `work` on the executor's loop; cancelling the caller cancels it there too."""
        future = asyncio.run_coroutine_threadsafe(work, self.loop())
        return await asyncio.wrap_future(future)


# How much lower than the server's loop the threads working out answers are scheduled (Linux
# `nice`, per thread): on a busy core the loop that answers /health and REST runs first.
BACKGROUND_NICENESS = 10


def yield_the_core() -> None:
    """Have the calling thread scheduled after the server's loop when the core is busy (once
    per thread; where threads have no priority of their own, nothing)."""
    if getattr(_lowered, "done", False):
        return
    _lowered.done = True
    with suppress(AttributeError, OSError):
        native = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, native)
        os.setpriority(os.PRIO_PROCESS, native, max(current, BACKGROUND_NICENESS))


_lowered = threading.local()


def _serve(loop: asyncio.AbstractEventLoop) -> None:
    """Run `loop` for good, under a root task that never ends: anyio ties its worker threads
    to the loop's root task, and without one it took each answer's task for it, so that the
    threads of every answer's reads stopped with it (two new threads per answer)."""
    yield_the_core()
    loop.run_until_complete(_forever())


async def _forever() -> None:
    await asyncio.Event().wait()


GRAPHQL = Executor("graphql")
