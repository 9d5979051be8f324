"""Reading states and organisations, with their roles in processes and at events."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col

from app.config import settings
from app.errors import NotFoundError
from app.models import Event, Organization, Participation, Person, ProcessActor, State
from app.models.enums import OrganizationKind, ParticipationRole, ProcessRole, SubjectType
from app.queries.filters import has_alias, like_pattern
from app.queries.pagination import Keyset, Listing, PageParams, paginate
from app.queries.records import Children, Evidence, Records, load_records
from app.queries.refs import event_ref, organization_ref, state_ref
from app.schemas.actors import (
    OrganizationDetail,
    OrganizationSummary,
    ProcessRoleEntry,
    RoleEvents,
    StateDetail,
    StateEvent,
    StateSummary,
)
from app.schemas.common import EventRef, PersonRef
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


def _process_roles(column: Any) -> Children:
    """The process roles of states or organisations, by the state code or slug in `column`."""
    return Children(
        lambda keys: (
            sa.select(ProcessActor)
            .where(column.in_(keys))
            .order_by(col(ProcessActor.process_slug), col(ProcessActor.role))
        ),
        lambda row: row[0].state_code or row[0].organization_slug,
    )


def _events_with_roles(column: Any) -> Children:
    """The events of states or organisations (by `column`), a row per role at each."""
    return Children(
        lambda keys: (
            sa.select(column, Event, col(Participation.role))
            .join(Participation, col(Participation.event_slug) == Event.slug)
            .where(column.in_(keys))
            .order_by(col(Event.start_date), col(Event.slug), col(Participation.role))
        ),
        lambda row: row[0],
        cited=False,
    )


# Roles in their declared order (an ordinal, not the text: collations differ between databases).
_ROLE_ORDER = sa.case(
    {role.value: place for place, role in enumerate(ParticipationRole)},
    value=col(Participation.role),
)


@dataclass(frozen=True)
class Involvements:
    """The first events of one state or organisation, in date order, with its roles at each
    and the date that orders them; `total` counts them all from where the list starts (it holds
    at most the bound it was read with)."""

    events: list[tuple[str, date, list[ParticipationRole]]]
    total: int


def involvements(
    session: Session,
    column: Any,
    keys: Sequence[tuple[str, ParticipationRole | None]],
    *,
    bound: int,
    after: tuple[date, str] | None = None,
) -> dict[tuple[str, ParticipationRole | None], Involvements]:
    """The events of states or organisations (by `column`), optionally only those where it had
    one role: at most `bound` per key, after the event of start date and slug `after` if given,
    read as such (at 100k events an organisation is at thousands), in one query per distinct
    role asked for."""
    found: dict[tuple[str, ParticipationRole | None], Involvements] = {}
    by_role: defaultdict[ParticipationRole | None, list[str]] = defaultdict(list)
    for owner, role in keys:
        by_role[role].append(owner)
    for role, owners in by_role.items():
        grouped = (
            sa.select(column.label("owner"), col(Participation.event_slug).label("event"))
            .where(column.in_(owners))
            .group_by(column, col(Participation.event_slug))
        )
        if role is not None:
            grouped = grouped.having(
                sa.func.max(sa.case((col(Participation.role) == role, 1), else_=0)) == 1
            )
        events = grouped.subquery("involved")
        ranked_rows = sa.select(
            events.c.owner,
            events.c.event,
            sa.func.row_number()
            .over(
                partition_by=events.c.owner,
                order_by=(col(Event.start_date), col(Event.slug)),
            )
            .label("place"),
            sa.func.count().over(partition_by=events.c.owner).label("total"),
            col(Event.start_date).label("starts"),
        ).join(Event, col(Event.slug) == events.c.event)
        if after is not None:
            later = sa.tuple_(col(Event.start_date), col(Event.slug)) > sa.tuple_(*after)
            ranked_rows = ranked_rows.where(later)
        ranked = ranked_rows.subquery("ranked")
        rows = session.execute(
            sa.select(
                ranked.c.owner,
                ranked.c.event,
                ranked.c.starts,
                ranked.c.total,
                col(Participation.role),
            )
            .join(
                Participation,
                sa.and_(column == ranked.c.owner, col(Participation.event_slug) == ranked.c.event),
            )
            .where(ranked.c.place <= bound)
            .order_by(ranked.c.owner, ranked.c.place, _ROLE_ORDER)
        )
        grown: dict[str, dict[tuple[str, date], list[ParticipationRole]]] = defaultdict(dict)
        totals: dict[str, int] = {}
        for owner, event, starts, total, each in rows:
            grown[owner].setdefault((event, starts), []).append(ParticipationRole(each))
            totals[owner] = total
        for owner in owners:
            listed = grown.get(owner, {})
            found[(owner, role)] = Involvements(
                [(event, starts, roles) for (event, starts), roles in listed.items()],
                totals.get(owner, 0),
            )
    return found


# Whose events `involvements` reads, by the plural of their kind of record.
INVOLVED = {
    "states": col(Participation.state_code),
    "organizations": col(Participation.organization_slug),
}


def _role_entries(rows: list[Any], evidence: Evidence) -> list[ProcessRoleEntry]:
    return [
        ProcessRoleEntry(process=actor.process_slug, role=actor.role, **evidence.of(actor))
        for (actor,) in rows
    ]


def _event_roles(rows: list[Any]) -> dict[str, tuple[EventRef, list[ParticipationRole]]]:
    """Each event once, in date order, with the roles taken at it."""
    events: dict[str, tuple[EventRef, list[ParticipationRole]]] = {}
    for _, event, role in rows:
        entry = events.setdefault(event.slug, (event_ref(event), []))
        entry[1].append(ParticipationRole(role))
    return events


STATE_CHILDREN = {
    "process_roles": _process_roles(col(ProcessActor.state_code)),
    "events": _events_with_roles(col(Participation.state_code)),
}


def state_details(session: Session, codes: Sequence[str]) -> dict[str, StateDetail]:
    """States with their process roles, events with roles, citations and claims: five queries."""
    rows = session.execute(
        sa.select(State, _membership.label("role")).where(col(State.code).in_(codes))
    ).all()
    states = [row[0] for row in rows]
    records = load_records(session, [s.code for s in states], states, STATE_CHILDREN)
    evidence = records.evidence
    return {
        state.code: StateDetail(
            **_state_summary(state, role).model_dump(),
            **evidence.of(state),
            alpha2=state.alpha2,
            aliases=evidence.aliases(state),
            process_roles=_role_entries(records["process_roles"][state.code], evidence),
            events=[
                StateEvent(event=ref, roles=roles)
                for ref, roles in _event_roles(records["events"][state.code]).values()
            ],
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


def organization_fields(organization: Organization | OrganizationSummary) -> dict[str, Any]:
    """An organisation's own summary fields, from its row or a list's summary (REST and GraphQL
    add its country and parent)."""
    return {
        "slug": organization.slug,
        "acronym": organization.acronym,
        "name": organization.name,
        "kind": organization.kind,
    }


def _organization_summary(
    organization: Organization, country: State | None, parent: Organization | None
) -> OrganizationSummary:
    return OrganizationSummary(
        **organization_fields(organization),
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
                    has_alias(SubjectType.organization, Organization.slug, word),
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


ORGANIZATION_CHILDREN = {
    "children": Children(
        lambda keys: (
            sa.select(Organization)
            .where(col(Organization.parent_slug).in_(keys))
            .order_by(col(Organization.name))
        ),
        lambda row: row[0].parent_slug,
        cited=False,
    ),
    "people": Children(
        lambda keys: (
            sa.select(Person)
            .where(col(Person.organization_slug).in_(keys))
            .order_by(col(Person.name))
        ),
        lambda row: row[0].organization_slug,
        cited=False,
    ),
    "process_roles": _process_roles(col(ProcessActor.organization_slug)),
    "events": _events_with_roles(col(Participation.organization_slug)),
}


def organization_details(session: Session, slugs: Sequence[str]) -> dict[str, OrganizationDetail]:
    """Organisations with units, people, process roles, events by role, citations and claims:
    seven queries for any number of organisations."""
    rows = session.execute(_organization_query().where(col(Organization.slug).in_(slugs))).all()
    organizations = [row[0] for row in rows]
    records = load_records(
        session, [o.slug for o in organizations], organizations, ORGANIZATION_CHILDREN
    )
    return {
        organization.slug: _organization_detail(organization, country, parent, records)
        for organization, country, parent in rows
    }


def _organization_detail(
    organization: Organization,
    country: State | None,
    parent: Organization | None,
    records: Records,
) -> OrganizationDetail:
    slug, evidence = organization.slug, records.evidence
    by_role: dict[ParticipationRole, list[EventRef]] = defaultdict(list)
    for ref, roles in _event_roles(records["events"][slug]).values():
        for role in roles:
            by_role[role].append(ref)
    return OrganizationDetail(
        **organization_fields(organization),
        country=state_ref(country),
        parent=organization_ref(parent),
        **evidence.of(organization),
        aliases=evidence.aliases(organization),
        children=[organization_ref(child) for (child,) in records["children"][slug]],
        people=[
            PersonRef(slug=person.slug, name=person.name) for (person,) in records["people"][slug]
        ],
        process_roles=_role_entries(records["process_roles"][slug], evidence),
        events=[RoleEvents(role=role, events=refs) for role, refs in sorted(by_role.items())],
    )


def get_organization(session: Session, slug: str) -> OrganizationDetail:
    detail = organization_details(session, [slug]).get(slug)
    if detail is None:
        raise NotFoundError("organization", slug)
    return detail
