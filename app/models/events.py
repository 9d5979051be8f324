"""Events, the projects they belong to, who took part in what role, and what they produced."""

from datetime import date
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import CitedTable
from app.models.enums import (
    CountQualifier,
    DatePrecision,
    EventKind,
    EventProcessRelation,
    EventRelationKind,
    EventStatus,
    OutcomeRelation,
    ParticipationRole,
    SubjectType,
)

ENUM = sa.String(40)


class Project(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.project
    slug: str = Field(primary_key=True, max_length=120)
    title: str
    description: str | None = Field(default=None, sa_type=sa.Text)


class ProjectFunder(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.project_funder
    __tablename__ = "project_funder"
    __table_args__ = (
        sa.CheckConstraint(
            "(state_code IS NULL) <> (organization_slug IS NULL)", name="one_funder"
        ),
    )

    id: str = Field(primary_key=True, max_length=300)
    project_slug: str = Field(foreign_key="project.slug", index=True, max_length=120)
    state_code: str | None = Field(default=None, foreign_key="state.code", max_length=3)
    organization_slug: str | None = Field(
        default=None, foreign_key="organization.slug", max_length=120
    )


class Event(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.event
    __table_args__ = (
        sa.CheckConstraint("start_date <= end_date", name="ordered_dates"),
        # The keyset orders of the lists: a page, and a deep page by cursor, read in index order.
        sa.Index("ix_event_start_date_slug", "start_date", "slug"),
        sa.Index("ix_event_title_slug", "title", "slug"),
        # Everything the facets count, so that counting them reads this index, not the table.
        sa.Index(
            "ix_event_facets", "kind", "country_code", "process_slug", "start_date", "end_date"
        ),
    )

    slug: str = Field(primary_key=True, max_length=120)
    title: str
    kind: EventKind = Field(sa_type=ENUM, index=True)
    status: EventStatus = Field(sa_type=ENUM, index=True)
    start_date: date = Field(index=True)
    start_precision: DatePrecision = Field(sa_type=ENUM)
    # A one-day event ends the day it starts; the seed leaves `end` out for those.
    end_date: date = Field(index=True)
    end_precision: DatePrecision = Field(sa_type=ENUM)
    city: str | None = None
    country_code: str | None = Field(default=None, foreign_key="state.code", max_length=3)
    summary: str | None = Field(default=None, sa_type=sa.Text)
    # Who took part, in the source's words ("Ministers, Deputy Ministers and other ...").
    attendance: str | None = Field(default=None, sa_type=sa.Text)
    # Indexed for the events the documents only refer to (no process), which facets take out.
    process_slug: str | None = Field(
        default=None, foreign_key="process.slug", index=True, max_length=120
    )
    process_relation: EventProcessRelation | None = Field(default=None, sa_type=ENUM)
    project_slug: str | None = Field(default=None, foreign_key="project.slug", max_length=120)
    participant_count: int | None = None
    participant_count_qualifier: CountQualifier | None = Field(default=None, sa_type=ENUM)
    # Who the count counts, in the source's words ("participants", "government officials").
    participant_count_counts: str | None = None


class EventTheme(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.event_theme
    __tablename__ = "event_theme"

    event_slug: str = Field(foreign_key="event.slug", primary_key=True, max_length=120)
    position: int = Field(primary_key=True)
    title: str = Field(sa_type=sa.Text)
    summary: str | None = Field(default=None, sa_type=sa.Text)


class Participation(CitedTable, table=True):
    """A state, an organisation or a person taking part in an event in one role."""

    cited_as: ClassVar[SubjectType] = SubjectType.participation
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN state_code IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN organization_slug IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN person_slug IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_participant",
        ),
        # The organisation facet counts events per organisation from this index alone.
        sa.Index("ix_participation_organization_event", "organization_slug", "event_slug"),
    )

    id: str = Field(primary_key=True, max_length=300)
    event_slug: str = Field(foreign_key="event.slug", index=True, max_length=120)
    role: ParticipationRole = Field(sa_type=ENUM)
    state_code: str | None = Field(default=None, foreign_key="state.code", index=True, max_length=3)
    organization_slug: str | None = Field(
        default=None, foreign_key="organization.slug", index=True, max_length=120
    )
    person_slug: str | None = Field(
        default=None, foreign_key="person.slug", index=True, max_length=120
    )


class Outcome(CitedTable, table=True):
    """A document adopted, endorsed, issued or presented at an event."""

    cited_as: ClassVar[SubjectType] = SubjectType.outcome
    event_slug: str = Field(foreign_key="event.slug", primary_key=True, max_length=120)
    relation: OutcomeRelation = Field(sa_type=ENUM, primary_key=True)
    document_slug: str = Field(foreign_key="document.slug", primary_key=True, max_length=120)


class EventRelation(CitedTable, table=True):
    """subject RELATION object: the Ashgabat forum prepares for the World Humanitarian Summit."""

    cited_as: ClassVar[SubjectType] = SubjectType.event_relation
    __tablename__ = "event_relation"

    subject_slug: str = Field(foreign_key="event.slug", primary_key=True, max_length=120)
    relation: EventRelationKind = Field(sa_type=ENUM, primary_key=True)
    object_slug: str = Field(foreign_key="event.slug", primary_key=True, max_length=120)
