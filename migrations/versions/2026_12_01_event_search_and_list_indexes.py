"""Full-text search over events (SQLite FTS5, PostgreSQL tsvector) and indexes for the lists.

Revision ID: 3f1c0b9a7d21
Revises: e9c44bff1169
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "3f1c0b9a7d21"
down_revision: str | Sequence[str] | None = "e9c44bff1169"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_start_date_slug", ["start_date", "slug"], unique=False)
        batch_op.create_index("ix_event_title_slug", ["title", "slug"], unique=False)
        batch_op.create_index(
            "ix_event_facets",
            ["kind", "country_code", "process_slug", "start_date", "end_date"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_event_process_slug"), ["process_slug"], unique=False)
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participation_person_slug"), ["person_slug"], unique=False
        )
        batch_op.create_index(
            "ix_participation_organization_event",
            ["organization_slug", "event_slug"],
            unique=False,
        )
    # Not in the models' metadata (each backend has its own kind of index); the seed loader
    # fills it (app.seed.loader.index_events), and env.py leaves it out of `alembic check`.
    if op.get_bind().dialect.name == "sqlite":
        # Diacritics kept, as PostgreSQL's 'simple' configuration keeps them.
        op.execute(
            "CREATE VIRTUAL TABLE event_search USING fts5("
            "slug UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
    else:
        op.execute(
            "CREATE TABLE event_search ("
            "slug VARCHAR(120) NOT NULL CONSTRAINT pk_event_search PRIMARY KEY, "
            "document TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_event_search_document ON event_search USING gin (document)")


def downgrade() -> None:
    op.execute("DROP TABLE event_search")
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.drop_index("ix_participation_organization_event")
        batch_op.drop_index(batch_op.f("ix_participation_person_slug"))
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_process_slug"))
        batch_op.drop_index("ix_event_facets")
        batch_op.drop_index("ix_event_title_slug")
        batch_op.drop_index("ix_event_start_date_slug")
