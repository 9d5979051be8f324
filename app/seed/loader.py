"""Writing a seed bundle: one transaction that adds, changes and removes exactly what differs."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.models import ChangeRecord, DataVersion, Organization, metadata
from app.models.base import key_text
from app.queries.changes import latest_version
from app.seed.build import SeedBundle, build_seed

# Any constant works: it only has to be the same for every process that loads the seed.
SEED_LOCK_ID = 0x41_4C_4D_41  # "ALMA"
SETUP_LOCK_ID = SEED_LOCK_ID + 1
_BOOKKEEPING = {DataVersion.__tablename__, ChangeRecord.__tablename__}


@dataclass
class LoadReport:
    version: str
    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return not (
            any(self.added.values()) or any(self.changed.values()) or any(self.removed.values())
        )


def _key(table: sa.Table, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[column.name] for column in table.primary_key.columns)


def _parents_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Organisations ordered so that each comes after its parent (the table refers to itself)."""
    by_slug = {row["slug"]: row for row in rows}
    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()

    def place(row: dict[str, Any]) -> None:
        if row["slug"] in placed:
            return
        parent = by_slug.get(row["parent_slug"] or "")
        if parent is not None:
            place(parent)
        placed.add(row["slug"])
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


def write_bundle(session: Session, bundle: SeedBundle) -> LoadReport:
    """Make the database hold exactly the bundle's rows; the caller owns the transaction."""
    if session.get_bind().dialect.name == "postgresql":
        # Several replicas may start at once: the second waits here, then finds nothing to do.
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": SEED_LOCK_ID})
    report = LoadReport(version=bundle.version)
    desired_by_table: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    models = {str(model.__tablename__): model for model in bundle.rows}
    tables: Sequence[sa.Table] = [t for t in metadata.sorted_tables if t.name not in _BOOKKEEPING]
    changes: list[tuple[str, str, str]] = []
    for table in tables:
        model = models.get(table.name)
        rows = [row.model_dump() for row in bundle.rows.get(model, [])] if model else []
        if table.name == Organization.__tablename__:
            rows = _parents_first(rows)
        desired = {_key(table, row): row for row in rows}
        desired_by_table[table.name] = desired
        existing = {
            _key(table, dict(row)): dict(row)
            for row in session.execute(sa.select(table)).mappings()
        }
        new = [row for key, row in desired.items() if key not in existing]
        changed = [row for key, row in desired.items() if key in existing and existing[key] != row]
        if new:
            session.execute(table.insert(), new)
        for row in changed:
            condition = sa.and_(*(column == row[column.name] for column in table.primary_key))
            session.execute(table.update().where(condition).values(**row))
        report.added[table.name] = len(new)
        report.changed[table.name] = len(changed)
        report.rows[table.name] = len(desired)
        changes += [(table.name, key_text(_key(table, row)), "added") for row in new]
        changes += [(table.name, key_text(_key(table, row)), "changed") for row in changed]
    # Removals go last and children first, so that nothing still refers to a removed row.
    for table in reversed(tables):
        desired = desired_by_table[table.name]
        existing_keys = [tuple(row) for row in session.execute(sa.select(*table.primary_key))]
        gone = [key for key in existing_keys if key not in desired]
        if gone:
            session.execute(table.delete().where(sa.tuple_(*table.primary_key).in_(gone)))
        report.removed[table.name] = len(gone)
        changes += [(table.name, key_text(key), "removed") for key in gone]
    current = latest_version(session)
    if changes or current is None or current.version != bundle.version:
        version = DataVersion(
            version=bundle.version,
            loaded_at=datetime.now(UTC),
            added=sum(report.added.values()),
            changed=sum(report.changed.values()),
            removed=sum(report.removed.values()),
        )
        session.add(version)
        session.flush()
        assert version.id is not None
        session.add_all(
            ChangeRecord(data_version_id=version.id, entity=entity, key=key, action=action)
            for entity, key, action in changes
        )
    return report


@contextmanager
def setup_lock(engine: sa.Engine) -> Iterator[None]:
    """Hold PostgreSQL's advisory lock for migrating and seeding: one starter at a time.

    The second replica waits here, then finds the schema at head and the seed loaded. SQLite
    is one file on one machine and needs no such lock.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": SETUP_LOCK_ID})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": SETUP_LOCK_ID})
            connection.commit()


def load_seed(engine: sa.Engine, seed_dir: Path) -> LoadReport:
    """Validate `seed_dir` completely, then write it in one transaction (or not at all)."""
    bundle = build_seed(seed_dir)
    with Session(engine) as session, session.begin():
        return write_bundle(session, bundle)
