"""Search, facets and changes: the ways to find and follow the data."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from app.schemas.common import ApiModel

EntityType = Literal["state", "organization", "person", "event", "document", "process", "project"]


class SearchHit(ApiModel):
    type: EntityType
    id: str = Field(description="the code or slug of the entity", examples=["second-som-2015"])
    title: str
    snippet: str | None = Field(description="the matching text, when it is not the title")
    score: float = Field(description="higher is better: title matches outrank text matches")
    url: str | None


class FacetValue(ApiModel):
    value: str
    label: str
    count: int


class EventFacets(ApiModel):
    total: int
    year: list[FacetValue]
    kind: list[FacetValue]
    country: list[FacetValue]
    organization: list[FacetValue]


class Change(ApiModel):
    entity: str = Field(description="the table", examples=["event"])
    key: str = Field(description="the row's key", examples=["second-som-2015"])
    action: Literal["added", "changed", "removed"]
    version: str = Field(description="the data version that last touched the row")
    changed_at: datetime
    url: str | None


class ChangeSet(ApiModel):
    since: str
    current_version: str
    items: list[Change]
