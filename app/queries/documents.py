"""Reading the documents the processes produced or used, and the source documents."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from app.errors import NotFoundError
from app.models import (
    Citation,
    Claim,
    CommonUnderstandingArea,
    Document,
    DocumentRelation,
    Event,
    Objective,
    Organization,
    Outcome,
    SourceDocument,
)
from app.models.enums import ClaimBasis, DocumentKind, DocumentStatus, PartKind
from app.passages.coverage import document_coverage
from app.passages.text import SourceText, Span
from app.queries.pagination import Keyset, PageParams, paginate
from app.queries.records import Children, Records, direction, load_records, two_way
from app.queries.refs import event_ref, organization_ref
from app.schemas.common import DocumentRef, partial_date
from app.schemas.documents import (
    ClaimCoverage,
    Coverage,
    DocumentDetail,
    DocumentEvent,
    DocumentLink,
    DocumentPart,
    DocumentSummary,
    SourceDetail,
    SourceSummary,
)
from app.schemas.pages import Page

DOCUMENT_KEYSET = Keyset("documents", (col(Document.slug),))
SOURCE_KEYSET = Keyset("sources", (col(SourceDocument.slug),))


def document_fields(document: Document) -> dict[str, Any]:
    """A document's own summary fields, from its row (REST and GraphQL add the author)."""
    return {
        "slug": document.slug,
        "title": document.title,
        "acronym": document.acronym,
        "kind": document.kind,
        "status": document.status,
        "date": partial_date(document.date, document.date_precision),
        "process": document.process_slug,
    }


def _document_summary(document: Document, author: Organization | None) -> DocumentSummary:
    return DocumentSummary(**document_fields(document), author=organization_ref(author))


def _documents() -> sa.Select[Document, Organization]:
    return sa.select(Document, Organization).outerjoin(
        Organization, col(Document.author_slug) == Organization.slug
    )


def list_documents(
    session: Session,
    *,
    kind: DocumentKind | None,
    page: PageParams,
    status: DocumentStatus | None = None,
) -> Page[DocumentSummary]:
    statement = _documents()
    if kind is not None:
        statement = statement.where(col(Document.kind) == kind)
    if status is not None:
        statement = statement.where(col(Document.status) == status)
    window = paginate(session, statement, DOCUMENT_KEYSET, page)
    return Page[DocumentSummary](
        items=[_document_summary(row[0], row[1]) for row in window.rows],
        total=window.total,
        next_cursor=window.next_cursor,
    )


DOCUMENT_CHILDREN = {
    "events": Children(
        lambda keys: (
            sa.select(Outcome, Event)
            .join(Event, col(Outcome.event_slug) == Event.slug)
            .where(col(Outcome.document_slug).in_(keys))
            .order_by(col(Event.start_date), col(Event.slug))
        ),
        lambda row: row[0].document_slug,
    ),
    "areas": Children(
        lambda keys: (
            sa.select(CommonUnderstandingArea)
            .where(col(CommonUnderstandingArea.document_slug).in_(keys))
            .order_by(col(CommonUnderstandingArea.number))
        ),
        lambda row: row[0].document_slug,
    ),
    "objectives": Children(
        lambda keys: (
            sa.select(Objective)
            .where(col(Objective.document_slug).in_(keys))
            .order_by(col(Objective.process_slug), col(Objective.number))
        ),
        lambda row: row[0].document_slug,
    ),
    "relations": two_way(DocumentRelation, Document),
}


def document_details(session: Session, slugs: Sequence[str]) -> dict[str, DocumentDetail]:
    """Documents with their events, parts, relations, citations and claims: seven queries for
    any number of documents."""
    rows = session.execute(_documents().where(col(Document.slug).in_(slugs))).all()
    documents = [row[0] for row in rows]
    records = load_records(session, [d.slug for d in documents], documents, DOCUMENT_CHILDREN)
    return {document.slug: _document_detail(document, author, records) for document, author in rows}


def _document_detail(
    document: Document, author: Organization | None, records: Records
) -> DocumentDetail:
    slug, evidence = document.slug, records.evidence
    return DocumentDetail(
        **document_fields(document),
        author=organization_ref(author),
        **evidence.of(document),
        aliases=evidence.aliases(document),
        description=document.description,
        events=[
            DocumentEvent(relation=outcome.relation, event=event_ref(event), **evidence.of(outcome))
            for outcome, event in records["events"][slug]
        ],
        parts=[
            DocumentPart(
                kind=PartKind.area_of_common_understanding,
                number=area.number,
                text=area.title,
                sources=evidence.sources(area),
            )
            for (area,) in records["areas"][slug]
        ]
        + [
            DocumentPart(
                kind=PartKind.objective,
                number=objective.number,
                text=objective.text,
                sources=evidence.sources(objective),
            )
            for (objective,) in records["objectives"][slug]
        ],
        relations=[
            DocumentLink(
                relation=link.relation,
                direction=direction(link, slug),
                document=DocumentRef(slug=other.slug, title=other.title, kind=other.kind),
                **evidence.of(link),
            )
            for link, other in records["relations"][slug]
        ],
    )


def get_document(session: Session, slug: str) -> DocumentDetail:
    detail = document_details(session, [slug]).get(slug)
    if detail is None:
        raise NotFoundError("document", slug)
    return detail


_INDEXES: dict[str, SourceText] = {}


def _coverage(document: SourceDocument, spans: list[Span]) -> tuple[Coverage, list[str]]:
    # A document's sentence index depends on its bytes only: build it once per SHA-256.
    index = _INDEXES.get(document.sha256)
    if index is None:
        index = _INDEXES[document.sha256] = SourceText(document.text)
    measured = document_coverage(document.slug, index, spans)
    coverage = Coverage(
        sentences=measured.sentences, cited=measured.cited, percent=round(measured.percent, 1)
    )
    return coverage, measured.uncited


def _spans(session: Session, slugs: list[str]) -> dict[str, list[Span]]:
    spans: dict[str, list[Span]] = {slug: [] for slug in slugs}
    rows = session.execute(
        sa.select(
            col(Citation.document_slug), col(Citation.start_offset), col(Citation.end_offset)
        ).where(col(Citation.document_slug).in_(slugs))
    )
    for slug, start, end in rows:
        spans[slug].append(Span(start, end))
    return spans


def _claim_coverage(session: Session, slugs: list[str]) -> dict[str, ClaimCoverage]:
    """The claims each document makes, stated or interpreted: one grouped query."""
    counts: dict[str, dict[str, int]] = {slug: {} for slug in slugs}
    for slug, basis, count in session.execute(
        sa.select(col(Claim.document_slug), col(Claim.basis), sa.func.count())
        .where(col(Claim.document_slug).in_(slugs))
        .group_by(col(Claim.document_slug), col(Claim.basis))
    ):
        counts[slug][basis] = count
    found = {}
    for slug, by_basis in counts.items():
        stated = by_basis.get(ClaimBasis.stated, 0)
        total = stated + by_basis.get(ClaimBasis.interpretation, 0)
        found[slug] = ClaimCoverage(
            total=total,
            stated=stated,
            interpretations=total - stated,
            percent=round(100.0 * stated / total, 1) if total else 100.0,
        )
    return found


def _source_summary(
    document: SourceDocument, coverage: Coverage, citations: int, claims: ClaimCoverage
) -> SourceSummary:
    return SourceSummary(
        slug=document.slug,
        title=document.title,
        kind=document.kind,
        language=document.language,
        sha256=document.sha256,
        describes=partial_date(document.describes_date, document.describes_precision),
        citation_count=citations,
        coverage=coverage,
        claims=claims,
    )


def list_sources(session: Session, *, page: PageParams) -> Page[SourceSummary]:
    """The source documents with their citation and claim coverage: four queries."""
    window = paginate(session, sa.select(SourceDocument), SOURCE_KEYSET, page)
    documents: list[SourceDocument] = [row[0] for row in window.rows]
    spans = _spans(session, [d.slug for d in documents])
    claims = _claim_coverage(session, [d.slug for d in documents])
    return Page[SourceSummary](
        items=[
            _source_summary(d, _coverage(d, spans[d.slug])[0], len(spans[d.slug]), claims[d.slug])
            for d in documents
        ],
        total=window.total,
        next_cursor=window.next_cursor,
    )


def get_source(session: Session, slug: str) -> SourceDetail:
    """One source document, its text, the sentences no citation covers: three queries."""
    document = session.get(SourceDocument, slug)
    if document is None:
        raise NotFoundError("source", slug)
    spans = _spans(session, [slug])[slug]
    coverage, uncited = _coverage(document, spans)
    claims = _claim_coverage(session, [slug])[slug]
    return SourceDetail(
        **_source_summary(document, coverage, len(spans), claims).model_dump(),
        text=document.text,
        uncited=uncited,
    )
