"""Keyset pagination with opaque, signed cursors: a deep page costs what the first page costs."""

import base64
import hashlib
import hmac
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.config import settings
from app.errors import InvalidParameterError
from app.schemas.pages import Page

MAX_LIMIT = 500
# Results remembered per (database, data version, statement): enough for every filter set a
# busy hour asks for, small next to the process (an entry is a count or a facet answer).
RESULT_CACHE_SIZE = 4096
CURSOR_PATTERN = r"^[A-Za-z0-9_=.-]*$"
Item = TypeVar("Item")
Value = TypeVar("Value")

AnySelect = sa.Select[*tuple[Any, ...]]
AnyRow = sa.Row[*tuple[Any, ...]]


Cursor = Annotated[
    str | None,
    Field(
        max_length=500,
        pattern=CURSOR_PATTERN,
        description="the `next_cursor` of the previous page; empty or absent: the first page",
    ),
]


class PageParams(BaseModel):
    """`limit` and `cursor`, the parameters of every list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT, description="items per page")] = 50
    cursor: Cursor = None


@dataclass(frozen=True)
class Keyset:
    """An ordering by unique columns, named so that a cursor cannot be reused with another."""

    name: str
    columns: tuple[Any, ...]  # mapped attributes, e.g. col(Event.start_date)
    descending: bool = False

    def order_by(self) -> list[Any]:
        return [column.desc() if self.descending else column.asc() for column in self.columns]

    def after(self, values: Sequence[Any]) -> sa.ColumnElement[bool]:
        keys, bounds = sa.tuple_(*self.columns), sa.tuple_(*(sa.literal(v) for v in values))
        return keys < bounds if self.descending else keys > bounds


def _signature(payload: bytes) -> str:
    digest = hmac.new(settings.cursor_key.encode(), payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode()


def encode_cursor(name: str, values: Sequence[Any]) -> str:
    """An opaque cursor holding the key values of the last item seen, signed."""
    plain = [v.isoformat() if isinstance(v, date) else v for v in values]
    payload = base64.urlsafe_b64encode(json.dumps([name, *plain]).encode()).rstrip(b"=")
    return f"{payload.decode()}.{_signature(payload)}"


def decode_cursor(name: str, cursor: str, size: int) -> list[Any]:
    """The `size` key values a cursor holds, or a 400 naming `cursor` if not issued for `name`."""
    invalid = InvalidParameterError(
        "cursor", "is not a cursor of this list and order; start again without it"
    )
    payload, _, signature = cursor.partition(".")
    # Compared as bytes: compare_digest refuses non-ASCII str, and a cursor is user input.
    if not hmac.compare_digest(signature.encode(), _signature(payload.encode()).encode()):
        raise invalid
    try:
        found, *values = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, TypeError) as error:
        raise invalid from error
    if found != name or len(values) != size:
        raise invalid
    return list(values)


def keyset_values(keyset: Keyset, cursor: str) -> list[Any]:
    """A cursor's values, typed like the keyset's columns."""
    values = decode_cursor(keyset.name, cursor, len(keyset.columns))
    try:
        return [
            date.fromisoformat(value) if isinstance(column.type, sa.Date) else value
            for column, value in zip(keyset.columns, values, strict=True)
        ]
    except (ValueError, TypeError) as error:
        raise InvalidParameterError("cursor", "holds values this list cannot use") from error


@dataclass(frozen=True)
class Listing(Generic[Item]):
    """A page as REST returns it, and what each item's cursor is made of (GraphQL edges)."""

    page: Page[Item]
    keyset_name: str
    keys: list[list[Any]]

    @property
    def cursors(self) -> list[str]:
        """Each item's own cursor, signed only when asked for (REST never asks)."""
        return [encode_cursor(self.keyset_name, values) for values in self.keys]


@dataclass(frozen=True)
class Window:
    """One page of rows, each row's own cursor, the total, and the cursor of the next page."""

    rows: list[AnyRow]
    keys: list[list[Any]]
    total: int
    next_cursor: str | None


class _Results:
    """A bounded LRU of query results, shared by the threads of the process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            if key not in self._entries:
                return _MISSING
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_MISSING = object()
RESULTS = _Results(RESULT_CACHE_SIZE)


def _hashable(value: Any) -> Hashable:
    return tuple(_hashable(v) for v in value) if isinstance(value, list | tuple) else value


def statement_key(statement: sa.ClauseElement) -> Hashable:
    """The statement's structure and bound values, for a caller with no cheaper key: SQLAlchemy's
    own cache key, built without compiling; the compiled text for a construct without one."""
    cache_key = statement._generate_cache_key()
    if cache_key is None:
        compiled = statement.compile()
        return (
            compiled.string,
            tuple(sorted((n, _hashable(v)) for n, v in compiled.params.items())),
        )
    return (cache_key.key, tuple(_hashable(p.effective_value) for p in cache_key.bindparams))


def remembered(session: Session, key: Hashable, compute: Callable[[], Value]) -> Value:
    """`compute()`, remembered under `key` for the data version the session reads.

    `key` names the question exactly (e.g. the function and its frozen filters), and is cheap
    to build, so that a hit costs microseconds. The data version is what the route's reading
    transaction found (`changes.snapshot_version`, REST and GraphQL); without one (scripts)
    nothing is remembered.
    A new version is a new key, so an answer is never served for another version; the
    database's URL is in the key because tests run many databases that share a version.
    """
    version = session.info.get("data_version")
    if version is None:
        return compute()
    full = (str(session.get_bind().engine.url), version, key)
    found = RESULTS.get(full)
    if found is _MISSING:
        found = compute()
        RESULTS.put(full, found)
    return found  # type: ignore[no-any-return]


def count_rows(session: Session, statement: AnySelect) -> int:
    """How many rows `statement` returns, counted now."""
    return session.scalar(sa.select(sa.func.count()).select_from(statement.subquery())) or 0


def count(session: Session, statement: AnySelect) -> int:
    """How many rows `statement` returns, remembered per data version (see `remembered`)."""
    return remembered(
        session, ("count", statement_key(statement)), lambda: count_rows(session, statement)
    )


def paginate(
    session: Session,
    statement: AnySelect,
    keyset: Keyset,
    page: PageParams,
    *,
    total: int | None = None,
) -> Window:
    """Run `statement` for one page: a count (remembered per data version; none when the
    caller knows `total`) and a keyset-bounded select; two queries at most."""
    if total is None:
        total = count(session, statement)
    if page.cursor:
        statement = statement.where(keyset.after(keyset_values(keyset, page.cursor)))
    keyed = statement.add_columns(*(c.label(f"_key{i}") for i, c in enumerate(keyset.columns)))
    rows = list(session.execute(keyed.order_by(*keyset.order_by()).limit(page.limit + 1)))
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    keys = [[row._mapping[f"_key{i}"] for i in range(len(keyset.columns))] for row in rows]
    return Window(
        rows=rows,
        keys=keys,
        total=total,
        next_cursor=encode_cursor(keyset.name, keys[-1]) if more else None,
    )
