"""The envelope of every list."""

from typing import Generic, TypeVar

from pydantic import Field

from app.schemas.common import ApiModel

Item = TypeVar("Item")


class Page(ApiModel, Generic[Item]):
    items: list[Item]
    total: int = Field(description="how many items match, over all pages")
    next_cursor: str | None = Field(
        description="pass as `cursor` to get the next page; null on the last page"
    )
