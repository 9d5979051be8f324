"""States and organisations, as lists and in detail."""

from pydantic import Field

from app.models.enums import OrganizationKind, ParticipationRole, ProcessRole
from app.schemas.common import ApiModel, EventRef, OrganizationRef, PersonRef, Source, StateRef


class ProcessRoleEntry(ApiModel):
    process: str = Field(description="slug of the process", examples=["almaty-process"])
    role: ProcessRole
    sources: list[Source]


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


class StateDetail(StateSummary):
    alpha2: str = Field(examples=["KZ"])
    process_roles: list[ProcessRoleEntry]
    events: list[StateEvent]
    sources: list[Source]


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


class OrganizationDetail(OrganizationSummary):
    children: list[OrganizationRef]
    people: list[PersonRef]
    process_roles: list[ProcessRoleEntry]
    events: list[RoleEvents] = Field(
        description="the events the organisation took part in, grouped by its role"
    )
    sources: list[Source]
