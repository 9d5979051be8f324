"""Reading events: filtered lists, one event in full, and facet counts."""

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col

from app.errors import NotFoundError
from app.models import (
    ChangeRecord,
    DataVersion,
    Document,
    Event,
    EventRelation,
    EventTheme,
    Organization,
    Outcome,
    Participation,
    Person,
    Project,
    ProjectFunder,
    State,
)
from app.models.enums import EventKind
from app.queries.filters import (
    FUNDER_ROLES,
    ORGANIZER_ROLES,
    EventFilters,
    FilterShape,
    event_conditions,
    filter_values,
)
from app.queries.pagination import Keyset, Listing, PageParams, count_rows, paginate, remembered
from app.queries.records import Children, Records, direction, load_records, two_way
from app.queries.refs import event_ref, organization_ref, participant, state_ref
from app.schemas.common import DocumentRef, OrganizationRef, ParticipantCount, StateRef
from app.schemas.discovery import (
    CountryFacetValue,
    EventFacets,
    KindFacetValue,
    OrganizationFacetValue,
    YearFacetValue,
)
from app.schemas.events import EventDetail, EventLink, EventSummary, Funder, ProjectRef, Theme
from app.schemas.events import Outcome as OutcomeView
from app.schemas.pages import Page

EventSort = Literal["start_date", "-start_date", "title"]

KEYSETS: dict[str, Keyset] = {
    "start_date": Keyset("events:start_date", (col(Event.start_date), col(Event.slug))),
    "-start_date": Keyset("events:-start_date", (col(Event.start_date), col(Event.slug)), True),
    "title": Keyset("events:title", (col(Event.title), col(Event.slug))),
}


def _summary_fields(event: Event | sa.Row[Any], country: StateRef | None) -> dict[str, Any]:
    """An event's summary, from the event or from a row of the columns `LISTED` names."""
    participants = None
    if event.participant_count is not None and event.participant_count_qualifier is not None:
        participants = ParticipantCount(
            value=event.participant_count,
            qualifier=event.participant_count_qualifier,
            counts=event.participant_count_counts,
        )
    return {
        **event_ref(event).model_dump(),
        "status": event.status,
        "city": event.city,
        "country": country,
        "participant_count": participants,
        "related": event.process_slug is None,
    }


# Below this many matches a page is read from the matches and sorted; above, by walking the
# order's index and testing each event, which stops after a page: with a tenth of the events
# matching, a page of 50 meets some 500 events, fewer than the matches to sort.
WALK_FROM = 2_000


# Built statements, by the shape of what they filter (which filters, not their values): building
# one (some forty SQL expressions) cost more than running it on the seed. Statements are
# immutable, so threads share them; the shapes clients can send are a few hundred at most.
@lru_cache(maxsize=256)
def _filtered(shape: FilterShape) -> sa.Select[*tuple[Any, ...]]:
    return (
        sa.select(*LISTED)
        .select_from(Event)
        .outerjoin(State, col(Event.country_code) == State.code)
        .where(*event_conditions(shape))
    )


# What a list shows of each event and its host, read as plain rows: no objects to build.
LISTED = (
    *(
        col(getattr(Event, name))
        for name in (
            *("slug", "title", "kind", "status", "city", "process_slug"),
            *("start_date", "start_precision", "end_date", "end_precision"),
            *("participant_count", "participant_count_qualifier", "participant_count_counts"),
        )
    ),
    col(State.code).label("host_code"),
    col(State.name).label("host_name"),
)


def _listed(row: sa.Row[Any]) -> EventSummary:
    host = StateRef(code=row.host_code, name=row.host_name) if row.host_code else None
    return EventSummary(**_summary_fields(row, host))


def matching(
    filters: EventFilters, *, walk: bool = False, longest_span: int | None = None
) -> tuple[sa.Select[*tuple[Any, ...]], dict[str, Any]]:
    """The events `filters` selects, as the columns `LISTED` names: the statement of their shape
    and the values to run it with (see `filters.event_conditions`)."""
    values = filter_values(filters, longest_span=longest_span)
    return _filtered(FilterShape.of(filters, values, walk=walk)), values


def count_matching(session: Session, filters: EventFilters) -> int:
    """How many events `filters` selects, remembered per data version (keyed by the frozen
    filters: a remembered total costs no statement to build)."""
    return remembered(
        session, ("event count", filters), lambda: count_rows(session, *matching(filters))
    )


def _longest_span(session: Session) -> int | None:
    """The most calendar years an event spans, remembered per data version; None without a
    data version, where reading it each time would cost more than it saves."""
    if session.info.get("data_version") is None:
        return None
    return remembered(
        session,
        ("longest event span",),
        lambda: int(session.connection().scalar(_LONGEST_SPAN) or 0),
    )


_YEARS = sa.extract("year", col(Event.end_date)) - sa.extract("year", col(Event.start_date))
_LONGEST_SPAN = sa.select(sa.func.coalesce(sa.func.max(_YEARS), 0))


def list_events(
    session: Session,
    *,
    filters: EventFilters,
    sort: EventSort,
    page: PageParams,
    before: str | None = None,
) -> Listing[EventSummary]:
    """One page of the events that match, in the requested order (two queries; the count is
    remembered per data version); `before` a cursor for the page ending before its event."""
    total = count_matching(session, filters)
    # With a year, the events start within the longest span before it: a walk of the date
    # index over that range meets few events, whatever the other filters match (the title
    # order has no such range to walk).
    span = _longest_span(session) if filters.year is not None else None
    by_date = span is not None and sort != "title"
    statement, values = matching(filters, walk=total >= WALK_FROM or by_date, longest_span=span)
    window = paginate(
        session, statement, KEYSETS[sort], page, total=total, values=values, before=before
    )
    items = [_listed(row) for row in window.rows]
    return Listing(
        page=Page[EventSummary](items=items, total=window.total, next_cursor=window.next_cursor),
        keyset_name=KEYSETS[sort].name,
        keys=window.keys,
        previous_cursor=window.previous_cursor,
    )


def all_events(
    session: Session, *, filters: EventFilters, sort: EventSort = "start_date"
) -> list[tuple[EventSummary, str | None]]:
    """Every matching event with its summary text, for feeds (ICS, CSV): one query."""
    statement, values = matching(filters)
    statement = statement.add_columns(col(Event.summary)).order_by(*KEYSETS[sort].order_by())
    return [(_listed(row), row.summary) for row in session.connection().execute(statement, values)]


def event_pages(session: Session, *, offset: int, limit: int) -> list[tuple[str, datetime | None]]:
    """Events in date order from `offset`, the ones the documents only refer to as well, each
    with when its record was last added or changed (its latest load in the change log)."""
    return [(slug, changed) for slug, changed in session.execute(_PAGES, {"o": offset, "n": limit})]


_CHANGED = (
    sa.select(col(ChangeRecord.key), sa.func.max(col(DataVersion.loaded_at)).label("at"))
    .join(DataVersion, col(DataVersion.id) == col(ChangeRecord.data_version_id))
    .where(col(ChangeRecord.entity) == Event.__tablename__, col(ChangeRecord.action) != "removed")
    .group_by(col(ChangeRecord.key))
    .subquery()
)
_PAGES = (
    sa.select(col(Event.slug), _CHANGED.c.at)
    .outerjoin(_CHANGED, _CHANGED.c.key == col(Event.slug))
    .order_by(*KEYSETS["start_date"].order_by())
    .offset(sa.bindparam("o", type_=sa.Integer))
    .limit(sa.bindparam("n", type_=sa.Integer))
)


EVENT_CHILDREN = {
    "participations": Children(
        lambda keys: (
            sa.select(Participation, State, Organization, Person)
            .outerjoin(State, col(Participation.state_code) == State.code)
            .outerjoin(Organization, col(Participation.organization_slug) == Organization.slug)
            .outerjoin(Person, col(Participation.person_slug) == Person.slug)
            .where(col(Participation.event_slug).in_(keys))
            .order_by(col(Participation.event_slug), col(Participation.role), col(Participation.id))
        ),
        lambda row: row[0].event_slug,
    ),
    "outcomes": Children(
        lambda keys: (
            sa.select(Outcome, Document)
            .join(Document, col(Outcome.document_slug) == Document.slug)
            .where(col(Outcome.event_slug).in_(keys))
            .order_by(col(Outcome.relation), col(Outcome.document_slug))
        ),
        lambda row: row[0].event_slug,
    ),
    "themes": Children(
        lambda keys: (
            sa.select(EventTheme)
            .where(col(EventTheme.event_slug).in_(keys))
            .order_by(col(EventTheme.position))
        ),
        lambda row: row[0].event_slug,
    ),
    "relations": two_way(EventRelation, Event),
    # The funders of each event's project, keyed by the event.
    "funders": Children(
        lambda keys: (
            sa.select(ProjectFunder, State, Organization, col(Event.slug))
            .join(Event, col(Event.project_slug) == ProjectFunder.project_slug)
            .outerjoin(State, col(ProjectFunder.state_code) == State.code)
            .outerjoin(Organization, col(ProjectFunder.organization_slug) == Organization.slug)
            .where(col(Event.slug).in_(keys))
            .order_by(col(ProjectFunder.id))
        ),
        lambda row: row[3],
    ),
}


def event_details(session: Session, slugs: Sequence[str]) -> dict[str, EventDetail]:
    """Events with everything linked to them, every citation and claim: eight queries for any
    number of events."""
    rows = session.execute(
        sa.select(Event, State, Project)
        .outerjoin(State, col(Event.country_code) == State.code)
        .outerjoin(Project, col(Event.project_slug) == Project.slug)
        .where(col(Event.slug).in_(slugs))
    ).all()
    roots = [row[0] for row in rows] + [row[2] for row in rows if row[2] is not None]
    records = load_records(
        session, [event.slug for event in roots[: len(rows)]], roots, EVENT_CHILDREN
    )
    return {
        event.slug: _event_detail(event, country, project, records)
        for event, country, project in rows
    }


def _event_detail(
    event: Event, country: State | None, project: Project | None, records: Records
) -> EventDetail:
    evidence = records.evidence
    participants = [
        participant(*row, evidence=evidence) for row in records["participations"][event.slug]
    ]
    return EventDetail(
        **_summary_fields(event, state_ref(country)),
        **evidence.of(event),
        aliases=evidence.aliases(event),
        summary=event.summary,
        attendance=event.attendance,
        process=event.process_slug,
        process_relation=event.process_relation,
        organizers=[p for p in participants if p.role in ORGANIZER_ROLES],
        funders=[p for p in participants if p.role in FUNDER_ROLES],
        participants=participants,
        outcomes=[
            OutcomeView(
                relation=outcome.relation,
                document=DocumentRef(slug=document.slug, title=document.title, kind=document.kind),
                **evidence.of(outcome),
            )
            for outcome, document in records["outcomes"][event.slug]
        ],
        themes=[
            Theme(
                number=theme.position,
                title=theme.title,
                summary=theme.summary,
                sources=evidence.sources(theme),
            )
            for (theme,) in records["themes"][event.slug]
        ],
        relations=[
            EventLink(
                relation=link.relation,
                direction=direction(link, event.slug),
                event=event_ref(other),
                **evidence.of(link),
            )
            for link, other in records["relations"][event.slug]
        ],
        project=ProjectRef(
            slug=project.slug,
            title=project.title,
            **evidence.of(project),
            funders=[
                Funder(
                    state=state_ref(state),
                    organization=organization_ref(organization),
                    **evidence.of(funder),
                )
                for funder, state, organization, _ in records["funders"][event.slug]
            ],
        )
        if project
        else None,
    )


def host_alpha2(session: Session, event: EventDetail) -> str | None:
    """The host state's ISO alpha-2 code, which the detail does not carry: one primary-key read,
    for the representations that want it (JSON-LD, the event's page)."""
    host = session.get(State, event.country.code) if event.country else None
    return host.alpha2 if host else None


def get_event(session: Session, slug: str) -> EventDetail:
    """One event in full, or NotFoundError."""
    detail = event_details(session, [slug]).get(slug)
    if detail is None:
        raise NotFoundError("event", slug)
    return detail


def _organization_counts(
    session: Session,
    filters: EventFilters,
    conditions: list[sa.ColumnElement[bool]],
    values: dict[str, Any],
) -> dict[OrganizationRef, int]:
    """The matching events of each organisation taking part in one."""
    organization = col(Participation.organization_slug)
    event = col(Participation.event_slug)

    def per_organization(
        *where: sa.ColumnElement[bool], sign: int = 1
    ) -> sa.Select[*tuple[Any, ...]]:
        counts = (
            sa.select(organization.label("slug"), sa.func.count(sa.distinct(event)).label("n"))
            .where(organization.is_not(None), *where)
            .group_by(organization)
            .subquery()
        )
        return sa.select(
            col(Organization.slug),
            col(Organization.acronym),
            col(Organization.name),
            (counts.c.n * sign).label("n"),
        ).join(counts, counts.c.slug == col(Organization.slug))

    if filters.model_copy(update={"related": True}) != EventFilters(related=True):
        statement = per_organization(event.in_(sa.select(col(Event.slug)).where(*conditions)))
    elif filters.related:
        # No filter: read from ix_participation_organization_event alone rather than look up
        # each participation's event.
        statement = per_organization()
    else:
        # The same, less the few events the documents only refer to (ix_event_process_slug):
        # both counts in one round trip, added up here.
        unrelated = sa.select(col(Event.slug)).where(col(Event.process_slug).is_(None))
        statement = sa.union_all(
            per_organization(), per_organization(event.in_(unrelated), sign=-1)
        )  # type: ignore[assignment]
    totals: Counter[OrganizationRef] = Counter()
    for slug, acronym, name, n in session.execute(statement, values):
        totals[OrganizationRef(slug=slug, acronym=acronym, name=name)] += n
    return {organization: n for organization, n in totals.items() if n}


# The facets ranked by count: each has values of one type.
Faceted = TypeVar("Faceted", KindFacetValue, CountryFacetValue, OrganizationFacetValue)


def _ranked(values: list[Faceted]) -> list[Faceted]:
    """Most events first, then in the order of the values."""
    return sorted(values, key=lambda f: (-f.count, f.value))


def event_facets(session: Session, *, filters: EventFilters) -> EventFacets:
    """Counts of the matching events by year, kind, host country and organisation: two
    GROUP BY queries, remembered per data version like a page's total."""
    return remembered(session, ("event facets", filters), lambda: _count_facets(session, filters))


def _count_facets(session: Session, filters: EventFilters) -> EventFacets:
    values = filter_values(filters)
    conditions = event_conditions(FilterShape.of(filters, values))
    # Kinds and hosts grouped in one branch, which walks ix_event_facets in its own order (no
    # sort) when no filter needs the table; first and last years in the other, a few dozen
    # groups: two GROUP BYs, one round trip.
    hosts = (
        sa.select(col(Event.kind), col(Event.country_code), sa.func.count().label("n"))
        .where(*conditions)
        .group_by(col(Event.kind), col(Event.country_code))
        .subquery()
    )
    first = sa.cast(sa.extract("year", col(Event.start_date)), sa.Integer)
    last = sa.cast(sa.extract("year", col(Event.end_date)), sa.Integer)
    text = sa.String()
    by_host = sa.select(
        sa.literal("host", text).label("facet"),
        hosts.c.kind.label("a"),
        col(State.code).label("b"),
        col(State.name).label("c"),
        hosts.c.n,
    ).outerjoin(State, col(State.code) == hosts.c.country_code)
    by_years = (
        sa.select(
            sa.literal("years", text),
            sa.cast(first, text),
            sa.cast(last, text),
            sa.null(),
            sa.func.count(),
        )
        .where(*conditions)
        .group_by(first, last)
    )
    kinds: Counter[EventKind] = Counter()
    countries: Counter[StateRef] = Counter()
    years: Counter[int] = Counter()
    for facet, a, b, c, n in session.execute(sa.union_all(by_host, by_years), values):
        if facet == "host":
            kinds[EventKind(a)] += n
            if b is not None:
                countries[StateRef(code=b, name=c)] += n
        else:
            # An event spanning New Year counts in each of its years, as the year filter
            # finds it.
            for year in range(int(a), int(b) + 1):
                years[year] += n
    organizations = _organization_counts(session, filters, conditions, values)

    return EventFacets(
        total=sum(kinds.values()),
        year=[YearFacetValue(value=y, label=str(y), count=n) for y, n in sorted(years.items())],
        kind=_ranked(
            [
                KindFacetValue(value=kind, label=kind.replace("_", " "), count=n)
                for kind, n in kinds.items()
            ]
        ),
        country=_ranked(
            [
                CountryFacetValue(value=state.code, label=state.name, state=state, count=n)
                for state, n in countries.items()
            ]
        ),
        organization=_ranked(
            [
                OrganizationFacetValue(
                    value=organization.slug,
                    label=organization.name,
                    organization=organization,
                    count=n,
                )
                for organization, n in organizations.items()
            ]
        ),
    )
