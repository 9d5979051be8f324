"""Source documents, the passages cited from them, and the history of seed loads."""

from datetime import date, datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import CitedTable
from app.models.enums import ClaimBasis, ClaimRank, DatePrecision, SourceKind, SubjectType

ENUM = sa.String(40)


class SourceDocument(SQLModel, table=True):
    __tablename__ = "source_document"

    slug: str = Field(primary_key=True, max_length=120)
    title: str
    kind: SourceKind = Field(sa_type=ENUM)
    language: str = Field(max_length=8)
    path: str
    sha256: str = Field(max_length=64)
    describes_date: date | None = None
    describes_precision: DatePrecision | None = Field(default=None, sa_type=ENUM)
    text: str = Field(sa_type=sa.Text)


class Citation(SQLModel, table=True):
    """An exact passage of a source document that supports one record."""

    __table_args__ = (
        sa.Index("ix_citation_subject", "subject_type", "subject_id"),
        sa.CheckConstraint("start_offset < end_offset", name="ordered_offsets"),
    )

    # A hash of (subject, document, offsets): the same citation keeps its id across loads.
    id: str = Field(primary_key=True, max_length=32)
    subject_type: SubjectType = Field(sa_type=ENUM)
    subject_id: str = Field(max_length=300)
    document_slug: str = Field(foreign_key="source_document.slug", index=True, max_length=120)
    start_offset: int
    end_offset: int
    quote: str = Field(sa_type=sa.Text)
    slide: int | None = None


class Claim(CitedTable, table=True):
    """One value of one field of a record, as one source document states it, ranked.

    The record's own column holds the preferred value (what every answer shows); the claims keep
    every value each document gives, with the citations that state it (filed under the claim).
    """

    cited_as: ClassVar[SubjectType] = SubjectType.claim
    __table_args__ = (sa.Index("ix_claim_subject", "subject_type", "subject_id"),)

    # "subject type|subject id|field|hash of (value, document)": stable across loads.
    id: str = Field(primary_key=True, max_length=300)
    subject_type: SubjectType = Field(sa_type=ENUM)
    subject_id: str = Field(max_length=300)
    field: str = Field(max_length=40)
    # The value as JSON: a string, a number, or an object such as a participant count.
    value: str = Field(sa_type=sa.Text)
    rank: ClaimRank = Field(sa_type=ENUM)
    basis: ClaimBasis = Field(sa_type=ENUM)
    document_slug: str = Field(foreign_key="source_document.slug", index=True, max_length=120)
    note: str | None = Field(default=None, sa_type=sa.Text)


class DataVersion(SQLModel, table=True):
    """One row per seed load that changed something; the newest row is the current data."""

    __tablename__ = "data_version"

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(max_length=64, index=True)
    loaded_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    added: int
    changed: int
    removed: int


class ChangeRecord(SQLModel, table=True):
    """What one seed load added, changed or removed, so clients can sync incrementally."""

    __tablename__ = "change_record"

    id: int | None = Field(default=None, primary_key=True)
    data_version_id: int = Field(foreign_key="data_version.id", index=True)
    entity: str = Field(max_length=40)
    key: str = Field(max_length=300)
    action: str = Field(max_length=10)
