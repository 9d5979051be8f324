"""Reading the documents the processes produced or used, and the source documents."""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.errors import NotFoundError
from app.models import (
    Citation,
    CommonUnderstandingArea,
    Document,
    DocumentRelation,
    Event,
    Objective,
    Organization,
    Outcome,
    SourceDocument,
)
from app.models.base import row_key
from app.models.enums import DocumentKind, LinkDirection, PartKind, SubjectType
from app.queries.loaders import event_ref, grouped, load_sources, organization_ref
from app.queries.pagination import Keyset, PageParams, paginate
from app.schemas.common import DocumentRef, partial_date
from app.schemas.documents import (
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
from app.seed.coverage import document_coverage
from app.seed.text import SourceText, Span

DOCUMENT_KEYSET = Keyset("documents", (col(Document.slug),))
SOURCE_KEYSET = Keyset("sources", (col(SourceDocument.slug),))


def _document_summary(document: Document, author: Organization | None) -> DocumentSummary:
    return DocumentSummary(
        slug=document.slug,
        title=document.title,
        acronym=document.acronym,
        kind=document.kind,
        date=partial_date(document.date, document.date_precision),
        process=document.process_slug,
        author=organization_ref(author),
    )


def _documents() -> sa.Select[Document, Organization]:
    return sa.select(Document, Organization).outerjoin(
        Organization, col(Document.author_slug) == Organization.slug
    )


def list_documents(
    session: Session, *, kind: DocumentKind | None, page: PageParams
) -> Page[DocumentSummary]:
    statement = _documents()
    if kind is not None:
        statement = statement.where(col(Document.kind) == kind)
    window = paginate(session, statement, DOCUMENT_KEYSET, page)
    return Page[DocumentSummary](
        items=[_document_summary(row[0], row[1]) for row in window.rows],
        total=window.total,
        next_cursor=window.next_cursor,
    )


def document_details(session: Session, slugs: Sequence[str]) -> dict[str, DocumentDetail]:
    """Documents with their events, parts and relations: six queries for any number."""
    rows = session.execute(_documents().where(col(Document.slug).in_(slugs))).all()
    found = [row[0].slug for row in rows]
    events = grouped(
        session.execute(
            sa.select(Outcome, Event)
            .join(Event, col(Outcome.event_slug) == Event.slug)
            .where(col(Outcome.document_slug).in_(found))
            .order_by(col(Event.start_date), col(Event.slug))
        ),
        lambda row: row[0].document_slug,
    )
    areas = grouped(
        session.exec(
            select(CommonUnderstandingArea)
            .where(col(CommonUnderstandingArea.document_slug).in_(found))
            .order_by(col(CommonUnderstandingArea.number))
        ),
        lambda area: area.document_slug,
    )
    objectives = grouped(
        session.exec(
            select(Objective)
            .where(col(Objective.document_slug).in_(found))
            .order_by(col(Objective.process_slug), col(Objective.number))
        ),
        lambda objective: objective.document_slug or "",
    )
    links: dict[str, list[tuple[DocumentRelation, Document, LinkDirection]]] = defaultdict(list)
    other = sa.orm.aliased(Document, name="other")
    for link, linked in session.execute(
        sa.select(DocumentRelation, other).join(
            other,
            sa.or_(
                sa.and_(
                    col(DocumentRelation.subject_slug).in_(found),
                    col(DocumentRelation.object_slug) == other.slug,
                ),
                sa.and_(
                    col(DocumentRelation.object_slug).in_(found),
                    col(DocumentRelation.subject_slug) == other.slug,
                ),
            ),
        )
    ):
        if linked.slug == link.object_slug and link.subject_slug in found:
            links[link.subject_slug].append((link, linked, LinkDirection.outgoing))
        if linked.slug == link.subject_slug and link.object_slug in found:
            links[link.object_slug].append((link, linked, LinkDirection.incoming))
    sources = load_sources(
        session,
        [
            *((SubjectType.document, slug) for slug in found),
            *((SubjectType.outcome, row_key(o)) for es in events.values() for o, _ in es),
            *(
                (SubjectType.common_understanding_area, row_key(a))
                for found_areas in areas.values()
                for a in found_areas
            ),
            *(
                (SubjectType.objective, row_key(o))
                for found_objectives in objectives.values()
                for o in found_objectives
            ),
            *(
                (SubjectType.document_relation, row_key(link))
                for found_links in links.values()
                for link, *_ in found_links
            ),
        ],
    )
    details = {}
    for document, author in rows:
        slug = document.slug
        details[slug] = DocumentDetail(
            **_document_summary(document, author).model_dump(),
            description=document.description,
            events=[
                DocumentEvent(
                    relation=outcome.relation,
                    event=event_ref(event),
                    sources=sources[(SubjectType.outcome, row_key(outcome))],
                )
                for outcome, event in events[slug]
            ],
            parts=[
                DocumentPart(
                    kind=PartKind.area_of_common_understanding,
                    number=area.number,
                    text=area.title,
                    sources=sources[(SubjectType.common_understanding_area, row_key(area))],
                )
                for area in areas[slug]
            ]
            + [
                DocumentPart(
                    kind=PartKind.objective,
                    number=objective.number,
                    text=objective.text,
                    sources=sources[(SubjectType.objective, row_key(objective))],
                )
                for objective in objectives[slug]
            ],
            relations=[
                DocumentLink(
                    relation=link.relation,
                    direction=direction,
                    document=DocumentRef(slug=linked.slug, title=linked.title, kind=linked.kind),
                    sources=sources[(SubjectType.document_relation, row_key(link))],
                )
                for link, linked, direction in links[slug]
            ],
            sources=sources[(SubjectType.document, slug)],
        )
    return details


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


def _source_summary(document: SourceDocument, coverage: Coverage, citations: int) -> SourceSummary:
    return SourceSummary(
        slug=document.slug,
        title=document.title,
        kind=document.kind,
        language=document.language,
        sha256=document.sha256,
        describes=partial_date(document.describes_date, document.describes_precision),
        citation_count=citations,
        coverage=coverage,
    )


def list_sources(session: Session, *, page: PageParams) -> Page[SourceSummary]:
    """The source documents with their citation coverage: three queries."""
    window = paginate(session, sa.select(SourceDocument), SOURCE_KEYSET, page)
    documents: list[SourceDocument] = [row[0] for row in window.rows]
    spans = _spans(session, [d.slug for d in documents])
    return Page[SourceSummary](
        items=[
            _source_summary(d, _coverage(d, spans[d.slug])[0], len(spans[d.slug]))
            for d in documents
        ],
        total=window.total,
        next_cursor=window.next_cursor,
    )


def get_source(session: Session, slug: str) -> SourceDetail:
    """One source document with its text and the sentences no citation covers: two queries."""
    document = session.get(SourceDocument, slug)
    if document is None:
        raise NotFoundError("source", slug)
    spans = _spans(session, [slug])[slug]
    coverage, uncited = _coverage(document, spans)
    return SourceDetail(
        **_source_summary(document, coverage, len(spans)).model_dump(),
        text=document.text,
        uncited=uncited,
    )
