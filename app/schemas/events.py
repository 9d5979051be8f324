"""Events, as lists and in detail."""

from pydantic import Field

from app.models.enums import (
    EventProcessRelation,
    EventRelationKind,
    EventStatus,
    LinkDirection,
    OutcomeRelation,
)
from app.schemas.common import (
    Actor,
    ApiModel,
    DocumentRef,
    EventRef,
    Evidenced,
    Participant,
    ParticipantCount,
    Source,
    StateRef,
)


class EventSummary(EventRef):
    """An event in a list: its reference, its status, where it took place, how many attended."""

    status: EventStatus = Field(
        description="held: the source reports it; planned: the source announces it"
    )
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


class Outcome(Evidenced):
    relation: OutcomeRelation
    document: DocumentRef


class EventLink(Evidenced):
    relation: EventRelationKind
    direction: LinkDirection = Field(
        description="outgoing: this event RELATION the other; incoming: the reverse"
    )
    event: EventRef


class Funder(Evidenced, Actor):
    """A state or an organisation that funds a project."""


class ProjectRef(Evidenced):
    slug: str
    title: str
    funders: list[Funder]


class EventDetail(Evidenced, EventSummary):
    aliases: list[str] = Field(description="other names the sources give the event")
    summary: str | None = Field(description="a passage of the source describing the event")
    attendance: str | None = Field(
        description="who took part, in the source's words",
        examples=["Ministers, Deputy Ministers and other senior level government officials"],
    )
    process: str | None = Field(description="slug of the process the event belongs to")
    process_relation: EventProcessRelation | None = Field(
        description="key_event: listed among the process's key events; supporting_activity: "
        "held in support of the process"
    )
    organizers: list[Participant] = Field(description="participants in the organizer roles")
    funders: list[Participant] = Field(description="participants in the funder role")
    participants: list[Participant] = Field(description="everyone linked to the event, any role")
    outcomes: list[Outcome]
    themes: list[Theme]
    relations: list[EventLink] = Field(description="how the event relates to other events")
    project: ProjectRef | None
