"""The database engine, and the session every request and command works in."""

from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends
from sqlmodel import Session

from app.config import settings


def create_db_engine(url: str) -> sa.Engine:
    """An engine for SQLite (foreign keys on) or PostgreSQL (pre-pinged pool)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@cache
def get_engine() -> sa.Engine:
    """The process-wide engine for the configured DATABASE_URL."""
    return create_db_engine(settings.database_url)


EngineDep = Annotated[sa.Engine, Depends(get_engine)]


def get_session(engine: EngineDep) -> Iterator[Session]:
    """A session that commits when the request succeeds and rolls back when it fails."""
    with Session(engine) as session, session.begin():
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
