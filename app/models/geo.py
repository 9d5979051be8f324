"""States, keyed by ISO 3166-1 alpha-3 code."""

from typing import ClassVar

from sqlmodel import Field

from app.models.base import CitedTable
from app.models.enums import SubjectType


class State(CitedTable, table=True):
    cited_as: ClassVar[SubjectType] = SubjectType.state
    code: str = Field(primary_key=True, min_length=3, max_length=3)
    alpha2: str = Field(max_length=2, unique=True)
    name: str
    official_name: str | None = None
