"""A request out of time, or abandoned by its client, stops reading instead of running on."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import budget
from app.db import create_db_engine
from app.errors import OverBudgetError

# A statement that runs for tens of seconds on SQLite: a long recursive count.
SLOW = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000000) "
    "SELECT count(*) FROM n"
)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[sa.Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'budget.sqlite3'}")
    yield engine
    engine.dispose()


def _within(given: budget.Budget) -> Iterator[None]:
    token = budget.current.set(given)
    try:
        yield
    finally:
        budget.current.reset(token)


def test_a_spent_budget_refuses_the_next_statement(engine: sa.Engine) -> None:
    for _ in _within(budget.Budget(deadline=time.monotonic() + 60, abandoned=True)):
        with engine.connect() as connection, pytest.raises(OverBudgetError, match="client left"):
            connection.execute(sa.text("SELECT 1"))


def test_a_running_statement_is_interrupted_when_the_time_is_up(engine: sa.Engine) -> None:
    began = time.monotonic()
    for _ in _within(budget.Budget(deadline=began + 0.2)):
        with (
            engine.connect() as connection,
            pytest.raises(sa.exc.OperationalError, match="interrupt"),
        ):
            connection.execute(sa.text(SLOW))
    assert time.monotonic() - began < 5


def test_without_a_budget_nothing_is_stopped(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT 1")).scalar_one() == 1
