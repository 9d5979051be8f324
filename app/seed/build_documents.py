"""The rows of documents, their parts and their relations."""

from app.models import (
    CommonUnderstandingArea,
    Document,
    DocumentRelation,
    Organization,
    Process,
)
from app.seed.builder import Builder, Record, date_of


def build_documents(builder: Builder) -> None:
    if builder.files.documents is None:
        return
    label, default = builder.files.labels["documents.yaml"], builder.files.documents.source
    specs = builder.files.documents.documents
    for spec in specs:
        where = Record(label, f"document '{spec.slug}'")
        builder.require(where, Process, spec.process, "process", "process")
        builder.require(where, Organization, spec.author, "author", "organization")
        dated = date_of(spec.date)
        document = Document(
            slug=spec.slug,
            title=spec.title,
            acronym=spec.acronym,
            kind=spec.kind,
            status=spec.status,
            date=dated["date"],
            date_precision=dated["precision"],
            process_slug=spec.process,
            author_slug=spec.author,
            description=spec.description,
        )
        builder.add(where, document, "document")
        builder.cite(
            where,
            spec,
            default,
            document,
            verbatim=[("description", spec.description)],
            reasons=builder.files.documents.interpreted,
        )
        for index, area in enumerate(spec.areas):
            path = f"areas[{index}]"
            part = CommonUnderstandingArea(
                document_slug=spec.slug, number=area.number, title=area.title
            )
            builder.add(where, part, "area")
            builder.cite(
                where,
                area,
                default,
                part,
                f"{path}.sources",
                verbatim=[("title", area.title)],
            )
    for spec in specs:
        where = Record(label, f"document '{spec.slug}'")
        for index, relation in enumerate(spec.relations):
            path = f"relations[{index}]"
            builder.require(where, Document, relation.document, f"{path}.document", "document")
            link = DocumentRelation(
                subject_slug=spec.slug,
                relation=relation.relation,
                object_slug=relation.document,
            )
            builder.add(where, link, "relation")
            builder.cite(where, relation, default, link, f"{path}.sources")
