"""The metadata every table shares, with constraint names that agree on SQLite and PostgreSQL."""

from collections.abc import Iterable
from typing import Any, ClassVar

from sqlmodel import SQLModel

from app.models.enums import SubjectType

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata = SQLModel.metadata


def key_text(values: Iterable[Any]) -> str:
    """A primary key as one string: its parts joined by "/" (e.g. "second-som-2015/3")."""
    return "/".join(str(value) for value in values)


def row_key(row: SQLModel) -> str:
    """The key a citation uses to point at `row`: its primary key as text."""
    table = row.__table__  # type: ignore[attr-defined]
    return key_text(getattr(row, column.name) for column in table.primary_key.columns)


class CitedTable(SQLModel):
    """A table whose rows carry citations and claims; each declares its subject type once."""

    cited_as: ClassVar[SubjectType]


def subject_of(row: CitedTable) -> tuple[SubjectType, str]:
    """What citations and claims of `row` are filed under: its class's subject type and its key."""
    return type(row).cited_as, row_key(row)
