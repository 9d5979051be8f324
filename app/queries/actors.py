"""Reading states and organisations, with their roles in processes and at events."""

from collections import defaultdict
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.config import settings
from app.errors import NotFoundError
from app.models import Event, Organization, Participation, Person, ProcessActor, State
from app.models.enums import OrganizationKind, ParticipationRole, ProcessRole, SubjectType
from app.queries.filters import like_pattern
from app.queries.loaders import event_ref, load_sources, organization_ref, state_ref
from app.queries.pagination import Keyset, PageParams, paginate
from app.schemas.actors import (
    OrganizationDetail,
    OrganizationSummary,
    ProcessRoleEntry,
    StateDetail,
    StateEvent,
    StateSummary,
)
from app.schemas.common import EventRef, OrganizationRef, PersonRef
from app.schemas.pages import Page

StateRole = Literal["member", "observer"]
STATE_KEYSET = Keyset("code", (col(State.code),))
ORGANIZATION_KEYSET = Keyset("name", (col(Organization.name), col(Organization.slug)))

# A state's role in the main process; a member that also chairs is still a member.
_membership = (
    sa.select(col(ProcessActor.role))
    .where(
        col(ProcessActor.state_code) == State.code,
        col(ProcessActor.process_slug) == sa.bindparam("main_process", settings.main_process),
        col(ProcessActor.role).in_([ProcessRole.member, ProcessRole.observer]),
    )
    .limit(1)
    .scalar_subquery()
)


def _state_summary(state: State, role: str | None) -> StateSummary:
    return StateSummary(
        code=state.code,
        name=state.name,
        official_name=state.official_name,
        role=ProcessRole(role) if role else None,
    )


def list_states(
    session: Session, *, role: StateRole | None, page: PageParams
) -> Page[StateSummary]:
    """States, optionally only the members or the observers of the main process."""
    statement = sa.select(State, _membership.label("role"))
    if role is not None:
        statement = statement.where(_membership == role)
    window = paginate(session, statement, STATE_KEYSET, page)
    return Page[StateSummary](
        items=[_state_summary(row[0], row[1]) for row in window.rows],
        total=window.total,
        next_cursor=window.next_cursor,
    )


def _process_roles(session: Session, condition: sa.ColumnElement[bool]) -> list[ProcessRoleEntry]:
    actors = session.exec(
        select(ProcessActor)
        .where(condition)
        .order_by(col(ProcessActor.process_slug), col(ProcessActor.role))
    ).all()
    sources = load_sources(session, [(SubjectType.process_actor, a.id) for a in actors])
    return [
        ProcessRoleEntry(
            process=actor.process_slug,
            role=actor.role,
            sources=sources[(SubjectType.process_actor, actor.id)],
        )
        for actor in actors
    ]


def _events_with_roles(
    session: Session, condition: sa.ColumnElement[bool]
) -> dict[str, tuple[EventRef, list[ParticipationRole]]]:
    rows = session.exec(
        select(Event, Participation.role)
        .join(Participation, col(Participation.event_slug) == Event.slug)
        .where(condition)
        .order_by(col(Event.start_date), col(Event.slug), col(Participation.role))
    ).all()
    events: dict[str, tuple[EventRef, list[ParticipationRole]]] = {}
    for event, role in rows:
        events.setdefault(event.slug, (event_ref(event), []))[1].append(ParticipationRole(role))
    return events


def get_state(session: Session, code: str) -> StateDetail:
    """A state with its roles in processes and the events it took part in: five queries."""
    row = session.execute(
        sa.select(State, _membership.label("role")).where(col(State.code) == code.upper())
    ).first()
    if row is None:
        raise NotFoundError("state", code)
    state, role = row
    events = _events_with_roles(session, col(Participation.state_code) == state.code)
    return StateDetail(
        **_state_summary(state, role).model_dump(),
        alpha2=state.alpha2,
        process_roles=_process_roles(session, col(ProcessActor.state_code) == state.code),
        events=[StateEvent(event=ref, roles=roles) for ref, roles in events.values()],
        sources=load_sources(session, [(SubjectType.state, state.code)])[
            (SubjectType.state, state.code)
        ],
    )


def _organization_query() -> sa.Select[Organization, State, Organization]:
    parent = sa.orm.aliased(Organization, name="parent")
    return (
        sa.select(Organization, State, parent)
        .outerjoin(State, col(Organization.country_code) == State.code)
        .outerjoin(parent, col(Organization.parent_slug) == parent.slug)
    )


def _organization_summary(
    organization: Organization, country: State | None, parent: Organization | None
) -> OrganizationSummary:
    return OrganizationSummary(
        slug=organization.slug,
        acronym=organization.acronym,
        name=organization.name,
        kind=organization.kind,
        country=state_ref(country),
        parent=organization_ref(parent),
    )


def list_organizations(
    session: Session, *, kind: OrganizationKind | None, q: str | None, page: PageParams
) -> Page[OrganizationSummary]:
    """Organisations by name; `q` matches name or acronym, case-insensitively."""
    statement = _organization_query()
    if kind is not None:
        statement = statement.where(col(Organization.kind) == kind)
    if q is not None:
        for word in q.split():
            pattern = like_pattern(word)
            statement = statement.where(
                sa.or_(
                    col(Organization.name).ilike(pattern, escape="\\"),
                    col(Organization.acronym).ilike(pattern, escape="\\"),
                )
            )
    window = paginate(session, statement, ORGANIZATION_KEYSET, page)
    return Page[OrganizationSummary](
        items=[_organization_summary(row[0], row[1], row[2]) for row in window.rows],
        total=window.total,
        next_cursor=window.next_cursor,
    )


def get_organization(session: Session, slug: str) -> OrganizationDetail:
    """An organisation with its units, people, process roles and events by role: six queries."""
    row = session.execute(_organization_query().where(col(Organization.slug) == slug)).first()
    if row is None:
        raise NotFoundError("organization", slug)
    organization, country, parent = row
    children = session.exec(
        select(Organization)
        .where(col(Organization.parent_slug) == slug)
        .order_by(col(Organization.name))
    ).all()
    people = session.exec(
        select(Person).where(col(Person.organization_slug) == slug).order_by(col(Person.name))
    ).all()
    by_role: dict[ParticipationRole, list[EventRef]] = defaultdict(list)
    for ref, roles in _events_with_roles(
        session, col(Participation.organization_slug) == slug
    ).values():
        for role in roles:
            by_role[role].append(ref)
    return OrganizationDetail(
        **_organization_summary(organization, country, parent).model_dump(),
        children=[OrganizationRef(slug=c.slug, acronym=c.acronym, name=c.name) for c in children],
        people=[PersonRef(slug=p.slug, name=p.name) for p in people],
        process_roles=_process_roles(session, col(ProcessActor.organization_slug) == slug),
        events=dict(sorted(by_role.items())),
        sources=load_sources(session, [(SubjectType.organization, slug)])[
            (SubjectType.organization, slug)
        ],
    )
