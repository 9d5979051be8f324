"""Throwaway databases for tests: real SQLite files and real PostgreSQL databases."""

import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from app import migrations
from app.config import settings
from app.db import create_db_engine
from app.seed.loader import load_seed

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", "postgresql")


@dataclass
class DatabaseFactory:
    """Makes databases of one backend, blank or copied from another, and drops them at the end."""

    backend: str
    folder: Path
    created: list[str] = field(default_factory=list)
    _admin: sa.Engine | None = None
    _migrated: str | None = None
    _seeded: str | None = None

    def migrated(self) -> str:
        """A database migrated to head, made once, to copy (never to use)."""
        if self._migrated is None:
            self._migrated = self.new()
            migrations.upgrade(self._migrated)
        return self._migrated

    def seeded(self) -> str:
        """A database migrated and loaded with the project's seed, made once, to copy."""
        if self._seeded is None:
            self._seeded = self.new(template=self.migrated())
            engine = create_db_engine(self._seeded)
            try:
                load_seed(engine, settings.seed_dir)
            finally:
                engine.dispose()
        return self._seeded

    def new(self, template: str | None = None) -> str:
        """The URL of a new database: empty, or a copy of `template` (a URL from this factory)."""
        name = f"almaty_test_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            path = self.folder / f"{name}.sqlite3"
            if template is not None:
                shutil.copyfile(sa.make_url(template).database or "", path)
            url = f"sqlite:///{path}"
        else:
            clause = f' TEMPLATE "{sa.make_url(template).database}"' if template else ""
            with self.admin().connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"{clause}'))
            url = sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
        self.created.append(url)
        return url

    def admin(self) -> sa.Engine:
        """A connection to the server's maintenance database, outside transactions."""
        if self._admin is None:
            # Not the app's engine: its statement timeout is for requests, and dropping a
            # database on a busy server may take longer.
            self._admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        return self._admin

    def drop_all(self) -> None:
        if self.backend != "postgresql":
            return
        with self.admin().connect() as connection:
            for url in self.created:
                name = sa.make_url(url).database
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin().dispose()


def loaded(url: str) -> tuple[int, int]:
    """How many data versions and events the database at `url` holds."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(sa.text("SELECT count(*) FROM data_version")).scalar()
            events = connection.execute(sa.text("SELECT count(*) FROM event")).scalar()
    finally:
        engine.dispose()
    return int(versions or 0), int(events or 0)
