"""A record with cited children, declared once: its child collections, citations and claims.

A detail view is a root query, a few `Children` declarations and a pure builder. `load_records`
runs one query per declared collection and two for the evidence (the claims, then every citation
of the records, their children and their claims), whatever the number of records.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from app.models import Citation, Claim
from app.models.base import CitedTable, subject_of
from app.models.enums import ClaimRank, LinkDirection, SubjectType
from app.schemas.common import Claim as ClaimView
from app.schemas.common import Source

Subject = tuple[SubjectType, str]
_RANK_ORDER = {rank: position for position, rank in enumerate(ClaimRank)}


@dataclass(frozen=True)
class Children:
    """Rows linked to records, for many records in one query, grouped by the record's key.

    A row is a cited table row, or a tuple whose first item is one (the rest are what it joins).
    """

    statement: Callable[[Sequence[str]], sa.Executable]
    parent: Callable[[Any], str]
    cited: bool = True  # False for rows shown as references only, whose evidence is not shown


def two_way(link: Any, node: Any) -> Children:
    """Relations between records of one table (`node`), in either direction, from a link table
    with `subject_slug` and `object_slug`: each row is (link, the record at the other end)."""

    # Built once: an alias made per request was a tenth of a detail view's time.
    other = sa.orm.aliased(node, name="other")

    def statement(keys: Sequence[str]) -> sa.Executable:
        return sa.select(link, other).join(
            other,
            sa.or_(
                sa.and_(link.subject_slug.in_(keys), link.object_slug == other.slug),
                sa.and_(link.object_slug.in_(keys), link.subject_slug == other.slug),
            ),
        )

    def owner(row: Any) -> str:
        found, linked = row
        return str(found.subject_slug if linked.slug == found.object_slug else found.object_slug)

    return Children(statement, owner)


def direction(link: Any, key: str) -> LinkDirection:
    """outgoing when the record `key` is the link's subject, incoming when it is its object."""
    return LinkDirection.outgoing if link.subject_slug == key else LinkDirection.incoming


@dataclass(frozen=True)
class Evidence:
    """The citations and the claims of a set of rows, looked up by row."""

    sources_by_subject: Mapping[Subject, list[Source]]
    claims_by_subject: Mapping[Subject, dict[str, list[ClaimView]]]

    def sources(self, row: CitedTable) -> list[Source]:
        return self.sources_by_subject.get(subject_of(row), [])

    def claims(self, row: CitedTable) -> dict[str, list[ClaimView]]:
        return self.claims_by_subject.get(subject_of(row), {})

    def of(self, row: CitedTable) -> dict[str, Any]:
        """The `sources` and `claims` of an evidenced shape."""
        return {"sources": self.sources(row), "claims": self.claims(row)}

    def aliases(self, row: CitedTable) -> list[str]:
        """The record's other names: its preferred alias claims, as every field shows."""
        given = self.claims(row).get("aliases", [])
        names = [claim.value for claim in given if claim.rank == ClaimRank.preferred]
        return list(dict.fromkeys(name for name in names if isinstance(name, str)))


@dataclass(frozen=True)
class Records:
    """What `load_records` found: each declared collection by record key, and the evidence."""

    children: Mapping[str, Mapping[str, list[Any]]]
    evidence: Evidence

    def __getitem__(self, name: str) -> Mapping[str, list[Any]]:
        return self.children[name]


def _cited(row: Any) -> CitedTable:
    return row if isinstance(row, CitedTable) else row[0]


def load_records(
    session: Session,
    keys: Sequence[str],
    roots: Iterable[CitedTable],
    children: Mapping[str, Children],
) -> Records:
    """Each declared collection of the records `keys`, then the evidence of all of them."""
    found: dict[str, Mapping[str, list[Any]]] = {}
    for name, declared in children.items():
        groups: defaultdict[str, list[Any]] = defaultdict(list)
        if keys:
            for row in session.execute(declared.statement(keys)):
                groups[declared.parent(row)].append(row)
        found[name] = groups
    cited = list(roots)
    for name, collected in found.items():
        if children[name].cited:
            cited += [_cited(row) for rows in collected.values() for row in rows]
    return Records(children=found, evidence=load_evidence(session, cited))


def load_evidence(session: Session, rows: Iterable[CitedTable]) -> Evidence:
    """The claims of the rows (one query), then the citations of rows and claims (one more).

    Both read columns, not ORM objects: building an object per citation was most of the time a
    detail view took.
    """
    subjects = list(dict.fromkeys(subject_of(row) for row in rows))
    if not subjects:
        return Evidence({}, {})
    claims = claim_rows(session, subjects)
    sources = load_sources(session, [*subjects, *((SubjectType.claim, c.id) for c in claims)])
    by_subject: dict[Subject, dict[str, list[ClaimView]]] = defaultdict(dict)
    for claim in claims:
        subject = (SubjectType(claim.subject_type), claim.subject_id)
        by_subject[subject].setdefault(claim.field, []).append(
            ClaimView(
                value=json.loads(claim.value),
                rank=claim.rank,
                basis=claim.basis,
                document=claim.document_slug,
                sources=sources.get((SubjectType.claim, claim.id), []),
                note=claim.note,
            )
        )
    return Evidence(sources, by_subject)


def claim_rows(session: Session, subjects: Sequence[Subject]) -> list[sa.Row[Any]]:
    """The claims filed under `subjects` (columns, not objects), in the order every view gives
    them: by field, the preferred first, then by document and value. One query."""
    rows = session.execute(
        sa.select(
            col(Claim.id),
            col(Claim.subject_type),
            col(Claim.subject_id),
            col(Claim.field),
            col(Claim.value),
            col(Claim.rank),
            col(Claim.basis),
            col(Claim.document_slug),
            col(Claim.note),
        ).where(_about(col(Claim.subject_type), col(Claim.subject_id), subjects))
    ).all()
    return sorted(rows, key=lambda c: (c.field, _RANK_ORDER[c.rank], c.document_slug, c.value))


def _about(kind: Any, key: Any, subjects: Sequence[Subject]) -> sa.ColumnElement[bool]:
    """Rows filed under one of `subjects`: one `type = ? AND id IN (...)` per subject type.

    A row-value `(type, id) IN (...)` is what SQLite plans as a scan of the whole table; this
    form walks the (subject_type, subject_id) index on both databases.
    """
    by_type: dict[SubjectType, list[str]] = defaultdict(list)
    for subject_type, subject_id in subjects:
        by_type[subject_type].append(subject_id)
    return sa.or_(
        *(
            sa.and_(kind == subject_type, key.in_(ids))
            for subject_type, ids in sorted(by_type.items())
        )
    )


def load_sources(session: Session, subjects: list[Subject]) -> dict[Subject, list[Source]]:
    """The citations of each subject, in document order."""
    found: dict[Subject, list[Source]] = defaultdict(list)
    rows = session.execute(
        sa.select(
            col(Citation.subject_type),
            col(Citation.subject_id),
            col(Citation.document_slug),
            col(Citation.quote),
            col(Citation.start_offset),
            col(Citation.end_offset),
            col(Citation.slide),
        )
        .where(_about(col(Citation.subject_type), col(Citation.subject_id), subjects))
        .order_by(col(Citation.document_slug), col(Citation.start_offset))
    )
    # One passage supports many records and their claims (a list of twenty participants, each
    # with its role): one frozen Source serves them all.
    passages: dict[tuple[str, int, int], Source] = {}
    for subject_type, subject_id, document, quote, start, end, slide in rows:
        passage = passages.get((document, start, end))
        if passage is None:
            passage = passages[(document, start, end)] = Source(
                document=document, quote=quote, start=start, end=end, slide=slide
            )
        found[(SubjectType(subject_type), subject_id)].append(passage)
    return found
