"""Alembic environment: the app's metadata, batch mode on SQLite, types compared."""

from typing import Any, Literal

from alembic import context
from sqlmodel.sql.sqltypes import AutoString

from app.config import settings
from app.db import create_db_engine
from app.models import metadata

config = context.config


def _url() -> str:
    # Tests and the CLI pass the URL in; otherwise it is the configured DATABASE_URL.
    return config.get_main_option("sqlalchemy.url") or settings.database_url


def _render_item(kind: str, item: Any, _autogen_context: Any) -> str | Literal[False]:
    # SQLModel's AutoString is a plain VARCHAR; render it so migrations need only SQLAlchemy.
    if kind == "type" and isinstance(item, AutoString):
        return f"sa.String({item.length})" if item.length else "sa.String()"
    return False


# The full-text index of events (and, on SQLite, FTS5's shadow tables) is built per backend by
# its migration and is not in the models' metadata: autogenerate must not try to drop it.
SEARCH_TABLE = "event_search"


def _include_object(
    _object: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any
) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE))


def run_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # A migration may rewrite a whole table: no request-sized statement or lock timeouts.
    engine = create_db_engine(_url(), request_limits=False)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
