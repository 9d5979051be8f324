"""The shape of the curated seed files, validated before anything is written."""

import re
from dataclasses import dataclass
from datetime import date
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
    ClaimRank,
    CountQualifier,
    DatePrecision,
    DocumentKind,
    DocumentRelationKind,
    DocumentStatus,
    EventKind,
    EventProcessRelation,
    EventRelationKind,
    EventStatus,
    OrganizationKind,
    OutcomeRelation,
    ParticipationRole,
    ProcessKind,
    ProcessRole,
    SourceKind,
)
from app.schemas.common import period_end

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
        return period_end(self.value, self.precision)

    def __str__(self) -> str:
        iso = self.value.isoformat()
        return {DatePrecision.year: iso[:4], DatePrecision.month: iso[:7]}.get(self.precision, iso)


def parse_partial_date(raw: Any) -> PartialDate:
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


Partial = Annotated[PartialDate, BeforeValidator(parse_partial_date)]


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


FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z_]+$", max_length=40)]
Reasons = dict[FieldName, Text]


class ClaimSpec(Strict):
    """Another value for one of the record's fields, as the passages it cites state it."""

    field: FieldName
    value: str | int | dict[str, Any]
    # Preferred when it agrees with the record's own value (which is always preferred), else
    # normal; deprecated marks a value a source gives that the curators hold to be wrong.
    rank: ClaimRank | None = None
    sources: Sources
    note: Text | None = None
    interpreted: Text | None = None  # why, when no cited passage writes the value


class Claimed(Cited):
    """A record whose field values are claims, each checked against the record's quotes."""

    # field -> why the value is the curators' reading when no quote writes it
    interpreted: Reasons = {}
    notes: Reasons = {}  # field -> a note shown with the claim
    claims: list[ClaimSpec] = []


class ActorRef(Claimed):
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


class StateSpec(Claimed):
    code: Alpha3
    alpha2: Alpha2
    name: Text
    official_name: Text | None = None
    aliases: list[Text] = []
    adjectives: list[Text] = []  # "Kazakh": a passage may name the state by its adjective


class StatesFile(Strict):
    source: Slug
    interpreted: Reasons = {}  # field -> reason, for every record of the file
    states: list[StateSpec]


# --- organizations.yaml ---------------------------------------------------------------------


class OrganizationSpec(Claimed):
    slug: Slug
    name: Text
    acronym: Text | None = None
    aliases: list[Text] = []
    kind: OrganizationKind
    country: Alpha3 | None = None
    parent: Slug | None = None


class PersonSpec(Claimed):
    slug: Slug
    name: Text
    position: Text | None = None
    organization: Slug | None = None


class OrganizationsFile(Strict):
    source: Slug
    interpreted: Reasons = {}
    organizations: list[OrganizationSpec]
    people: list[PersonSpec] = []


# --- processes.yaml -------------------------------------------------------------------------


class ProcessActorSpec(ActorRef):
    role: ProcessRole


class ObjectiveSpec(Cited):
    number: int = Field(ge=1)
    text: Text  # verbatim from the source
    document: Slug | None = None


class KeyAreaSpec(Cited):
    text: Text  # verbatim from the source


class ProcessSpec(Claimed):
    slug: Slug
    name: Text
    acronym: Text | None = None
    aliases: list[Text] = []
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
    interpreted: Reasons = {}
    processes: list[ProcessSpec]


# --- documents.yaml -------------------------------------------------------------------------


class DocumentRelationSpec(Claimed):
    relation: DocumentRelationKind
    document: Slug


class AreaSpec(Cited):
    number: int = Field(ge=1)
    title: Text  # verbatim from the source


class DocumentSpec(Claimed):
    slug: Slug
    title: Text
    acronym: Text | None = None
    aliases: list[Text] = []
    kind: DocumentKind
    status: DocumentStatus | None = None
    date: Partial | None = None
    process: Slug | None = None
    author: Slug | None = None  # organisation
    description: Text | None = None  # verbatim from the source
    relations: list[DocumentRelationSpec] = []
    areas: list[AreaSpec] = []


class DocumentsFile(Strict):
    source: Slug
    interpreted: Reasons = {}
    documents: list[DocumentSpec]


# --- projects.yaml --------------------------------------------------------------------------


class ProjectSpec(Claimed):
    slug: Slug
    title: Text
    description: Text | None = None  # verbatim from the source
    funders: list[ActorRef] = []


class ProjectsFile(Strict):
    source: Slug
    interpreted: Reasons = {}
    projects: list[ProjectSpec]


# --- events.yaml ----------------------------------------------------------------------------


class ParticipantCountSpec(Strict):
    value: int = Field(ge=0)
    qualifier: CountQualifier
    counts: Text | None = None  # who is counted, in the source's words: "government officials"


class ParticipantSpec(Claimed):
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


class OutcomeSpec(Claimed):
    relation: OutcomeRelation
    document: Slug


class EventRelationSpec(Claimed):
    relation: EventRelationKind
    event: Slug


class EventSpec(Claimed):
    slug: Slug
    title: Text
    aliases: list[Text] = []
    kind: EventKind
    status: EventStatus
    start: Partial
    end: Partial | None = None
    city: Text | None = None
    country: Alpha3 | None = None
    summary: Text | None = None  # verbatim from the source
    attendance: Text | None = None  # verbatim: who took part, as the source describes them
    process: Slug | None = None  # the process the event belongs to; None = only referred to
    process_relation: EventProcessRelation | None = None  # required with `process`
    project: Slug | None = None
    participant_count: ParticipantCountSpec | None = None
    themes: list[ThemeSpec] = []
    participants: list[ParticipantSpec] = []
    outcomes: list[OutcomeSpec] = []
    relations: list[EventRelationSpec] = []

    @model_validator(mode="after")
    def _ordered_dates(self) -> Self:
        if self.end is not None and self.end.value < self.start.value:
            raise ValueError("'end' is before 'start'")
        if (self.process is None) != (self.process_relation is None):
            raise ValueError("give 'process_relation' with 'process', and only with it")
        return self


class EventsFile(Strict):
    source: Slug
    interpreted: Reasons = {}
    events: list[EventSpec]
