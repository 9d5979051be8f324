"""Fixtures. Two families, and a test's fixture says which it runs on:

- the HTTP and GraphQL layers (status codes, headers, caching, limits, formats, protocols) do
  not depend on the database: `sqlite_api`, `sqlite_seeded_engine`, `sqlite_live_server` run them
  on a real SQLite file only;
- data semantics (filters, pagination, counts, the seed, claims, plans, isolation, locks,
  timeouts) do: `each_db_api`, `seeded_engine`, `shared_seeded_engine`, `empty_engine`,
  `crowded_engine` and `databases` run them on SQLite and on the real PostgreSQL, which must be
  reachable (its tests never skip).

Every database is a copy of a template made once per test process (pytest-xdist runs two).
"""

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app import cli
from app.config import settings
from app.db import create_db_engine, get_engine
from app.main import app, response_store
from app.queries.pagination import RESULTS
from bench.servers import running_server
from tests.databases import BACKENDS, DatabaseFactory
from tests.generated import add_generated_events

SEED_DIR = settings.seed_dir


@pytest.fixture(autouse=True)
def fresh_response_cache() -> None:
    """Each test starts with no kept answers nor remembered counts: what it measures is its own
    requests' work."""
    if response_store is not None:
        response_store.clear()
    RESULTS.clear()


def _factory(backend: str, folder: Path) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(backend=backend, folder=folder)
    if factory.backend == "postgresql":
        try:
            with factory.admin().connect():
                pass
        except sa.exc.OperationalError as error:
            pytest.fail(f"PostgreSQL is not reachable; start it, the tests need it: {error}")
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session", params=BACKENDS)
def databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseFactory]:
    """Databases of each backend in turn: a test that takes it runs on both."""
    yield from _factory(request.param, tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def sqlite_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    """SQLite databases only, for the tests of what does not depend on the database."""
    yield from _factory("sqlite", tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    """PostgreSQL databases only, for the tests that are about PostgreSQL itself."""
    yield from _factory("postgresql", tmp_path_factory.mktemp("pg"))


@pytest.fixture(scope="session")
def migrated_template(databases: DatabaseFactory) -> str:
    """A database migrated to head, copied by the tests that need an empty schema."""
    return databases.migrated()


@pytest.fixture(scope="session")
def seeded_template(databases: DatabaseFactory) -> str:
    """A database migrated and loaded with the project's seed data."""
    return databases.seeded()


@pytest.fixture(scope="session")
def postgres_seeded_template(postgres: DatabaseFactory) -> str:
    return postgres.seeded()


def _engine(url: str) -> Iterator[sa.Engine]:
    engine = create_db_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def empty_engine(databases: DatabaseFactory) -> Iterator[sa.Engine]:
    """A fresh database of its own, at head, with no data; on each database."""
    yield from _engine(databases.new(template=databases.migrated()))


@pytest.fixture
def seeded_engine(databases: DatabaseFactory) -> Iterator[sa.Engine]:
    """A fresh seeded database of its own, free to change; on each database."""
    yield from _engine(databases.new(template=databases.seeded()))


@pytest.fixture
def sqlite_seeded_engine(sqlite_databases: DatabaseFactory) -> Iterator[sa.Engine]:
    """A fresh seeded database of its own, free to change; on SQLite only."""
    yield from _engine(sqlite_databases.new(template=sqlite_databases.seeded()))


@pytest.fixture(scope="session")
def shared_seeded_engine(databases: DatabaseFactory) -> Iterator[sa.Engine]:
    """A seeded database shared by the tests that only read; on each database."""
    yield from _engine(databases.new(template=databases.seeded()))


@pytest.fixture(scope="session")
def sqlite_shared_engine(sqlite_databases: DatabaseFactory) -> Iterator[sa.Engine]:
    """A seeded SQLite database shared by the tests that only read."""
    yield from _engine(sqlite_databases.new(template=sqlite_databases.seeded()))


@pytest.fixture
def client_for() -> Iterator[Callable[[sa.Engine], TestClient]]:
    """Makes a test client of the app whose every request uses the given engine."""

    def make(engine: sa.Engine) -> TestClient:
        app.dependency_overrides[get_engine] = lambda: engine
        return TestClient(app)

    yield make
    app.dependency_overrides.clear()


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A copy of the seed folder that a test may break."""
    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target)
    return target


def _api(engine: sa.Engine) -> Iterator[TestClient]:
    # Not entered as a context manager: the app's lifespan (threads, the metrics port) is the
    # server's business, and the tests need none of it.
    app.dependency_overrides[get_engine] = lambda: engine
    yield TestClient(app, raise_server_exceptions=False)
    app.dependency_overrides.clear()


@pytest.fixture
def sqlite_api(sqlite_shared_engine: sa.Engine) -> Iterator[TestClient]:
    """A client of the app over a shared seeded SQLite database (read-only tests of the HTTP
    and GraphQL layers)."""
    yield from _api(sqlite_shared_engine)


@pytest.fixture
def each_db_api(shared_seeded_engine: sa.Engine) -> Iterator[TestClient]:
    """A client of the app over a shared seeded database, on each database in turn (read-only
    tests of what the data answers)."""
    yield from _api(shared_seeded_engine)


@pytest.fixture(scope="session")
def busy_sqlite_url(sqlite_databases: DatabaseFactory) -> str:
    """The seed plus 12,000 events at each of which eight organisations took part, with their
    claims and passages: twice the events per organisation the benchmark's 100k database gives
    the busiest (slow tests of work at scale share it: mark them xdist_group("busy"))."""
    url = sqlite_databases.new(template=sqlite_databases.seeded())
    engine = create_db_engine(url)
    add_generated_events(engine, count=12_000, participants_each=8, prefix="busy")
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def crowded_engine(databases: DatabaseFactory) -> Iterator[sa.Engine]:
    """The seed plus 1,000 generated events with participants and citations (read-only tests);
    on each database."""
    url = databases.new(template=databases.seeded())
    engine = create_db_engine(url)
    add_generated_events(engine, count=1000, participants_each=2)
    add_generated_events(engine, count=1, participants_each=17, prefix="crowded")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_live_server(sqlite_databases: DatabaseFactory) -> Iterator[str]:
    """The app in its own uvicorn process over a copy of the seeded SQLite database."""
    with running_server(sqlite_databases.new(template=sqlite_databases.seeded())) as base:
        yield base


@dataclass(frozen=True)
class Ran:
    """What a command did: its exit code and what it printed."""

    code: int
    out: str
    err: str


Almaty = Callable[..., Ran]


@pytest.fixture
def almaty(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Almaty:
    """Runs the `almaty` command in this process as its entry point does, on `database_url` or
    on `engine` when given; each command has one smoke test in a process of its own besides."""
    # The test run's logging stays as pytest set it up.
    monkeypatch.setattr(cli, "configure_logging", lambda: None)

    def run(*args: str, database_url: str | None = None, engine: sa.Engine | None = None) -> Ran:
        if database_url is not None:
            monkeypatch.setattr(settings, "database_url", database_url)
        made: list[sa.Engine] = []

        def command_engine() -> sa.Engine:
            if engine is not None:
                return engine
            if not made:
                made.append(create_db_engine(settings.database_url, request_limits=False))
            return made[0]

        monkeypatch.setattr(cli, "_engine", command_engine)
        try:
            code = cli.main(list(args))
        finally:
            for mine in made:
                mine.dispose()
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run
