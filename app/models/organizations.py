"""Organisations (with their parent bodies) and the people the documents name."""

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.enums import OrganizationKind


class Organization(SQLModel, table=True):
    slug: str = Field(primary_key=True, max_length=120)
    name: str
    acronym: str | None = Field(default=None, index=True)
    kind: OrganizationKind = Field(sa_type=sa.String(40))
    country_code: str | None = Field(default=None, foreign_key="state.code", max_length=3)
    parent_slug: str | None = Field(default=None, foreign_key="organization.slug", max_length=120)


class Person(SQLModel, table=True):
    slug: str = Field(primary_key=True, max_length=120)
    name: str
    position: str | None = None
    organization_slug: str | None = Field(
        default=None, foreign_key="organization.slug", max_length=120
    )
