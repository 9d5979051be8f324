"""Parameter types shared by REST and GraphQL: strict ISO dates, text a database can store."""

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, Field

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and _DATE.match(value)):
        return value
    raise ValueError("must be an ISO 8601 date, YYYY-MM-DD")


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime) or (isinstance(value, str) and _DATETIME.match(value)):
        return value
    raise ValueError("must be an ISO 8601 date and time with its offset")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_datetime)]


def text(description: str, max_length: int = 200, *, example: str | None = None) -> Any:
    """Free text: not blank, bounded, and free of NUL, which PostgreSQL cannot store or compare.

    Values are stripped, so the pattern asks for one character that is not white space: a
    schema-valid value is never refused.
    """
    return Field(
        min_length=1,
        max_length=max_length,
        pattern=r"^[^\x00]*[^\x00\s][^\x00]*$",
        description=description,
        examples=[example] if example is not None else None,
    )
