"""Organisations (with their parent bodies) and the people the documents name."""

from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from app.models.base import CitedTable
from app.models.enums import OrganizationKind, SubjectType


class Organization(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.organization
    slug: str = Field(primary_key=True, max_length=120)
    name: str
    acronym: str | None = Field(default=None, index=True)
    kind: OrganizationKind = Field(sa_type=sa.String(40))
    country_code: str | None = Field(default=None, foreign_key="state.code", max_length=3)
    parent_slug: str | None = Field(default=None, foreign_key="organization.slug", max_length=120)


class Person(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.person
    slug: str = Field(primary_key=True, max_length=120)
    name: str
    position: str | None = None
    organization_slug: str | None = Field(
        default=None, foreign_key="organization.slug", max_length=120
    )
