"""The whole dataset in one download: a SQLite file and NDJSON per table, per data version."""

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
