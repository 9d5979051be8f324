"""An event as schema.org JSON-LD: the shape of `/api/v1/events/{slug}.jsonld`, documented for
clients generated from the OpenAPI document (its keys are JSON-LD's, `@id` and `@type`)."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Node(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class Country(_Node):
    type: Literal["Country"] = Field(alias="@type")
    name: str


class Agent(_Node):
    """An organisation, a state (as a government organisation) or a person."""

    type: Literal["Organization", "GovernmentOrganization", "Person"] = Field(alias="@type")
    id: str | None = Field(default=None, alias="@id", description="its URL in this API")
    name: str
    alternate_name: str | None = Field(default=None, alias="alternateName")
    area_served: Country | None = Field(default=None, alias="areaServed")


class CreativeWork(_Node):
    """A document that came of the event."""

    type: Literal["CreativeWork"] = Field(alias="@type")
    id: str = Field(alias="@id")
    name: str
    genre: str = Field(description="the document's kind")
    description: str = Field(description="what happened to it at the event: adopted, presented")


class PostalAddress(_Node):
    type: Literal["PostalAddress"] = Field(alias="@type")
    address_locality: str | None = Field(default=None, alias="addressLocality")
    address_country: str | None = Field(
        default=None, alias="addressCountry", description="ISO 3166-1 alpha-2"
    )


class Place(_Node):
    type: Literal["Place"] = Field(alias="@type")
    name: str | None
    address: PostalAddress


class EventJsonLd(_Node):
    """A schema.org Event; its context inline, so that it expands without a fetch."""

    context: dict[str, Any] = Field(alias="@context")
    type: Literal["Event"] = Field(alias="@type")
    id: str = Field(alias="@id", description="the event's page")
    url: str
    identifier: str = Field(description="the event's slug")
    name: str
    start_date: str = Field(alias="startDate", description="ISO 8601, to its precision")
    end_date: str | None = Field(alias="endDate")
    event_status: str = Field(alias="eventStatus")
    description: str | None = None
    location: Place | None = None
    organizer: list[Agent] | None = None
    funder: list[Agent] | None = None
    attendee: list[Agent] | None = None
    work_featured: list[CreativeWork] | None = Field(default=None, alias="workFeatured")
