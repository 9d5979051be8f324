"""Reading the regional consultative processes."""

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.errors import NotFoundError
from app.models import KeyArea, Objective, Organization, Process, ProcessActor, State
from app.models.enums import ProcessRole, SubjectType
from app.queries.loaders import load_sources, organization_ref, state_ref
from app.queries.pagination import Keyset, PageParams, paginate
from app.schemas.common import Actor, NumberedText, OrganizationRef, StateRef, partial_date
from app.schemas.pages import Page
from app.schemas.processes import ProcessDetail, ProcessSummary

PROCESS_KEYSET = Keyset("slug", (col(Process.slug),))


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


def get_process(session: Session, slug: str) -> ProcessDetail:
    """A process with its actors, objectives, key areas and citations: five queries."""
    process = session.get(Process, slug)
    if process is None:
        raise NotFoundError("process", slug)
    actors = session.execute(
        sa.select(ProcessActor, State, Organization)
        .outerjoin(State, col(ProcessActor.state_code) == State.code)
        .outerjoin(Organization, col(ProcessActor.organization_slug) == Organization.slug)
        .where(col(ProcessActor.process_slug) == slug)
        .order_by(col(ProcessActor.role), col(ProcessActor.id))
    ).all()
    objectives = session.exec(
        select(Objective).where(col(Objective.process_slug) == slug).order_by(col(Objective.number))
    ).all()
    key_areas = session.exec(
        select(KeyArea).where(col(KeyArea.process_slug) == slug).order_by(col(KeyArea.position))
    ).all()
    sources = load_sources(
        session,
        [
            (SubjectType.process, slug),
            *((SubjectType.objective, f"{slug}/{o.number}") for o in objectives),
            *((SubjectType.key_area, f"{slug}/{a.position}") for a in key_areas),
        ],
    )

    def states(role: ProcessRole) -> list[StateRef]:
        return [ref for a, s, _ in actors if a.role == role and (ref := state_ref(s))]

    def organizations(role: ProcessRole) -> list[OrganizationRef]:
        return [ref for a, _, o in actors if a.role == role and (ref := organization_ref(o))]

    chairs = states(ProcessRole.chair)
    return ProcessDetail(
        **_summary(process).model_dump(),
        description=process.description,
        initiated=process.initiated_date.year if process.initiated_date else None,
        initiated_on=partial_date(process.initiated_date, process.initiated_precision),
        launched_on=partial_date(process.launched_date, process.launched_precision),
        initiators=[
            Actor(state=state_ref(s), organization=organization_ref(o))
            for a, s, o in actors
            if a.role == ProcessRole.initiator
        ],
        chair=chairs[0] if chairs else None,
        secretariat=organizations(ProcessRole.secretariat),
        secretariat_function=process.secretariat_function,
        members=states(ProcessRole.member),
        observers=states(ProcessRole.observer),
        objectives=[
            NumberedText(
                number=o.number,
                text=o.text,
                sources=sources[(SubjectType.objective, f"{slug}/{o.number}")],
            )
            for o in objectives
        ],
        key_areas=[
            NumberedText(
                number=a.position,
                text=a.text,
                sources=sources[(SubjectType.key_area, f"{slug}/{a.position}")],
            )
            for a in key_areas
        ],
        sources=sources[(SubjectType.process, slug)],
    )
