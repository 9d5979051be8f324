"""States and organisations, as lists and in detail."""

from pydantic import Field

from app.models.enums import OrganizationKind, ParticipationRole, ProcessRole
from app.schemas.common import ApiModel, EventRef, Evidenced, OrganizationRef, PersonRef, StateRef


class ProcessRoleEntry(Evidenced):
    process: str = Field(description="slug of the process", examples=["almaty-process"])
    role: ProcessRole


class StateSummary(ApiModel):
    code: str = Field(description="ISO 3166-1 alpha-3 code", examples=["KAZ"])
    name: str = Field(examples=["Kazakhstan"])
    official_name: str | None = Field(examples=["Republic of Kazakhstan"])
    role: ProcessRole | None = Field(
        description="member or observer of the main process, or null", examples=["member"]
    )


class StateEvent(ApiModel):
    event: EventRef
    roles: list[ParticipationRole]


class StateDetail(Evidenced, StateSummary):
    alpha2: str = Field(examples=["KZ"])
    aliases: list[str] = Field(description="other names the sources use", examples=[["Turkey"]])
    process_roles: list[ProcessRoleEntry]
    events: list[StateEvent]


class OrganizationSummary(ApiModel):
    slug: str = Field(examples=["iom"])
    acronym: str | None = Field(examples=["IOM"])
    name: str
    kind: OrganizationKind
    country: StateRef | None = Field(description="for national bodies")
    parent: OrganizationRef | None


class RoleEvents(ApiModel):
    role: ParticipationRole
    events: list[EventRef]


class OrganizationDetail(Evidenced, OrganizationSummary):
    aliases: list[str] = Field(description="other names the sources use")
    children: list[OrganizationRef]
    people: list[PersonRef]
    process_roles: list[ProcessRoleEntry]
    events: list[RoleEvents] = Field(
        description="the events the organisation took part in, grouped by its role"
    )
