"""Turning validated seed files into table rows: references resolved, quotes located."""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import SQLModel

from app.models import (
    Citation,
    Claim,
    CommonUnderstandingArea,
    Document,
    DocumentRelation,
    Event,
    EventRelation,
    EventTheme,
    KeyArea,
    Objective,
    Organization,
    Outcome,
    Participation,
    Person,
    Process,
    ProcessActor,
    Project,
    ProjectFunder,
    SourceDocument,
    State,
)
from app.models.base import CitedTable, row_key, subject_of
from app.models.enums import ClaimBasis, ClaimRank, SubjectType
from app.passages.text import SourceText, Span, normalize
from app.seed.claims import Field, Names, as_json, fields_of, names_of, own_names, shown
from app.seed.errors import SeedError
from app.seed.reader import SeedFiles, read_seed_files
from app.seed.schema import ActorRef, CitationSpec, Cited, Claimed, PartialDate, ParticipantSpec


@dataclass
class SeedBundle:
    """Everything a seed folder says, as rows ready to write, and the version of its inputs."""

    version: str
    rows: dict[type[SQLModel], list[SQLModel]]
    texts: dict[str, SourceText]

    def count(self, model: type[SQLModel]) -> int:
        return len(self.rows.get(model, []))


def _date(value: PartialDate | None) -> dict[str, Any]:
    return {"date": value.value if value else None, "precision": value.precision if value else None}


@dataclass
class _Record:
    """The record being built, so every error can say where it is."""

    file: str
    label: str


@dataclass(frozen=True)
class _Passage:
    """A quote located in its document."""

    document: str
    span: Span
    text: str


@dataclass
class _Builder:
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

    def add(self, where: _Record, row: SQLModel, what: str) -> str:
        """Keep `row` unless its key is taken; return the key its citations point at."""
        model, key = type(row), row_key(row)
        if key in self.keys[model]:
            raise SeedError(where.file, f"{what} {key!r} is given twice", record=where.label)
        self.keys[model].add(key)
        self.rows[model].append(row)
        return key

    def require(
        self, where: _Record, model: type[SQLModel], key: Any, field_path: str, noun: str
    ) -> None:
        if key is not None and key not in self.keys[model]:
            raise SeedError(
                where.file, f"{key!r} is not a known {noun}", record=where.label, field=field_path
            )

    def locate(self, where: _Record, spec: CitationSpec, default: str, path: str) -> _Passage:
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
        return _Passage(slug, span, text.text[span.start : span.end])

    def file_citation(
        self, where: _Record, subject: tuple[SubjectType, str], passage: _Passage, path: str
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
        where: _Record,
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
                lambda: self.claims(where, record, subject, passages, default, prefix, reasons)
            )

    # --- claims -------------------------------------------------------------------------

    def claims(
        self,
        where: _Record,
        record: Claimed,
        subject: tuple[SubjectType, str],
        passages: list[_Passage],
        default: str,
        prefix: str,
        reasons: Mapping[str, str] | None,
    ) -> None:
        """Each value of the record as a claim; then the record's other claims."""
        # The seed names fields as the curator writes them (`start`); claims carry the API's
        # name (`start_date`).
        fields = {declared.attr or declared.name: declared for declared in fields_of(record)}
        given = (
            (record.interpreted, f"{prefix}interpreted", where.label),
            (record.notes, f"{prefix}notes", where.label),
            (reasons or {}, "interpreted", None),  # the file's: for every record of its kind
        )
        for named, label, about in given:
            for name in named:
                if name not in fields:
                    raise SeedError(
                        where.file,
                        f"{name!r} is not a claimed field of this record ({', '.join(fields)})",
                        record=about,
                        field=label,
                    )
                if about is not None and not fields[name].values(record):
                    # A reason or a note on a value the record does not give would never show.
                    raise SeedError(
                        where.file,
                        f"{name!r} has no value here: nothing to explain",
                        record=about,
                        field=f"{label}.{name}",
                    )
        own: dict[str, set[str]] = {}
        for name, declared in fields.items():
            values = declared.values(record)
            own[name] = {as_json(value) for value in values}
            own_reason = record.interpreted.get(name)
            reason = own_reason or (reasons or {}).get(name)
            for value in values:
                self.claim(
                    where,
                    record,
                    subject,
                    declared,
                    value,
                    passages,
                    rank=ClaimRank.preferred,
                    note=record.notes.get(name),
                    reason=reason,
                    path=f"{prefix}{name}",
                    # A record's own reason must be needed; a file-wide one may not be.
                    needed=own_reason is not None and not declared.many,
                )
        for index, other in enumerate(record.claims):
            path = f"{prefix}claims[{index}]"
            target = fields.get(other.field)
            if target is None:
                raise SeedError(
                    where.file,
                    f"{other.field!r} is not a claimed field of this record ({', '.join(fields)})",
                    record=where.label,
                    field=f"{path}.field",
                )
            try:
                value = target.check.parse(other.value)
            except (ValueError, TypeError, ValidationError) as error:
                raise SeedError(
                    where.file,
                    f"is not a value for {other.field}: {error}",
                    record=where.label,
                    field=f"{path}.value",
                ) from None
            agrees = as_json(value) in own[other.field]
            rank = other.rank or (ClaimRank.preferred if agrees else ClaimRank.normal)
            if rank == ClaimRank.preferred and not agrees:
                raise SeedError(
                    where.file,
                    "only the record's own value is preferred: rank this claim normal or "
                    "deprecated, or make its value the record's",
                    record=where.label,
                    field=f"{path}.rank",
                )
            if rank == ClaimRank.deprecated and agrees:
                raise SeedError(
                    where.file,
                    "the record's own value cannot also be deprecated: change the record's "
                    "value, or rank this claim preferred",
                    record=where.label,
                    field=f"{path}.rank",
                )
            self.claim(
                where,
                record,
                subject,
                target,
                value,
                [
                    self.locate(where, spec, default, f"{path}.sources[{at}]")
                    for at, spec in enumerate(other.sources)
                ],
                rank=rank,
                note=other.note,
                reason=other.interpreted,
                path=f"{path}.value",
                needed=other.interpreted is not None,
            )

    def claim(
        self,
        where: _Record,
        record: Claimed,
        subject: tuple[SubjectType, str],
        declared: Field,
        value: Any,
        passages: list[_Passage],
        *,
        rank: ClaimRank,
        note: str | None,
        reason: str | None,
        path: str,
        needed: bool = False,
    ) -> None:
        """One claim per document whose passages state the value, or one interpretation.

        `needed`: the reason was given for this value alone, so a passage that states the value
        makes it stale, and it is refused rather than silently dropped.
        """
        kind = declared.check.refers_to
        if kind is not None and value not in self.names.get(kind, {}):
            # The record's own references are checked as it is read; other claims' here.
            raise SeedError(
                where.file, f"{value!r} is not a known {kind}", record=where.label, field=path
            )
        stating: dict[str, list[_Passage]] = defaultdict(list)
        for passage in passages:
            if declared.check.states(passage.text, value, record, self.names):
                stating[passage.document].append(passage)
        basis = ClaimBasis.stated
        if stating and needed:
            raise SeedError(
                where.file,
                f"value {shown(value)!r} is stated by a cited passage: it needs no "
                "interpretation (remove the reason)",
                record=where.label,
                field=path,
            )
        if not stating:
            if reason is None:
                raise SeedError(
                    where.file,
                    f"value {shown(value)!r} is not stated in any cited passage",
                    record=where.label,
                    field=path,
                )
            # The reading rests on all the record's passages, filed under its first document.
            basis, note = ClaimBasis.interpretation, f"{reason} {note}" if note else reason
            stating[passages[0].document] = passages
        encoded = as_json(value)
        for document, cited in stating.items():
            # Readable, so that /changes can say which field of which record changed; the hash
            # keeps the id of the same claim stable across loads.
            digest = hashlib.sha256(f"{encoded}|{document}".encode()).hexdigest()[:12]
            claim_id = f"{subject[0]}|{subject[1]}|{declared.name}|{digest}"
            row = Claim(
                id=claim_id,
                subject_type=subject[0],
                subject_id=subject[1],
                field=declared.name,
                value=encoded,
                rank=rank,
                basis=basis,
                document_slug=document,
                note=note,
            )
            if claim_id in self.keys[Claim]:
                raise SeedError(
                    where.file,
                    f"repeats the claim that {document!r} states {shown(value)!r} for "
                    f"{declared.name}",
                    record=where.label,
                    field=path,
                )
            self.add(where, row, "claim")
            for index, passage in enumerate(cited):
                self.file_citation(where, subject_of(row), passage, f"{path}.sources[{index}]")

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

    def actor(self, where: _Record, ref: ActorRef | ParticipantSpec, path: str) -> str:
        """Check the state or organisation a relation points at; return its key for ids."""
        self.require(where, State, ref.state, f"{path}.state", "state")
        self.require(where, Organization, ref.organization, f"{path}.organization", "organization")
        if isinstance(ref, ParticipantSpec):
            self.require(where, Person, ref.person, f"{path}.person", "person")
            if ref.person:
                return f"person:{ref.person}"
        return f"state:{ref.state}" if ref.state else f"organization:{ref.organization}"

    # --- the files, in the order their references need --------------------------------

    def sources(self) -> None:
        label = self.files.labels["sources.yaml"]
        for spec in self.files.sources.sources:
            where = _Record(label, f"source '{spec.slug}'")
            path = self.seed_dir / spec.path
            try:
                raw = path.read_bytes()
                text = raw.decode("utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise SeedError(
                    label, f"cannot read {path}: {error}", record=where.label, field="path"
                ) from None
            described = _date(spec.describes)
            self.add(
                where,
                SourceDocument(
                    slug=spec.slug,
                    title=spec.title,
                    kind=spec.kind,
                    language=spec.language,
                    path=spec.path,
                    sha256=hashlib.sha256(raw).hexdigest(),
                    describes_date=described["date"],
                    describes_precision=described["precision"],
                    text=text,
                ),
                "source",
            )
            self.texts[spec.slug] = SourceText(text)

    def states(self) -> None:
        if self.files.states is None:
            return
        label, default = self.files.labels["states.yaml"], self.files.states.source
        alpha2: set[str] = set()
        for spec in self.files.states.states:
            where = _Record(label, f"state '{spec.code}'")
            if spec.alpha2 in alpha2:
                raise SeedError(
                    label,
                    f"alpha2 {spec.alpha2!r} is given twice",
                    record=where.label,
                    field="alpha2",
                )
            alpha2.add(spec.alpha2)
            state = State(
                code=spec.code, alpha2=spec.alpha2, name=spec.name, official_name=spec.official_name
            )
            self.add(where, state, "state")
            self.cite(where, spec, default, state, reasons=self.files.states.interpreted)

    def organizations(self) -> None:
        if self.files.organizations is None:
            return
        label = self.files.labels["organizations.yaml"]
        default = self.files.organizations.source
        reasons = self.files.organizations.interpreted
        specs = self.files.organizations.organizations
        for spec in specs:
            where = _Record(label, f"organization '{spec.slug}'")
            organization = Organization(
                slug=spec.slug,
                name=spec.name,
                acronym=spec.acronym,
                kind=spec.kind,
                country_code=spec.country,
                parent_slug=spec.parent,
            )
            self.add(where, organization, "organization")
            self.cite(where, spec, default, organization, reasons=reasons)
        parents = {spec.slug: spec.parent for spec in specs}
        for spec in specs:
            where = _Record(label, f"organization '{spec.slug}'")
            self.require(where, State, spec.country, "country", "state")
            self.require(where, Organization, spec.parent, "parent", "organization")
            seen, at = {spec.slug}, spec.parent
            while at is not None:
                if at in seen:
                    raise SeedError(
                        label, "parents form a cycle", record=where.label, field="parent"
                    )
                seen.add(at)
                at = parents.get(at)
        for person in self.files.organizations.people:
            where = _Record(label, f"person '{person.slug}'")
            self.require(where, Organization, person.organization, "organization", "organization")
            row = Person(
                slug=person.slug,
                name=person.name,
                position=person.position,
                organization_slug=person.organization,
            )
            self.add(where, row, "person")
            self.cite(where, person, default, row)

    def processes(self) -> None:
        if self.files.processes is None:
            return
        label, default = self.files.labels["processes.yaml"], self.files.processes.source
        for spec in self.files.processes.processes:
            where = _Record(label, f"process '{spec.slug}'")
            initiated, launched = _date(spec.initiated), _date(spec.launched)
            process = Process(
                slug=spec.slug,
                name=spec.name,
                acronym=spec.acronym,
                kind=spec.kind,
                description=spec.description,
                initiated_date=initiated["date"],
                initiated_precision=initiated["precision"],
                launched_date=launched["date"],
                launched_precision=launched["precision"],
                secretariat_function=spec.secretariat_function,
            )
            self.add(where, process, "process")
            self.cite(
                where,
                spec,
                default,
                process,
                verbatim=[("description", spec.description)],
                reasons=self.files.processes.interpreted,
            )

    def process_parts(self) -> None:
        """Actors, objectives and key areas: after documents, which objectives may cite."""
        if self.files.processes is None:
            return
        label, default = self.files.labels["processes.yaml"], self.files.processes.source
        for spec in self.files.processes.processes:
            where = _Record(label, f"process '{spec.slug}'")
            for index, actor in enumerate(spec.actors):
                path = f"actors[{index}]"
                key = f"{spec.slug}/{actor.role}/{self.actor(where, actor, path)}"
                row = ProcessActor(
                    id=key,
                    process_slug=spec.slug,
                    role=actor.role,
                    state_code=actor.state,
                    organization_slug=actor.organization,
                )
                self.add(where, row, "actor")
                self.cite(where, actor, default, row, f"{path}.sources")
            for index, objective in enumerate(spec.objectives):
                path = f"objectives[{index}]"
                self.require(where, Document, objective.document, f"{path}.document", "document")
                objective_row = Objective(
                    process_slug=spec.slug,
                    number=objective.number,
                    text=objective.text,
                    document_slug=objective.document,
                )
                self.add(where, objective_row, "objective")
                self.cite(
                    where,
                    objective,
                    default,
                    objective_row,
                    f"{path}.sources",
                    verbatim=[("text", objective.text)],
                )
            for position, area in enumerate(spec.key_areas, start=1):
                path = f"key_areas[{position - 1}]"
                key_area = KeyArea(process_slug=spec.slug, position=position, text=area.text)
                self.add(where, key_area, "key area")
                self.cite(
                    where,
                    area,
                    default,
                    key_area,
                    f"{path}.sources",
                    verbatim=[("text", area.text)],
                )

    def documents(self) -> None:
        if self.files.documents is None:
            return
        label, default = self.files.labels["documents.yaml"], self.files.documents.source
        specs = self.files.documents.documents
        for spec in specs:
            where = _Record(label, f"document '{spec.slug}'")
            self.require(where, Process, spec.process, "process", "process")
            self.require(where, Organization, spec.author, "author", "organization")
            dated = _date(spec.date)
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
            self.add(where, document, "document")
            self.cite(
                where,
                spec,
                default,
                document,
                verbatim=[("description", spec.description)],
                reasons=self.files.documents.interpreted,
            )
            for index, area in enumerate(spec.areas):
                path = f"areas[{index}]"
                part = CommonUnderstandingArea(
                    document_slug=spec.slug, number=area.number, title=area.title
                )
                self.add(where, part, "area")
                self.cite(
                    where,
                    area,
                    default,
                    part,
                    f"{path}.sources",
                    verbatim=[("title", area.title)],
                )
        for spec in specs:
            where = _Record(label, f"document '{spec.slug}'")
            for index, relation in enumerate(spec.relations):
                path = f"relations[{index}]"
                self.require(where, Document, relation.document, f"{path}.document", "document")
                link = DocumentRelation(
                    subject_slug=spec.slug,
                    relation=relation.relation,
                    object_slug=relation.document,
                )
                self.add(where, link, "relation")
                self.cite(where, relation, default, link, f"{path}.sources")

    def projects(self) -> None:
        if self.files.projects is None:
            return
        label, default = self.files.labels["projects.yaml"], self.files.projects.source
        for spec in self.files.projects.projects:
            where = _Record(label, f"project '{spec.slug}'")
            project = Project(slug=spec.slug, title=spec.title, description=spec.description)
            self.add(where, project, "project")
            self.cite(
                where,
                spec,
                default,
                project,
                verbatim=[("description", spec.description)],
                reasons=self.files.projects.interpreted,
            )
            for index, funder in enumerate(spec.funders):
                path = f"funders[{index}]"
                key = f"{spec.slug}/{self.actor(where, funder, path)}"
                row = ProjectFunder(
                    id=key,
                    project_slug=spec.slug,
                    state_code=funder.state,
                    organization_slug=funder.organization,
                )
                self.add(where, row, "funder")
                self.cite(where, funder, default, row, f"{path}.sources")

    def events(self) -> None:
        if self.files.events is None:
            return
        label, default = self.files.labels["events.yaml"], self.files.events.source
        reasons = self.files.events.interpreted
        for spec in self.files.events.events:
            where = _Record(label, f"event '{spec.slug}'")
            self.require(where, State, spec.country, "country", "state")
            self.require(where, Process, spec.process, "process", "process")
            self.require(where, Project, spec.project, "project", "project")
            end = spec.end or spec.start
            count = spec.participant_count
            event = Event(
                slug=spec.slug,
                title=spec.title,
                kind=spec.kind,
                status=spec.status,
                start_date=spec.start.value,
                start_precision=spec.start.precision,
                # An event's end is stored as its last possible day, so that a date range
                # overlaps an event known only to the month, as the event filters expect.
                end_date=end.last_day,
                end_precision=end.precision,
                city=spec.city,
                country_code=spec.country,
                summary=spec.summary,
                attendance=spec.attendance,
                process_slug=spec.process,
                process_relation=spec.process_relation,
                project_slug=spec.project,
                participant_count=count.value if count else None,
                participant_count_qualifier=count.qualifier if count else None,
                participant_count_counts=count.counts if count else None,
            )
            self.add(where, event, "event")
            self.cite(
                where,
                spec,
                default,
                event,
                verbatim=[("summary", spec.summary), ("attendance", spec.attendance)],
                reasons=reasons,
            )
            for position, theme in enumerate(spec.themes, start=1):
                path = f"themes[{position - 1}]"
                row = EventTheme(
                    event_slug=spec.slug,
                    position=position,
                    title=theme.title,
                    summary=theme.summary,
                )
                self.add(where, row, "theme")
                self.cite(
                    where,
                    theme,
                    default,
                    row,
                    f"{path}.sources",
                    verbatim=[("title", theme.title), ("summary", theme.summary)],
                )
            for index, participant in enumerate(spec.participants):
                path = f"participants[{index}]"
                key = f"{spec.slug}/{participant.role}/{self.actor(where, participant, path)}"
                participation = Participation(
                    id=key,
                    event_slug=spec.slug,
                    role=participant.role,
                    state_code=participant.state,
                    organization_slug=participant.organization,
                    person_slug=participant.person,
                )
                self.add(where, participation, "participant")
                self.cite(where, participant, default, participation, f"{path}.sources")
            for index, outcome in enumerate(spec.outcomes):
                path = f"outcomes[{index}]"
                self.require(where, Document, outcome.document, f"{path}.document", "document")
                result = Outcome(
                    event_slug=spec.slug, relation=outcome.relation, document_slug=outcome.document
                )
                self.add(where, result, "outcome")
                self.cite(where, outcome, default, result, f"{path}.sources")

    def event_relations(self) -> None:
        """After every event: a relation may point at an event listed later."""
        if self.files.events is None:
            return
        label, default = self.files.labels["events.yaml"], self.files.events.source
        for spec in self.files.events.events:
            where = _Record(label, f"event '{spec.slug}'")
            for index, relation in enumerate(spec.relations):
                path = f"relations[{index}]"
                self.require(where, Event, relation.event, f"{path}.event", "event")
                link = EventRelation(
                    subject_slug=spec.slug, relation=relation.relation, object_slug=relation.event
                )
                self.add(where, link, "relation")
                self.cite(where, relation, default, link, f"{path}.sources")

    def check_claims(self) -> None:
        self.index_names()
        for check in self.pending:
            check()


def _shorten(quote: str, limit: int = 80) -> str:
    flat = normalize(quote)
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def seed_version(seed_dir: Path, paths: Sequence[Path]) -> str:
    """A hash of every input file's name and bytes: the data version clients see."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(seed_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_seed(seed_dir: Path) -> SeedBundle:
    """Validate the whole seed folder and return its rows; raise SeedError at the first mistake."""
    files = read_seed_files(seed_dir)
    builder = _Builder(files=files, seed_dir=seed_dir)
    builder.sources()
    builder.states()
    builder.organizations()
    builder.processes()
    builder.documents()
    builder.process_parts()
    builder.projects()
    builder.events()
    builder.event_relations()
    builder.check_claims()
    inputs = [seed_dir / name for name, label in files.labels.items() if Path(label).exists()]
    inputs += [seed_dir / spec.path for spec in files.sources.sources]
    return SeedBundle(
        version=seed_version(seed_dir, inputs), rows=dict(builder.rows), texts=builder.texts
    )
