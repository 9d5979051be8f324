"""The whole dataset in one download: a SQLite file, NDJSON and CSV per table, and what it is,
per data version (tests/test_bulk_readers.py reads them with DuckDB and pandas)."""

import csv
import io
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.db import create_db_engine
from app.models import Claim, Event, metadata
from app.queries.bulk import BulkStore
from app.rest import bulk
from app.seed.loader import load_seed
from tests.seed_edits import Data, edit_yaml, record


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
    assert names == {f"{stem}.sqlite", f"{stem}-about.json"} | {
        f"{stem}-{table}.{kind}" for table in tables for kind in ("ndjson", "csv")
    }
    for found in files:
        assert found["url"].endswith(f"/api/v1/bulk/{found['name']}")
        stable = found["name"].replace(f"-{version[:12]}", "")
        assert found["latest_url"].endswith(f"/api/v1/bulk/latest/{stable}")
        # Every file listed can be fetched as stored (never gzipped on the way, even when the
        # client accepts it), and is the size the listing says.
        fetched = sqlite_api.get(found["url"], headers={"Accept-Encoding": "gzip"})
        assert fetched.status_code == 200, found["name"]
        assert "content-encoding" not in fetched.headers, found["name"]
        assert int(fetched.headers["content-length"]) == found["size"]
        assert len(fetched.content) == found["size"]
        assert fetched.headers["content-type"] == found["media_type"]


def test_the_sqlite_file_holds_the_data_and_says_what_it_is(
    each_db_api: TestClient, shared_seeded_engine: sa.Engine, tmp_path: Path
) -> None:
    version = str(_listing(each_db_api)["data_version"])
    name = f"almaty-process-{version[:12]}.sqlite"
    response = each_db_api.get(f"/api/v1/bulk/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.sqlite3"
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    etag = response.headers["etag"]
    assert (
        each_db_api.get(f"/api/v1/bulk/{name}", headers={"If-None-Match": etag}).status_code == 304
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


def test_each_ndjson_file_holds_one_row_a_line_and_nothing_else(sqlite_api: TestClient) -> None:
    version = str(_listing(sqlite_api)["data_version"])
    response = sqlite_api.get(f"/api/v1/bulk/almaty-process-{version[:12]}-event.ndjson")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    rows = [json.loads(line) for line in response.text.splitlines()]
    columns = [column.name for column in metadata.tables["event"].columns]
    assert all(list(row) == columns for row in rows)
    [conference] = [row for row in rows if row["slug"] == "first-regional-conference-2011"]
    assert (conference["start_date"], conference["status"]) == ("2011-03-15", "held")


def test_each_csv_file_is_rfc_4180_with_a_header_row(sqlite_api: TestClient) -> None:
    version = str(_listing(sqlite_api)["data_version"])
    response = sqlite_api.get(f"/api/v1/bulk/almaty-process-{version[:12]}-event.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    header, _, _ = text.partition("\r\n")
    assert header.split(",") == [column.name for column in metadata.tables["event"].columns]
    # Lines end in CRLF; a cell with a comma, a quote or a line break is quoted, quotes doubled.
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    [conference] = [row for row in rows if row["slug"] == "first-regional-conference-2011"]
    assert (conference["start_date"], conference["participant_count"]) == ("2011-03-15", "120")
    assert conference["project_slug"] == ""  # null
    assert "," in conference["attendance"]
    assert f'"{conference["attendance"]}"' in text
    assert text.count("\r\n") == len(rows) + 1


def test_the_latest_url_serves_the_current_file_and_caches_revalidate_it(
    client_for: Callable[[sa.Engine], TestClient],
    sqlite_seeded_engine: sa.Engine,
    seed_copy: Path,
) -> None:
    """A dashboard reads one URL again and again: it gets the current version's file, and a
    cache in between asks each time, so a new data version shows at once."""
    client = client_for(sqlite_seeded_engine)
    latest = "/api/v1/bulk/latest/almaty-process-event.csv"
    before = client.get(latest)
    assert before.status_code == 200
    version = before.headers["x-data-version"]
    versioned = client.get(f"/api/v1/bulk/almaty-process-{version[:12]}-event.csv")
    assert before.content == versioned.content
    assert before.headers["etag"] == versioned.headers["etag"]
    assert before.headers["cache-control"] == "public, no-cache"
    assert before.headers["content-location"] == (
        f"/api/v1/bulk/almaty-process-{version[:12]}-event.csv"
    )
    unchanged = client.get(latest, headers={"If-None-Match": before.headers["etag"]})
    assert unchanged.status_code == 304
    # Asked with HEAD, the same headers and no bytes.
    head = client.head(latest)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == before.headers["etag"]
    assert int(head.headers["content-length"]) == len(before.content)

    def retitle(data: Data) -> None:
        record(data, "events", "first-som-2014")["title"] = "First Senior Officials Meeting"

    edit_yaml(seed_copy, "events.yaml", retitle)
    load_seed(sqlite_seeded_engine, seed_copy)
    after = client.get(latest, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["x-data-version"] != version
    assert after.headers["etag"] != before.headers["etag"]
    assert "First Senior Officials Meeting," in after.text
    # A download resumed across the change gets the new file whole, not a mix of two.
    resumed = client.get(
        latest, headers={"Range": "bytes=100-", "If-Range": before.headers["etag"]}
    )
    assert resumed.status_code == 200
    assert resumed.content == after.content
    # The old version's own URL is gone.
    assert client.get(before.headers["content-location"]).status_code == 404


def test_a_file_of_no_current_version_is_a_404_problem(sqlite_api: TestClient) -> None:
    response = sqlite_api.get("/api/v1/bulk/almaty-process-000000000000.sqlite")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    # A name the pattern lets through is still only looked up among the files made.
    dotted = sqlite_api.get("/api/v1/bulk/almaty-process-x..sqlite")
    assert dotted.status_code == 404
    assert dotted.json()["key"] == "almaty-process-x..sqlite"
    # A latest URL is by the name without the version; with it, it is no file.
    unknown = sqlite_api.get("/api/v1/bulk/latest/almaty-process-000000000000-event.csv")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"


def test_a_download_resumes_from_a_byte_range(sqlite_api: TestClient) -> None:
    version = str(_listing(sqlite_api)["data_version"])
    url = f"/api/v1/bulk/almaty-process-{version[:12]}-event.ndjson"
    whole = sqlite_api.get(url)
    etag, size = whole.headers["etag"], len(whole.content)
    assert whole.headers["accept-ranges"] == "bytes"
    assert int(whole.headers["content-length"]) == size
    # Never gzipped on the way: a range is a range of the bytes as stored.
    assert "content-encoding" not in whole.headers

    rest = sqlite_api.get(url, headers={"Range": "bytes=100-", "If-Range": etag})
    assert rest.status_code == 206
    assert rest.headers["content-range"] == f"bytes 100-{size - 1}/{size}"
    assert whole.content[:100] + rest.content == whole.content
    # A file that changed since (another ETag) comes whole.
    changed = sqlite_api.get(url, headers={"Range": "bytes=100-", "If-Range": '"other"'})
    assert changed.status_code == 200
    assert changed.content == whole.content

    past = sqlite_api.get(url, headers={"Range": f"bytes={size + 10}-"})
    assert past.status_code == 416
    assert past.headers["content-type"] == "application/problem+json"
    assert past.headers["content-range"] == f"bytes */{size}"
    assert "Range" in past.json()["detail"]
    garbled = sqlite_api.get(url, headers={"Range": "lines=1-2"})
    assert garbled.status_code == 400
    assert garbled.headers["content-type"] == "application/problem+json"
    assert garbled.json()["detail"].startswith("Range:")


def test_every_replica_names_the_same_bytes_with_the_same_etag(
    sqlite_api: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind a shared cache, a download resumed on another replica must get the same bytes
    under the same tag: the tag is of the bytes, not of a file's time on one disk."""
    version = str(_listing(sqlite_api)["data_version"])
    url = f"/api/v1/bulk/almaty-process-{version[:12]}.sqlite"
    first = sqlite_api.get(url)
    # Another replica: its own folder, its own build.
    monkeypatch.setattr(bulk, "_FILES", BulkStore(tmp_path / "replica"))
    second = sqlite_api.get(url)
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]


@pytest.fixture(scope="module")
def large_engine(busy_sqlite_url: str) -> Iterator[sa.Engine]:
    engine = create_db_engine(busy_sqlite_url)
    yield engine
    engine.dispose()


@pytest.mark.slow
@pytest.mark.xdist_group("busy")
def test_large_files_are_built_in_the_background_a_batch_at_a_time(
    client_for: Callable[[sa.Engine], TestClient],
    large_engine: sa.Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bulk, "_FILES", BulkStore(tmp_path / "bulk"))
    monkeypatch.setattr(bulk, "WAIT_FOR_BUILD", 0.0)
    client = client_for(large_engine)
    # The listing answers at once: being built, come back later.
    began = time.monotonic()
    building = client.get("/api/v1/bulk")
    assert time.monotonic() - began < 1
    assert building.status_code == 503
    assert building.headers["content-type"] == "application/problem+json"
    assert int(building.headers["retry-after"]) > 0
    deadline = time.monotonic() + 120
    while (listed := client.get("/api/v1/bulk")).status_code == 503:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert listed.status_code == 200
    sizes = {f["name"]: f["size"] for f in listed.json()["files"]}
    participations = next(
        size for name, size in sizes.items() if name.endswith("-participation.ndjson")
    )
    assert participations > 12_000 * 8 * 100

    # Built again in a process of its own, to measure what it holds: one batch, not the data.
    built = subprocess.run(
        [sys.executable, "-c", _BUILD_AND_MEASURE, str(large_engine.url), str(tmp_path / "again")],
        capture_output=True,
        text=True,
        check=True,
    )
    before, after, written = (int(part) for part in built.stdout.split())
    assert written == sum(sizes.values())
    assert written > 200 * 1024 * 1024 // 4
    assert after - before < 60 * 1024, (before, after, written)


# Prints the peak RSS (VmHWM, KB) before and after a build, and the bytes of the files written.
_BUILD_AND_MEASURE = """
import sys
from pathlib import Path
import sqlalchemy as sa
from app.queries.bulk import BulkStore

def peak():
    status = Path("/proc/self/status").read_text()
    return int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1])

engine = sa.create_engine(sys.argv[1])
with engine.connect() as warm:
    warm.exec_driver_sql("SELECT 1")
before = peak()
built = BulkStore(Path(sys.argv[2])).files(engine, wait=600)
print(before, peak(), sum(f.size for f in built.files.values()))
"""
