"""The benchmark's databases: seeded by the project's own code, then grown by the generator."""

import importlib
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import sqlalchemy as sa

from app import migrations
from app.config import settings
from app.db import create_db_engine
from app.seed.loader import load_seed

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
AddEvents = Callable[..., None]


def event_generator() -> AddEvents | None:
    """bench.generate.add_events(engine, count, *, seed=0), or None while it does not exist."""
    try:
        module = importlib.import_module("bench.generate")
    except ModuleNotFoundError:
        return None
    return cast(AddEvents, module.add_events)


def _seed(url: str) -> None:
    migrations.upgrade(url)
    engine = create_db_engine(url)
    try:
        load_seed(engine, settings.seed_dir)
    finally:
        engine.dispose()


def _grow(url: str, add_events: AddEvents, events: int) -> None:
    # A plain engine: the service's statement timeout is for answering, not for bulk inserts.
    engine = sa.create_engine(url)
    try:
        add_events(engine, events, seed=0)
    finally:
        engine.dispose()


@contextmanager
def sqlite_databases(folder: Path, events: int) -> Iterator[dict[str, str]]:
    """URLs by data set ("seed", and "100k" when `events` and the generator are there)."""
    seed = folder / "seed.sqlite3"
    urls = {"seed": f"sqlite:///{seed}"}
    _seed(urls["seed"])
    add_events = event_generator()
    if events and add_events is not None:
        grown = folder / "grown.sqlite3"
        shutil.copyfile(seed, grown)
        urls["100k"] = f"sqlite:///{grown}"
        _grow(urls["100k"], add_events, events)
    yield urls


@contextmanager
def postgres_databases(events: int) -> Iterator[dict[str, str]]:
    """The same on PostgreSQL, in databases named bench_*, dropped at the end even on failure."""
    # Without the service's statement timeout: dropping a database of 100k events takes longer.
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    names: list[str] = []

    def create(dataset: str, template: str | None = None) -> str:
        name = f"bench_{dataset}_{uuid.uuid4().hex[:8]}"
        clause = f' TEMPLATE "{template}"' if template else ""
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"{clause}'))
        names.append(name)
        return name

    def url(name: str) -> str:
        return sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)

    try:
        seed = create("seed")
        urls = {"seed": url(seed)}
        _seed(urls["seed"])
        add_events = event_generator()
        if events and add_events is not None:
            urls["100k"] = url(create("100k", template=seed))
            _grow(urls["100k"], add_events, events)
        yield urls
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
