"""Search, facets and changes: the ways to find and follow the data."""

from datetime import datetime

from pydantic import Field

from app.models.enums import (
    ChangeAction,
    EntityType,
    EventDimension,
    EventKind,
    EventStatus,
    ParticipationRole,
)
from app.schemas.common import ApiModel, OrganizationRef, StateRef


class SearchHit(ApiModel):
    type: EntityType
    id: str = Field(description="the code or slug of the entity", examples=["second-som-2015"])
    title: str
    snippet: str | None = Field(description="the matching text, when it is not the title")
    score: float = Field(description="higher is better: title matches outrank text matches")
    url: str | None


class FacetValue(ApiModel):
    value: str = Field(description="what to pass to the matching filter", examples=["KAZ"])
    label: str = Field(examples=["Kazakhstan"])
    count: int = Field(examples=[7])


class EventFacets(ApiModel):
    total: int = Field(description="how many events match the filters", examples=[8])
    year: list[FacetValue]
    kind: list[FacetValue]
    country: list[FacetValue]
    organization: list[FacetValue]


class EventStatsRow(ApiModel):
    """One group of the matching events: the values it groups by (null for a dimension not
    asked for, or for events without a value there) and how many distinct events it holds."""

    year: int | None = Field(description="year of the start date", examples=[2015])
    kind: EventKind | None
    status: EventStatus | None
    country: StateRef | None = Field(description="the host country")
    city: str | None = Field(examples=["Almaty"])
    state: StateRef | None = Field(description="a participating state")
    organization: OrganizationRef | None = Field(description="a participating organisation")
    role: ParticipationRole | None = Field(description="the role of that participation")
    count: int = Field(description="distinct events in the group", examples=[3])


class EventStats(ApiModel):
    group_by: list[EventDimension] = Field(examples=[["year", "kind"]])
    total: int = Field(description="how many events match the filters", examples=[9])
    rows: list[EventStatsRow]


class Change(ApiModel):
    entity: str = Field(description="the table", examples=["event"])
    key: str = Field(description="the row's key", examples=["second-som-2015"])
    action: ChangeAction
    version: str = Field(description="the data version that last touched the row")
    changed_at: datetime
    url: str | None
    subject: str | None = Field(
        default=None,
        description="for a claim: the record it is about, as type/key",
        examples=["event/first-regional-conference-2011"],
    )
    field: str | None = Field(
        default=None, description="for a claim: the field it is about", examples=["start_date"]
    )


class ChangeSet(ApiModel):
    since: str = Field(examples=["2026-01-01T00:00:00+00:00"])
    current_version: str = Field(description="the data version the answer was read from")
    items: list[Change]


class BulkFileInfo(ApiModel):
    name: str = Field(
        description="the file's name, with the data version it holds",
        examples=["almaty-process-e0d40525ab3c.sqlite"],
    )
    url: str
    latest_url: str = Field(
        description="the same kind of file at a URL without the data version, for tools that "
        "read one URL again and again: it serves the current version's file, and caches "
        "revalidate it each time",
        examples=["https://example.org/api/v1/bulk/latest/almaty-process-event.csv"],
    )
    media_type: str = Field(examples=["application/vnd.sqlite3"])
    size: int = Field(description="bytes, as sent (never compressed in transit)")


class BulkListing(ApiModel):
    """The whole dataset of the current data version, as files to download."""

    data_version: str
    licence: str
    attribution: str
    files: list[BulkFileInfo] = Field(
        description="a SQLite database (tables as the service has them, and an `about` table), "
        "an `about` JSON file (the dataset, its licence, attribution and data version), and "
        "per table an NDJSON file (one row a line) and a CSV file (a header row, then one row "
        "a line)"
    )


class HomeLink(ApiModel):
    rel: str = Field(examples=["events"])
    href: str = Field(examples=["/api/v1/events"])
    title: str


class Home(ApiModel):
    """What the service is, under which licences, and where everything is."""

    name: str
    summary: str
    data_version: str | None = Field(description="the version of the data served now")
    data_licence: str
    attribution: str = Field(description="how to credit the data")
    code_licence: str
    links: list[HomeLink]
