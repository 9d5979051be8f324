"""The whole dataset of one data version, as files: a SQLite database, NDJSON and CSV per table.

The table files hold rows only, so that DuckDB, pandas or a dashboard read them as they are;
what the data is, where it comes from and under which licence is in a file of its own
(`...-about.json`) and in the SQLite file's `about` table. The files of a version are built
once, on disk (BULK_DIR), by one thread of one process at a time: rows are read and written a
batch at a time, never held whole, so a build at 100k events takes the memory of one batch. A
build goes into a folder of its own, renamed into place when complete with its manifest; the
files of older versions are then removed (a download under way keeps its open file).
"""

import csv
import fcntl
import hashlib
import io
import logging
import os
import shutil
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, ClassVar

import orjson
import sqlalchemy as sa
from sqlmodel import Session

from app.models import ChangeRecord, DataVersion, metadata
from app.queries.changes import current_version, latest_version

logger = logging.getLogger(__name__)
DATASET = "almaty-process"
ABOUT = {
    "dataset": "Almaty Process open data",
    "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/) for the curated data; "
    "the source documents in source_document.text remain their authors'",
    "attribution": "Almaty Process open data API",
}
# History of loads is not part of a version's data; /changes serves it.
_LEFT_OUT = {ChangeRecord.__tablename__, DataVersion.__tablename__}


# Rows read and written at a time: the memory a build takes, whatever the size of the data.
BATCH = 2000
MANIFEST = "manifest.json"
# Which files a version has and what they hold. A new layout builds a version's files anew
# instead of serving those an earlier release of the service left in BULK_DIR.
LAYOUT = 2


@dataclass(frozen=True)
class BulkFile:
    name: str
    # The name without the data version: where the newest version's file of this kind stays.
    latest: str
    media_type: str
    size: int
    digest: str  # SHA-256 of the bytes, hex
    path: Path


@dataclass(frozen=True)
class BuiltVersion:
    """The files of one data version, on disk, by name and by name without the version."""

    version: str
    files: dict[str, BulkFile]
    latest: dict[str, BulkFile]

    @classmethod
    def of(cls, version: str, files: list[BulkFile]) -> "BuiltVersion":
        return cls(version, {f.name: f for f in files}, {f.latest: f for f in files})


def _tables() -> list[sa.Table]:
    return [table for table in metadata.sorted_tables if table.name not in _LEFT_OUT]


def _plain(value: Any) -> Any:
    """A value as SQLite stores it: dates as ISO 8601 text."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def _batches(session: Session, table: sa.Table) -> Iterator[list[dict[str, Any]]]:
    """The table's rows by primary key, BATCH at a time (a server-side cursor on PostgreSQL)."""
    key = list(table.primary_key.columns)
    result = session.execute(
        sa.select(table).order_by(*key).execution_options(yield_per=BATCH)
    ).mappings()
    for part in result.partitions():
        yield [dict(row) for row in part]


def _line(row: dict[str, Any]) -> bytes:
    return orjson.dumps({name: _plain(value) for name, value in row.items()}) + b"\n"


# Values a CSV cell holds as the NDJSON does: text and numbers; None, which the csv module
# writes as an empty cell.
_AS_THEY_ARE = frozenset({str, int, float, type(None)})


def _as_text(value: Any) -> str:
    """Any other value as its NDJSON line holds it: dates in ISO 8601, anything else (true, a
    list) as its JSON text."""
    plain = _plain(value)
    return plain if isinstance(plain, str) else orjson.dumps(plain).decode()


class _TableFile(ABC):
    """A file of one table's rows, written a batch at a time."""

    extension: ClassVar[str]
    media_type: ClassVar[str]

    def __init__(self, out: IO[bytes], columns: list[str]) -> None:
        self.out = out

    @abstractmethod
    def write(self, rows: list[dict[str, Any]]) -> None: ...


class _Ndjson(_TableFile):
    """One JSON object a line, keyed by column."""

    extension = "ndjson"
    media_type = "application/x-ndjson"

    def write(self, rows: list[dict[str, Any]]) -> None:
        self.out.writelines(_line(row) for row in rows)


class _Csv(_TableFile):
    """RFC 4180 in UTF-8: a header row of the columns, then one row a line (CRLF)."""

    extension = "csv"
    media_type = "text/csv; charset=utf-8"

    def __init__(self, out: IO[bytes], columns: list[str]) -> None:
        super().__init__(out, columns)
        self._rows([columns])

    def write(self, rows: list[dict[str, Any]]) -> None:
        # A row's values come in the order of its table's columns, as the header names them;
        # the test is made inline, as a call per value would double the time of a CSV file.
        self._rows(
            [value if type(value) in _AS_THEY_ARE else _as_text(value) for value in row.values()]
            for row in rows
        )

    def _rows(self, rows: Iterable[Iterable[Any]]) -> None:
        # The csv module quotes as RFC 4180 asks: only where needed, quotes doubled.
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerows(rows)
        self.out.write(text.getvalue().encode())


# The files each table is written to, in the one pass that also fills the SQLite file.
TABLE_FILES: tuple[type[_TableFile], ...] = (_Ndjson, _Csv)


def write_files(session: Session, version: str, folder: Path) -> list[BulkFile]:
    """Every bulk file of the data the session sees, named with its data version, in `folder`."""
    about = {**ABOUT, "data_version": version}
    stem = f"{DATASET}-{version[:12]}"
    named = f"{stem}-about.json"
    (folder / named).write_bytes(
        orjson.dumps(about, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    )
    written = [_file(folder, named, "application/json", version)]
    database = folder / f"{stem}.sqlite"
    engine = sa.create_engine(f"sqlite:///{database}")
    tables = _tables()
    try:
        metadata.create_all(engine, tables=tables)
        with engine.begin() as export:
            for table in tables:
                columns = [column.name for column in table.columns]
                names = [f"{stem}-{table.name}.{kind.extension}" for kind in TABLE_FILES]
                with ExitStack() as open_files:
                    writers = [
                        kind(open_files.enter_context((folder / name).open("wb")), columns)
                        for kind, name in zip(TABLE_FILES, names, strict=True)
                    ]
                    for rows in _batches(session, table):
                        export.execute(table.insert(), rows)
                        for writer in writers:
                            writer.write(rows)
                written += [
                    _file(folder, name, kind.media_type, version)
                    for kind, name in zip(TABLE_FILES, names, strict=True)
                ]
    finally:
        engine.dispose()
    connection = sqlite3.connect(database)
    try:
        with connection:
            connection.execute("CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            connection.executemany("INSERT INTO about VALUES (?, ?)", sorted(about.items()))
        # A compact file: no free pages left over from building it.
        connection.execute("VACUUM")
    finally:
        connection.close()
    return [_file(folder, database.name, "application/vnd.sqlite3", version), *written]


def _file(folder: Path, name: str, media_type: str, version: str) -> BulkFile:
    digest = hashlib.sha256()
    with (folder / name).open("rb") as written:
        while chunk := written.read(1 << 20):
            digest.update(chunk)
    path = folder / name
    latest = name.replace(f"-{version[:12]}", "", 1)
    return BulkFile(name, latest, media_type, path.stat().st_size, digest.hexdigest(), path)


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


@contextmanager
def _exclusive(path: Path) -> Iterator[IO[bytes]]:
    """A lock held by one process at a time (workers of one host share BULK_DIR)."""
    with path.open("ab") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield held
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)


def _database_key(engine: sa.Engine) -> str:
    """A folder name of one database and layout: the files of two databases never meet."""
    url = engine.url.render_as_string(hide_password=True)
    return hashlib.sha256(f"{url}\0{LAYOUT}".encode()).hexdigest()[:16]


class BulkStore:
    """The files of the newest data version of each database, in a folder of `root` each,
    built once per version.

    `files` answers at once: the files when they are built, else None, having started a build
    in a thread of its own (one per database and process; across processes the folder's lock
    makes the others wait for the first and find its files). A build holds one database
    connection for as long as it reads; no request waits for it longer than it chooses to.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._built: dict[Path, BuiltVersion] = {}
        self._building: dict[Path, threading.Thread] = {}

    def files(self, engine: sa.Engine, *, wait: float) -> BuiltVersion | None:
        """The files of the current version; None if they are still being built after `wait`
        seconds (a build is then under way), or if no data is loaded (`current_version`)."""
        latest = current_version(engine)
        if latest is None:
            return None
        folder = self.root / _database_key(engine)
        built = self._ready(folder, latest.version)
        if built is not None:
            return built
        with self._lock:
            building = self._building.get(folder)
            if building is None or not building.is_alive():
                building = self._building[folder] = threading.Thread(
                    target=self._build, args=(engine, folder), name="bulk-files", daemon=True
                )
                building.start()
        building.join(wait)
        return self._ready(folder, latest.version)

    def _ready(self, folder: Path, version: str) -> BuiltVersion | None:
        built = self._built.get(folder)
        if built is not None and built.version == version:
            return built
        manifest = folder / version / MANIFEST
        if not manifest.is_file():
            return None
        listed = orjson.loads(manifest.read_bytes())
        files = [
            BulkFile(
                each["name"],
                each["latest"],
                each["media_type"],
                each["size"],
                each["digest"],
                folder / version / each["name"],
            )
            for each in listed["files"]
        ]
        built = self._built[folder] = BuiltVersion.of(version, files)
        return built

    def _build(self, engine: sa.Engine, folder: Path) -> None:
        try:
            self._write(engine, folder)
        except Exception:
            # The requests go on answering 503; the next one after this starts a new build.
            logger.exception("the bulk files could not be built in %s", folder)

    def _write(self, engine: sa.Engine, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        with _exclusive(folder / ".lock"), _snapshot(engine) as session:
            seen: DataVersion | None = latest_version(session)
            if seen is None or self._ready(folder, seen.version) is not None:
                return
            partial = folder / f".{seen.version}.{os.getpid()}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            files = write_files(session, seen.version, partial)
            listed = [
                {
                    "name": f.name,
                    "latest": f.latest,
                    "media_type": f.media_type,
                    "size": f.size,
                    "digest": f.digest,
                }
                for f in files
            ]
            (partial / MANIFEST).write_bytes(orjson.dumps({"files": listed}))
            partial.rename(folder / seen.version)
            # Those of older versions go (a download under way keeps its open file).
            for other in folder.iterdir():
                if other.is_dir() and other.name != seen.version:
                    shutil.rmtree(other, ignore_errors=True)
