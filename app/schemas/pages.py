"""The envelope of every list."""

from functools import cache
from typing import Any, Generic, TypeVar

from pydantic import Field

from app.schemas.common import ApiModel

Item = TypeVar("Item")


class Page(ApiModel, Generic[Item]):
    items: list[Item]
    total: int = Field(description="how many items match, over all pages")
    next_cursor: str | None = Field(
        description="pass as `cursor` to get the next page; null on the last page"
    )


@cache
def page_of(item: type[Any]) -> type[Page[Any]]:
    """`Page[item]` under a readable name ("EventSummaryPage"), for the OpenAPI document and the
    clients generated from it (pydantic would call it "Page_EventSummary_")."""
    return type(f"{item.__name__}Page", (Page[item],), {"__doc__": f"A page of {item.__name__}."})  # type: ignore[valid-type]
