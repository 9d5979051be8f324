"""A disk that takes no more: the commands say so in one line naming the database, exit 1, and
leave nothing half-written."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app import migrations
from app.config import settings
from app.db import create_db_engine
from tests.conftest import Almaty
from tests.databases import DatabaseFactory, loaded


@pytest.fixture
def full_disk_engine(tmp_path: Path) -> Iterator[sa.Engine]:
    """A migrated SQLite file that may grow by a few pages only: SQLite's "disk is full", as a
    full disk gives it (PostgreSQL's disk cannot be filled from here)."""
    url = f"sqlite:///{tmp_path / 'full.sqlite3'}"
    migrations.upgrade(url)
    engine = create_db_engine(url, request_limits=False)
    with engine.connect() as connection:
        pages = int(connection.execute(sa.text("PRAGMA page_count")).scalar_one())

    @sa.event.listens_for(engine, "connect")
    def _small_disk(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 4}")

    engine.dispose()
    yield engine
    engine.dispose()


def test_seed_load_on_a_full_disk_says_so_and_writes_nothing(
    full_disk_engine: sa.Engine, almaty: Almaty
) -> None:
    url = full_disk_engine.url.render_as_string(False)

    ran = almaty("seed", "load", str(settings.seed_dir), database_url=url, engine=full_disk_engine)

    assert ran.code == 1
    assert ran.err.splitlines() == [
        f"almaty seed load: the disk holding {full_disk_engine.url.database} is full; "
        "nothing was written"
    ]
    assert loaded(url) == (0, 0)


def _read_only(databases: DatabaseFactory, url: str) -> str:
    """The same database, which now refuses every write."""
    if databases.backend == "sqlite":
        return f"sqlite:///file:{sa.make_url(url).database}?mode=ro&uri=true"
    with databases.admin().connect() as connection:
        name = sa.make_url(url).database
        connection.execute(sa.text(f'ALTER DATABASE "{name}" SET default_transaction_read_only=on'))
    return url


@pytest.mark.parametrize("command", [["seed", "load"], ["setup"]])
def test_a_read_only_database_is_one_line_and_exit_1(
    databases: DatabaseFactory, almaty: Almaty, command: list[str]
) -> None:
    url = databases.new(template=databases.migrated())
    read_only = _read_only(databases, url)

    ran = almaty(*command, database_url=read_only)

    named = (
        str(Path(sa.make_url(url).database or ""))
        if databases.backend == "sqlite"
        else f"PostgreSQL database {sa.make_url(url).database}"
    )
    assert ran.code == 1, ran.err
    assert "Traceback" not in ran.err
    [line] = ran.err.splitlines()
    assert line.startswith(f"almaty {' '.join(command)}: ")
    assert named in line, line
    assert line.endswith("is read-only; nothing was written"), line
    if databases.backend == "postgresql":
        with databases.admin().connect() as connection:
            name = sa.make_url(url).database
            connection.execute(
                sa.text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
            )
    assert loaded(url) == (0, 0)
