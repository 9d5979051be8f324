"""Writing a seed bundle: one transaction that adds, changes and removes exactly what differs."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from filelock import FileLock
from sqlmodel import Session, col

from app.models import ChangeRecord, Claim, DataVersion, Event, EventTheme, Organization, metadata
from app.models.base import key_text
from app.models.enums import ClaimRank, SubjectType
from app.queries.changes import latest_version, loaded_here
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


EVENT_SEARCH = sa.table(
    "event_search", sa.column("rowid"), sa.column("slug"), sa.column("body"), sa.column("document")
)


def _event_text() -> sa.Select[str, str]:
    """Each event's searchable text: title, summary, its themes and its preferred aliases."""
    themes = (
        sa.select(
            sa.func.aggregate_strings(
                col(EventTheme.title) + " " + sa.func.coalesce(col(EventTheme.summary), ""), " "
            )
        )
        .where(col(EventTheme.event_slug) == col(Event.slug))
        .scalar_subquery()
    )
    # An alias is a JSON string: its quotes are separators to both tokenizers.
    aliases = (
        sa.select(sa.func.aggregate_strings(col(Claim.value), " "))
        .where(
            col(Claim.subject_type) == SubjectType.event,
            col(Claim.subject_id) == col(Event.slug),
            col(Claim.field) == "aliases",
            col(Claim.rank) == ClaimRank.preferred,
        )
        .scalar_subquery()
    )
    body = (
        col(Event.title)
        + " "
        + sa.func.coalesce(col(Event.summary), "")
        + " "
        + sa.func.coalesce(themes, "")
        + " "
        + sa.func.coalesce(aliases, "")
    )
    return sa.select(col(Event.slug), body.label("body"))


def index_events(connection: sa.Connection, only: sa.ColumnElement[bool] | None = None) -> None:
    """Rewrite the full-text index rows of the events `only` selects (all when None), in SQL."""
    text = _event_text()
    stale = sa.delete(EVENT_SEARCH)
    if only is not None:
        text = text.where(only)
        stale = stale.where(EVENT_SEARCH.c.slug.in_(sa.select(col(Event.slug)).where(only)))
    connection.execute(stale)
    if connection.dialect.name == "sqlite":
        # Each index row takes its event's rowid, so that a search reads its matches as integers
        # straight from the index (app.queries.filters.mentions); a load rewrites every row.
        rowid = sa.literal_column(f"{Event.__tablename__}.rowid", sa.Integer)
        connection.execute(
            sa.insert(EVENT_SEARCH).from_select(["slug", "body", "rowid"], text.add_columns(rowid))
        )
        return
    rows = text.subquery()
    # Punctuation becomes a space first, so that words split as SQLite's unicode61 splits them
    # ("iom.int" is two words there, one host name to PostgreSQL's parser).
    plain = sa.func.regexp_replace(rows.c.body, "[^[:alnum:]]+", " ", "g")
    document = sa.func.to_tsvector(sa.literal_column("'simple'::regconfig"), plain)
    connection.execute(
        sa.insert(EVENT_SEARCH).from_select(["slug", "document"], sa.select(rows.c.slug, document))
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
    if changes or _index_out_of_step(session):
        session.flush()
        index_events(session.connection())
    return report


def _index_out_of_step(session: Session) -> bool:
    """The index misses events (a database migrated to the search index after its last load),
    or, on SQLite, its rows no longer carry their events' rowids (VACUUM may renumber them)."""
    indexed = sa.select(sa.func.count()).select_from(EVENT_SEARCH)
    if session.get_bind().dialect.name == "sqlite":
        rowid = sa.literal_column(f"{Event.__tablename__}.rowid", sa.Integer)
        indexed = indexed.join(
            Event, sa.and_(rowid == EVENT_SEARCH.c.rowid, col(Event.slug) == EVENT_SEARCH.c.slug)
        )
    return session.scalar(indexed) != session.scalar(sa.select(sa.func.count()).select_from(Event))


@contextmanager
def setup_lock(engine: sa.Engine) -> Iterator[None]:
    """Hold a lock for migrating and seeding: one starter at a time.

    The second replica waits here, then finds the schema at head and the seed loaded. PostgreSQL
    has an advisory lock for it; a SQLite file, a lock file beside it (`<file>.lock`).
    """
    if engine.dialect.name != "postgresql":
        database = (engine.url.database or "").removeprefix("file:")
        if database in ("", ":memory:"):
            yield  # a database in memory lives in this process alone
            return
        with FileLock(f"{database}.lock"):
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
        report = write_bundle(session, bundle)
    if not report.unchanged:
        loaded_here()  # answers kept for the old version go at once in this process
    return report
