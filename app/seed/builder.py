"""What building the rows of a seed folder shares: the rows so far, the source texts, and how a
record adds a row, points at another, locates its quotes and files its citations."""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import SQLModel

from app.models import (
    Citation,
    Organization,
    Person,
    State,
)
from app.models.base import CitedTable, row_key, subject_of
from app.models.enums import SubjectType
from app.passages.text import SourceText, Span, normalize
from app.seed.claiming import claim_record
from app.seed.claims import Names, names_of, own_names
from app.seed.errors import SeedError
from app.seed.reader import SeedFiles
from app.seed.schema import ActorRef, CitationSpec, Cited, Claimed, PartialDate, ParticipantSpec


@dataclass
class SeedBundle:
    """Everything a seed folder says, as rows ready to write, and the version of its inputs."""

    version: str
    rows: dict[type[SQLModel], list[SQLModel]]
    texts: dict[str, SourceText]

    def count(self, model: type[SQLModel]) -> int:
        return len(self.rows.get(model, []))


def date_of(value: PartialDate | None) -> dict[str, Any]:
    return {"date": value.value if value else None, "precision": value.precision if value else None}


@dataclass
class Record:
    """The record being built, so every error can say where it is."""

    file: str
    label: str


@dataclass(frozen=True)
class Passage:
    """A quote located in its document."""

    document: str
    span: Span
    text: str


@dataclass
class Builder:
    files: SeedFiles
    seed_dir: Path
    texts: dict[str, SourceText] = field(default_factory=dict)
    rows: dict[type[SQLModel], list[SQLModel]] = field(default_factory=lambda: defaultdict(list))
    keys: dict[type[SQLModel], set[Any]] = field(default_factory=lambda: defaultdict(set))
    citation_ids: set[str] = field(default_factory=set)
    # Claims are checked once every record is known, since a value may name any of them.
    pending: list[Callable[[], None]] = field(default_factory=list)
    names: Names = field(default_factory=dict)

    # --- helpers ------------------------------------------------------------------------

    def add(self, where: Record, row: SQLModel, what: str) -> str:
        """Keep `row` unless its key is taken; return the key its citations point at."""
        model, key = type(row), row_key(row)
        if key in self.keys[model]:
            raise SeedError(where.file, f"{what} {key!r} is given twice", record=where.label)
        self.keys[model].add(key)
        self.rows[model].append(row)
        return key

    def require(
        self, where: Record, model: type[SQLModel], key: Any, field_path: str, noun: str
    ) -> None:
        if key is not None and key not in self.keys[model]:
            raise SeedError(
                where.file, f"{key!r} is not a known {noun}", record=where.label, field=field_path
            )

    def locate(self, where: Record, spec: CitationSpec, default: str, path: str) -> Passage:
        """Find one quote in its document, or say exactly why it cannot be found."""
        slug = spec.document or default
        text = self.texts.get(slug)
        if text is None:
            raise SeedError(
                where.file,
                f"{slug!r} is not a known source document",
                record=where.label,
                field=f"{path}.document",
            )
        spans = text.find(spec.quote)
        shown_quote = _shorten(spec.quote)
        if not spans:
            raise SeedError(
                where.file,
                f"quote not found in source {slug!r}: {shown_quote}",
                record=where.label,
                field=path,
            )
        if spec.occurrence is None and len(spans) > 1:
            raise SeedError(
                where.file,
                f"quote occurs {len(spans)} times in source {slug!r}; quote more of the "
                f"passage or give its occurrence: {shown_quote}",
                record=where.label,
                field=path,
            )
        if spec.occurrence is not None and spec.occurrence > len(spans):
            raise SeedError(
                where.file,
                f"occurrence {spec.occurrence} asked for, but the quote occurs "
                f"{len(spans)} time(s) in source {slug!r}",
                record=where.label,
                field=f"{path}.occurrence",
            )
        span = spans[(spec.occurrence or 1) - 1]
        return Passage(slug, span, text.text[span.start : span.end])

    def file_citation(
        self, where: Record, subject: tuple[SubjectType, str], passage: Passage, path: str
    ) -> None:
        subject_type, subject_id = subject
        span = passage.span
        citation_id = hashlib.sha256(
            f"{subject_type}|{subject_id}|{passage.document}|{span.start}|{span.end}".encode()
        ).hexdigest()[:32]
        if citation_id in self.citation_ids:
            raise SeedError(
                where.file, "cites the same passage twice", record=where.label, field=path
            )
        self.citation_ids.add(citation_id)
        self.rows[Citation].append(
            Citation(
                id=citation_id,
                subject_type=subject_type,
                subject_id=subject_id,
                document_slug=passage.document,
                start_offset=span.start,
                end_offset=span.end,
                quote=passage.text,
                slide=self.texts[passage.document].slide_at(span.start),
            )
        )

    def cite(
        self,
        where: Record,
        record: Cited,
        default: str,
        row: CitedTable,
        field_path: str = "sources",
        verbatim: Iterable[tuple[str, str | None]] = (),
        reasons: Mapping[str, str] | None = None,
    ) -> None:
        """Locate each quote of `record`, file it under `row`, check verbatim fields and claims.

        `reasons` are the file's interpretations (field -> why), for records that claim values.
        """
        subject = subject_of(row)
        prefix = field_path.removesuffix("sources")
        passages = []
        for index, spec in enumerate(record.sources):
            path = f"{field_path}[{index}]"
            passage = self.locate(where, spec, default, path)
            self.file_citation(where, subject, passage, path)
            passages.append(passage)
        quotes = [normalize(passage.text) for passage in passages]
        for name, value in verbatim:
            if value is not None and not any(normalize(value) in quote for quote in quotes):
                raise SeedError(
                    where.file,
                    "is not found word for word in any of the record's quotes",
                    record=where.label,
                    field=f"{prefix}{name}",
                )
        if isinstance(record, Claimed):
            self.pending.append(
                lambda: claim_record(
                    self,
                    where=where,
                    record=record,
                    subject=subject,
                    passages=passages,
                    default=default,
                    prefix=prefix,
                    reasons=reasons,
                )
            )

    def index_names(self) -> None:
        """Every name a passage may use for each state, organisation, person, document..."""
        files = self.files
        states = files.states.states if files.states else []
        organizations = files.organizations.organizations if files.organizations else []
        people = files.organizations.people if files.organizations else []
        processes = files.processes.processes if files.processes else []
        documents = files.documents.documents if files.documents else []
        events = files.events.events if files.events else []
        self.names = names_of(
            state=((s.code, (s.name, s.official_name, *s.aliases, *s.adjectives)) for s in states),
            organization=((o.slug, own_names(o)) for o in organizations),
            person=((p.slug, (p.name,)) for p in people),
            process=((p.slug, (p.name, p.acronym, *p.aliases)) for p in processes),
            document=((d.slug, own_names(d)) for d in documents),
            event=((e.slug, own_names(e)) for e in events),
        )

    def actor(self, where: Record, ref: ActorRef | ParticipantSpec, path: str) -> str:
        """Check the state or organisation a relation points at; return its key for ids."""
        self.require(where, State, ref.state, f"{path}.state", "state")
        self.require(where, Organization, ref.organization, f"{path}.organization", "organization")
        if isinstance(ref, ParticipantSpec):
            self.require(where, Person, ref.person, f"{path}.person", "person")
            if ref.person:
                return f"person:{ref.person}"
        return f"state:{ref.state}" if ref.state else f"organization:{ref.organization}"

    def check_claims(self) -> None:
        self.index_names()
        for check in self.pending:
            check()


def _shorten(quote: str, limit: int = 80) -> str:
    flat = normalize(quote)
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")
