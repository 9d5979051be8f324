"""Time per call of the query-layer functions behind the heavy requests, as a table.

    uv run --frozen python -m bench.queries DATABASE_URL [DATABASE_URL ...]

Each call runs in its own read transaction with the data version set, as a route runs it, so
remembered totals and facets count as they do in the service (the first call pays for them).
"""

import argparse
import statistics
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import Session

from app.db import create_db_engine
from app.models.enums import EventDimension
from app.queries.changes import latest_version
from app.queries.events import event_facets, get_event, list_events
from app.queries.filters import EventFilters
from app.queries.pagination import PageParams
from app.queries.search import search
from app.queries.stats import event_stats

Call = Callable[[Session], object]


def _page(filters: EventFilters, cursor: str | None = None) -> Call:
    page = PageParams(limit=50, cursor=cursor)
    return lambda s: list_events(s, filters=filters, sort="start_date", page=page)


def _deep_cursor(session: Session, pages: int) -> str | None:
    cursor = None
    for _ in range(pages // 10):
        listing = list_events(
            session,
            filters=EventFilters(),
            sort="start_date",
            page=PageParams(limit=500, cursor=cursor),
        )
        cursor = listing.page.next_cursor or cursor
    return cursor


def _workloads(session: Session) -> dict[str, Call]:
    return {
        "first page": _page(EventFilters()),
        "page 1,000 by cursor": _page(EventFilters(), _deep_cursor(session, 1000)),
        "participant=KAZ": _page(EventFilters(participant="KAZ")),
        "participant=KAZ&year=2015": _page(EventFilters(participant="KAZ", year=2015)),
        "q=migration": _page(EventFilters(q="migration")),
        "/search?q=migration": lambda s: search(s, q="migration", limit=50, cursor=None),
        "event detail": lambda s: get_event(s, "second-som-2015"),
        "facets": lambda s: event_facets(s, filters=EventFilters()),
        "facets participant=KAZ": lambda s: event_facets(
            s, filters=EventFilters(participant="KAZ")
        ),
        "stats year,kind": _stats(EventFilters(), EventDimension.year, EventDimension.kind),
        "stats year,kind country=KAZ": _stats(
            EventFilters(country="KAZ"), EventDimension.year, EventDimension.kind
        ),
        "stats state,role": _stats(EventFilters(), EventDimension.state, EventDimension.role),
        "stats organization,role": _stats(
            EventFilters(), EventDimension.organization, EventDimension.role
        ),
    }


def _stats(filters: EventFilters, *group_by: EventDimension) -> Call:
    return lambda s: event_stats(s, filters=filters, group_by=group_by)


def _time(engine: sa.Engine, call: Call, repeat: int) -> tuple[float, float, float]:
    """First call, then median and p99 of the repeats, in milliseconds."""
    samples = []
    for _ in range(repeat + 1):
        with Session(engine) as session, session.begin():
            version = latest_version(session)
            session.info["data_version"] = version.version if version else None
            began = time.perf_counter()
            call(session)
            samples.append((time.perf_counter() - began) * 1000)
    rest = sorted(samples[1:])
    return samples[0], statistics.median(rest), rest[int(len(rest) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--repeat", type=int, default=100)
    arguments = parser.parse_args()
    print(f"{'database':<40} {'workload':<28} {'first ms':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for url in arguments.urls:
        engine = create_db_engine(url)
        with Session(engine) as session:
            workloads = _workloads(session)
        for name, call in workloads.items():
            first, p50, p99 = _time(engine, call, arguments.repeat)
            print(f"{url[-40:]:<40} {name:<28} {first:>9.2f} {p50:>8.2f} {p99:>8.2f}")
        engine.dispose()


if __name__ == "__main__":
    main()
