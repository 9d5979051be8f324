"""The GraphQL type of an organisation and how one is built."""

import strawberry
from strawberry.experimental.pydantic import type as pydantic_type

from app import models
from app.graphql.common import (
    Claim,
    Connection,
    Ctx,
    Node,
    OrganizationRef,
    PersonRef,
    ProcessRoleEntry,
    Source,
    aliases_field,
    bounded_field,
    claims_field,
    organization_ref,
    person_ref,
    role_entries,
    sources_field,
    state_ref,
)
from app.graphql.events import Involvement, involvements_field
from app.models import enums
from app.queries.actors import ORGANIZATION_CHILDREN, organization_fields
from app.queries.records import Subject
from app.schemas import actors, common


async def _children(root: "Organization", info: Ctx) -> list[OrganizationRef]:
    rows = await info.context.children(ORGANIZATION_CHILDREN["children"]).load(root.slug)
    return [ref for (child,) in rows if (ref := organization_ref(child))]


async def _people(root: "Organization", info: Ctx) -> list[PersonRef]:
    rows = await info.context.children(ORGANIZATION_CHILDREN["people"]).load(root.slug)
    return [ref for (person,) in rows if (ref := person_ref(person))]


async def _organization_process_roles(root: "Organization", info: Ctx) -> list[ProcessRoleEntry]:
    loader = info.context.children(ORGANIZATION_CHILDREN["process_roles"])
    return role_entries(await loader.load(root.slug))


@pydantic_type(model=actors.OrganizationDetail, all_fields=True, name="Organization")
class Organization(Node):
    slug: str
    subject: strawberry.Private[Subject]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    aliases: list[str] = aliases_field(actors.OrganizationDetail)
    children: list[OrganizationRef] = bounded_field(20, resolver=_children)  # [2]
    people: list[PersonRef] = bounded_field(20, resolver=_people)  # [1]
    process_roles: list[ProcessRoleEntry] = bounded_field(10, resolver=_organization_process_roles)
    events: list[Involvement] = involvements_field(  # [6]
        "organizations",
        lambda organization: organization.slug,
        "the events the organisation took part in, with its roles at each",
    )


def from_row(
    organization: models.Organization,
    country: models.State | None,
    parent: models.Organization | None,
) -> Organization:
    """An Organization from its row, its country's and its parent's."""
    return _built(organization, country, parent)


def from_summary(summary: actors.OrganizationSummary) -> Organization:
    """An Organization from a list's summary (its relations read when a query selects them)."""
    return _built(summary, summary.country, summary.parent)


def _built(
    organization: models.Organization | actors.OrganizationSummary,
    country: models.State | common.StateRef | None,
    parent: models.Organization | common.OrganizationRef | None,
) -> Organization:
    return Organization(
        subject=(enums.SubjectType.organization, organization.slug),
        **organization_fields(organization),
        country=state_ref(country),
        parent=organization_ref(parent),
    )


OrganizationConnection = Connection[Organization]
