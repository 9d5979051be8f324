"""The bulk files as the tools users read them with see them: DuckDB and pandas, as they are."""

import json
import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.models import ChangeRecord, DataVersion, metadata

# Every table of the data, with its columns in order (the history of loads is not data).
TABLES = {
    table.name: [column.name for column in table.columns]
    for table in metadata.sorted_tables
    if table.name not in {ChangeRecord.__tablename__, DataVersion.__tablename__}
}


def _download(api: TestClient, folder: Path) -> dict[str, Path]:
    """Every file of the listing, saved under its own name; by the name without its version."""
    listing = api.get("/api/v1/bulk")
    assert listing.status_code == 200
    version = listing.json()["data_version"]
    saved = {}
    for listed in listing.json()["files"]:
        response = api.get(listed["url"])
        assert response.status_code == 200, listed["name"]
        path = folder / listed["name"]
        path.write_bytes(response.content)
        saved[listed["name"].replace(f"-{version[:12]}", "")] = path
    return saved


def _rows_in_database(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(
                sa.select(sa.func.count()).select_from(metadata.tables[name])
            ).scalar_one()
            for name in TABLES
        }


@pytest.fixture
def files(each_db_api: TestClient, tmp_path: Path) -> dict[str, Path]:
    return _download(each_db_api, tmp_path)


def test_duckdb_reads_each_table_file_as_the_tables_rows(
    files: dict[str, Path], each_db_api: TestClient, shared_seeded_engine: sa.Engine
) -> None:
    counts = _rows_in_database(shared_seeded_engine)
    events = each_db_api.get("/api/v1/events?related=true&limit=1").json()["total"]
    assert counts["event"] == events
    with duckdb.connect() as duck:
        for table, columns in TABLES.items():
            for read in ("read_json_auto", "read_csv_auto"):
                extension = "ndjson" if read == "read_json_auto" else "csv"
                path = files[f"almaty-process-{table}.{extension}"]
                relation = duck.sql(f"SELECT * FROM {read}('{path}')")
                assert relation.columns == columns, (table, read)
                assert len(relation.fetchall()) == counts[table], (table, read)


def test_pandas_reads_each_table_file_as_the_tables_rows(
    files: dict[str, Path], shared_seeded_engine: sa.Engine
) -> None:
    counts = _rows_in_database(shared_seeded_engine)
    for table, columns in TABLES.items():
        lines = pd.read_json(files[f"almaty-process-{table}.ndjson"], lines=True)
        cells = pd.read_csv(files[f"almaty-process-{table}.csv"])
        assert list(cells.columns) == columns, table
        assert len(cells) == counts[table], table
        assert list(lines.columns) == columns, table
        assert len(lines) == counts[table], table


def test_each_csv_cell_is_the_ndjson_value_as_text(files: dict[str, Path]) -> None:
    """Text as it is, numbers as written, null as an empty cell: what a reader of the CSV
    gets is what the NDJSON (and the SQLite file) hold."""
    for table in TABLES:
        lines = files[f"almaty-process-{table}.ndjson"].read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines]
        cells = pd.read_csv(files[f"almaty-process-{table}.csv"], dtype=str, keep_default_na=False)
        expected = [["" if value is None else str(value) for value in row.values()] for row in rows]
        assert cells.to_numpy().tolist() == expected, table


def test_the_about_file_says_what_the_sqlite_about_table_says(files: dict[str, Path]) -> None:
    about = json.loads(files["almaty-process-about.json"].read_bytes())
    connection = sqlite3.connect(files["almaty-process.sqlite"])
    try:
        table = dict(connection.execute("SELECT key, value FROM about").fetchall())
    finally:
        connection.close()
    assert about == table
    assert "CC BY 4.0" in about["licence"]
    assert about["attribution"]
    assert (
        files["almaty-process.sqlite"].name == f"almaty-process-{about['data_version'][:12]}.sqlite"
    )
