"""The shape of the curated seed files, validated before anything is written."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.models.enums import (
    CountQualifier,
    DatePrecision,
    DocumentKind,
    DocumentRelationKind,
    EventKind,
    OrganizationKind,
    OutcomeRelation,
    ParticipationRole,
    ProcessKind,
    ProcessRole,
    SourceKind,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)]
Alpha3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Alpha2 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year; unknown parts are never invented."""

    value: date
    precision: DatePrecision

    @property
    def last_day(self) -> date:
        """The last day the date can mean: "2015-09" runs to 30 September."""
        if self.precision == DatePrecision.year:
            return date(self.value.year, 12, 31)
        if self.precision == DatePrecision.month:
            following = date(self.value.year + self.value.month // 12, self.value.month % 12 + 1, 1)
            return following - timedelta(days=1)
        return self.value

    def __str__(self) -> str:
        iso = self.value.isoformat()
        return {DatePrecision.year: iso[:4], DatePrecision.month: iso[:7]}.get(self.precision, iso)


def _parse_partial_date(raw: Any) -> PartialDate:
    if isinstance(raw, PartialDate):
        return raw
    if isinstance(raw, date):
        return PartialDate(raw, DatePrecision.day)
    match = _PARTIAL_DATE.match(str(raw))
    if match is None:
        raise ValueError(f"{raw!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    if month is None:
        return PartialDate(date(int(year), 1, 1), DatePrecision.year)
    if day is None:
        return PartialDate(date(int(year), int(month), 1), DatePrecision.month)
    return PartialDate(date(int(year), int(month), int(day)), DatePrecision.day)


Partial = Annotated[PartialDate, BeforeValidator(_parse_partial_date)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CitationSpec(Strict):
    """A passage quoted from a source document (whitespace is compared normalised)."""

    quote: Text
    document: Slug | None = None  # defaults to the file's `source`
    occurrence: int | None = Field(default=None, ge=1)  # which match, when the quote recurs


def _citation(raw: Any) -> Any:
    if isinstance(raw, str):
        return {"quote": raw}
    if not isinstance(raw, dict):
        raise ValueError("a citation is a quote, or a mapping with 'quote' (and 'document')")
    return raw


Citation = Annotated[CitationSpec, BeforeValidator(_citation)]
Sources = Annotated[list[Citation], Field(min_length=1)]


class Cited(Strict):
    sources: Sources


class ActorRef(Cited):
    """Exactly one of a state or an organisation."""

    state: Alpha3 | None = None
    organization: Slug | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.state is None) == (self.organization is None):
            raise ValueError("give exactly one of 'state' or 'organization'")
        return self


# --- sources.yaml ---------------------------------------------------------------------------


class SourceSpec(Strict):
    slug: Slug
    title: Text
    kind: SourceKind
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    path: Text  # relative to the seed folder
    describes: Partial | None = None


class SourcesFile(Strict):
    sources: list[SourceSpec]


# --- states.yaml ----------------------------------------------------------------------------


class StateSpec(Cited):
    code: Alpha3
    alpha2: Alpha2
    name: Text
    official_name: Text | None = None


class StatesFile(Strict):
    source: Slug
    states: list[StateSpec]


# --- organizations.yaml ---------------------------------------------------------------------


class OrganizationSpec(Cited):
    slug: Slug
    name: Text
    acronym: Text | None = None
    kind: OrganizationKind
    country: Alpha3 | None = None
    parent: Slug | None = None


class PersonSpec(Cited):
    slug: Slug
    name: Text
    position: Text | None = None
    organization: Slug | None = None


class OrganizationsFile(Strict):
    source: Slug
    organizations: list[OrganizationSpec]
    people: list[PersonSpec] = []


# --- processes.yaml -------------------------------------------------------------------------


class ProcessActorSpec(ActorRef):
    role: ProcessRole
    start: Partial | None = None
    end: Partial | None = None


class ObjectiveSpec(Cited):
    number: int = Field(ge=1)
    text: Text  # verbatim from the source
    document: Slug | None = None


class KeyAreaSpec(Cited):
    text: Text  # verbatim from the source


class ProcessSpec(Cited):
    slug: Slug
    name: Text
    acronym: Text | None = None
    kind: ProcessKind
    description: Text | None = None  # verbatim from the source
    initiated: Partial | None = None
    launched: Partial | None = None
    secretariat_function: Text | None = None
    actors: list[ProcessActorSpec] = []
    objectives: list[ObjectiveSpec] = []
    key_areas: list[KeyAreaSpec] = []


class ProcessesFile(Strict):
    source: Slug
    processes: list[ProcessSpec]


# --- documents.yaml -------------------------------------------------------------------------


class DocumentRelationSpec(Cited):
    relation: DocumentRelationKind
    document: Slug


class AreaSpec(Cited):
    number: int = Field(ge=1)
    title: Text  # verbatim from the source


class DocumentSpec(Cited):
    slug: Slug
    title: Text
    acronym: Text | None = None
    kind: DocumentKind
    date: Partial | None = None
    process: Slug | None = None
    author: Slug | None = None  # organisation
    description: Text | None = None  # verbatim from the source
    relations: list[DocumentRelationSpec] = []
    areas: list[AreaSpec] = []


class DocumentsFile(Strict):
    source: Slug
    documents: list[DocumentSpec]


# --- projects.yaml --------------------------------------------------------------------------


class ProjectSpec(Cited):
    slug: Slug
    title: Text
    description: Text | None = None  # verbatim from the source
    funders: list[ActorRef] = []


class ProjectsFile(Strict):
    source: Slug
    projects: list[ProjectSpec]


# --- events.yaml ----------------------------------------------------------------------------


class ParticipantCountSpec(Strict):
    value: int = Field(ge=0)
    qualifier: CountQualifier


class ParticipantSpec(Cited):
    role: ParticipationRole
    state: Alpha3 | None = None
    organization: Slug | None = None
    person: Slug | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        given = [v for v in (self.state, self.organization, self.person) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'state', 'organization' or 'person'")
        return self


class ThemeSpec(Cited):
    title: Text  # verbatim from the source
    summary: Text | None = None  # verbatim from the source


class OutcomeSpec(Cited):
    relation: OutcomeRelation
    document: Slug


class EventSpec(Cited):
    slug: Slug
    title: Text
    kind: EventKind
    start: Partial
    end: Partial | None = None
    city: Text | None = None
    country: Alpha3 | None = None
    summary: Text | None = None  # verbatim from the source
    process: Slug | None = None  # the process the event belongs to; None = only referred to
    project: Slug | None = None
    participant_count: ParticipantCountSpec | None = None
    themes: list[ThemeSpec] = []
    participants: list[ParticipantSpec] = []
    outcomes: list[OutcomeSpec] = []

    @model_validator(mode="after")
    def _ordered_dates(self) -> Self:
        if self.end is not None and self.end.value < self.start.value:
            raise ValueError("'end' is before 'start'")
        return self


class EventsFile(Strict):
    source: Slug
    events: list[EventSpec]
