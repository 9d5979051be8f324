"""initial schema

Revision ID: edada8a3f77b
Revises:
Create Date: 2026-11-26 15:44:33.917400
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "edada8a3f77b"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    with op.batch_alter_table("data_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_version_version"), ["version"], unique=False)

    op.create_table(
        "process",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("acronym", sa.String(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("initiated_date", sa.Date(), nullable=True),
        sa.Column("initiated_precision", sa.String(length=40), nullable=True),
        sa.Column("launched_date", sa.Date(), nullable=True),
        sa.Column("launched_precision", sa.String(length=40), nullable=True),
        sa.Column("secretariat_function", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_process")),
    )
    op.create_table(
        "project",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_project")),
    )
    op.create_table(
        "source_document",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("describes_date", sa.Date(), nullable=True),
        sa.Column("describes_precision", sa.String(length=40), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_source_document")),
    )
    op.create_table(
        "state",
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("alpha2", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("official_name", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_state")),
        sa.UniqueConstraint("alpha2", name=op.f("uq_state_alpha2")),
    )
    op.create_table(
        "change_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data_version_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["data_version_id"],
            ["data_version.id"],
            name=op.f("fk_change_record_data_version_id_data_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_record")),
    )
    with op.batch_alter_table("change_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_change_record_data_version_id"), ["data_version_id"], unique=False
        )

    op.create_table(
        "citation",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=300), nullable=False),
        sa.Column("document_slug", sa.String(length=120), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("slide", sa.Integer(), nullable=True),
        sa.CheckConstraint("start_offset < end_offset", name=op.f("ck_citation_ordered_offsets")),
        sa.ForeignKeyConstraint(
            ["document_slug"],
            ["source_document.slug"],
            name=op.f("fk_citation_document_slug_source_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citation")),
    )
    with op.batch_alter_table("citation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_citation_document_slug"), ["document_slug"], unique=False
        )
        batch_op.create_index("ix_citation_subject", ["subject_type", "subject_id"], unique=False)

    op.create_table(
        "event",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("start_precision", sa.String(length=40), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("end_precision", sa.String(length=40), nullable=False),
        sa.Column("city", sa.String(), nullable=True),
        sa.Column("country_code", sa.String(length=3), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("process_slug", sa.String(length=120), nullable=True),
        sa.Column("project_slug", sa.String(length=120), nullable=True),
        sa.Column("participant_count", sa.Integer(), nullable=True),
        sa.Column("participant_count_qualifier", sa.String(length=40), nullable=True),
        sa.CheckConstraint("start_date <= end_date", name=op.f("ck_event_ordered_dates")),
        sa.ForeignKeyConstraint(
            ["country_code"], ["state.code"], name=op.f("fk_event_country_code_state")
        ),
        sa.ForeignKeyConstraint(
            ["process_slug"], ["process.slug"], name=op.f("fk_event_process_slug_process")
        ),
        sa.ForeignKeyConstraint(
            ["project_slug"], ["project.slug"], name=op.f("fk_event_project_slug_project")
        ),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_end_date"), ["end_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_start_date"), ["start_date"], unique=False)

    op.create_table(
        "key_area",
        sa.Column("process_slug", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["process_slug"], ["process.slug"], name=op.f("fk_key_area_process_slug_process")
        ),
        sa.PrimaryKeyConstraint("process_slug", "position", name=op.f("pk_key_area")),
    )
    op.create_table(
        "organization",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("acronym", sa.String(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("country_code", sa.String(length=3), nullable=True),
        sa.Column("parent_slug", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["country_code"], ["state.code"], name=op.f("fk_organization_country_code_state")
        ),
        sa.ForeignKeyConstraint(
            ["parent_slug"],
            ["organization.slug"],
            name=op.f("fk_organization_parent_slug_organization"),
        ),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_organization")),
    )
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_acronym"), ["acronym"], unique=False)

    op.create_table(
        "document",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("acronym", sa.String(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=40), nullable=True),
        sa.Column("process_slug", sa.String(length=120), nullable=True),
        sa.Column("author_slug", sa.String(length=120), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_slug"],
            ["organization.slug"],
            name=op.f("fk_document_author_slug_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["process_slug"], ["process.slug"], name=op.f("fk_document_process_slug_process")
        ),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_document")),
    )
    op.create_table(
        "event_theme",
        sa.Column("event_slug", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_slug"], ["event.slug"], name=op.f("fk_event_theme_event_slug_event")
        ),
        sa.PrimaryKeyConstraint("event_slug", "position", name=op.f("pk_event_theme")),
    )
    op.create_table(
        "person",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("position", sa.String(), nullable=True),
        sa.Column("organization_slug", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_slug"],
            ["organization.slug"],
            name=op.f("fk_person_organization_slug_organization"),
        ),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_person")),
    )
    op.create_table(
        "process_actor",
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("process_slug", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=True),
        sa.Column("organization_slug", sa.String(length=120), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("start_precision", sa.String(length=40), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_precision", sa.String(length=40), nullable=True),
        sa.CheckConstraint(
            "(state_code IS NULL) <> (organization_slug IS NULL)",
            name=op.f("ck_process_actor_one_actor"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_slug"],
            ["organization.slug"],
            name=op.f("fk_process_actor_organization_slug_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["process_slug"], ["process.slug"], name=op.f("fk_process_actor_process_slug_process")
        ),
        sa.ForeignKeyConstraint(
            ["state_code"], ["state.code"], name=op.f("fk_process_actor_state_code_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_actor")),
    )
    with op.batch_alter_table("process_actor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_process_actor_process_slug"), ["process_slug"], unique=False
        )

    op.create_table(
        "project_funder",
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("project_slug", sa.String(length=120), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=True),
        sa.Column("organization_slug", sa.String(length=120), nullable=True),
        sa.CheckConstraint(
            "(state_code IS NULL) <> (organization_slug IS NULL)",
            name=op.f("ck_project_funder_one_funder"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_slug"],
            ["organization.slug"],
            name=op.f("fk_project_funder_organization_slug_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["project_slug"], ["project.slug"], name=op.f("fk_project_funder_project_slug_project")
        ),
        sa.ForeignKeyConstraint(
            ["state_code"], ["state.code"], name=op.f("fk_project_funder_state_code_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_funder")),
    )
    with op.batch_alter_table("project_funder", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_funder_project_slug"), ["project_slug"], unique=False
        )

    op.create_table(
        "common_understanding_area",
        sa.Column("document_slug", sa.String(length=120), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_slug"],
            ["document.slug"],
            name=op.f("fk_common_understanding_area_document_slug_document"),
        ),
        sa.PrimaryKeyConstraint(
            "document_slug", "number", name=op.f("pk_common_understanding_area")
        ),
    )
    op.create_table(
        "document_relation",
        sa.Column("subject_slug", sa.String(length=120), nullable=False),
        sa.Column("relation", sa.String(length=40), nullable=False),
        sa.Column("object_slug", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_slug"],
            ["document.slug"],
            name=op.f("fk_document_relation_object_slug_document"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_slug"],
            ["document.slug"],
            name=op.f("fk_document_relation_subject_slug_document"),
        ),
        sa.PrimaryKeyConstraint(
            "subject_slug", "relation", "object_slug", name=op.f("pk_document_relation")
        ),
    )
    op.create_table(
        "objective",
        sa.Column("process_slug", sa.String(length=120), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("document_slug", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_slug"], ["document.slug"], name=op.f("fk_objective_document_slug_document")
        ),
        sa.ForeignKeyConstraint(
            ["process_slug"], ["process.slug"], name=op.f("fk_objective_process_slug_process")
        ),
        sa.PrimaryKeyConstraint("process_slug", "number", name=op.f("pk_objective")),
    )
    op.create_table(
        "outcome",
        sa.Column("event_slug", sa.String(length=120), nullable=False),
        sa.Column("relation", sa.String(length=40), nullable=False),
        sa.Column("document_slug", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_slug"], ["document.slug"], name=op.f("fk_outcome_document_slug_document")
        ),
        sa.ForeignKeyConstraint(
            ["event_slug"], ["event.slug"], name=op.f("fk_outcome_event_slug_event")
        ),
        sa.PrimaryKeyConstraint("event_slug", "relation", "document_slug", name=op.f("pk_outcome")),
    )
    op.create_table(
        "participation",
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("event_slug", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=True),
        sa.Column("organization_slug", sa.String(length=120), nullable=True),
        sa.Column("person_slug", sa.String(length=120), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN state_code IS NULL THEN 0 ELSE 1 END + CASE WHEN organization_slug IS NULL THEN 0 ELSE 1 END + CASE WHEN person_slug IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_participation_one_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["event_slug"], ["event.slug"], name=op.f("fk_participation_event_slug_event")
        ),
        sa.ForeignKeyConstraint(
            ["organization_slug"],
            ["organization.slug"],
            name=op.f("fk_participation_organization_slug_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["person_slug"], ["person.slug"], name=op.f("fk_participation_person_slug_person")
        ),
        sa.ForeignKeyConstraint(
            ["state_code"], ["state.code"], name=op.f("fk_participation_state_code_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation")),
    )
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participation_event_slug"), ["event_slug"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_participation_organization_slug"), ["organization_slug"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_participation_state_code"), ["state_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_state_code"))
        batch_op.drop_index(batch_op.f("ix_participation_organization_slug"))
        batch_op.drop_index(batch_op.f("ix_participation_event_slug"))

    op.drop_table("participation")
    op.drop_table("outcome")
    op.drop_table("objective")
    op.drop_table("document_relation")
    op.drop_table("common_understanding_area")
    with op.batch_alter_table("project_funder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_funder_project_slug"))

    op.drop_table("project_funder")
    with op.batch_alter_table("process_actor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_process_actor_process_slug"))

    op.drop_table("process_actor")
    op.drop_table("person")
    op.drop_table("event_theme")
    op.drop_table("document")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_acronym"))

    op.drop_table("organization")
    op.drop_table("key_area")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_start_date"))
        batch_op.drop_index(batch_op.f("ix_event_kind"))
        batch_op.drop_index(batch_op.f("ix_event_end_date"))

    op.drop_table("event")
    with op.batch_alter_table("citation", schema=None) as batch_op:
        batch_op.drop_index("ix_citation_subject")
        batch_op.drop_index(batch_op.f("ix_citation_document_slug"))

    op.drop_table("citation")
    with op.batch_alter_table("change_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_record_data_version_id"))

    op.drop_table("change_record")
    op.drop_table("state")
    op.drop_table("source_document")
    op.drop_table("project")
    op.drop_table("process")
    with op.batch_alter_table("data_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_version_version"))

    op.drop_table("data_version")
