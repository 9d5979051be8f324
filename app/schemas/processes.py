"""Regional consultative processes."""

from pydantic import Field

from app.models.enums import ProcessKind
from app.schemas.common import (
    PARTIAL_DATE_DOC,
    Actor,
    ApiModel,
    Evidenced,
    NumberedText,
    OrganizationRef,
    StateRef,
)


class ProcessSummary(ApiModel):
    slug: str = Field(examples=["almaty-process"])
    name: str
    acronym: str | None
    kind: ProcessKind


class ProcessDetail(Evidenced, ProcessSummary):
    aliases: list[str] = Field(description="other names the sources use")
    description: str | None
    initiated: int | None = Field(description="the year it was initiated", examples=[2011])
    initiated_on: str | None = Field(description=PARTIAL_DATE_DOC, examples=["2011"])
    launched_on: str | None = Field(description=PARTIAL_DATE_DOC, examples=["2013-06-05"])
    initiators: list[Actor]
    chair: StateRef | None
    secretariat: list[OrganizationRef]
    secretariat_function: str | None
    members: list[StateRef]
    observers: list[StateRef]
    objectives: list[NumberedText]
    key_areas: list[NumberedText]
