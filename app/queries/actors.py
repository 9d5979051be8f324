"""Reading states and organisations, with their roles in processes and at events."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.config import settings
from app.errors import NotFoundError
from app.models import Event, Organization, Participation, Person, ProcessActor, State
from app.models.enums import OrganizationKind, ParticipationRole, ProcessRole, SubjectType
from app.queries.filters import like_pattern
from app.queries.loaders import Subject, event_ref, load_sources, organization_ref, state_ref
from app.queries.pagination import Keyset, Listing, PageParams, paginate
from app.schemas.actors import (
    OrganizationDetail,
    OrganizationSummary,
    ProcessRoleEntry,
    RoleEvents,
    StateDetail,
    StateEvent,
    StateSummary,
)
from app.schemas.common import EventRef, OrganizationRef, PersonRef, Source
from app.schemas.pages import Page

StateRole = Literal["member", "observer"]
STATE_KEYSET = Keyset("states", (col(State.code),))
ORGANIZATION_KEYSET = Keyset("organizations", (col(Organization.name), col(Organization.slug)))

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


def _process_roles(
    session: Session, column: Any, keys: Sequence[str]
) -> tuple[dict[str, list[ProcessActor]], list[Subject]]:
    """The process roles of each state or organisation (by `column`), and their subjects."""
    actors: dict[str, list[ProcessActor]] = defaultdict(list)
    for actor in session.exec(
        select(ProcessActor)
        .where(column.in_(keys))
        .order_by(col(ProcessActor.process_slug), col(ProcessActor.role))
    ):
        actors[actor.state_code or actor.organization_slug or ""].append(actor)
    subjects = [(SubjectType.process_actor, a.id) for found in actors.values() for a in found]
    return actors, subjects


def _role_entries(
    actors: list[ProcessActor], sources: dict[Subject, list[Source]]
) -> list[ProcessRoleEntry]:
    return [
        ProcessRoleEntry(
            process=actor.process_slug,
            role=actor.role,
            sources=sources[(SubjectType.process_actor, actor.id)],
        )
        for actor in actors
    ]


def _events_with_roles(
    session: Session, column: Any, keys: Sequence[str]
) -> dict[str, dict[str, tuple[EventRef, list[ParticipationRole]]]]:
    """For each key (a state code or an organisation slug): its events and its roles at each."""
    rows = session.execute(
        sa.select(column, Event, col(Participation.role))
        .join(Participation, col(Participation.event_slug) == Event.slug)
        .where(column.in_(keys))
        .order_by(col(Event.start_date), col(Event.slug), col(Participation.role))
    ).all()
    events: dict[str, dict[str, tuple[EventRef, list[ParticipationRole]]]] = defaultdict(dict)
    for key, event, role in rows:
        entry = events[key].setdefault(event.slug, (event_ref(event), []))
        entry[1].append(ParticipationRole(role))
    return events


def state_details(session: Session, codes: Sequence[str]) -> dict[str, StateDetail]:
    """States with their process roles and their events with their roles: four queries."""
    rows = session.execute(
        sa.select(State, _membership.label("role")).where(col(State.code).in_(codes))
    ).all()
    found = [row[0].code for row in rows]
    events = _events_with_roles(session, col(Participation.state_code), found)
    actors, actor_subjects = _process_roles(session, col(ProcessActor.state_code), found)
    sources = load_sources(
        session, [*((SubjectType.state, code) for code in found), *actor_subjects]
    )
    return {
        state.code: StateDetail(
            **_state_summary(state, role).model_dump(),
            alpha2=state.alpha2,
            process_roles=_role_entries(actors[state.code], sources),
            events=[
                StateEvent(event=ref, roles=roles) for ref, roles in events[state.code].values()
            ],
            sources=sources[(SubjectType.state, state.code)],
        )
        for state, role in rows
    }


def get_state(session: Session, code: str) -> StateDetail:
    detail = state_details(session, [code.upper()]).get(code.upper())
    if detail is None:
        raise NotFoundError("state", code)
    return detail


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
) -> Listing[OrganizationSummary]:
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
    items = [_organization_summary(row[0], row[1], row[2]) for row in window.rows]
    return Listing(
        page=Page[OrganizationSummary](
            items=items, total=window.total, next_cursor=window.next_cursor
        ),
        keyset_name=ORGANIZATION_KEYSET.name,
        keys=window.keys,
    )


def organization_details(session: Session, slugs: Sequence[str]) -> dict[str, OrganizationDetail]:
    """Organisations with units, people, process roles and events by role: six queries."""
    rows = session.execute(_organization_query().where(col(Organization.slug).in_(slugs))).all()
    found = [row[0].slug for row in rows]
    children: dict[str, list[OrganizationRef]] = defaultdict(list)
    for child in session.exec(
        select(Organization)
        .where(col(Organization.parent_slug).in_(found))
        .order_by(col(Organization.name))
    ):
        children[child.parent_slug or ""].append(
            OrganizationRef(slug=child.slug, acronym=child.acronym, name=child.name)
        )
    people: dict[str, list[PersonRef]] = defaultdict(list)
    for person in session.exec(
        select(Person).where(col(Person.organization_slug).in_(found)).order_by(col(Person.name))
    ):
        people[person.organization_slug or ""].append(PersonRef(slug=person.slug, name=person.name))
    events = _events_with_roles(session, col(Participation.organization_slug), found)
    actors, actor_subjects = _process_roles(session, col(ProcessActor.organization_slug), found)
    sources = load_sources(
        session, [*((SubjectType.organization, slug) for slug in found), *actor_subjects]
    )
    details = {}
    for organization, country, parent in rows:
        by_role: dict[ParticipationRole, list[EventRef]] = defaultdict(list)
        for ref, roles in events[organization.slug].values():
            for role in roles:
                by_role[role].append(ref)
        details[organization.slug] = OrganizationDetail(
            **_organization_summary(organization, country, parent).model_dump(),
            children=children[organization.slug],
            people=people[organization.slug],
            process_roles=_role_entries(actors[organization.slug], sources),
            events=[RoleEvents(role=role, events=refs) for role, refs in sorted(by_role.items())],
            sources=sources[(SubjectType.organization, organization.slug)],
        )
    return details


def get_organization(session: Session, slug: str) -> OrganizationDetail:
    detail = organization_details(session, [slug]).get(slug)
    if detail is None:
        raise NotFoundError("organization", slug)
    return detail
