"""Turning validated seed files into table rows: references resolved, quotes located."""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import SQLModel

from app.models import (
    Citation,
    CommonUnderstandingArea,
    Document,
    DocumentRelation,
    Event,
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
from app.models.base import row_key
from app.models.enums import SubjectType
from app.seed.errors import SeedError
from app.seed.reader import SeedFiles, read_seed_files
from app.seed.schema import ActorRef, Cited, PartialDate, ParticipantSpec
from app.seed.text import SourceText, normalize


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


@dataclass
class _Builder:
    files: SeedFiles
    seed_dir: Path
    texts: dict[str, SourceText] = field(default_factory=dict)
    rows: dict[type[SQLModel], list[SQLModel]] = field(default_factory=lambda: defaultdict(list))
    keys: dict[type[SQLModel], set[Any]] = field(default_factory=lambda: defaultdict(set))
    citation_ids: set[str] = field(default_factory=set)

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

    def cite(
        self,
        where: _Record,
        record: Cited,
        default_document: str,
        subject_type: SubjectType,
        subject_id: str,
        field_path: str = "sources",
        verbatim: Iterable[tuple[str, str | None]] = (),
    ) -> None:
        """Locate each quote of `record`, add its citations, check its verbatim fields."""
        quotes: list[str] = []
        for index, spec in enumerate(record.sources):
            path = f"{field_path}[{index}]"
            slug = spec.document or default_document
            text = self.texts.get(slug)
            if text is None:
                raise SeedError(
                    where.file,
                    f"{slug!r} is not a known source document",
                    record=where.label,
                    field=f"{path}.document",
                )
            spans = text.find(spec.quote)
            shown = _shorten(spec.quote)
            if not spans:
                raise SeedError(
                    where.file,
                    f"quote not found in source {slug!r}: {shown}",
                    record=where.label,
                    field=path,
                )
            if spec.occurrence is None and len(spans) > 1:
                raise SeedError(
                    where.file,
                    f"quote occurs {len(spans)} times in source {slug!r}; quote more of the "
                    f"passage or give its occurrence: {shown}",
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
            citation_id = hashlib.sha256(
                f"{subject_type}|{subject_id}|{slug}|{span.start}|{span.end}".encode()
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
                    document_slug=slug,
                    start_offset=span.start,
                    end_offset=span.end,
                    quote=text.text[span.start : span.end],
                    slide=text.slide_at(span.start),
                )
            )
            quotes.append(normalize(spec.quote))
        for name, value in verbatim:
            if value is not None and not any(normalize(value) in quote for quote in quotes):
                raise SeedError(
                    where.file,
                    "is not found word for word in any of the record's quotes",
                    record=where.label,
                    field=f"{field_path.removesuffix('sources')}{name}",
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
            self.add(
                where,
                State(
                    code=spec.code,
                    alpha2=spec.alpha2,
                    name=spec.name,
                    official_name=spec.official_name,
                ),
                "state",
            )
            self.cite(where, spec, default, SubjectType.state, spec.code)

    def organizations(self) -> None:
        if self.files.organizations is None:
            return
        label = self.files.labels["organizations.yaml"]
        default = self.files.organizations.source
        specs = self.files.organizations.organizations
        for spec in specs:
            where = _Record(label, f"organization '{spec.slug}'")
            self.add(
                where,
                Organization(
                    slug=spec.slug,
                    name=spec.name,
                    acronym=spec.acronym,
                    kind=spec.kind,
                    country_code=spec.country,
                    parent_slug=spec.parent,
                ),
                "organization",
            )
            self.cite(where, spec, default, SubjectType.organization, spec.slug)
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
            self.add(
                where,
                Person(
                    slug=person.slug,
                    name=person.name,
                    position=person.position,
                    organization_slug=person.organization,
                ),
                "person",
            )
            self.cite(where, person, default, SubjectType.person, person.slug)

    def processes(self) -> None:
        if self.files.processes is None:
            return
        label, default = self.files.labels["processes.yaml"], self.files.processes.source
        for spec in self.files.processes.processes:
            where = _Record(label, f"process '{spec.slug}'")
            initiated, launched = _date(spec.initiated), _date(spec.launched)
            self.add(
                where,
                Process(
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
                ),
                "process",
            )
            self.cite(
                where,
                spec,
                default,
                SubjectType.process,
                spec.slug,
                verbatim=[("description", spec.description)],
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
                start, end = _date(actor.start), _date(actor.end)
                self.add(
                    where,
                    ProcessActor(
                        id=key,
                        process_slug=spec.slug,
                        role=actor.role,
                        state_code=actor.state,
                        organization_slug=actor.organization,
                        start_date=start["date"],
                        start_precision=start["precision"],
                        end_date=end["date"],
                        end_precision=end["precision"],
                    ),
                    "actor",
                )
                self.cite(where, actor, default, SubjectType.process_actor, key, f"{path}.sources")
            for index, objective in enumerate(spec.objectives):
                path = f"objectives[{index}]"
                self.require(where, Document, objective.document, f"{path}.document", "document")
                key = self.add(
                    where,
                    Objective(
                        process_slug=spec.slug,
                        number=objective.number,
                        text=objective.text,
                        document_slug=objective.document,
                    ),
                    "objective",
                )
                self.cite(
                    where,
                    objective,
                    default,
                    SubjectType.objective,
                    key,
                    f"{path}.sources",
                    verbatim=[("text", objective.text)],
                )
            for position, area in enumerate(spec.key_areas, start=1):
                path = f"key_areas[{position - 1}]"
                key = self.add(
                    where,
                    KeyArea(process_slug=spec.slug, position=position, text=area.text),
                    "key area",
                )
                self.cite(
                    where,
                    area,
                    default,
                    SubjectType.key_area,
                    key,
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
            self.add(
                where,
                Document(
                    slug=spec.slug,
                    title=spec.title,
                    acronym=spec.acronym,
                    kind=spec.kind,
                    date=dated["date"],
                    date_precision=dated["precision"],
                    process_slug=spec.process,
                    author_slug=spec.author,
                    description=spec.description,
                ),
                "document",
            )
            self.cite(
                where,
                spec,
                default,
                SubjectType.document,
                spec.slug,
                verbatim=[("description", spec.description)],
            )
            for index, area in enumerate(spec.areas):
                path = f"areas[{index}]"
                key = self.add(
                    where,
                    CommonUnderstandingArea(
                        document_slug=spec.slug,
                        number=area.number,
                        title=area.title,
                    ),
                    "area",
                )
                self.cite(
                    where,
                    area,
                    default,
                    SubjectType.common_understanding_area,
                    key,
                    f"{path}.sources",
                    verbatim=[("title", area.title)],
                )
        for spec in specs:
            where = _Record(label, f"document '{spec.slug}'")
            for index, relation in enumerate(spec.relations):
                path = f"relations[{index}]"
                self.require(where, Document, relation.document, f"{path}.document", "document")
                key = self.add(
                    where,
                    DocumentRelation(
                        subject_slug=spec.slug,
                        relation=relation.relation,
                        object_slug=relation.document,
                    ),
                    "relation",
                )
                self.cite(
                    where, relation, default, SubjectType.document_relation, key, f"{path}.sources"
                )

    def projects(self) -> None:
        if self.files.projects is None:
            return
        label, default = self.files.labels["projects.yaml"], self.files.projects.source
        for spec in self.files.projects.projects:
            where = _Record(label, f"project '{spec.slug}'")
            self.add(
                where,
                Project(slug=spec.slug, title=spec.title, description=spec.description),
                "project",
            )
            self.cite(
                where,
                spec,
                default,
                SubjectType.project,
                spec.slug,
                verbatim=[("description", spec.description)],
            )
            for index, funder in enumerate(spec.funders):
                path = f"funders[{index}]"
                key = f"{spec.slug}/{self.actor(where, funder, path)}"
                self.add(
                    where,
                    ProjectFunder(
                        id=key,
                        project_slug=spec.slug,
                        state_code=funder.state,
                        organization_slug=funder.organization,
                    ),
                    "funder",
                )
                self.cite(
                    where, funder, default, SubjectType.project_funder, key, f"{path}.sources"
                )

    def events(self) -> None:
        if self.files.events is None:
            return
        label, default = self.files.labels["events.yaml"], self.files.events.source
        for spec in self.files.events.events:
            where = _Record(label, f"event '{spec.slug}'")
            self.require(where, State, spec.country, "country", "state")
            self.require(where, Process, spec.process, "process", "process")
            self.require(where, Project, spec.project, "project", "project")
            end = spec.end or spec.start
            count = spec.participant_count
            self.add(
                where,
                Event(
                    slug=spec.slug,
                    title=spec.title,
                    kind=spec.kind,
                    start_date=spec.start.value,
                    start_precision=spec.start.precision,
                    # An event's end is stored as its last possible day, so that a date range
                    # overlaps an event known only to the month, as the event filters expect.
                    end_date=end.last_day,
                    end_precision=end.precision,
                    city=spec.city,
                    country_code=spec.country,
                    summary=spec.summary,
                    process_slug=spec.process,
                    project_slug=spec.project,
                    participant_count=count.value if count else None,
                    participant_count_qualifier=count.qualifier if count else None,
                ),
                "event",
            )
            self.cite(
                where,
                spec,
                default,
                SubjectType.event,
                spec.slug,
                verbatim=[("summary", spec.summary)],
            )
            for position, theme in enumerate(spec.themes, start=1):
                path = f"themes[{position - 1}]"
                key = self.add(
                    where,
                    EventTheme(
                        event_slug=spec.slug,
                        position=position,
                        title=theme.title,
                        summary=theme.summary,
                    ),
                    "theme",
                )
                self.cite(
                    where,
                    theme,
                    default,
                    SubjectType.event_theme,
                    key,
                    f"{path}.sources",
                    verbatim=[("title", theme.title), ("summary", theme.summary)],
                )
            for index, participant in enumerate(spec.participants):
                path = f"participants[{index}]"
                key = f"{spec.slug}/{participant.role}/{self.actor(where, participant, path)}"
                self.add(
                    where,
                    Participation(
                        id=key,
                        event_slug=spec.slug,
                        role=participant.role,
                        state_code=participant.state,
                        organization_slug=participant.organization,
                        person_slug=participant.person,
                    ),
                    "participant",
                )
                self.cite(
                    where, participant, default, SubjectType.participation, key, f"{path}.sources"
                )
            for index, outcome in enumerate(spec.outcomes):
                path = f"outcomes[{index}]"
                self.require(where, Document, outcome.document, f"{path}.document", "document")
                key = self.add(
                    where,
                    Outcome(
                        event_slug=spec.slug,
                        relation=outcome.relation,
                        document_slug=outcome.document,
                    ),
                    "outcome",
                )
                self.cite(where, outcome, default, SubjectType.outcome, key, f"{path}.sources")


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
    inputs = [seed_dir / name for name, label in files.labels.items() if Path(label).exists()]
    inputs += [seed_dir / spec.path for spec in files.sources.sources]
    return SeedBundle(
        version=seed_version(seed_dir, inputs), rows=dict(builder.rows), texts=builder.texts
    )
