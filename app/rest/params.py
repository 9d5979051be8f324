"""The query parameters of each list, as models: unknown parameters are refused, not ignored."""

from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from app.models.enums import (
    DocumentKind,
    DocumentStatus,
    EventDimension,
    EventKind,
    OrganizationKind,
)
from app.param_types import IsoDateTime, text
from app.queries.events import EventSort
from app.queries.filters import ActorKey, EventFilters
from app.queries.pagination import MAX_LIMIT, Cursor, PageParams


class NoQuery(BaseModel):
    """For endpoints without query parameters: a stray one (a typo) is refused, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


NoQueryParams = Annotated[NoQuery, Query()]


class SitemapParams(NoQuery):
    part: Annotated[
        int | None,
        Field(ge=1, le=100_000, description="one part of a sitemap too large for one file"),
    ] = None


class FilteredParams(EventFilters):
    """The event filters and a route's own parameters: the filters alone, for the query layer."""

    @property
    def filters(self) -> EventFilters:
        return EventFilters(**self.model_dump(include=set(EventFilters.model_fields)))


class EventListParams(FilteredParams, PageParams):
    sort: Annotated[
        EventSort,
        Field(
            description="start_date (default), -start_date (newest first), title",
            examples=["-start_date"],
        ),
    ] = "start_date"

    @property
    def page(self) -> PageParams:
        return PageParams(limit=self.limit, cursor=self.cursor)


class EventIndexParams(EventListParams):
    """The list's parameters as the page of events takes them: a form sends its empty fields,
    which mean "any", and a page links back with `before`."""

    before: Cursor = None

    @model_validator(mode="before")
    @classmethod
    def _empty_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data


class EventTableParams(FilteredParams):
    bom: Annotated[
        bool,
        Field(
            description="true: start the file with a UTF-8 byte order mark, so that Excel "
            "reads it as UTF-8 when it is opened directly",
            examples=[True],
        ),
    ] = False


_DIMENSION = "(" + "|".join(EventDimension) + ")"


class EventStatsParams(FilteredParams):
    group_by: Annotated[
        str,
        Field(
            pattern=rf"^{_DIMENSION}(,{_DIMENSION}){{0,2}}$",
            description="one to three of year, kind, status, country, city, state, "
            "organization, role, separated by commas",
            examples=["year,kind"],
        ),
    ]
    bom: Annotated[
        bool,
        Field(
            description="CSV only: start the file with a UTF-8 byte order mark, for Excel",
            examples=[True],
        ),
    ] = False

    @property
    def dimensions(self) -> list[EventDimension]:
        return [EventDimension(name) for name in self.group_by.split(",")]


class StateListParams(PageParams):
    role: Annotated[
        Literal["member", "observer"] | None,
        # A query parameter is absent or a value, never null: a plain enum, which generated
        # clients name `ListStatesRole` rather than a branch of a union (`...RoleType0`).
        WithJsonSchema({"type": "string", "enum": ["member", "observer"], "examples": ["member"]}),
        Field(description="only the members or only the observers of the Almaty Process"),
    ] = None


class OrganizationListParams(PageParams):
    kind: Annotated[
        OrganizationKind | None,
        Field(description="the kind of body", examples=["intergovernmental"]),
    ] = None
    q: Annotated[str | None, text("words to find in the name or acronym", example="IOM")] = None


class DocumentListParams(PageParams):
    kind: Annotated[
        DocumentKind | None, Field(description="the kind of document", examples=["declaration"])
    ] = None
    status: Annotated[
        DocumentStatus | None,
        Field(
            description="adopted, published, or planned (announced, not yet adopted)",
            examples=["adopted"],
        ),
    ] = None


class SearchParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    q: Annotated[str, text("the words to find", example="migration")]
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT, description="hits per page", examples=[20])] = (
        20
    )
    cursor: Cursor = None


DataVersionPrefix = Annotated[
    str,
    Field(pattern=r"^[0-9a-f]{8,64}$", description="a data version, or its first 8+ hex digits"),
]


class ChangesParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    since: Annotated[
        DataVersionPrefix | IsoDateTime,
        Field(
            description="the X-Data-Version you last saw, or an ISO 8601 time with its offset",
            examples=["2026-01-01T00:00:00Z"],
        ),
    ]


class DashboardParams(BaseModel):
    """The dashboard's filters, as its address carries them: a filtered dashboard is a link."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    year_from: Annotated[int | None, Field(ge=1900, le=2100, description="first year")] = None
    year_to: Annotated[int | None, Field(ge=1900, le=2100, description="last year")] = None
    # The event filters' own fields: the same checks, the same words.
    kind: Annotated[EventKind | None, EventFilters.model_fields["kind"]] = None
    country: Annotated[str | None, EventFilters.model_fields["country"]] = None
    participant: Annotated[ActorKey | None, EventFilters.model_fields["participant"]] = None
