"""The whole dataset of one data version, as files: a SQLite database and NDJSON per table.

Each file says what it is, where it comes from and under which licence: the SQLite file in its
`about` table, each NDJSON file in its first line. The files are built once per data version and
process, and kept only for the newest version, so memory stays bounded.
"""

import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlmodel import Session

from app.errors import NotFoundError
from app.models import ChangeRecord, DataVersion, metadata
from app.queries.changes import current_version, latest_version

DATASET = "almaty-process"
ABOUT = {
    "dataset": "Almaty Process open data",
    "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/) for the curated data; "
    "the source documents in source_document.text remain their authors'",
    "attribution": "Almaty Process open data API",
}
# History of loads is not part of a version's data; /changes serves it.
_LEFT_OUT = {ChangeRecord.__tablename__, DataVersion.__tablename__}


@dataclass(frozen=True)
class BulkFile:
    name: str
    media_type: str
    body: bytes


def _tables() -> list[sa.Table]:
    return [table for table in metadata.sorted_tables if table.name not in _LEFT_OUT]


def _plain(value: Any) -> Any:
    """A value as SQLite stores it: dates as ISO 8601 text."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def _rows(session: Session, table: sa.Table) -> list[dict[str, Any]]:
    key = list(table.primary_key.columns)
    return [dict(row) for row in session.execute(sa.select(table).order_by(*key)).mappings()]


def _sqlite(tables: dict[sa.Table, list[dict[str, Any]]], about: dict[str, str]) -> bytes:
    """A SQLite database with the tables as the service has them, and an `about` table."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.sqlite"
        engine = sa.create_engine(f"sqlite:///{path}")
        try:
            metadata.create_all(engine, tables=list(tables))
            with engine.begin() as writing:
                for table, rows in tables.items():
                    if rows:
                        writing.execute(table.insert(), rows)
        finally:
            engine.dispose()
        connection = sqlite3.connect(path)
        try:
            with connection:
                connection.execute("CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                connection.executemany("INSERT INTO about VALUES (?, ?)", sorted(about.items()))
            # A compact file: no free pages left over from building it.
            connection.execute("VACUUM")
        finally:
            connection.close()
        return path.read_bytes()


def _ndjson(table: sa.Table, rows: list[dict[str, Any]], about: dict[str, str]) -> bytes:
    lines = [orjson.dumps({"about": {**about, "table": table.name}})]
    lines += [orjson.dumps({name: _plain(v) for name, v in row.items()}) for row in rows]
    return b"\n".join(lines) + b"\n"


def build_files(session: Session, version: str) -> list[BulkFile]:
    """Every bulk file of the data the session sees, named with its data version."""
    tables = {table: _rows(session, table) for table in _tables()}
    about = {**ABOUT, "data_version": version}
    stem = f"{DATASET}-{version[:12]}"
    files = [BulkFile(f"{stem}.sqlite", "application/vnd.sqlite3", _sqlite(tables, about))]
    files += [
        BulkFile(f"{stem}-{table.name}.ndjson", "application/x-ndjson", _ndjson(table, rows, about))
        for table, rows in tables.items()
    ]
    return files


@contextmanager
def _snapshot(engine: sa.Engine) -> Iterator[Session]:
    """A read that sees one version of the data in every table it reads.

    SQLite's transaction is a snapshot already; PostgreSQL's default (read committed) lets each
    statement see the newest commit, so a load finishing mid-build could mix two versions.
    """
    postgresql = engine.dialect.name == "postgresql"
    options = {"isolation_level": "REPEATABLE READ"} if postgresql else {}
    with (
        engine.connect().execution_options(**options) as connection,
        Session(bind=connection, expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session


class BulkCache:
    """The files of the newest data version, built once per process.

    A request that finds them stale builds them under a lock, in a read of its own; the requests
    waiting for it hold no database connection, so a build never starves the pool.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: tuple[DataVersion, dict[str, BulkFile]] | None = None

    def current(self, engine: sa.Engine) -> tuple[DataVersion, dict[str, BulkFile]]:
        """The newest data version and its files."""
        latest = current_version(engine)
        if latest is None:
            raise NotFoundError("data version", "any: the seed data is not loaded")
        with self._lock:
            if self._current is None or self._current[0].version != latest.version:
                with _snapshot(engine) as session:
                    seen = latest_version(session)
                    if seen is None:
                        raise NotFoundError("data version", "any: the seed data is not loaded")
                    built = build_files(session, seen.version)
                self._current = (seen, {found.name: found for found in built})
            return self._current
