"""Keyset pagination with opaque, signed cursors: a deep page costs what the first page costs."""

import base64
import hashlib
import hmac
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from functools import lru_cache
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
        # A cursor is signed by the server that issues it; empty asks for the first page.
        examples=[""],
    ),
]


class PageParams(BaseModel):
    """`limit` and `cursor`, the parameters of every list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    limit: Annotated[
        int, Field(ge=1, le=MAX_LIMIT, description="items per page", examples=[20])
    ] = 50
    cursor: Cursor = None


# The column types keysets order by, and the values a cursor may hold for each.
_KINDS: tuple[tuple[type[sa.types.TypeEngine[Any]], type], ...] = (
    (sa.Date, date),
    (sa.String, str),
)


def _kind_of(column: Any) -> type:
    stored = column.type
    # SQLModel's AutoString and the like decorate a plain SQL type, which says what is stored.
    if isinstance(stored, sa.types.TypeDecorator):
        stored = stored.impl_instance
    for sql_type, kind in _KINDS:
        if isinstance(stored, sql_type):
            return kind
    raise TypeError(f"no cursor values are defined for {column} ({column.type})")


@dataclass(frozen=True)
class Keyset:
    """An ordering by unique columns, named so that a cursor cannot be reused with another."""

    name: str
    columns: tuple[Any, ...]  # mapped attributes, e.g. col(Event.start_date)
    descending: bool = False
    # The type a cursor's value must have for each column (a column of a type with none
    # defined fails here, when the keyset is declared, not on a request).
    kinds: tuple[type, ...] = field(init=False)

    # Built once: the ordering, and the columns labelled as a page reads them.
    _ordering: tuple[Any, ...] = field(init=False)
    labelled: tuple[Any, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", tuple(_kind_of(column) for column in self.columns))
        ordering = tuple(c.desc() if self.descending else c.asc() for c in self.columns)
        object.__setattr__(self, "_ordering", ordering)
        labelled = tuple(c.label(f"_key{i}") for i, c in enumerate(self.columns))
        object.__setattr__(self, "labelled", labelled)

    def order_by(self) -> list[Any]:
        return list(self._ordering)

    def after_parameters(self) -> sa.ColumnElement[bool]:
        """Rows after the one whose key `after_values` binds."""
        bounds = sa.tuple_(
            *(sa.bindparam(f"after_{i}", type_=c.type) for i, c in enumerate(self.columns))
        )
        keys = sa.tuple_(*self.columns)
        return keys < bounds if self.descending else keys > bounds

    def after_values(self, values: Sequence[Any]) -> dict[str, Any]:
        return {f"after_{i}": value for i, value in enumerate(values)}


def _signing_key() -> str:
    key = settings.cursor_key
    if key is None:
        # load_settings() always sets one; only a Settings() built by hand can lack it.
        raise RuntimeError("CURSOR_KEY is unset: use the settings that load_settings() made")
    return key


def _signature(payload: bytes, key: str) -> bytes:
    digest = hmac.new(key.encode(), payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:9])


def encode_cursor(name: str, values: Sequence[Any]) -> str:
    """An opaque cursor holding the key values of the last item seen, signed with CURSOR_KEY."""
    plain = [v.isoformat() if isinstance(v, date) else v for v in values]
    payload = base64.urlsafe_b64encode(json.dumps([name, *plain]).encode()).rstrip(b"=")
    return f"{payload.decode()}.{_signature(payload, _signing_key()).decode()}"


def _not_ours() -> InvalidParameterError:
    return InvalidParameterError(
        "cursor", "is not a cursor of this list and order; start again without it"
    )


def _unusable() -> InvalidParameterError:
    return InvalidParameterError("cursor", "holds values this list cannot use; start again")


def _check_signature(payload: bytes, signature: bytes) -> None:
    """Signed with CURSOR_KEY, or with CURSOR_PREVIOUS_KEY before its grace period ends."""
    # compare_digest on bytes: a cursor is user input, and the str form refuses non-ASCII.
    if hmac.compare_digest(signature, _signature(payload, _signing_key())):
        return
    previous, until = settings.cursor_previous_key, settings.cursor_previous_key_until
    if previous is not None and hmac.compare_digest(signature, _signature(payload, previous)):
        if until is not None and datetime.now(UTC) < until:
            return
        raise InvalidParameterError(
            "cursor", "has expired (the service's signing key changed); start again without it"
        )
    raise _not_ours()


def _decoded(name: str, cursor: str, size: int) -> list[Any]:
    """The `size` values a cursor issued for `name` holds, as JSON gave them."""
    payload, _, signature = cursor.partition(".")
    _check_signature(payload.encode(), signature.encode())
    try:
        found = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError as error:  # bad base64, bytes that are not UTF-8, text that is not JSON
        raise _unusable() from error
    if not isinstance(found, list) or not found:
        raise _unusable()
    if found[0] != name:
        raise _not_ours()
    if len(found) != size + 1:
        raise _unusable()
    return found[1:]


def _typed(kind: type, value: Any) -> Any:
    """`value` as a `kind` that SQL can compare, or a 400 naming `cursor`."""
    if issubclass(kind, Enum):
        try:
            return kind(value)
        except ValueError:
            raise _unusable() from None
    if kind is date and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _unusable() from None
    # Text a database can hold: no NUL (PostgreSQL refuses it), no lone surrogate (not UTF-8).
    if kind is str and isinstance(value, str) and "\x00" not in value:
        try:
            value.encode()
        except UnicodeEncodeError:
            raise _unusable() from None
        return value
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond any float
            raise _unusable() from None
        if math.isfinite(number):
            return number
    raise _unusable()


def cursor_values(name: str, cursor: str, kinds: Sequence[type]) -> list[Any]:
    """The values of a cursor issued for `name`, one of each kind, or a 400 naming `cursor`:
    a value of another type never reaches SQL."""
    values = _decoded(name, cursor, len(kinds))
    return [_typed(kind, value) for kind, value in zip(kinds, values, strict=True)]


def keyset_values(keyset: Keyset, cursor: str) -> list[Any]:
    """A cursor's values, typed like the keyset's columns."""
    return cursor_values(keyset.name, cursor, keyset.kinds)


@dataclass(frozen=True)
class Listing(Generic[Item]):
    """A page as REST returns it, and what each item's cursor is made of (GraphQL edges)."""

    page: Page[Item]
    keyset_name: str
    keys: list[list[Any]]
    # The cursor to pass as `before` for the page ending just before this one (pages for
    # people link back; the API's lists go forward only).
    previous_cursor: str | None = None

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
    previous_cursor: str | None = None


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


# Statements derived from a shared one (a count, a page), built once for it: a statement kept and
# reused is one SQLAlchemy finds in its compiled cache without walking it for a key. One built
# for a single use misses, and costs what building it did before.
@lru_cache(maxsize=512)
def _counting(statement: AnySelect) -> sa.Select[int]:
    return sa.select(sa.func.count()).select_from(statement.subquery())


@dataclass(frozen=True)
class _Paged:
    statement: AnySelect
    # Columns only, no mapped class: plain rows, read without the ORM's bookkeeping.
    plain: bool


@lru_cache(maxsize=512)
def _paged(statement: AnySelect, keyset: Keyset, after: bool) -> _Paged:
    plain = not any(isinstance(d["expr"], type) for d in statement.column_descriptions)
    if after:
        statement = statement.where(keyset.after_parameters())
    keyed = statement.add_columns(*keyset.labelled)
    paged = keyed.order_by(*keyset.order_by()).limit(sa.bindparam("page_rows", type_=sa.Integer))
    return _Paged(paged, plain)


@lru_cache(maxsize=64)
def backwards(keyset: Keyset) -> Keyset:
    """The same order reversed, under the same name: a cursor of one bounds the other."""
    return Keyset(keyset.name, keyset.columns, not keyset.descending)


def count_rows(
    session: Session, statement: AnySelect, values: Mapping[str, Any] | None = None
) -> int:
    """How many rows `statement` returns (its parameters bound to `values`), counted now."""
    return session.connection().scalar(_counting(statement), values) or 0


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
    values: Mapping[str, Any] | None = None,
    before: str | None = None,
) -> Window:
    """Run `statement` (its parameters bound to `values`) for one page: a count (remembered per
    data version; none when the caller knows `total`) and a keyset-bounded select; two queries
    at most. `before`, a cursor instead of `page.cursor`, asks for the page ending just before
    the row it names (read in the reverse order, then turned round)."""
    if before and page.cursor:
        raise InvalidParameterError("before", "goes back from a page: pass it without cursor")
    # The cursor first: one that cannot be used costs no query.
    bound = before or page.cursor
    try:
        after = keyset_values(keyset, bound) if bound else None
    except InvalidParameterError as refused:
        if not before:
            raise
        # The same checks, the parameter named as the client sent it.
        raise InvalidParameterError("before", refused.reason) from None
    if total is None:
        total = count(session, statement)
    parameters = {**(values or {}), "page_rows": page.limit + 1}
    if after is not None:
        parameters.update(keyset.after_values(after))
    paged = _paged(statement, backwards(keyset) if before else keyset, after is not None)
    run = session.connection().execute if paged.plain else session.execute
    rows = list(run(paged.statement, parameters))
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    if before:
        rows.reverse()
    keys = [[row._mapping[f"_key{i}"] for i in range(len(keyset.columns))] for row in rows]
    # Going back, `more` says rows come before this page; going forward, after it. A page
    # reached by either cursor has rows on the side it came from.
    earlier, later = (more, bool(keys)) if before else (bool(page.cursor) and bool(keys), more)
    return Window(
        rows=rows,
        keys=keys,
        total=total,
        next_cursor=encode_cursor(keyset.name, keys[-1]) if later else None,
        previous_cursor=encode_cursor(keyset.name, keys[0]) if earlier else None,
    )
