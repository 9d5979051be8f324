"""Reading the regional consultative processes."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.errors import NotFoundError
from app.models import KeyArea, Objective, Organization, Process, ProcessActor, State
from app.models.enums import ProcessRole
from app.queries.pagination import Keyset, PageParams, paginate
from app.queries.records import Children, Records, load_records
from app.queries.refs import organization_ref, state_ref
from app.schemas.common import (
    Actor,
    NumberedText,
    OrganizationRef,
    StateRef,
    partial_date,
)
from app.schemas.pages import Page
from app.schemas.processes import ProcessDetail, ProcessSummary

PROCESS_KEYSET = Keyset("processes", (col(Process.slug),))


def _summary(process: Process) -> ProcessSummary:
    return ProcessSummary(
        slug=process.slug, name=process.name, acronym=process.acronym, kind=process.kind
    )


def list_processes(session: Session, *, page: PageParams) -> Page[ProcessSummary]:
    window = paginate(session, sa.select(Process), PROCESS_KEYSET, page)
    return Page[ProcessSummary](
        items=[_summary(row[0]) for row in window.rows],
        total=window.total,
        next_cursor=window.next_cursor,
    )


PROCESS_CHILDREN = {
    "actors": Children(
        lambda keys: (
            sa.select(ProcessActor, State, Organization)
            .outerjoin(State, col(ProcessActor.state_code) == State.code)
            .outerjoin(Organization, col(ProcessActor.organization_slug) == Organization.slug)
            .where(col(ProcessActor.process_slug).in_(keys))
            .order_by(col(ProcessActor.role), col(ProcessActor.id))
        ),
        lambda row: row[0].process_slug,
        # Shown here as references; each role's passages and claims are on the state's or
        # organisation's own record (`process_roles`).
        cited=False,
    ),
    "objectives": Children(
        lambda keys: (
            sa.select(Objective)
            .where(col(Objective.process_slug).in_(keys))
            .order_by(col(Objective.number))
        ),
        lambda row: row[0].process_slug,
    ),
    "key_areas": Children(
        lambda keys: (
            sa.select(KeyArea)
            .where(col(KeyArea.process_slug).in_(keys))
            .order_by(col(KeyArea.position))
        ),
        lambda row: row[0].process_slug,
    ),
}


def process_details(session: Session, slugs: Sequence[str]) -> dict[str, ProcessDetail]:
    """Processes with actors, objectives, key areas, citations and claims: six queries for any
    number of processes."""
    processes = session.exec(
        select(Process).where(col(Process.slug).in_(slugs)).order_by(col(Process.slug))
    ).all()
    records = load_records(session, [p.slug for p in processes], processes, PROCESS_CHILDREN)
    return {process.slug: _detail(process, records) for process in processes}


def _detail(process: Process, records: Records) -> ProcessDetail:
    slug, evidence = process.slug, records.evidence
    mine: list[Any] = records["actors"][slug]  # (ProcessActor, State | None, Organization | None)

    def states(role: ProcessRole) -> list[StateRef]:
        return [ref for a, s, _ in mine if a.role == role and (ref := state_ref(s))]

    def organizations(role: ProcessRole) -> list[OrganizationRef]:
        return [ref for a, _, o in mine if a.role == role and (ref := organization_ref(o))]

    chairs = states(ProcessRole.chair)
    return ProcessDetail(
        **_summary(process).model_dump(),
        **evidence.of(process),
        aliases=evidence.aliases(process),
        description=process.description,
        initiated=process.initiated_date.year if process.initiated_date else None,
        initiated_on=partial_date(process.initiated_date, process.initiated_precision),
        launched_on=partial_date(process.launched_date, process.launched_precision),
        initiators=[
            Actor(state=state_ref(s), organization=organization_ref(o))
            for a, s, o in mine
            if a.role == ProcessRole.initiator
        ],
        chair=chairs[0] if chairs else None,
        secretariat=organizations(ProcessRole.secretariat),
        secretariat_function=process.secretariat_function,
        members=states(ProcessRole.member),
        observers=states(ProcessRole.observer),
        objectives=[
            NumberedText(number=o.number, text=o.text, sources=evidence.sources(o))
            for (o,) in records["objectives"][slug]
        ],
        key_areas=[
            NumberedText(number=a.position, text=a.text, sources=evidence.sources(a))
            for (a,) in records["key_areas"][slug]
        ],
    )


def get_process(session: Session, slug: str) -> ProcessDetail:
    detail = process_details(session, [slug]).get(slug)
    if detail is None:
        raise NotFoundError("process", slug)
    return detail
