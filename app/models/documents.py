"""Documents the processes produced or used, how they relate, and their numbered areas."""

import datetime as dt
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import CitedTable
from app.models.enums import (
    DatePrecision,
    DocumentKind,
    DocumentRelationKind,
    DocumentStatus,
    SubjectType,
)

ENUM = sa.String(40)


class Document(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.document
    slug: str = Field(primary_key=True, max_length=120)
    title: str
    acronym: str | None = None
    kind: DocumentKind = Field(sa_type=ENUM)
    status: DocumentStatus | None = Field(default=None, sa_type=ENUM, index=True)
    date: dt.date | None = None
    date_precision: DatePrecision | None = Field(default=None, sa_type=ENUM)
    process_slug: str | None = Field(default=None, foreign_key="process.slug", max_length=120)
    author_slug: str | None = Field(default=None, foreign_key="organization.slug", max_length=120)
    description: str | None = Field(default=None, sa_type=sa.Text)


class DocumentRelation(CitedTable, table=True):
    """subject RELATION object: the action plan complements the cooperation framework."""

    cited_as: ClassVar[SubjectType] = SubjectType.document_relation
    __tablename__ = "document_relation"

    subject_slug: str = Field(foreign_key="document.slug", primary_key=True, max_length=120)
    relation: DocumentRelationKind = Field(sa_type=ENUM, primary_key=True)
    object_slug: str = Field(foreign_key="document.slug", primary_key=True, max_length=120)


class CommonUnderstandingArea(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.common_understanding_area
    __tablename__ = "common_understanding_area"

    document_slug: str = Field(foreign_key="document.slug", primary_key=True, max_length=120)
    number: int = Field(primary_key=True)
    title: str
