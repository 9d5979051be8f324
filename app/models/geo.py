"""States, keyed by ISO 3166-1 alpha-3 code."""

from sqlmodel import Field, SQLModel


class State(SQLModel, table=True):
    code: str = Field(primary_key=True, min_length=3, max_length=3)
    alpha2: str = Field(max_length=2, unique=True)
    name: str
    official_name: str | None = None
