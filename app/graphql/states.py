"""The GraphQL type of a state and how one is built."""

from enum import Enum

import strawberry
from strawberry.experimental.pydantic import type as pydantic_type

from app import models
from app.graphql.common import (
    Claim,
    Ctx,
    Node,
    ProcessRoleEntry,
    Source,
    aliases_field,
    bounded_field,
    claims_field,
    role_entries,
    sources_field,
)
from app.graphql.events import Involvement, involvements_field
from app.models import enums
from app.models.base import subject_of
from app.queries.actors import STATE_CHILDREN
from app.queries.records import Subject
from app.schemas import actors


@strawberry.enum
class StateRole(Enum):
    MEMBER = "member"
    OBSERVER = "observer"


async def _alpha2(root: "State", info: Ctx) -> str:
    if root.row is not None:
        return root.row.alpha2
    found = await info.context.records("states").load(root.code)
    if found is None:
        raise LookupError(f"state {root.code} is gone")
    alpha2: str = found[0].alpha2
    return alpha2


async def _state_process_roles(root: "State", info: Ctx) -> list[ProcessRoleEntry]:
    return role_entries(
        await info.context.children(STATE_CHILDREN["process_roles"]).load(root.code)
    )


@pydantic_type(model=actors.StateDetail, all_fields=True, name="State")
class State(Node):
    code: str
    subject: strawberry.Private[Subject]
    row: strawberry.Private[models.State | None]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    alpha2: str = strawberry.field(resolver=_alpha2)
    aliases: list[str] = aliases_field(actors.StateDetail)
    process_roles: list[ProcessRoleEntry] = bounded_field(10, resolver=_state_process_roles)
    events: list[Involvement] = involvements_field(  # [7]
        "states",
        lambda state: state.code,
        "the events the state took part in, with its roles at each",
    )


def from_row(state: models.State, role: str | None) -> State:
    """A State from its row and its role in the main process."""
    return State(
        subject=subject_of(state),
        row=state,
        code=state.code,
        name=state.name,
        official_name=state.official_name,
        role=enums.ProcessRole(role) if role else None,
    )


def from_summary(summary: actors.StateSummary) -> State:
    return State(
        subject=(enums.SubjectType.state, summary.code),
        row=None,
        code=summary.code,
        name=summary.name,
        official_name=summary.official_name,
        role=summary.role,
    )
