"""Regional consultative processes, who plays which part in them, their objectives and areas."""

from datetime import date
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import CitedTable
from app.models.enums import DatePrecision, ProcessKind, ProcessRole, SubjectType

ENUM = sa.String(40)


class Process(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.process
    slug: str = Field(primary_key=True, max_length=120)
    name: str
    acronym: str | None = None
    kind: ProcessKind = Field(sa_type=ENUM)
    description: str | None = Field(default=None, sa_type=sa.Text)
    initiated_date: date | None = None
    initiated_precision: DatePrecision | None = Field(default=None, sa_type=ENUM)
    launched_date: date | None = None
    launched_precision: DatePrecision | None = Field(default=None, sa_type=ENUM)
    secretariat_function: str | None = None


class ProcessActor(CitedTable, table=True):
    """A state or an organisation in a role (member, observer, chair, ...) of a process."""

    cited_as: ClassVar[SubjectType] = SubjectType.process_actor
    __tablename__ = "process_actor"
    __table_args__ = (
        sa.CheckConstraint("(state_code IS NULL) <> (organization_slug IS NULL)", name="one_actor"),
    )

    id: str = Field(primary_key=True, max_length=300)
    process_slug: str = Field(foreign_key="process.slug", index=True, max_length=120)
    role: ProcessRole = Field(sa_type=ENUM)
    state_code: str | None = Field(default=None, foreign_key="state.code", max_length=3)
    organization_slug: str | None = Field(
        default=None, foreign_key="organization.slug", max_length=120
    )


class Objective(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.objective
    process_slug: str = Field(foreign_key="process.slug", primary_key=True, max_length=120)
    number: int = Field(primary_key=True)
    text: str = Field(sa_type=sa.Text)
    document_slug: str | None = Field(default=None, foreign_key="document.slug", max_length=120)


class KeyArea(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.key_area
    __tablename__ = "key_area"

    process_slug: str = Field(foreign_key="process.slug", primary_key=True, max_length=120)
    position: int = Field(primary_key=True)
    text: str = Field(sa_type=sa.Text)
