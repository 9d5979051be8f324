"""How every REST route reads and answers: one short transaction, then serialisation outside it."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

import sqlalchemy as sa
from fastapi import Request, Response
from pydantic import BaseModel
from sqlalchemy.pool import QueuePool
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app import budget
from app.db import DATABASE_ERRORS
from app.errors import OverBudgetError
from app.http.hosts import reference
from app.queries.changes import Seen, snapshot_version
from app.schemas.pages import Page


class Versioned(Protocol):
    """What names a data version (a read's `Seen`, a `DataVersion`)."""

    @property
    def version(self) -> str: ...


@contextmanager
def reading(engine: sa.Engine) -> Iterator[tuple[Session, Seen | None]]:
    """A read-only transaction and the data version it sees.

    The route opens and closes it itself, so the pooled connection is back in the pool before
    the response is serialised: holding it across serialisation (a yield dependency) is what
    deadlocks a sync route under load.
    """
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session, snapshot_version(session)


# How long a read may hold the event loop. A read on a SQLite file is a few hundred microseconds
# of Python and SQL: handing it to a worker thread and back costs more than the read. One that
# runs longer is stopped there (the progress handler) and run again in a worker thread.
ON_LOOP_SECONDS = 0.01


def _on_loop(engine: sa.Engine) -> bool:
    """A SQLite file whose pool has a connection to give at once: one no thread waits for."""
    pool = engine.pool
    return (
        engine.dialect.name == "sqlite"
        and isinstance(pool, QueuePool)
        and pool.checkedout() < pool.size()
    )


async def answer(engine: sa.Engine, work: Callable[[], Response]) -> Response:
    """`work` (a read and its answer): on the event loop when it is a short read on SQLite,
    else, or once it has taken `ON_LOOP_SECONDS` there, in a worker thread.

    PostgreSQL is read in a worker thread: a statement waits on the network.
    """
    if _on_loop(engine):
        outer = budget.current.get()
        deadline = time.monotonic() + ON_LOOP_SECONDS
        short = budget.Budget(deadline=min(deadline, outer.deadline) if outer else deadline)
        token = budget.current.set(short)
        try:
            return work()
        except (OverBudgetError, *DATABASE_ERRORS):
            # Stopped by the short budget alone: the whole one is the thread's. Anything else
            # (the client gone, the request's own time spent, the database away) is answered.
            if not short.spent() or outer is None or outer.spent():
                raise
        finally:
            budget.current.reset(token)
    return await run_in_threadpool(work)


def respond(
    request: Request,
    payload: BaseModel | bytes,
    version: Versioned | None,
    *,
    media_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Response:
    """The payload as bytes, with the data version and, for a page, its RFC 8288 next link."""
    # Straight to bytes (pydantic-core writes them): no str in between.
    body = (
        payload if isinstance(payload, bytes) else payload.__pydantic_serializer__.to_json(payload)
    )
    response = Response(body, media_type=media_type, headers=headers)
    if version is not None:
        response.headers["X-Data-Version"] = version.version
    if isinstance(payload, Page) and payload.next_cursor is not None:
        following = request.url.include_query_params(cursor=payload.next_cursor)
        response.headers["Link"] = f'<{reference(following)}>; rel="next"'
    return response
