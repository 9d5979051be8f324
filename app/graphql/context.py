"""What every resolver of one request shares: the engine, the DataLoaders, the time budget.

A DataLoader per relation, keyed by its parent (records by key, children by parent, passages and
claims by subject): a relation is read only when a query selects it, once per tick.
"""

import asyncio
import threading
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread
import sqlalchemy as sa
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar
from graphql import GraphQLError
from sqlmodel import Session
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from app import budget as request_budget
from app.config import settings
from app.db import DATABASE_ERRORS, NotBriefError, briefly, reads_on_loop
from app.errors import DomainError, InvalidParameterError, OverBudgetError
from app.graphql.executor import yield_the_core
from app.models.enums import ParticipationRole
from app.queries import actors, batches
from app.queries.changes import snapshot_version
from app.queries.entities import ENTITIES
from app.queries.records import Children, Subject
from app.schemas.common import Source

Result = TypeVar("Result")
Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


# A GraphQL answer keeps one connection from its first read to its end (one snapshot), and
# needs a worker thread for each read meanwhile. Drawn from the threads that REST routes use,
# which wait for connections while holding a thread, that is a deadlock under load: requests
# holding connections wait for threads held by requests waiting for connections. So GraphQL
# answers take a place among a few (half the pool) before their first read, and read on threads
# of their own, one per place: a place always finds its thread.
_PLACES = max(1, settings.db_pool_size // 2)
# Ending a session is one round trip; a database that does not answer it is left to the thread.
CLOSE_GRACE = 0.5
_SESSIONS: RunVar[CapacityLimiter] = RunVar("graphql_sessions")
_THREADS: RunVar[CapacityLimiter] = RunVar("graphql_threads")


def _limiter(kind: RunVar[CapacityLimiter]) -> CapacityLimiter:
    """This event loop's limiter of that kind (a test may run several loops)."""
    try:
        return kind.get()
    except LookupError:
        limiter = CapacityLimiter(_PLACES)
        kind.set(limiter)
        return limiter


# The batch read of each kind of record, by its plural.
_RECORD_ROWS = {entity.plural: entity.rows for entity in ENTITIES if entity.rows is not None}

# The REST parameters the shared query layer names, as the GraphQL arguments that carry them.
ARGUMENTS = {"cursor": "after", "group_by": "groupBy"}


class BadUserInputError(GraphQLError):
    """A value the client sent is refused; marked as Apollo servers mark it, for clients.

    `argument` names the GraphQL argument at fault, `limit` the limit a query went over.
    """

    def __init__(
        self, message: str, *, argument: str | None = None, limit: str | None = None
    ) -> None:
        extensions = {"code": "BAD_USER_INPUT", "argument": argument, "limit": limit}
        super().__init__(message, extensions={k: v for k, v in extensions.items() if v})


class TimeBudgetExceededError(BadUserInputError):
    """A query that reads too much: refused like the other limits (README: BAD_USER_INPUT)."""

    def __init__(self, budget: float) -> None:
        super().__init__(
            f"the query exceeded its time budget of {budget:g} s (limit: time)", limit="time"
        )


class OverproducedError(BadUserInputError):
    """A query that returned more values than allowed as it ran: the cost computed before it
    ran is an upper bound by design, and this is the check that it held."""

    def __init__(self, produced: int, limit: int) -> None:
        super().__init__(
            f"the query produced more than the {limit:,} values allowed: ask for smaller pages "
            "or fewer nested lists (limit: cost)",
            limit="cost",
        )
        self.extensions = {**(self.extensions or {}), "cost": produced, "maxCost": limit}


class UnavailableError(GraphQLError):
    """The database could not answer in time (away, or every connection busy): retry shortly."""

    def __init__(self, cause: str) -> None:
        super().__init__(
            f"the database is unavailable ({cause}); retry shortly",
            extensions={"code": "SERVICE_UNAVAILABLE"},
        )


@dataclass
class GraphQLContext(BaseContext):
    """Per request: each database read goes through `read`, which keeps to the time budget.

    All the reads of one request share one transaction, so one answer reads one snapshot: a
    reload between a list and the records it links to cannot mix two versions. `version` is the
    data version that snapshot holds (the answer's X-Data-Version).

    The budget is wall time from the request's start. The request's database budget
    (app.budget) is cut to it, so a statement still running when it is spent is stopped: SQLite
    interrupts it, PostgreSQL times it out, and the next one is refused. A read whose caller
    gave up (the answer went out without it) is left to its thread, which then ends the
    session and gives the place back itself: nobody waits for it.
    """

    engine: sa.Engine
    budget: float
    started: float = field(default_factory=time.monotonic)
    version: str | None = None
    # The lists cut at their bound (app.graphql.common.PagedList), for the answer to say so.
    cuts: list[dict[str, Any]] = field(default_factory=list)
    # The values the lists of the answer hold so far (app.graphql.common.produced), and the
    # error that stopped it if they went past the cost limit.
    produced: int = 0
    overproduced: OverproducedError | None = None
    _session: Session | None = None
    _place: CapacityLimiter | None = None
    # Who holds the place: a token of its own (the context itself is not hashable).
    _borrower: object = field(default_factory=object)
    # One session, used by one worker thread at a time.
    _turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Between the event loop and a worker thread: whether a read runs, whether the request ended.
    _guard: threading.Lock = field(default_factory=threading.Lock)
    _busy: bool = False
    _closed: bool = False
    _loop: asyncio.AbstractEventLoop | None = None
    # Whether the transaction was opened on the answer's loop (a SQLite file), not in a thread.
    _opened_here: bool = False

    def __post_init__(self) -> None:
        super().__init__()
        deadline = self.started + self.budget
        limit = request_budget.current.get()
        if limit is None:
            limit = request_budget.Budget(deadline=deadline)
        else:
            limit.deadline = min(limit.deadline, deadline)
        self._limit = limit
        # Every loader is made on first use: most answers use two or three of them.
        self._records: dict[str, DataLoader[str, Any]] = {}
        self._children: dict[Children, DataLoader[str, list[Any]]] = {}
        self._involvements: dict[
            tuple[str, int, tuple[date, str] | None], DataLoader[Any, actors.Involvements]
        ] = {}

    def truncated(self, cut: dict[str, Any]) -> None:
        """A list of the answer was cut at its bound: the answer lists where."""
        self.cuts.append(cut)

    def produce(self, values: int) -> None:
        """Count values the answer returns; past the cost limit, the query stops here."""
        self.produced += values
        if self.produced > settings.graphql_max_cost:
            if self.overproduced is None:
                self.overproduced = OverproducedError(self.produced, settings.graphql_max_cost)
            raise self.overproduced

    def records(self, plural: str) -> DataLoader[str, Any]:
        """The loader of the records of one kind (`records("events")`), by key, as the
        registry declares their batch read."""
        loader = self._records.get(plural)
        if loader is None:
            loader = self._records[plural] = self._loader(_RECORD_ROWS[plural], None)
        return loader

    @cached_property
    def projects(self) -> DataLoader[str, Any]:
        return self._loader(batches.project_rows, None)

    @cached_property
    def sources(self) -> DataLoader[Subject, list[Source]]:
        return self._loader(batches.sources, [])

    @cached_property
    def claims(self) -> DataLoader[Subject, list[batches.ClaimRow]]:
        return self._loader(batches.claims, [])

    def children(self, declared: Children) -> DataLoader[str, list[Any]]:
        """The loader of one declared collection (EVENT_CHILDREN["participations"]...)."""
        loader = self._children.get(declared)
        if loader is None:
            batch = partial(batches.children, declared=declared)
            loader = self._children[declared] = self._loader(
                lambda session, keys: batch(session, keys=keys), []
            )
        return loader

    def involvements(
        self, plural: str, bound: int, after: tuple[date, str] | None
    ) -> DataLoader[tuple[str, ParticipationRole | None], actors.Involvements]:
        """The loader of the first `bound` events of states or organisations after the event
        `after` (start date, slug), by (key, role)."""
        loader = self._involvements.get((plural, bound, after))
        if loader is None:
            column = actors.INVOLVED[plural]
            loader = self._involvements[(plural, bound, after)] = self._loader(
                lambda session, keys: actors.involvements(
                    session, column, keys, bound=bound, after=after
                ),
                actors.Involvements([], 0),
            )
        return loader

    def left(self) -> float:
        """Seconds of the budget left (negative once spent)."""
        return self.started + self.budget - time.monotonic()

    def stop(self) -> None:
        """The budget is spent: a statement still running stops, and no other starts."""
        self._limit.deadline = min(self._limit.deadline, time.monotonic())

    async def read(self, query: Callable[[Session], Result]) -> Result:
        """Run a read in the request's transaction: in a worker thread; or, when it opens the
        transaction on a SQLite file, first on this loop for a short while (`db.briefly`)."""
        self._check_budget()

        def run() -> Result:
            with self._guard:
                answered = self._closed
                self._busy = not answered
            if answered:
                # A read that took its place after the answer went out gives it back too.
                self._end()
                raise OverBudgetError("the request was answered")
            yield_the_core()
            # The thread runs in a copy of the request's context: this sets it there only.
            request_budget.current.set(self._limit)
            try:
                return self._in_session(query)
            finally:
                with self._guard:
                    self._busy = False
                    left_behind = self._closed
                if left_behind:
                    self._end()

        try:
            async with self._turn:
                if self._place is None:
                    place = _limiter(_SESSIONS)
                    await place.acquire_on_behalf_of(self._borrower)
                    self._place, self._loop = place, asyncio.get_running_loop()
                if self._session is None and reads_on_loop(self.engine):
                    with suppress(NotBriefError):
                        return self._checked(self._first_read_here(query))
                result = await anyio.to_thread.run_sync(
                    run, limiter=_limiter(_THREADS), abandon_on_cancel=True
                )
        except InvalidParameterError as error:
            # A bad cursor and the like: REST's words, naming the argument GraphQL knows.
            argument = ARGUMENTS.get(error.parameter, error.parameter)
            raise BadUserInputError(f"{argument}: {error.reason}", argument=argument) from None
        except DomainError as error:
            raise BadUserInputError(error.detail) from None
        except OverBudgetError:
            raise TimeBudgetExceededError(self.budget) from None
        except DATABASE_ERRORS as error:
            if self.left() <= 0:
                # Stopped at the end of the budget (PostgreSQL's timeout, SQLite's interrupt).
                raise TimeBudgetExceededError(self.budget) from None
            # What REST answers with a 503: said, not masked as an unexpected error.
            raise UnavailableError(type(error).__name__) from None
        return self._checked(result)

    def _checked(self, result: Result) -> Result:
        self._check_budget()
        return result

    def _in_session(self, query: Callable[[Session], Result]) -> Result:
        if self._session is None:
            # Rows outlive the read (resolvers build objects from them): keep them.
            self._session = Session(self.engine, expire_on_commit=False)
            self._session.begin()
            found = snapshot_version(self._session)
            self.version = found.version if found else None
        return query(self._session)

    def _first_read_here(self, query: Callable[[Session], Result]) -> Result:
        """The read that opens the transaction, on this loop; one stopped for taking too long
        ends the transaction it opened (nothing was read from it), for a thread to start again."""
        token = request_budget.current.set(self._limit)
        self._opened_here = True
        try:
            return briefly(lambda: self._in_session(query))
        except NotBriefError:
            if self._session is not None:
                with suppress(*DATABASE_ERRORS):
                    self._session.close()
                self._session, self.version = None, None
            self._opened_here = False
            raise
        finally:
            request_budget.current.reset(token)

    async def close(self) -> None:
        """End the request's transaction (it only read) and give its connection back.

        If a read still runs, its thread does that when it returns; if the database does not
        answer the end of the transaction at once, the thread is left to finish it.
        """
        with self._guard:
            self._closed = True
            busy = self._busy
        if busy:
            return
        if self._session is None:
            self._give_back()
            return
        if self._opened_here:
            # Ending a read of a SQLite file is local and instant: no thread for it.
            self._end()
            return
        with anyio.move_on_after(CLOSE_GRACE):
            await anyio.to_thread.run_sync(
                self._end, limiter=_limiter(_THREADS), abandon_on_cancel=True
            )

    def _end(self) -> None:
        """In a worker thread: close the session, then give the place back on the event loop."""
        try:
            if self._session is not None:
                with suppress(*DATABASE_ERRORS):
                    # Broken while the answer was made: the pool drops that connection.
                    self._session.close()
        finally:
            if self._loop is not None:
                # Gone, if the loop ended meanwhile, with its limiter.
                with suppress(RuntimeError):
                    self._loop.call_soon_threadsafe(self._give_back)

    def _give_back(self) -> None:
        if self._place is not None:
            self._place.release_on_behalf_of(self._borrower)
            self._place = None

    def _check_budget(self) -> None:
        if self.left() < 0:
            raise TimeBudgetExceededError(self.budget)

    def _loader(
        self, batch: Callable[[Session, Sequence[Key]], Mapping[Key, Value]], missing: Value
    ) -> DataLoader[Key, Value]:
        """A DataLoader over a batch query: one query for all the keys of one tick."""

        async def load(keys: list[Key]) -> list[Value]:
            # No key holds NUL, and PostgreSQL refuses to compare a string that does.
            askable = [key for key in keys if not (isinstance(key, str) and "\x00" in key)]
            found = await self.read(lambda session: batch(session, askable)) if askable else {}
            return [found.get(key, missing) for key in keys]

        return DataLoader(load_fn=load)
