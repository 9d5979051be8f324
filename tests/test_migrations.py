"""The schema comes from the migrations alone, and they agree with the models."""

import sqlalchemy as sa
from alembic import command

from app import migrations
from app.models import metadata
from tests.databases import DatabaseFactory

SEARCH = "event_search"


def _tables(url: str) -> set[str]:
    """The tables the models declare, found in the database; the search index's left aside
    (one backend's kind of table, not the models': checked below)."""
    engine = sa.create_engine(url)
    try:
        return {t for t in sa.inspect(engine).get_table_names() if not t.startswith(SEARCH)}
    finally:
        engine.dispose()


def _search_tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return {t for t in sa.inspect(engine).get_table_names() if t.startswith(SEARCH)}
    finally:
        engine.dispose()


def test_upgrade_check_and_downgrade_round_trip(databases: DatabaseFactory) -> None:
    url = databases.new()

    migrations.upgrade(url)
    assert _tables(url) == {*metadata.tables, "alembic_version"}
    assert SEARCH in _search_tables(url)
    # Raises if autogenerate finds any difference between the models and the migrated schema.
    command.check(migrations.alembic_config(url))

    migrations.downgrade(url)
    assert _tables(url) <= {"alembic_version"}
    assert _search_tables(url) == set()

    migrations.upgrade(url)
    assert _tables(url) == {*metadata.tables, "alembic_version"}


def test_constraint_names_follow_the_naming_convention(migrated_template: str) -> None:
    engine = sa.create_engine(migrated_template)
    try:
        inspector = sa.inspect(engine)
        foreign_keys = inspector.get_foreign_keys("participation")
        checks = inspector.get_check_constraints("participation")
    finally:
        engine.dispose()
    assert {fk["name"] for fk in foreign_keys} == {
        "fk_participation_event_slug_event",
        "fk_participation_state_code_state",
        "fk_participation_organization_slug_organization",
        "fk_participation_person_slug_person",
    }
    assert [check["name"] for check in checks] == ["ck_participation_one_participant"]
