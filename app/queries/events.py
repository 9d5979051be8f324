"""Reading events: filtered lists, one event in full, and facet counts."""

from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col

from app.errors import NotFoundError
from app.models import (
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
from app.queries.filters import FUNDER_ROLES, ORGANIZER_ROLES, EventFilters, event_conditions
from app.queries.pagination import Keyset, Listing, PageParams, count, paginate, remembered
from app.queries.records import Children, Records, direction, load_records, two_way
from app.queries.refs import event_ref, organization_ref, participant, state_ref
from app.schemas.common import DocumentRef, ParticipantCount
from app.schemas.discovery import EventFacets, FacetValue
from app.schemas.events import EventDetail, EventLink, EventSummary, Funder, ProjectRef, Theme
from app.schemas.events import Outcome as OutcomeView
from app.schemas.pages import Page

EventSort = Literal["start_date", "-start_date", "title"]

KEYSETS: dict[str, Keyset] = {
    "start_date": Keyset("events:start_date", (col(Event.start_date), col(Event.slug))),
    "-start_date": Keyset("events:-start_date", (col(Event.start_date), col(Event.slug)), True),
    "title": Keyset("events:title", (col(Event.title), col(Event.slug))),
}


def _summary_fields(event: Event, country: State | None) -> dict[str, Any]:
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
        "country": state_ref(country),
        "participant_count": participants,
        "related": event.process_slug is None,
    }


# Below this many matches a page is read from the matches and sorted; above, by walking the
# order's index and testing each event, which stops after a page: with a tenth of the events
# matching, a page of 50 meets some 500 events, fewer than the matches to sort.
WALK_FROM = 2_000


def _filtered(filters: EventFilters, *, walk: bool = False) -> sa.Select[Event, State]:
    return (
        sa.select(Event, State)
        .outerjoin(State, col(Event.country_code) == State.code)
        .where(*event_conditions(filters, walk=walk))
    )


def list_events(
    session: Session, *, filters: EventFilters, sort: EventSort, page: PageParams
) -> Listing[EventSummary]:
    """One page of the events that match, in the requested order (two queries; the count is
    remembered per data version)."""
    total = count(session, _filtered(filters))
    statement = _filtered(filters, walk=total >= WALK_FROM)
    window = paginate(session, statement, KEYSETS[sort], page, total=total)
    items = [EventSummary(**_summary_fields(row[0], row[1])) for row in window.rows]
    return Listing(
        page=Page[EventSummary](items=items, total=window.total, next_cursor=window.next_cursor),
        keyset_name=KEYSETS[sort].name,
        keys=window.keys,
    )


def all_events(
    session: Session, *, filters: EventFilters, sort: EventSort = "start_date"
) -> list[tuple[EventSummary, str | None]]:
    """Every matching event with its summary text, for feeds (ICS, CSV): one query."""
    statement = _filtered(filters).order_by(*KEYSETS[sort].order_by())
    return [
        (EventSummary(**_summary_fields(event, country)), event.summary)
        for event, country in session.execute(statement)
    ]


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
        **_summary_fields(event, country),
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


def event_facets(session: Session, *, filters: EventFilters) -> EventFacets:
    """Counts of the matching events by year, kind, host country and organisation: two
    GROUP BY queries, remembered per data version like a page's total."""
    return remembered(
        session, _filtered(filters), "facets", lambda: _count_facets(session, filters)
    )


def _count_facets(session: Session, filters: EventFilters) -> EventFacets:
    conditions = event_conditions(filters)
    # Events grouped by kind, host and first and last year: a few thousand groups at most,
    # read from one index (ix_event_facets) when no filter needs the table.
    first = sa.extract("year", col(Event.start_date))
    last = sa.extract("year", col(Event.end_date))
    groups = (
        sa.select(
            col(Event.kind),
            col(Event.country_code),
            first.label("first"),
            last.label("last"),
            sa.func.count().label("n"),
        )
        .where(*conditions)
        .group_by(col(Event.kind), col(Event.country_code), first, last)
        .subquery()
    )
    kinds: Counter[str] = Counter()
    countries: Counter[tuple[str, str]] = Counter()
    years: Counter[int] = Counter()
    for kind, code, name, start, end, n in session.execute(
        sa.select(
            groups.c.kind,
            col(State.code),
            col(State.name),
            groups.c.first,
            groups.c.last,
            groups.c.n,
        ).outerjoin(State, col(State.code) == groups.c.country_code)
    ):
        kinds[kind] += n
        if code is not None:
            countries[(code, name)] += n
        # An event spanning New Year counts in each of its years, as the year filter finds it.
        for year in range(int(start), int(end) + 1):
            years[year] += n
    matching = sa.select(col(Event.slug)).where(*conditions)
    by_organization = (
        sa.select(
            col(Participation.organization_slug).label("slug"),
            sa.func.count(sa.distinct(col(Participation.event_slug))).label("n"),
        )
        .where(col(Participation.event_slug).in_(matching))
        .group_by(col(Participation.organization_slug))
        .subquery()
    )
    organizations = session.execute(
        sa.select(col(Organization.slug), col(Organization.name), by_organization.c.n).join(
            by_organization, by_organization.c.slug == col(Organization.slug)
        )
    ).all()

    def ranked(counts: list[FacetValue]) -> list[FacetValue]:
        return sorted(counts, key=lambda f: (-f.count, f.value))

    return EventFacets(
        total=sum(kinds.values()),
        year=[FacetValue(value=str(y), label=str(y), count=n) for y, n in sorted(years.items())],
        kind=ranked(
            [FacetValue(value=k, label=k.replace("_", " "), count=n) for k, n in kinds.items()]
        ),
        country=ranked(
            [FacetValue(value=code, label=name, count=n) for (code, name), n in countries.items()]
        ),
        organization=ranked(
            [FacetValue(value=slug, label=name, count=n) for slug, name, n in organizations]
        ),
    )
