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


# A facet's value is what its filter takes, typed as the filter types it (a year is a number).
FILTER_VALUE = "what to pass to the matching filter"
MATCHING = "how many matching events have the value"


class YearFacetValue(ApiModel):
    value: int = Field(description=FILTER_VALUE + " (`year`)", examples=[2015])
    label: str = Field(examples=["2015"])
    count: int = Field(description=MATCHING, examples=[4])


class KindFacetValue(ApiModel):
    value: EventKind = Field(description=FILTER_VALUE + " (`kind`)")
    label: str = Field(examples=["senior officials meeting"])
    count: int = Field(description=MATCHING, examples=[3])


class CountryFacetValue(ApiModel):
    value: str = Field(description=FILTER_VALUE + " (`country`): the code", examples=["KAZ"])
    label: str = Field(examples=["Kazakhstan"])
    state: StateRef = Field(description="the host country")
    count: int = Field(description=MATCHING, examples=[7])


class OrganizationFacetValue(ApiModel):
    value: str = Field(
        description="the organisation's slug, for the `participant` filter (which finds its "
        "sub-units' events too)",
        examples=["iom"],
    )
    label: str = Field(examples=["International Organization for Migration"])
    organization: OrganizationRef = Field(description="a participating organisation")
    count: int = Field(description=MATCHING, examples=[5])


class EventFacets(ApiModel):
    total: int = Field(description="how many events match the filters", examples=[8])
    year: list[YearFacetValue] = Field(description="by year taken place in, in year order")
    kind: list[KindFacetValue] = Field(description="by kind, most events first")
    country: list[CountryFacetValue] = Field(description="by host country, most events first")
    organization: list[OrganizationFacetValue] = Field(
        description="by participating organisation, most events first"
    )


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


# The query GraphiQL opens on and the landing page links to: a real question of the seed data
# (tests run it), so a first visit shows what the graph holds rather than a welcome text.
GRAPHQL_EXAMPLE = """\
# The events of 2015, each with the states taking part and their role; then how many events
# there are by year and kind. Run it with the play button (Ctrl-Enter).
{
  events(filter: {year: 2015}) {
    totalCount
    nodes {
      title
      startDate
      city
      participants {
        role
        state {
          code
          name
        }
      }
    }
  }
  eventStats(groupBy: [year, kind]) {
    year
    kind
    count
  }
}
"""


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
