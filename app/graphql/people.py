"""The GraphQL type of a person, and how one is built: from a row, or from a list's summary."""

import strawberry
from strawberry.experimental.pydantic import type as pydantic_type

from app import models
from app.graphql.common import (
    Claim,
    Node,
    OrganizationRef,
    Source,
    aliases_field,
    claims_field,
    organization_ref,
    sources_field,
)
from app.models import enums
from app.queries.records import Subject
from app.schemas import people


@pydantic_type(model=people.PersonDetail, all_fields=True, name="Person")
class Person(Node):
    slug: str
    subject: strawberry.Private[Subject]
    organization: OrganizationRef | None
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    aliases: list[str] = aliases_field(people.PersonDetail)


def from_row(person: models.Person, employer: models.Organization | None) -> Person:
    """A Person from its row and its organisation's."""
    return Person(
        subject=(enums.SubjectType.person, person.slug),
        slug=person.slug,
        name=person.name,
        position=person.position,
        organization=organization_ref(employer),
    )


def from_summary(summary: people.PersonSummary) -> Person:
    """A Person from a list's summary (its evidence read when a query selects it)."""
    return Person(
        subject=(enums.SubjectType.person, summary.slug),
        slug=summary.slug,
        name=summary.name,
        position=summary.position,
        organization=organization_ref(summary.organization),
    )
