"""The GraphQL types of documents and source documents."""

import asyncio

import strawberry
from strawberry.experimental.pydantic import type as pydantic_type

from app import models
from app.graphql.common import (
    Claim,
    Ctx,
    Node,
    Source,
    aliases_field,
    bounded_field,
    claims_field,
    document_ref,
    organization_ref,
    sources_field,
)
from app.graphql.events import Event, linked_event
from app.models import enums
from app.models.base import subject_of
from app.queries.documents import DOCUMENT_CHILDREN, document_fields
from app.queries.records import Subject, direction
from app.schemas import documents


@pydantic_type(model=documents.DocumentPart, all_fields=True, name="DocumentPart")
class DocumentPart:
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()


@pydantic_type(model=documents.DocumentLink, all_fields=True, name="DocumentLink")
class DocumentLink:
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()


@pydantic_type(model=documents.DocumentEvent, all_fields=True, name="DocumentEvent")
class DocumentEvent:
    subject: strawberry.Private[Subject]
    event_slug: strawberry.Private[str]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    event: Event = strawberry.field(resolver=linked_event)


async def _description(root: "Document", info: Ctx) -> str | None:
    if root.row is not None:
        return root.row.description
    found = await info.context.records("documents").load(root.slug)
    if found is None:
        raise LookupError(f"document {root.slug} is gone")
    description: str | None = found[0].description
    return description


async def _document_events(root: "Document", info: Ctx) -> list[DocumentEvent]:
    rows = await info.context.children(DOCUMENT_CHILDREN["events"]).load(root.slug)
    return [
        DocumentEvent(subject=subject_of(outcome), event_slug=event.slug, relation=outcome.relation)
        for outcome, event in rows
    ]


async def _parts(root: "Document", info: Ctx) -> list[DocumentPart]:
    areas, objectives = await asyncio.gather(
        info.context.children(DOCUMENT_CHILDREN["areas"]).load(root.slug),
        info.context.children(DOCUMENT_CHILDREN["objectives"]).load(root.slug),
    )
    return [
        DocumentPart(
            subject=subject_of(area),
            kind=enums.PartKind.area_of_common_understanding,
            number=area.number,
            text=area.title,
        )
        for (area,) in areas
    ] + [
        DocumentPart(
            subject=subject_of(objective),
            kind=enums.PartKind.objective,
            number=objective.number,
            text=objective.text,
        )
        for (objective,) in objectives
    ]


async def _document_relations(root: "Document", info: Ctx) -> list[DocumentLink]:
    rows = await info.context.children(DOCUMENT_CHILDREN["relations"]).load(root.slug)
    return [
        DocumentLink(
            subject=subject_of(link),
            relation=link.relation,
            direction=direction(link, root.slug),
            document=document_ref(other),
        )
        for link, other in rows
    ]


@pydantic_type(model=documents.DocumentDetail, all_fields=True, name="Document")
class Document(Node):
    slug: str
    subject: strawberry.Private[Subject]
    row: strawberry.Private[models.Document | None]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    aliases: list[str] = aliases_field(documents.DocumentDetail)
    description: str | None = strawberry.field(resolver=_description)
    events: list[DocumentEvent] = bounded_field(10, resolver=_document_events)  # [2]
    parts: list[DocumentPart] = bounded_field(50, resolver=_parts)
    relations: list[DocumentLink] = bounded_field(10, resolver=_document_relations)


def from_row(document: models.Document, author: models.Organization | None) -> Document:
    """A Document from its row and its author's."""
    return Document(
        subject=subject_of(document),
        row=document,
        **document_fields(document),
        author=organization_ref(author),
    )


def from_summary(summary: documents.DocumentSummary) -> Document:
    return Document(
        subject=(enums.SubjectType.document, summary.slug),
        row=None,
        slug=summary.slug,
        title=summary.title,
        acronym=summary.acronym,
        kind=summary.kind,
        status=summary.status,
        date=summary.date,
        process=summary.process,
        author=organization_ref(summary.author),
    )


@pydantic_type(model=documents.Coverage, all_fields=True, name="Coverage")
class Coverage:
    pass


@pydantic_type(model=documents.ClaimCoverage, all_fields=True, name="ClaimCoverage")
class ClaimCoverage:
    pass


@pydantic_type(model=documents.SourceSummary, all_fields=True, name="SourceDocument")
class SourceDocument:
    pass
