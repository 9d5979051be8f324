"""Small shapes shared by every resource: references, citations, pages."""

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from app.models.enums import (
    ClaimBasis,
    ClaimRank,
    CountQualifier,
    DatePrecision,
    DocumentKind,
    EventKind,
    ParticipationRole,
)

PARTIAL_DATE_DOC = (
    "ISO 8601 date; reduced to YYYY-MM or YYYY when the source gives only the month or the year"
)


def partial_date(value: date | None, precision: str | None) -> str | None:
    """A date as ISO 8601, cut to the precision the source gives (never a made-up day)."""
    if value is None:
        return None
    iso = value.isoformat()
    if precision == DatePrecision.year:
        return iso[:4]
    if precision == DatePrecision.month:
        return iso[:7]
    return iso


def period_start(value: date, precision: DatePrecision) -> date:
    """The first day of the period a date at this precision names: 2015-09 starts on the 1st."""
    if precision == DatePrecision.year:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.month:
        return value.replace(day=1)
    return value


def period_end(value: date, precision: DatePrecision) -> date:
    """The last day of the period a date at this precision names: 2015-09 runs to the 30th."""
    if precision == DatePrecision.year:
        return value.replace(month=12, day=31)
    if precision == DatePrecision.month:
        following = value.replace(day=28) + timedelta(days=4)
        return following - timedelta(days=following.day)
    return value


class ApiModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class StateRef(ApiModel):
    code: str = Field(description="ISO 3166-1 alpha-3 code", examples=["KAZ"])
    name: str = Field(examples=["Kazakhstan"])


class OrganizationRef(ApiModel):
    slug: str = Field(examples=["iom"])
    acronym: str | None = Field(examples=["IOM"])
    name: str = Field(examples=["International Organization for Migration"])


class PersonRef(ApiModel):
    slug: str
    name: str


class DocumentRef(ApiModel):
    slug: str = Field(examples=["almaty-declaration"])
    title: str = Field(examples=["Almaty Declaration"])
    kind: DocumentKind


class EventRef(ApiModel):
    slug: str = Field(examples=["second-som-2015"])
    title: str
    kind: EventKind
    start_date: str = Field(description=PARTIAL_DATE_DOC, examples=["2015-09-22"])
    end_date: str = Field(description=PARTIAL_DATE_DOC, examples=["2015-09-22"])
    # The typed twins of the two strings, for charts: a period the dates cover, in full.
    start_on: date = Field(
        description="the first day of the period the start date names: that day, the 1st of "
        "its month, or 1 January of its year",
        examples=["2015-09-22"],
    )
    start_date_precision: DatePrecision = Field(
        description="how much of the start date the source gives: the day, the month or the year"
    )
    end_on: date = Field(
        description="the last day of the period the end date names: that day, the last of its "
        "month, or 31 December of its year",
        examples=["2015-09-22"],
    )
    end_date_precision: DatePrecision = Field(
        description="how much of the end date the source gives: the day, the month or the year"
    )


class Source(ApiModel):
    """The exact passage of a source document that a fact comes from."""

    document: str = Field(description="slug of the source document", examples=["almaty-process"])
    quote: str = Field(description="the passage, exactly as in the document (line breaks kept)")
    start: int = Field(description="offset of the first character in the document text")
    end: int = Field(description="offset just past the last character")
    slide: int | None = Field(description="the slide of the presentation, when it has slides")


class Claim(ApiModel):
    """One value of a field as one source document states it; the preferred one is shown."""

    value: JsonValue = Field(
        description="the value, as the field shows it (a date at its precision, a count as an "
        "object, a reference by its code or slug)",
        examples=["2011-03-15"],
    )
    rank: ClaimRank = Field(
        description="preferred: the value the field shows; normal: another value a source "
        "gives; deprecated: a value a source gives that is held to be wrong"
    )
    basis: ClaimBasis = Field(
        description="stated: the cited passages write the value; interpretation: the curators' "
        "reading of them, explained in `note`"
    )
    document: str = Field(description="slug of the source document that makes the claim")
    sources: list[Source] = Field(description="the passages that state the value")
    note: str | None = Field(description="why the value is read so, or what to keep in mind")


CLAIMS_DOC = (
    "every value of the record's factual fields with the source that states it, by field; "
    "a field shows its preferred claim"
)


class Evidenced(ApiModel):
    """What supports a record: the passages it cites and the claims on each of its fields."""

    sources: list[Source]
    claims: dict[str, list[Claim]] = Field(description=CLAIMS_DOC)


class Actor(ApiModel):
    """A state, an organisation or a person: exactly one of the three is set."""

    state: StateRef | None = None
    organization: OrganizationRef | None = None
    person: PersonRef | None = None


class Participant(Evidenced, Actor):
    role: ParticipationRole


class ParticipantCount(ApiModel):
    value: int = Field(examples=[120])
    qualifier: CountQualifier = Field(examples=["more_than"])
    counts: str | None = Field(
        description="who is counted, in the source's words", examples=["participants"]
    )


class NumberedText(ApiModel):
    number: int
    text: str
    sources: list[Source]
