"""Fixtures: every database test runs on a real SQLite file and on the real PostgreSQL."""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app import migrations
from app.config import settings
from app.db import create_db_engine, get_engine
from app.main import app, response_store
from app.queries.pagination import RESULTS
from app.seed.loader import load_seed
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


@pytest.fixture(scope="session", params=BACKENDS)
def databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseFactory]:
    """Databases of one backend; PostgreSQL must be reachable (its tests never skip)."""
    factory = DatabaseFactory(backend=request.param, folder=tmp_path_factory.mktemp("db"))
    if factory.backend == "postgresql":
        try:
            with factory.admin().connect():
                pass
        except sa.exc.OperationalError as error:
            pytest.fail(f"PostgreSQL is not reachable; start it, the tests need it: {error}")
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def migrated_template(databases: DatabaseFactory) -> str:
    """A database migrated to head, copied by the tests that need an empty schema."""
    url = databases.new()
    migrations.upgrade(url)
    return url


@pytest.fixture(scope="session")
def seeded_template(databases: DatabaseFactory, migrated_template: str) -> str:
    """A database migrated and loaded with the project's seed data."""
    url = databases.new(template=migrated_template)
    engine = create_db_engine(url)
    load_seed(engine, SEED_DIR)
    engine.dispose()
    return url


def _engine(url: str) -> Iterator[sa.Engine]:
    engine = create_db_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def empty_engine(databases: DatabaseFactory, migrated_template: str) -> Iterator[sa.Engine]:
    """A fresh database of its own, at head, with no data."""
    yield from _engine(databases.new(template=migrated_template))


@pytest.fixture
def seeded_engine(databases: DatabaseFactory, seeded_template: str) -> Iterator[sa.Engine]:
    """A fresh database of its own, loaded with the seed data: free to change."""
    yield from _engine(databases.new(template=seeded_template))


@pytest.fixture(scope="session")
def shared_seeded_engine(databases: DatabaseFactory, seeded_template: str) -> Iterator[sa.Engine]:
    """A seeded database shared by the tests that only read (a copy: templates stay unused)."""
    yield from _engine(databases.new(template=seeded_template))


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


@pytest.fixture
def api(shared_seeded_engine: sa.Engine) -> Iterator[TestClient]:
    """A client of the app reading the shared seeded database (read-only tests)."""
    app.dependency_overrides[get_engine] = lambda: shared_seeded_engine
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.dependency_overrides.clear()


@pytest.fixture(scope="session")
def crowded_engine(databases: DatabaseFactory, seeded_template: str) -> Iterator[sa.Engine]:
    """The seed plus 1,000 generated events with participants and citations (read-only tests)."""
    url = databases.new(template=seeded_template)
    engine = create_db_engine(url)
    add_generated_events(engine, count=1000, participants_each=2)
    add_generated_events(engine, count=1, participants_each=17, prefix="crowded")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def live_server(databases: DatabaseFactory, seeded_template: str) -> Iterator[str]:
    """The app in its own uvicorn process over a copy of the seeded database."""
    with running_server(databases.new(template=seeded_template)) as base:
        yield base


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    """PostgreSQL databases, for the tests that are about PostgreSQL itself."""
    factory = DatabaseFactory(backend="postgresql", folder=tmp_path_factory.mktemp("pg"))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def postgres_seeded_template(postgres: DatabaseFactory) -> str:
    url = postgres.new()
    migrations.upgrade(url)
    engine = create_db_engine(url)
    load_seed(engine, SEED_DIR)
    engine.dispose()
    return url
