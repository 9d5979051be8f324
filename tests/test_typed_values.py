"""Typed values for charts: dates as Date with their precision, years as Int, facet values as
their filters take them; on both databases where the data answers."""

import calendar
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.seed.loader import load_seed
from tests.graphql import data
from tests.seed_edits import Data, edit_yaml, record
from tests.test_operations import ClientFor

TYPE = """query($name: String!) { __type(name: $name) { fields { name type {
    kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }"""


def _field_types(client: TestClient, type_name: str) -> dict[str, str]:
    """Each field of a GraphQL type, its type written as in SDL (`Date!`, `[YearFacetValue!]!`)."""

    def written(node: dict[str, Any]) -> str:
        if node["kind"] == "NON_NULL":
            return written(node["ofType"]) + "!"
        if node["kind"] == "LIST":
            return "[" + written(node["ofType"]) + "]"
        name: str = node["name"]
        return name

    found = data(client, TYPE, {"name": type_name})["__type"]
    return {field["name"]: written(field["type"]) for field in found["fields"]}


def test_the_schema_types_dates_years_and_facet_values(sqlite_api: TestClient) -> None:
    event = _field_types(sqlite_api, "Event")
    assert event["startOn"] == "Date!"
    assert event["endOn"] == "Date!"
    assert event["startDatePrecision"] == "DatePrecision!"
    assert event["endDatePrecision"] == "DatePrecision!"
    # The strings stay, as they were.
    assert (event["startDate"], event["endDate"]) == ("String!", "String!")
    precisions = data(sqlite_api, '{ __type(name: "DatePrecision") { enumValues { name } } }')
    assert [v["name"] for v in precisions["__type"]["enumValues"]] == ["day", "month", "year"]

    facets = _field_types(sqlite_api, "EventFacets")
    assert facets["total"] == "Int!"
    assert facets["year"] == "[YearFacetValue!]!"
    assert _field_types(sqlite_api, "YearFacetValue") == {
        "value": "Int!",
        "label": "String!",
        "count": "Int!",
    }
    assert _field_types(sqlite_api, "KindFacetValue")["value"] == "EventKind!"
    country = _field_types(sqlite_api, "CountryFacetValue")
    assert (country["value"], country["state"]) == ("String!", "StateRef!")
    organization = _field_types(sqlite_api, "OrganizationFacetValue")
    assert (organization["value"], organization["organization"]) == ("String!", "OrganizationRef!")
    # The filter takes what the facets give.
    filters = data(
        sqlite_api, '{ __type(name: "EventFilter") { inputFields { name type { name } } } }'
    )
    taken = {f["name"]: f["type"]["name"] for f in filters["__type"]["inputFields"]}
    assert (taken["year"], taken["kind"], taken["country"]) == ("Int", "EventKind", "String")


def _period(text: str) -> tuple[date, date, str]:
    """What a partial date written as YYYY, YYYY-MM or YYYY-MM-DD covers: its first and last
    day and its precision, worked out here from the text alone."""
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31), "year"
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], last), "month"
    day = date(*parts)
    return day, day, "day"


def _blur_dates(data: Data) -> None:
    """Three events known less precisely than the seed knows them: each date stays stated by
    the passages the event cites (a day inside the month or the year)."""
    record(data, "events", "second-som-2015")["start"] = "2015-09"
    training = record(data, "events", "regional-training-irregular-migration-2015")
    training["start"], training["end"] = "2015-03", "2015-04"
    record(data, "events", "first-som-2014")["start"] = "2014"


DATES = "slug startDate endDate startOn endOn startDatePrecision endDatePrecision"


def test_typed_dates_cover_the_period_each_string_names(
    seeded_engine: sa.Engine, seed_copy: Path, client_for: ClientFor
) -> None:
    edit_yaml(seed_copy, "events.yaml", _blur_dates)
    load_seed(seeded_engine, seed_copy)
    client = client_for(seeded_engine)

    listed = data(client, f"{{ events(first: 100) {{ nodes {{ {DATES} }} }} }}")["events"]
    nodes = {node["slug"]: node for node in listed["nodes"]}
    for node in nodes.values():
        first, _, start_precision = _period(node["startDate"])
        _, last, end_precision = _period(node["endDate"])
        assert (node["startOn"], node["startDatePrecision"]) == (
            first.isoformat(),
            start_precision,
        ), node
        assert (node["endOn"], node["endDatePrecision"]) == (last.isoformat(), end_precision), node
    # Each precision is there, as the seed now states it.
    assert nodes["first-som-2014"] == {
        "slug": "first-som-2014",
        "startDate": "2014",
        "endDate": "2014",
        "startOn": "2014-01-01",
        "endOn": "2014-12-31",
        "startDatePrecision": "year",
        "endDatePrecision": "year",
    }
    training = nodes["regional-training-irregular-migration-2015"]
    assert (training["startOn"], training["endOn"]) == ("2015-03-01", "2015-04-30")
    assert (training["startDatePrecision"], training["endDatePrecision"]) == ("month", "month")
    som = nodes["second-som-2015"]
    assert (som["startOn"], som["endOn"]) == ("2015-09-01", "2015-09-30")
    conference = nodes["first-regional-conference-2011"]
    assert (conference["startOn"], conference["endOn"]) == ("2011-03-15", "2011-03-16")
    assert (conference["startDatePrecision"], conference["endDatePrecision"]) == ("day", "day")

    # One event read by slug (from its row, not a list's summary) says the same, and so does
    # REST, field for field.
    for slug, node in nodes.items():
        one = data(client, f'{{ event(slug: "{slug}") {{ {DATES} }} }}')["event"]
        assert one == node
        rest = client.get(f"/api/v1/events/{slug}").json()
        assert {
            "slug": rest["slug"],
            "startDate": rest["start_date"],
            "endDate": rest["end_date"],
            "startOn": rest["start_on"],
            "endOn": rest["end_on"],
            "startDatePrecision": rest["start_date_precision"],
            "endDatePrecision": rest["end_date_precision"],
        } == node


def test_the_date_filters_find_an_event_from_its_start_on_to_its_end_on(
    seeded_engine: sa.Engine, seed_copy: Path, client_for: ClientFor
) -> None:
    edit_yaml(seed_copy, "events.yaml", _blur_dates)
    load_seed(seeded_engine, seed_copy)
    client = client_for(seeded_engine)
    nodes = data(client, "{ events(first: 100) { nodes { slug startOn endOn } } }")["events"]
    query = """query($from: Date, $to: Date) {
        events(filter: {dateFrom: $from, dateTo: $to}, first: 100) { nodes { slug } } }"""

    def found(**bounds: date) -> set[str]:
        given = {name: day.isoformat() for name, day in bounds.items()}
        return {node["slug"] for node in data(client, query, given)["events"]["nodes"]}

    day = timedelta(days=1)
    for node in nodes["nodes"]:
        first, last = date.fromisoformat(node["startOn"]), date.fromisoformat(node["endOn"])
        # The typed period is the one the filters match: a range that touches it finds the
        # event, one that ends the day before or starts the day after does not.
        assert node["slug"] in found(to=first), node
        assert node["slug"] not in found(to=first - day), node
        assert node["slug"] in found(**{"from": last}), node
        assert node["slug"] not in found(**{"from": last + day}), node


FACETS = """query($filter: EventFilter) { eventFacets(filter: $filter) { total
    year { value label count } kind { value label count }
    country { value label state { code name } count }
    organization { value label organization { slug acronym name } count } } }"""


def test_facet_values_are_typed_and_equal_the_rest_facets(each_db_api: TestClient) -> None:
    everything = each_db_api.get("/api/v1/facets/events").json()
    assert {f["value"]: f["count"] for f in everything["year"]} == {
        2011: 1,
        2012: 1,
        2013: 1,
        2014: 1,
        2015: 4,
    }
    for query, given in (("", None), ("participant=KAZ", {"participant": "KAZ"})):
        rest = each_db_api.get(f"/api/v1/facets/events?{query}").json()
        facets = data(each_db_api, FACETS, {"filter": given})["eventFacets"]
        assert facets == rest
        assert facets["year"]
        assert all(isinstance(f["value"], int) for f in facets["year"])
        assert all(f["state"]["code"] == f["value"] for f in facets["country"])
        assert all(f["organization"]["slug"] == f["value"] for f in facets["organization"])


def test_each_facet_value_filters_the_events_it_counts(each_db_api: TestClient) -> None:
    facets = data(each_db_api, FACETS, {"filter": None})["eventFacets"]
    query = """query($year: Int, $kind: EventKind, $country: String) {
        events(filter: {year: $year, kind: $kind, country: $country}) { totalCount } }"""

    def total(**variables: Any) -> int:
        found: int = data(each_db_api, query, variables)["events"]["totalCount"]
        return found

    # Passed back as they came, as variables of the filter's own types.
    for facet in facets["year"]:
        assert total(year=facet["value"]) == facet["count"], facet
    for facet in facets["kind"]:
        assert total(kind=facet["value"]) == facet["count"], facet
    for facet in facets["country"]:
        assert total(country=facet["value"]) == facet["count"], facet
