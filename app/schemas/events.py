"""Events, as lists and in detail."""

from pydantic import Field

from app.models.enums import OutcomeRelation
from app.schemas.common import (
    ApiModel,
    DocumentRef,
    EventRef,
    Participant,
    ParticipantCount,
    Source,
    StateRef,
)


class EventSummary(EventRef):
    """An event in a list: its reference, where it took place, how many attended."""

    city: str | None = Field(examples=["Astana"])
    country: StateRef | None = Field(description="the host country, when the source names it")
    participant_count: ParticipantCount | None
    related: bool = Field(
        description="true for events the documents only refer to, outside any process"
    )


class Theme(ApiModel):
    number: int
    title: str
    summary: str | None
    sources: list[Source]


class Outcome(ApiModel):
    relation: OutcomeRelation
    document: DocumentRef
    sources: list[Source]


class ProjectRef(ApiModel):
    slug: str
    title: str


class EventDetail(EventSummary):
    summary: str | None = Field(description="a passage of the source describing the event")
    process: str | None = Field(description="slug of the process the event belongs to")
    organizers: list[Participant] = Field(description="participants in the organizer roles")
    funders: list[Participant] = Field(description="participants in the funder role")
    participants: list[Participant] = Field(description="everyone linked to the event, any role")
    outcomes: list[Outcome]
    themes: list[Theme]
    project: ProjectRef | None
    sources: list[Source]
