"""Counts of events by any dimension: REST (JSON and CSV) and GraphQL, on both databases."""

import csv
import io

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.rest import counting_queries

STATS = "/api/v1/stats/events"


def _total(client: TestClient, query: str) -> int:
    response = client.get(f"/api/v1/events?limit=1&{query}")
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    return total


def test_rows_by_year_and_kind_add_up_to_the_events_matched(each_db_api: TestClient) -> None:
    stats = each_db_api.get(f"{STATS}?group_by=year,kind").json()
    assert stats["group_by"] == ["year", "kind"]
    assert stats["total"] == _total(each_db_api, "")
    assert sum(row["count"] for row in stats["rows"]) == stats["total"]
    assert all(isinstance(row["year"], int) for row in stats["rows"])
    keys = [(row["year"], row["kind"]) for row in stats["rows"]]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_each_kind_counts_what_the_kind_filter_finds(each_db_api: TestClient) -> None:
    rows = each_db_api.get(f"{STATS}?group_by=kind").json()["rows"]
    assert len(rows) > 1
    for row in rows:
        assert row["count"] == _total(each_db_api, f"kind={row['kind']}")


def test_a_state_counts_the_events_it_takes_part_in(each_db_api: TestClient) -> None:
    stats = each_db_api.get(f"{STATS}?group_by=state,role&year=2015").json()
    states = {row["state"]["code"] for row in stats["rows"] if row["state"]}
    assert "KAZ" in states
    by_state = each_db_api.get(f"{STATS}?group_by=state&year=2015").json()["rows"]
    for row in by_state:
        if row["state"] is not None:
            code = row["state"]["code"]
            assert row["count"] == _total(each_db_api, f"participant={code}&year=2015"), code
    # A role of each participation: the rows of a state add up to at least its events.
    kaz = [row for row in stats["rows"] if row["state"] and row["state"]["code"] == "KAZ"]
    assert sum(row["count"] for row in kaz) >= next(
        row["count"] for row in by_state if row["state"] and row["state"]["code"] == "KAZ"
    )


def test_three_dimensions_and_the_filters(each_db_api: TestClient) -> None:
    stats = each_db_api.get(f"{STATS}?group_by=country,city,status&participant=KAZ").json()
    assert stats["total"] == _total(each_db_api, "participant=KAZ")
    assert sum(row["count"] for row in stats["rows"]) == stats["total"]
    assert all(row["kind"] is None and row["year"] is None for row in stats["rows"])


def test_the_csv_holds_the_same_counts(each_db_api: TestClient) -> None:
    rows = each_db_api.get(f"{STATS}?group_by=organization,role").json()["rows"]
    response = each_db_api.get(f"{STATS}.csv?group_by=organization,role")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0] == ["organization_slug", "organization_name", "role", "count"]
    assert [[r[0], r[2], int(r[3])] for r in table[1:]] == [
        [
            row["organization"]["slug"] if row["organization"] else "",
            row["role"] or "",
            row["count"],
        ]
        for row in rows
    ]


@pytest.mark.parametrize(
    "group_by", ["colour", "year,kind,status,city", "year;kind", "", "year,,kind"]
)
def test_a_bad_grouping_is_refused_naming_the_parameter(
    sqlite_api: TestClient, group_by: str
) -> None:
    response = sqlite_api.get(f"{STATS}?group_by={group_by}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["invalid_params"][0]["name"] == "group_by"


def test_a_repeated_dimension_counts_once(sqlite_api: TestClient) -> None:
    once = sqlite_api.get(f"{STATS}?group_by=kind").json()
    twice = sqlite_api.get(f"{STATS}?group_by=kind,kind").json()
    assert twice == once


def test_states_and_organisations_together_are_every_participant(
    each_db_api: TestClient,
) -> None:
    both = each_db_api.get(f"{STATS}?group_by=state,organization").json()["rows"]
    states = each_db_api.get(f"{STATS}?group_by=state").json()["rows"]
    organizations = each_db_api.get(f"{STATS}?group_by=organization").json()["rows"]
    assert all(row["state"] is None or row["organization"] is None for row in both)
    assert [r for r in both if r["state"]] == [
        {**r, "organization": None} for r in states if r["state"]
    ]
    assert [(r["organization"], r["count"]) for r in both if r["organization"]] == [
        (r["organization"], r["count"]) for r in organizations if r["organization"]
    ]


def test_graphql_gives_the_rows_rest_gives(each_db_api: TestClient) -> None:
    rest = each_db_api.get(f"{STATS}?group_by=state,role&kind=senior_officials_meeting").json()
    query = (
        "{ eventStats(groupBy: [state, role], filter: {kind: senior_officials_meeting})"
        " { state { code name } role count } }"
    )
    answer = each_db_api.post("/graphql", json={"query": query}).json()
    assert "errors" not in answer
    assert answer["data"]["eventStats"] == [
        {"state": row["state"], "role": row["role"], "count": row["count"]} for row in rest["rows"]
    ]


def test_graphql_refuses_a_bad_grouping_naming_the_argument(sqlite_api: TestClient) -> None:
    query = "{ eventStats(groupBy: [year, kind, status, city]) { count } }"
    error = sqlite_api.post("/graphql", json={"query": query}).json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "groupBy"}


def test_stats_cost_a_group_by_and_a_count_then_nothing(
    shared_seeded_engine: sa.Engine, each_db_api: TestClient
) -> None:
    url = f"{STATS}?group_by=year,kind,status&country=KAZ"
    with counting_queries(shared_seeded_engine) as first:
        assert each_db_api.get(url).status_code == 200
    # The data version, the GROUP BY, the count.
    assert first.count == 3
    # Remembered per data version: another spelling of the same question reads it again only
    # for the data version.
    with counting_queries(shared_seeded_engine) as again:
        assert each_db_api.get(url + "&bom=false").status_code == 200
    assert again.count == 1
