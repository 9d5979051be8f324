"""The GraphQL type of a process and how one is built."""

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.experimental.pydantic import type as pydantic_type

from app import models
from app.graphql.common import (
    Actor,
    Claim,
    Ctx,
    Node,
    NumberedText,
    OrganizationRef,
    Source,
    StateRef,
    aliases_field,
    bounded_field,
    claims_field,
    described,
    organization_ref,
    sources_field,
    state_ref,
)
from app.models import enums
from app.models.base import subject_of
from app.queries.processes import PROCESS_CHILDREN
from app.queries.records import Subject
from app.schemas import processes
from app.schemas.common import partial_date


def _process_row(name: str, read: Callable[[models.Process], Any]) -> Any:
    """A field of the process's row that the list of processes does not read."""

    async def resolve(root: "Process", info: Ctx) -> Any:
        row = root.row
        if row is None:
            row = await info.context.records("processes").load(root.slug)
            if row is None:
                raise LookupError(f"process {root.slug} is gone")
        return read(row)

    return described(processes.ProcessDetail, name, resolve)


async def _actors(root: "Process", info: Ctx, role: enums.ProcessRole) -> list[Any]:
    """The process's (state, organisation) in one role, in the detail's order."""
    rows = await info.context.children(PROCESS_CHILDREN["actors"]).load(root.slug)
    return [(state, organization) for actor, state, organization in rows if actor.role == role]


async def _initiators(root: "Process", info: Ctx) -> list[Actor]:
    found = await _actors(root, info, enums.ProcessRole.initiator)
    return [Actor(state=state_ref(s), organization=organization_ref(o)) for s, o in found]


async def _states_as(root: "Process", info: Ctx, role: enums.ProcessRole) -> list[StateRef]:
    return [ref for s, _ in await _actors(root, info, role) if (ref := state_ref(s))]


async def _chair(root: "Process", info: Ctx) -> StateRef | None:
    chairs = await _states_as(root, info, enums.ProcessRole.chair)
    return chairs[0] if chairs else None


async def _members(root: "Process", info: Ctx) -> list[StateRef]:
    return await _states_as(root, info, enums.ProcessRole.member)


async def _observers(root: "Process", info: Ctx) -> list[StateRef]:
    return await _states_as(root, info, enums.ProcessRole.observer)


async def _secretariat(root: "Process", info: Ctx) -> list[OrganizationRef]:
    found = await _actors(root, info, enums.ProcessRole.secretariat)
    return [ref for _, o in found if (ref := organization_ref(o))]


async def _objectives(root: "Process", info: Ctx) -> list[NumberedText]:
    rows = await info.context.children(PROCESS_CHILDREN["objectives"]).load(root.slug)
    return [NumberedText(subject=subject_of(o), number=o.number, text=o.text) for (o,) in rows]


async def _key_areas(root: "Process", info: Ctx) -> list[NumberedText]:
    rows = await info.context.children(PROCESS_CHILDREN["key_areas"]).load(root.slug)
    return [NumberedText(subject=subject_of(a), number=a.position, text=a.text) for (a,) in rows]


@pydantic_type(model=processes.ProcessDetail, all_fields=True, name="Process")
class Process(Node):
    slug: str
    subject: strawberry.Private[Subject]
    row: strawberry.Private[models.Process | None]
    sources: list[Source] = sources_field()
    claims: list[Claim] = claims_field()
    aliases: list[str] = aliases_field(processes.ProcessDetail)
    description: str | None = _process_row("description", lambda p: p.description)
    initiated: int | None = _process_row(
        "initiated", lambda p: p.initiated_date.year if p.initiated_date else None
    )
    initiated_on: str | None = _process_row(
        "initiated_on", lambda p: partial_date(p.initiated_date, p.initiated_precision)
    )
    launched_on: str | None = _process_row(
        "launched_on", lambda p: partial_date(p.launched_date, p.launched_precision)
    )
    initiators: list[Actor] = bounded_field(10, resolver=_initiators)  # [3]
    chair: StateRef | None = strawberry.field(resolver=_chair)
    secretariat: list[OrganizationRef] = bounded_field(10, resolver=_secretariat)  # [2]
    secretariat_function: str | None = _process_row(
        "secretariat_function", lambda p: p.secretariat_function
    )
    members: list[StateRef] = bounded_field(50, resolver=_members)  # [7]
    observers: list[StateRef] = bounded_field(50, resolver=_observers)  # [2]
    objectives: list[NumberedText] = bounded_field(20, resolver=_objectives)  # [5]
    key_areas: list[NumberedText] = bounded_field(20, resolver=_key_areas)  # [7]


def from_row(process: models.Process) -> Process:
    """A Process from its row."""
    return _built(process)


def from_summary(summary: processes.ProcessSummary) -> Process:
    """A Process from a list's summary (its other fields read when a query selects them)."""
    return _built(summary)


def _built(process: models.Process | processes.ProcessSummary) -> Process:
    return Process(
        subject=(enums.SubjectType.process, process.slug),
        row=process if isinstance(process, models.Process) else None,
        slug=process.slug,
        name=process.name,
        acronym=process.acronym,
        kind=process.kind,
    )
