"""Documents the processes produced or used, and the source documents everything cites."""

from pydantic import Field

from app.models.enums import (
    DocumentKind,
    DocumentRelationKind,
    DocumentStatus,
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
    Evidenced,
    OrganizationRef,
    Source,
)


class DocumentSummary(ApiModel):
    slug: str = Field(examples=["almaty-declaration"])
    title: str
    acronym: str | None
    kind: DocumentKind
    status: DocumentStatus | None = Field(
        description="adopted (or endorsed), published (issued or presented), or planned: "
        "announced by the source but not yet adopted"
    )
    date: str | None = Field(description=PARTIAL_DATE_DOC, examples=["2011-03"])
    process: str | None = Field(description="slug of the process the document belongs to")
    author: OrganizationRef | None


class DocumentEvent(Evidenced):
    relation: OutcomeRelation
    event: EventRef


class DocumentPart(ApiModel):
    kind: PartKind
    number: int
    text: str
    sources: list[Source]


class DocumentLink(Evidenced):
    relation: DocumentRelationKind
    direction: LinkDirection = Field(
        description="outgoing: this document RELATION the other; incoming: the reverse"
    )
    document: DocumentRef


class DocumentDetail(Evidenced, DocumentSummary):
    aliases: list[str] = Field(description="other names the sources give the document")
    description: str | None
    events: list[DocumentEvent]
    parts: list[DocumentPart]
    relations: list[DocumentLink]


class Coverage(ApiModel):
    sentences: int
    cited: int = Field(description="sentences whose every letter and digit some citation covers")
    percent: float


class ClaimCoverage(ApiModel):
    """How many of the claims this document makes are checked against its passages."""

    total: int = Field(
        description="the values this document claims, on every field of every record"
    )
    stated: int = Field(description="claims whose value the cited passages write")
    interpretations: int = Field(
        description="claims that are the curators' reading of the passages, each with its reason"
    )
    percent: float = Field(description="stated / total, in percent")


class SourceSummary(ApiModel):
    slug: str = Field(examples=["almaty-process"])
    title: str
    kind: SourceKind
    language: str = Field(examples=["en"])
    sha256: str = Field(description="SHA-256 of the document's bytes")
    describes: str | None = Field(description=PARTIAL_DATE_DOC)
    citation_count: int
    coverage: Coverage
    claims: ClaimCoverage


class SourceDetail(SourceSummary):
    text: str = Field(description="the full text; citation offsets index into it")
    uncited: list[str] = Field(description="the sentences no citation covers yet")
