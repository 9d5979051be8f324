"""The whole dataset in one download: a SQLite file and NDJSON per table, per data version."""

import json
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.models import Claim, Event, metadata


def _listing(sqlite_api: TestClient) -> dict[str, object]:
    response = sqlite_api.get("/api/v1/bulk")
    assert response.status_code == 200
    listing: dict[str, object] = response.json()
    return listing


def test_the_listing_names_every_file_with_its_version_and_licence(sqlite_api: TestClient) -> None:
    listing = _listing(sqlite_api)
    version = str(listing["data_version"])
    assert version == sqlite_api.get("/api/v1/events").headers["x-data-version"]
    assert "CC BY 4.0" in str(listing["licence"])
    files = listing["files"]
    assert isinstance(files, list)
    names = {f["name"] for f in files}
    stem = f"almaty-process-{version[:12]}"
    tables = {t.name for t in metadata.sorted_tables} - {"change_record", "data_version"}
    assert names == {f"{stem}.sqlite"} | {f"{stem}-{table}.ndjson" for table in tables}
    for found in files:
        assert found["url"].endswith(f"/api/v1/bulk/{found['name']}")
        # Every file listed can be fetched, and is the size the listing says.
        fetched = sqlite_api.get(f"/api/v1/bulk/{found['name']}")
        assert fetched.status_code == 200, found["name"]
        assert len(fetched.content) == found["size"]


def test_the_sqlite_file_holds_the_data_and_says_what_it_is(
    sqlite_api: TestClient, shared_seeded_engine: sa.Engine, tmp_path: Path
) -> None:
    version = str(_listing(sqlite_api)["data_version"])
    name = f"almaty-process-{version[:12]}.sqlite"
    response = sqlite_api.get(f"/api/v1/bulk/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.sqlite3"
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    etag = response.headers["etag"]
    assert (
        sqlite_api.get(f"/api/v1/bulk/{name}", headers={"If-None-Match": etag}).status_code == 304
    )
    path = tmp_path / name
    path.write_bytes(response.content)
    with Session(shared_seeded_engine) as session:
        claims = session.exec(select(func.count()).select_from(Claim)).one()
        events = session.exec(select(func.count()).select_from(Event)).one()
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("SELECT count(*) FROM claim").fetchone() == (claims,)
        assert connection.execute("SELECT count(*) FROM event").fetchone() == (events,)
        about = dict(connection.execute("SELECT key, value FROM about").fetchall())
    finally:
        connection.close()
    assert about["data_version"] == version
    assert "CC BY 4.0" in about["licence"]


def test_each_ndjson_file_opens_with_what_it_is_then_one_row_a_line(sqlite_api: TestClient) -> None:
    version = str(_listing(sqlite_api)["data_version"])
    response = sqlite_api.get(f"/api/v1/bulk/almaty-process-{version[:12]}-event.ndjson")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    first, *rows = [json.loads(line) for line in response.text.splitlines()]
    assert first["about"]["table"] == "event"
    assert first["about"]["data_version"] == version
    slugs = {row["slug"] for row in rows}
    assert "first-regional-conference-2011" in slugs
    [conference] = [row for row in rows if row["slug"] == "first-regional-conference-2011"]
    assert (conference["start_date"], conference["status"]) == ("2011-03-15", "held")


def test_a_file_of_no_current_version_is_a_404_problem(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/api/v1/bulk/almaty-process-000000000000.sqlite")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    # A name the pattern lets through is still only looked up among the files made.
    dotted = sqlite_api.get("/api/v1/bulk/almaty-process-x..sqlite")
    assert dotted.status_code == 404
    assert dotted.json()["key"] == "almaty-process-x..sqlite"
