"""The database engine, and the session every request and command works in."""

import time
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, TypeVar

import sqlalchemy as sa
from fastapi import Depends
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from app import budget
from app.config import settings
from app.errors import OverBudgetError

# What the driver raises when the database cannot answer: away, too slow, or no free connection.
DATABASE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)
Result = TypeVar("Result")

# How long a read may hold an event loop. A read of a SQLite file is a few hundred microseconds
# of Python and SQL: handing it to a worker thread and back costs more than the read. One that
# runs longer is stopped there (SQLite's progress handler) and its caller reads it in a thread.
ON_LOOP_SECONDS = 0.02


class NotBriefError(Exception):
    """A read tried on the event loop took longer than `ON_LOOP_SECONDS` and was stopped."""


def reads_on_loop(engine: sa.Engine) -> bool:
    """A SQLite file whose pool has a connection to give at once (none the loop would wait for).

    PostgreSQL is read in worker threads: a statement waits on the network.
    """
    pool = engine.pool
    return (
        engine.dialect.name == "sqlite"
        and isinstance(pool, QueuePool)
        and pool.checkedout() < pool.size()
    )


def briefly(read: Callable[[], Result]) -> Result:
    """`read()`, stopped with NotBriefError once it has run `ON_LOOP_SECONDS` (or what is left
    of the request's budget, if less: then its own errors are raised, as they would be
    anywhere)."""
    outer = budget.current.get()
    deadline = time.monotonic() + ON_LOOP_SECONDS
    short = budget.Budget(deadline=min(deadline, outer.deadline) if outer else deadline)
    token = budget.current.set(short)
    try:
        return read()
    except (OverBudgetError, *DATABASE_ERRORS) as error:
        # Stopped by the short budget alone: the whole one is the thread's. Anything else (the
        # client gone, the request's own time spent, the database away) is the caller's.
        if short.spent() and not (outer is not None and outer.spent()):
            raise NotBriefError from error
        raise
    finally:
        budget.current.reset(token)


def create_db_engine(url: str, *, request_limits: bool = True) -> sa.Engine:
    """An engine for SQLite (foreign keys on) or PostgreSQL (bounded, pre-pinged pool).

    `request_limits`: PostgreSQL cancels a statement that runs or waits for a lock too long for
    a request (a 503 rather than a stall). The commands (`almaty setup`, `seed load`) go without:
    a load may take its time, and waits for another replica's setup to end.
    """
    pool = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout,
    }
    if url.startswith("sqlite"):
        if sa.make_url(url).database in (None, "", ":memory:"):
            pool = {}  # an in-memory database lives in one connection; there is no pool to size
        engine = sa.create_engine(url, connect_args={"check_same_thread": False}, **pool)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        sa.event.listen(engine, "before_cursor_execute", _within_budget)
        return engine
    limits = (
        f"-c statement_timeout={settings.db_statement_timeout_ms} "
        f"-c lock_timeout={settings.db_lock_timeout_ms}"
    )
    engine = sa.create_engine(
        url,
        # Each transaction reads one snapshot: a reload committed while an answer is being read
        # does not show in its later statements (READ COMMITTED would mix the two versions).
        isolation_level="REPEATABLE READ",
        # Requests ping on checkout themselves, under their watchdog (`_watch_connections`).
        pool_pre_ping=not request_limits,
        connect_args={
            "connect_timeout": settings.db_connect_timeout,
            **({"options": limits} if request_limits else {}),
        },
        **pool,
    )
    if not request_limits:
        sa.event.listen(engine, "before_cursor_execute", _within_budget)
        return engine
    sa.event.listen(engine, "before_cursor_execute", _postgres_within_budget)
    _watch_connections(engine)
    return engine


def _within_budget(*_: Any) -> None:
    """Before each statement: a request out of time or abandoned by its client goes no further."""
    budget.check()


def _postgres_within_budget(connection: sa.Connection, *_: Any) -> None:
    """As `_within_budget`; and a statement may run no longer than the request has left.

    Only a request whose statement timeout would overrun its deadline by more than the
    watchdog's grace pays for it: one more round trip. (GraphQL's 5 s budget against the 5 s
    statement timeout would otherwise pay it on every statement.)
    """
    budget.check()
    current = budget.current.get()
    if current is None:
        return
    current.busy = True
    left = current.deadline - time.monotonic()
    if (left + budget.GRACE) * 1000 < settings.db_statement_timeout_ms:
        # Never 0, which would mean no timeout at all.
        milliseconds = max(1, int(left * 1000))
        driver = connection.connection.dbapi_connection
        driver.execute(f"SET LOCAL statement_timeout = {milliseconds}")  # type: ignore[union-attr]


def _watch_connections(engine: sa.Engine) -> None:
    """Lets the watchdog (app.budget) cut a connection a request waits on past its deadline.

    A server that stops answering without closing (frozen) blocks the thread reading it; the
    statement timeout, a server-side setting, cannot fire. The pool tells which request holds
    which connection, from checkout to checkin; the statements and the ends of transactions
    tell when it waits. The pre-ping is this checkout's own, so that it runs once the request
    holds the connection: a ping of a frozen server is the first thing a request waits on.
    """
    dialect = engine.dialect

    def remember(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_SOCKET] = budget.Connection(dbapi_connection.fileno())

    def ping(dbapi_connection: Any, record: ConnectionPoolEntry, _: Any) -> None:
        connection: budget.Connection = record.info[_SOCKET]
        held = budget.hold(connection)
        if connection.fresh:
            # Just connected: nothing to check yet (the pool's own pre-ping skips it too).
            connection.fresh = False
            return
        budget.waiting(True)
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            # Either way, the pool closes this connection (and lets go of it: `let_go`).
            if held is not None and held.cut:
                raise OverBudgetError("the request was stopped: it ran out of time") from error
            # Gone (a restart, a network cut): the pool reconnects, as its own pre-ping would.
            raise sa.exc.InvalidatePoolError(str(error)) from error
        finally:
            budget.waiting(False)

    def let_go(_: Any, record: ConnectionPoolEntry) -> None:
        connection = record.info.get(_SOCKET)
        if connection is not None:
            budget.release(connection)

    sa.event.listen(engine, "connect", remember)
    sa.event.listen(engine, "checkout", ping)
    # On a close (an invalidation) before the driver closes the socket: never cut once it has.
    sa.event.listen(engine, "close", let_go)
    sa.event.listen(engine, "checkin", let_go)
    sa.event.listen(engine, "after_cursor_execute", _answered)
    sa.event.listen(engine, "commit", _ending)
    sa.event.listen(engine, "rollback", _ending)
    sa.event.listen(engine, "handle_error", _cut_by_watchdog)


_SOCKET = "request_watchdog"


def _answered(*_: Any) -> None:
    budget.waiting(False)


def _ending(_: sa.Connection) -> None:
    budget.waiting(True)


def _cut_by_watchdog(context: sa.engine.ExceptionContext) -> BaseException | None:
    """A statement whose connection the watchdog cut: out of time, not the database away.

    Only that connection is thrown away: the others in the pool may be sound (the server was
    slow to answer this one), and are pinged before their next use anyway.
    """
    current = budget.current.get()
    if current is None or not current.cut:
        return None
    context.is_disconnect = True
    context.invalidate_pool_on_disconnect = False
    if context.execution_context is None:
        # Ending the transaction: the caller may be closing up, expecting a database error.
        return None
    return OverBudgetError("the request was stopped: it ran out of time")


def _sqlite_begin(connection: sa.Connection) -> None:
    """A real transaction from the first read: every read of one answer sees one snapshot.

    The driver would begin one only before a write, leaving each SELECT of a read to see
    whatever a reload had committed in between.
    """
    # On the driver's connection: not a statement of the request's (query counts leave it out).
    connection.connection.dbapi_connection.execute("BEGIN")  # type: ignore[union-attr]


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Transactions are begun by SQLAlchemy (`_sqlite_begin`), not by the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # A statement of a request out of budget is interrupted (OperationalError "interrupted").
    dbapi_connection.set_progress_handler(budget.spent, 5000)
    # SQLite's own lower() folds ASCII only; case-insensitive filters (lower(x) LIKE lower(y))
    # must fold "Алматы" and "Éclair" as PostgreSQL does.
    dbapi_connection.create_function("lower", 1, _casefold, deterministic=True)


@cache
def configured_engine() -> sa.Engine:
    """The process-wide engine for the configured DATABASE_URL."""
    return create_db_engine(settings.database_url)


async def get_engine() -> sa.Engine:
    """The engine a request reads with (tests override this dependency). Async, so that FastAPI
    resolves it on the event loop: a plain function costs every request a worker thread."""
    return configured_engine()


EngineDep = Annotated[sa.Engine, Depends(get_engine)]
# Routes take the engine and open their session themselves (app.rest.reading), not a session
# from a yield dependency: that would hold a pooled connection while the response is
# serialised, which deadlocks sync routes under concurrent load.
