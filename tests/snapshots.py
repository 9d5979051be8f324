"""Everything a database holds, as plain data, to prove what a load did or did not change."""

from typing import Any

import sqlalchemy as sa

from app.models import metadata


def snapshot(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (and the Alembic revision), in a stable order."""
    tables = [*metadata.sorted_tables, sa.table("alembic_version", sa.column("version_num"))]
    with engine.connect() as connection:
        return {
            table.name: sorted(
                (tuple(row) for row in connection.execute(sa.select(table))), key=repr
            )
            for table in tables
        }
