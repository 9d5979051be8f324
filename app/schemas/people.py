"""People the documents name, with their positions and organisations."""

from pydantic import Field

from app.schemas.common import ApiModel, Evidenced, OrganizationRef


class PersonSummary(ApiModel):
    slug: str = Field(examples=["birzhan-nurymbetov"])
    name: str = Field(examples=["Birzhan Nurymbetov"])
    position: str | None = Field(description="as the source gives it", examples=["Vice Minister"])
    organization: OrganizationRef | None = Field(description="the body the person serves")


class PersonDetail(Evidenced, PersonSummary):
    aliases: list[str] = Field(description="other names the sources use")
