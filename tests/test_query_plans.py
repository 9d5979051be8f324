"""The statements the query layer runs find their rows through indexes, at 20,000 events.

Each workload calls the query-layer function the routes call, captures the SQL it really
sends (SQLAlchemy's cursor events), and asks the database how it runs each statement: SQLite's
EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN after ANALYZE (sequential scans priced out). A full
scan of a big table (events, participations, citations, claims) fails the test, except where
every row is the answer.
"""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.db import create_db_engine
from app.queries.events import event_facets, get_event, list_events
from app.queries.filters import EventFilters
from app.queries.pagination import PageParams
from app.queries.search import search
from bench.generate import add_events
from tests.databases import DatabaseFactory

pytestmark = pytest.mark.slow

EVENTS = 20_000
BIG = {"event", "participation", "citation", "claim"}
Captured = list[tuple[str, Any]]


@pytest.fixture(scope="module")
def big_engine(databases: DatabaseFactory, seeded_template: str) -> Iterator[sa.Engine]:
    engine = create_db_engine(databases.new(template=seeded_template))
    add_events(engine, EVENTS)
    yield engine
    engine.dispose()


def _captured(engine: sa.Engine, call: Callable[[Session], object]) -> Captured:
    """The statements and parameters `call` sends, with no data version (nothing remembered)."""
    sent: Captured = []

    def record(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        with Session(engine) as session, session.begin():
            call(session)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return sent


def _sqlite_scans(connection: sa.Connection, statement: str, parameters: Any) -> list[str]:
    """The big tables a statement reads whole: SQLite's `SCAN table` with no index to bound it.

    `SCAN t USING INDEX` walks an index in the order asked for and stops at the LIMIT: allowed
    when the statement has one.
    """
    plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    limited = re.search(r"\bLIMIT\b", statement) is not None
    scans = []
    for *_, detail in plan:
        found = re.match(r"SCAN (\w+)( USING (COVERING )?INDEX)?", detail)
        if found and found.group(1) in BIG and not (found.group(2) and limited):
            scans.append(detail)
    return scans


def _postgresql_scans(connection: sa.Connection, statement: str, parameters: Any) -> list[str]:
    """The big tables a statement must read whole: PostgreSQL's Seq Scan nodes on them.

    PostgreSQL rightly prefers a sequential scan to count a third of a table; with sequential
    scans priced out, one is left only where no index can serve the statement.
    """
    connection.exec_driver_sql("SET enable_seqscan = off")
    [(plan,)] = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).all()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    scans = []

    def walk(node: dict[str, Any]) -> None:
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in BIG:
            scans.append(f"Seq Scan on {node['Relation Name']}")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return scans


def _full_scans(engine: sa.Engine, call: Callable[[Session], object]) -> list[tuple[str, str]]:
    explain = _sqlite_scans if engine.dialect.name == "sqlite" else _postgresql_scans
    found = []
    with engine.connect() as connection:
        for statement, parameters in _captured(engine, call):
            found += [(scan, statement) for scan in explain(connection, statement, parameters)]
    return found


def _page(filters: EventFilters, cursor: str | None = None) -> Callable[[Session], object]:
    return lambda session: list_events(
        session, filters=filters, sort="start_date", page=PageParams(limit=50, cursor=cursor)
    )


FILTERED = {
    "participant": EventFilters(participant="KAZ"),
    "participant and year": EventFilters(participant="KAZ", year=2015),
    "organizer": EventFilters(organizer="iom"),
    "funder": EventFilters(funder="eu"),
    "year": EventFilters(year=2015),
    "dates": EventFilters(date_from="2015-03-01", date_to="2015-03-31"),
    "q": EventFilters(q="migration"),
    "q, two words": EventFilters(q="labour migr"),
}


@pytest.mark.parametrize("name", FILTERED)
def test_a_filtered_list_and_its_count_use_indexes(big_engine: sa.Engine, name: str) -> None:
    assert _full_scans(big_engine, _page(FILTERED[name])) == []


@pytest.mark.parametrize("name", ["participant", "q", "year"])
def test_filtered_facets_use_indexes(big_engine: sa.Engine, name: str) -> None:
    scans = _full_scans(big_engine, lambda s: event_facets(s, filters=FILTERED[name]))
    assert scans == []


def test_the_first_page_and_a_deep_page_walk_the_order_index(big_engine: sa.Engine) -> None:
    filters = EventFilters()
    with Session(big_engine) as session:
        cursor = None
        for _ in range(20):
            cursor = _page_cursor(session, filters, cursor)
    # The count of an unfiltered list reads every event: it is remembered per data version
    # (app.queries.pagination); the page itself must not.
    for call in (_page(filters), _page(filters, cursor)):
        page_scans = [
            (scan, statement)
            for scan, statement in _full_scans(big_engine, call)
            if "count(" not in statement
        ]
        assert page_scans == []


def _page_cursor(session: Session, filters: EventFilters, cursor: str | None) -> str | None:
    listing = list_events(
        session, filters=filters, sort="start_date", page=PageParams(limit=500, cursor=cursor)
    )
    return listing.page.next_cursor


def test_search_finds_events_through_the_index(big_engine: sa.Engine) -> None:
    scans = _full_scans(big_engine, lambda s: search(s, q="migration", limit=20, cursor=None))
    assert scans == []


def test_an_event_in_full_reads_by_key(big_engine: sa.Engine) -> None:
    assert _full_scans(big_engine, lambda s: get_event(s, "synthetic-0-000123")) == []
    assert _full_scans(big_engine, lambda s: get_event(s, "second-som-2015")) == []
