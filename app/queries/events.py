"""Reading events: filtered lists, one event in full, and facet counts."""

from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.errors import NotFoundError
from app.models import (
    Document,
    Event,
    EventTheme,
    Organization,
    Outcome,
    Participation,
    Project,
    State,
)
from app.models.base import row_key
from app.models.enums import SubjectType
from app.queries.filters import FUNDER_ROLES, ORGANIZER_ROLES, EventFilters, event_conditions
from app.queries.loaders import (
    event_ref,
    grouped,
    load_participations,
    load_sources,
    participant,
    state_ref,
)
from app.queries.pagination import Keyset, Listing, PageParams, paginate
from app.schemas.common import DocumentRef, ParticipantCount
from app.schemas.discovery import EventFacets, FacetValue
from app.schemas.events import EventDetail, EventSummary, ProjectRef, Theme
from app.schemas.events import Outcome as OutcomeView
from app.schemas.pages import Page

EventSort = Literal["start_date", "-start_date", "title"]

KEYSETS: dict[str, Keyset] = {
    "start_date": Keyset("events:start_date", (col(Event.start_date), col(Event.slug))),
    "-start_date": Keyset("events:-start_date", (col(Event.start_date), col(Event.slug)), True),
    "title": Keyset("events:title", (col(Event.title), col(Event.slug))),
}


def _summary_fields(event: Event, country: State | None) -> dict[str, Any]:
    count = None
    if event.participant_count is not None and event.participant_count_qualifier is not None:
        count = ParticipantCount(
            value=event.participant_count, qualifier=event.participant_count_qualifier
        )
    return {
        **event_ref(event).model_dump(),
        "city": event.city,
        "country": state_ref(country),
        "participant_count": count,
        "related": event.process_slug is None,
    }


def _filtered(filters: EventFilters) -> sa.Select[Event, State]:
    return (
        sa.select(Event, State)
        .outerjoin(State, col(Event.country_code) == State.code)
        .where(*event_conditions(filters))
    )


def list_events(
    session: Session, *, filters: EventFilters, sort: EventSort, page: PageParams
) -> Listing[EventSummary]:
    """One page of the events that match, in the requested order (two queries)."""
    window = paginate(session, _filtered(filters), KEYSETS[sort], page)
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


def event_details(session: Session, slugs: Sequence[str]) -> dict[str, EventDetail]:
    """Events with everything linked to them and every citation: six queries for any number."""
    rows = session.execute(
        sa.select(Event, State, Project)
        .outerjoin(State, col(Event.country_code) == State.code)
        .outerjoin(Project, col(Event.project_slug) == Project.slug)
        .where(col(Event.slug).in_(slugs))
    ).all()
    found = [row[0].slug for row in rows]
    participations = load_participations(session, found)
    outcomes = grouped(
        session.execute(
            sa.select(Outcome, Document)
            .join(Document, col(Outcome.document_slug) == Document.slug)
            .where(col(Outcome.event_slug).in_(found))
            .order_by(col(Outcome.relation), col(Outcome.document_slug))
        ),
        lambda row: row[0].event_slug,
    )
    themes = grouped(
        session.exec(
            select(EventTheme)
            .where(col(EventTheme.event_slug).in_(found))
            .order_by(col(EventTheme.position))
        ),
        lambda theme: theme.event_slug,
    )

    sources = load_sources(
        session,
        [
            *((SubjectType.event, slug) for slug in found),
            *((SubjectType.participation, p[0].id) for ps in participations.values() for p in ps),
            *((SubjectType.outcome, row_key(o)) for os in outcomes.values() for o, _ in os),
            *((SubjectType.event_theme, row_key(t)) for ts in themes.values() for t in ts),
        ],
    )
    details = {}
    for event, country, project in rows:
        participants = [
            participant(*p, sources=sources[(SubjectType.participation, p[0].id)])
            for p in participations.get(event.slug, [])
        ]
        details[event.slug] = EventDetail(
            **_summary_fields(event, country),
            summary=event.summary,
            process=event.process_slug,
            organizers=[p for p in participants if p.role in ORGANIZER_ROLES],
            funders=[p for p in participants if p.role in FUNDER_ROLES],
            participants=participants,
            outcomes=[
                OutcomeView(
                    relation=outcome.relation,
                    document=DocumentRef(
                        slug=document.slug, title=document.title, kind=document.kind
                    ),
                    sources=sources[(SubjectType.outcome, row_key(outcome))],
                )
                for outcome, document in outcomes[event.slug]
            ],
            themes=[
                Theme(
                    number=theme.position,
                    title=theme.title,
                    summary=theme.summary,
                    sources=sources[(SubjectType.event_theme, row_key(theme))],
                )
                for theme in themes[event.slug]
            ],
            project=ProjectRef(slug=project.slug, title=project.title) if project else None,
            sources=sources[(SubjectType.event, event.slug)],
        )
    return details


def get_event(session: Session, slug: str) -> EventDetail:
    """One event in full, or NotFoundError."""
    detail = event_details(session, [slug]).get(slug)
    if detail is None:
        raise NotFoundError("event", slug)
    return detail


def event_facets(session: Session, *, filters: EventFilters) -> EventFacets:
    """Counts of the matching events by year, kind, host country and organisation (two queries)."""
    events = session.execute(_filtered(filters)).all()
    years: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    countries: Counter[tuple[str, str]] = Counter()
    for event, country in events:
        # An event spanning New Year counts in both years, as the year filter would find it.
        for year in range(event.start_date.year, event.end_date.year + 1):
            years[str(year)] += 1
        kinds[event.kind] += 1
        if country is not None:
            countries[(country.code, country.name)] += 1
    matching = _filtered(filters).with_only_columns(col(Event.slug))
    organizations = session.exec(
        select(
            Organization.slug,
            Organization.name,
            sa.func.count(sa.distinct(col(Participation.event_slug))),
        )
        .join(Participation, col(Participation.organization_slug) == Organization.slug)
        .where(col(Participation.event_slug).in_(matching))
        .group_by(col(Organization.slug), col(Organization.name))
    ).all()

    def ranked(counts: list[FacetValue]) -> list[FacetValue]:
        return sorted(counts, key=lambda f: (-f.count, f.value))

    return EventFacets(
        total=len(events),
        year=sorted(
            (FacetValue(value=y, label=y, count=n) for y, n in years.items()),
            key=lambda f: f.value,
        ),
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
