"""Claims: every value ranked and cited per source; event and document statuses; event relations.

Revision ID: e9c44bff1169
Revises: edada8a3f77b
Create Date: 2026-11-28 06:14:58.740596
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e9c44bff1169"
down_revision: str | Sequence[str] | None = "edada8a3f77b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim",
        sa.Column("id", sa.String(300), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(300), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("rank", sa.String(length=40), nullable=False),
        sa.Column("basis", sa.String(length=40), nullable=False),
        sa.Column("document_slug", sa.String(120), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_slug"],
            ["source_document.slug"],
            name=op.f("fk_claim_document_slug_source_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_document_slug"), ["document_slug"], unique=False)
        batch_op.create_index("ix_claim_subject", ["subject_type", "subject_id"], unique=False)

    op.create_table(
        "event_relation",
        sa.Column("subject_slug", sa.String(120), nullable=False),
        sa.Column("relation", sa.String(length=40), nullable=False),
        sa.Column("object_slug", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_slug"], ["event.slug"], name=op.f("fk_event_relation_object_slug_event")
        ),
        sa.ForeignKeyConstraint(
            ["subject_slug"], ["event.slug"], name=op.f("fk_event_relation_subject_slug_event")
        ),
        sa.PrimaryKeyConstraint(
            "subject_slug", "relation", "object_slug", name=op.f("pk_event_relation")
        ),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_document_status"), ["status"], unique=False)

    with op.batch_alter_table("event", schema=None) as batch_op:
        # Rows loaded before statuses existed were all reported as held; the next seed load
        # corrects the ones its sources announce.
        batch_op.add_column(
            sa.Column("status", sa.String(length=40), nullable=False, server_default="held")
        )
        batch_op.add_column(sa.Column("attendance", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("process_relation", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("participant_count_counts", sa.String(), nullable=True))
        batch_op.create_index(batch_op.f("ix_event_status"), ["status"], unique=False)

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.alter_column("status", server_default=None)

    with op.batch_alter_table("process_actor", schema=None) as batch_op:
        batch_op.drop_column("start_precision")
        batch_op.drop_column("start_date")
        batch_op.drop_column("end_precision")
        batch_op.drop_column("end_date")


def downgrade() -> None:
    with op.batch_alter_table("process_actor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("end_date", sa.DATE(), nullable=True))
        batch_op.add_column(sa.Column("end_precision", sa.VARCHAR(length=40), nullable=True))
        batch_op.add_column(sa.Column("start_date", sa.DATE(), nullable=True))
        batch_op.add_column(sa.Column("start_precision", sa.VARCHAR(length=40), nullable=True))

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_status"))
        batch_op.drop_column("participant_count_counts")
        batch_op.drop_column("process_relation")
        batch_op.drop_column("attendance")
        batch_op.drop_column("status")

    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_status"))
        batch_op.drop_column("status")

    op.drop_table("event_relation")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_subject")
        batch_op.drop_index(batch_op.f("ix_claim_document_slug"))

    op.drop_table("claim")
