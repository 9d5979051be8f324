"""Events as a calendar (RFC 5545), as CSV, and as schema.org JSON-LD."""

import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

import icalendar

from app.models.enums import EventDimension, EventStatus, ParticipationRole
from app.schemas.common import OrganizationRef, Participant, StateRef
from app.schemas.discovery import EventStats, EventStatsRow
from app.schemas.events import EventDetail, EventSummary

CSV_COLUMNS = (
    "slug",
    "title",
    "kind",
    "status",
    "start_date",
    "end_date",
    "city",
    "country_code",
    "country_name",
    "participant_count",
    "participant_count_qualifier",
    "participant_count_counts",
    "related",
    "url",
)
ICS_UID_DOMAIN = "almaty-process.api"
# How often a subscribed calendar should fetch the feed again (RFC 7986, and the older
# X-PUBLISHED-TTL that Outlook and Apple Calendar read): the data is curated and changes
# seldom, and a refetch of unchanged data is a cheap 304 through the ETag.
ICS_REFRESH = timedelta(days=1)
# OWASP's CSV injection guidance: a cell starting with one of these is read as a formula by
# spreadsheets, so it is written with a leading single quote, which makes it text.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An event the source only announces is tentative in a calendar, however firm it sounded.
ICS_STATUS = {EventStatus.held: "CONFIRMED", EventStatus.planned: "TENTATIVE"}
# The roles in which the sources say an actor was at the event. Organisers and funders have
# their own properties; a funder or supporter is not said to have been there.
JSONLD_ATTENDING_ROLES = frozenset(
    {
        ParticipationRole.participant,
        ParticipationRole.member_state,
        ParticipationRole.observer_state,
        ParticipationRole.guest_state,
        ParticipationRole.host,
        ParticipationRole.convener,
        ParticipationRole.speaker,
        ParticipationRole.presenter,
        ParticipationRole.trainer,
    }
)
# schema.org has no status for an event that has taken place: EventScheduled is what it
# expects for one that went ahead as planned, and for one still to come.
JSONLD_STATUS = {
    EventStatus.held: "https://schema.org/EventScheduled",
    EventStatus.planned: "https://schema.org/EventScheduled",
}


class NoEvents(icalendar.cal.Component):
    """What a calendar with no matching event holds, since RFC 5545 wants one component."""

    # An x-comp, which RFC 5545 (3.6) tells applications to ignore when they do not know it.
    # A VTIMEZONE would mean nothing to all-day events, and a placeholder VEVENT would put an
    # invented event into subscribers' calendars.
    name = "X-ALMATY-NO-EVENTS"


def _place(event: EventSummary) -> str | None:
    parts = [event.city, event.country.name if event.country else None]
    return ", ".join(part for part in parts if part) or None


def events_ics(
    events: Sequence[tuple[EventSummary, str | None]], *, event_url: str, stamped: datetime | None
) -> bytes:
    """All-day VEVENTs, DTEND exclusive; events not known to the day are left out, not guessed."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Almaty Process open data API//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Almaty Process events")
    calendar.add("refresh-interval", ICS_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(ICS_REFRESH))
    # DTSTAMP is when the data last changed, so the same data gives the same bytes (and ETag).
    stamp = (stamped or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC)
    for event, summary in events:
        if len(event.start_date) != len("YYYY-MM-DD") or len(event.end_date) != len("YYYY-MM-DD"):
            continue
        entry = icalendar.Event()
        entry.add("uid", f"{event.slug}@{ICS_UID_DOMAIN}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", date.fromisoformat(event.start_date))
        entry.add("dtend", date.fromisoformat(event.end_date) + timedelta(days=1))
        entry.add("summary", event.title)
        if (place := _place(event)) is not None:
            entry.add("location", place)
        if summary:
            entry.add("description", " ".join(summary.split()))
        entry.add("url", event_url.format(slug=event.slug))
        entry.add("categories", [event.kind.value])
        entry.add("status", ICS_STATUS[event.status])
        calendar.add_component(entry)
    if not calendar.subcomponents:
        empty = NoEvents()
        empty.add("comment", "No event matches the filters of this feed.")
        calendar.add_component(empty)
    ical: bytes = calendar.to_ical()
    return ical


def _cell(value: str | int) -> str:
    """The value as a cell that a spreadsheet shows as text, never runs as a formula."""
    # Numbers too: a count is never negative, so a leading minus would mean wrong data, which
    # is better kept visibly as text than computed with.
    text = str(value)
    return f"'{text}" if text.startswith(CSV_FORMULA_STARTS) else text


def events_csv(
    events: Sequence[tuple[EventSummary, str | None]], *, event_url: str, bom: bool = False
) -> bytes:
    """One row per event, with a header row; UTF-8, with a byte order mark for Excel if asked."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for event, _ in events:
        count = event.participant_count
        row: list[str | int] = [
            event.slug,
            event.title,
            event.kind.value,
            event.status.value,
            event.start_date,
            event.end_date,
            event.city or "",
            event.country.code if event.country else "",
            event.country.name if event.country else "",
            count.value if count else "",
            count.qualifier.value if count else "",
            (count.counts or "") if count else "",
            "true" if event.related else "false",
            event_url.format(slug=event.slug),
        ]
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


# The CSV columns of each dimension of a count (a reference as its key and its name).
STATS_COLUMNS: dict[EventDimension, tuple[str, ...]] = {
    EventDimension.year: ("year",),
    EventDimension.kind: ("kind",),
    EventDimension.status: ("status",),
    EventDimension.country: ("country_code", "country_name"),
    EventDimension.city: ("city",),
    EventDimension.state: ("state_code", "state_name"),
    EventDimension.organization: ("organization_slug", "organization_name"),
    EventDimension.role: ("role",),
}


def _dimension_cells(row: EventStatsRow, dimension: EventDimension) -> list[str | int]:
    found = getattr(row, dimension.value)
    if isinstance(found, StateRef):
        return [found.code, found.name]
    if isinstance(found, OrganizationRef):
        return [found.slug, found.name]
    if found is None:
        return [""] * len(STATS_COLUMNS[dimension])
    return [found.value if isinstance(found, StrEnum) else found]


def stats_csv(stats: EventStats, *, bom: bool = False) -> bytes:
    """One row per group: the dimensions' columns, then `count`; a header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for d in stats.group_by for name in STATS_COLUMNS[d]] + ["count"])
    for row in stats.rows:
        cells = [cell for d in stats.group_by for cell in _dimension_cells(row, d)]
        writer.writerow([_cell(value) for value in [*cells, row.count]])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def _agent(entry: Participant, base_url: str) -> dict[str, Any]:
    if entry.organization is not None:
        node: dict[str, Any] = {
            "@type": "Organization",
            "@id": f"{base_url}/organizations/{entry.organization.slug}",
            "name": entry.organization.name,
        }
        if entry.organization.acronym:
            node["alternateName"] = entry.organization.acronym
        return node
    if entry.state is not None:
        return {
            "@type": "GovernmentOrganization",
            "@id": f"{base_url}/states/{entry.state.code}",
            "name": entry.state.name,
            "areaServed": {"@type": "Country", "name": entry.state.name},
        }
    assert entry.person is not None
    return {"@type": "Person", "name": entry.person.name}


def _attendees(event: EventDetail, base_url: str) -> list[dict[str, Any]]:
    """Each actor present in an attending role, once, in the order the event lists them."""
    nodes: dict[str, dict[str, Any]] = {}
    for entry in event.participants:
        if entry.role in JSONLD_ATTENDING_ROLES:
            node = _agent(entry, base_url)
            nodes.setdefault(node.get("@id", node["name"]), node)
    return list(nodes.values())


def event_jsonld(
    event: EventDetail, *, base_url: str, country_alpha2: str | None
) -> dict[str, Any]:
    """A schema.org Event; the context is inline (@vocab) so it expands without fetching."""
    url = f"{base_url}/events/{event.slug}"
    node: dict[str, Any] = {
        # eventStatus names a schema.org term: typed @id, it expands to that IRI.
        "@context": {"@vocab": "https://schema.org/", "eventStatus": {"@type": "@id"}},
        "@type": "Event",
        "@id": url,
        "url": url,
        "identifier": event.slug,
        "name": event.title,
        "startDate": event.start_date,
        "endDate": event.end_date,
        "eventStatus": JSONLD_STATUS[event.status],
    }
    # A property with no value is left out rather than given as an empty list.
    lists = {
        "organizer": [_agent(p, base_url) for p in event.organizers],
        "funder": [_agent(p, base_url) for p in event.funders],
        "attendee": _attendees(event, base_url),
        "workFeatured": [
            {
                "@type": "CreativeWork",
                "@id": f"{base_url}/documents/{outcome.document.slug}",
                "name": outcome.document.title,
                "genre": outcome.document.kind.value,
                "description": outcome.relation.value.replace("_", " "),
            }
            for outcome in event.outcomes
        ],
    }
    node.update({key: values for key, values in lists.items() if values})
    if event.summary:
        node["description"] = " ".join(event.summary.split())
    if event.city or event.country:
        place: dict[str, Any] = {"@type": "Place", "name": _place(event)}
        address: dict[str, Any] = {"@type": "PostalAddress"}
        if event.city:
            address["addressLocality"] = event.city
        if country_alpha2:
            # schema.org asks for the ISO 3166-1 alpha-2 code here.
            address["addressCountry"] = country_alpha2
        place["address"] = address
        node["location"] = place
    return node
