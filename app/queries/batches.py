"""Batch reads behind GraphQL's DataLoaders: records by key, children by parent, evidence.

Each reads one relation of many parents in one query, so that a GraphQL query costs a number of
queries set by the fields it selects, never by the rows it returns. The statements are the ones
the detail views declare (EVENT_CHILDREN and friends); only what a query selects is read.
"""

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import JsonValue
from sqlmodel import Session, col

from app.models import Document, Event, Organization, Process, Project, State
from app.models.enums import ClaimBasis, ClaimRank, SubjectType
from app.queries import actors, documents
from app.queries.records import Children, Subject, claim_rows, load_sources
from app.schemas.common import Source


def children(session: Session, declared: Children, keys: Sequence[str]) -> dict[str, list[Any]]:
    """A declared collection (EVENT_CHILDREN and friends) of many records, by record: one query."""
    groups: defaultdict[str, list[Any]] = defaultdict(list)
    for row in session.execute(declared.statement(keys)):
        groups[declared.parent(row)].append(row)
    return groups


def event_rows(session: Session, slugs: Sequence[str]) -> dict[str, tuple[Event, State | None]]:
    """Events with their host country, by slug: one query."""
    rows = session.execute(
        sa.select(Event, State)
        .outerjoin(State, col(Event.country_code) == State.code)
        .where(col(Event.slug).in_(slugs))
    )
    return {event.slug: (event, country) for event, country in rows}


def project_rows(session: Session, event_slugs: Sequence[str]) -> dict[str, Project]:
    """The project of each event, by the event's slug: one query."""
    rows = session.execute(
        sa.select(col(Event.slug), Project)
        .join(Project, col(Event.project_slug) == Project.slug)
        .where(col(Event.slug).in_(event_slugs))
    )
    return dict(rows.all())


def state_rows(session: Session, codes: Sequence[str]) -> dict[str, tuple[State, str | None]]:
    """States with their role in the main process, by code: one query."""
    rows = session.execute(
        sa.select(State, actors._membership.label("role")).where(col(State.code).in_(codes))
    )
    return {state.code: (state, role) for state, role in rows}


def organization_rows(
    session: Session, slugs: Sequence[str]
) -> dict[str, tuple[Organization, State | None, Organization | None]]:
    """Organisations with their country and parent, by slug: one query."""
    rows = session.execute(
        actors._organization_query().where(col(Organization.slug).in_(slugs))
    ).all()
    return {row[0].slug: (row[0], row[1], row[2]) for row in rows}


def document_rows(
    session: Session, slugs: Sequence[str]
) -> dict[str, tuple[Document, Organization | None]]:
    """Documents with their author, by slug: one query."""
    rows = session.execute(documents._documents().where(col(Document.slug).in_(slugs)))
    return {document.slug: (document, author) for document, author in rows}


def process_rows(session: Session, slugs: Sequence[str]) -> dict[str, Process]:
    """Processes by slug: one query."""
    found = session.execute(sa.select(Process).where(col(Process.slug).in_(slugs))).scalars()
    return {process.slug: process for process in found}


def sources(session: Session, subjects: Sequence[Subject]) -> dict[Subject, list[Source]]:
    """The passages each subject cites, in document order: one query."""
    return load_sources(session, list(subjects))


@dataclass(frozen=True)
class ClaimRow:
    """A claim without its passages (those are a subject of their own: (claim, id))."""

    id: str
    field: str
    value: JsonValue
    rank: ClaimRank
    basis: ClaimBasis
    document: str
    note: str | None


def claims(session: Session, subjects: Sequence[Subject]) -> dict[Subject, list[ClaimRow]]:
    """The claims on each subject, by field, the preferred first: one query."""
    found: defaultdict[Subject, list[ClaimRow]] = defaultdict(list)
    for row in claim_rows(session, subjects):
        found[(SubjectType(row.subject_type), row.subject_id)].append(
            ClaimRow(
                id=str(row.id),
                field=row.field,
                value=json.loads(row.value),
                rank=ClaimRank(row.rank),
                basis=ClaimBasis(row.basis),
                document=row.document_slug,
                note=row.note,
            )
        )
    return found


def aliases(claims: Sequence[ClaimRow]) -> list[str]:
    """A record's other names: its preferred alias claims (records.Evidence.aliases' rule)."""
    names = [c.value for c in claims if c.field == "aliases" and c.rank == ClaimRank.preferred]
    return list(dict.fromkeys(name for name in names if isinstance(name, str)))
