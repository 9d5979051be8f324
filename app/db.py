"""The database engine, and the session every request and command works in."""

from functools import cache
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends

from app import budget
from app.config import settings

# What the driver raises when the database cannot answer: away, too slow, or no free connection.
DATABASE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)


def create_db_engine(url: str) -> sa.Engine:
    """An engine for SQLite (foreign keys on) or PostgreSQL (bounded, pre-pinged pool)."""
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
    engine = sa.create_engine(
        url,
        # Each transaction reads one snapshot: a reload committed while an answer is being read
        # does not show in its later statements (READ COMMITTED would mix the two versions).
        isolation_level="REPEATABLE READ",
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": settings.db_connect_timeout,
            "options": f"-c statement_timeout={settings.db_statement_timeout_ms}",
        },
        **pool,
    )
    sa.event.listen(engine, "before_cursor_execute", _within_budget)
    return engine


def _within_budget(*_: Any) -> None:
    """Before each statement: a request out of time or abandoned by its client goes no further."""
    budget.check()


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
def get_engine() -> sa.Engine:
    """The process-wide engine for the configured DATABASE_URL."""
    return create_db_engine(settings.database_url)


EngineDep = Annotated[sa.Engine, Depends(get_engine)]
# Routes take the engine and open their session themselves (app.rest.reading), not a session
# from a yield dependency: that would hold a pooled connection while the response is
# serialised, which deadlocks sync routes under concurrent load.
