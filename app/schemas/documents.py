"""Documents the processes produced or used, and the source documents everything cites."""

from pydantic import Field

from app.models.enums import (
    DocumentKind,
    DocumentRelationKind,
    LinkDirection,
    OutcomeRelation,
    PartKind,
    SourceKind,
)
from app.schemas.common import (
    PARTIAL_DATE_DOC,
    ApiModel,
    DocumentRef,
    EventRef,
    OrganizationRef,
    Source,
)


class DocumentSummary(ApiModel):
    slug: str = Field(examples=["almaty-declaration"])
    title: str
    acronym: str | None
    kind: DocumentKind
    date: str | None = Field(description=PARTIAL_DATE_DOC, examples=["2011-03"])
    process: str | None = Field(description="slug of the process the document belongs to")
    author: OrganizationRef | None


class DocumentEvent(ApiModel):
    relation: OutcomeRelation
    event: EventRef
    sources: list[Source]


class DocumentPart(ApiModel):
    kind: PartKind
    number: int
    text: str
    sources: list[Source]


class DocumentLink(ApiModel):
    relation: DocumentRelationKind
    direction: LinkDirection = Field(
        description="outgoing: this document RELATION the other; incoming: the reverse"
    )
    document: DocumentRef
    sources: list[Source]


class DocumentDetail(DocumentSummary):
    description: str | None
    events: list[DocumentEvent]
    parts: list[DocumentPart]
    relations: list[DocumentLink]
    sources: list[Source]


class Coverage(ApiModel):
    sentences: int
    cited: int = Field(description="sentences whose every letter and digit some citation covers")
    percent: float


class SourceSummary(ApiModel):
    slug: str = Field(examples=["almaty-process"])
    title: str
    kind: SourceKind
    language: str = Field(examples=["en"])
    sha256: str = Field(description="SHA-256 of the document's bytes")
    describes: str | None = Field(description=PARTIAL_DATE_DOC)
    citation_count: int
    coverage: Coverage


class SourceDetail(SourceSummary):
    text: str = Field(description="the full text; citation offsets index into it")
    uncited: list[str] = Field(description="the sentences no citation covers yet")
