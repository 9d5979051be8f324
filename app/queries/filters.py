"""The event filters: declared once, applied once, shared by every format and by GraphQL."""

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import col

from app.models import Claim, Event, Organization, Participation
from app.models.enums import (
    ClaimRank,
    EventKind,
    EventProcessRelation,
    EventStatus,
    ParticipationRole,
    SubjectType,
)
from app.param_types import IsoDate, text

ORGANIZER_ROLES = (ParticipationRole.organizer, ParticipationRole.co_organizer)
FUNDER_ROLES = (ParticipationRole.funder,)

ActorKey = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9-]{1,120}$",
        description="a state's ISO 3166-1 alpha-3 code or an organisation's or person's slug; "
        "an organisation also matches through its sub-units",
        examples=["KAZ"],
    ),
]


class EventFilters(BaseModel):
    """Which events to return; every field narrows the result."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    year: Annotated[
        int | None,
        Field(ge=1900, le=2100, description="events taking place in that year", examples=[2015]),
    ] = None
    date_from: Annotated[
        IsoDate | None,
        Field(description="events ending on or after this day (ISO 8601)", examples=["2015-01-01"]),
    ] = None
    date_to: Annotated[
        IsoDate | None,
        Field(
            description="events starting on or before this day (ISO 8601)",
            examples=["2015-12-31"],
        ),
    ] = None
    city: Annotated[str | None, text("case-insensitive", max_length=100, example="Almaty")] = None
    country: Annotated[
        str | None,
        Field(
            pattern=r"^[A-Za-z]{3}$",
            description="host country, ISO 3166-1 alpha-3",
            examples=["KAZ"],
        ),
    ] = None
    participant: Annotated[
        ActorKey | None, Field(description="takes part in any role", examples=["KAZ"])
    ] = None
    organizer: Annotated[
        ActorKey | None, Field(description="organizer or co-organizer", examples=["iom"])
    ] = None
    funder: Annotated[ActorKey | None, Field(description="funder", examples=["iom"])] = None
    kind: Annotated[
        EventKind | None,
        Field(description="the kind of event", examples=["senior_officials_meeting"]),
    ] = None
    status: Annotated[
        EventStatus | None,
        Field(
            description="held: reported as having taken place; planned: announced",
            examples=["held"],
        ),
    ] = None
    process_relation: Annotated[
        EventProcessRelation | None,
        Field(
            description="key events of the process, or activities in support of it",
            examples=["key_event"],
        ),
    ] = None
    q: Annotated[
        str | None,
        text(
            "words that must all occur in the title, an alias, summary or themes",
            example="migration",
        ),
    ] = None
    related: Annotated[
        bool,
        Field(description="also return events the documents only refer to", examples=[False]),
    ] = False


def like_pattern(word: str) -> str:
    """A LIKE pattern that finds `word` anywhere, its wildcards taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def organization_units(slug: str | sa.BindParameter[str], name: str) -> sa.Select[Any]:
    """The organisation and every body under it (an IOM office counts as IOM)."""
    units = (
        sa.select(col(Organization.slug))
        .where(col(Organization.slug) == slug)
        .cte(name, recursive=True)
    )
    units = units.union_all(
        sa.select(col(Organization.slug)).where(col(Organization.parent_slug) == units.c.slug)
    )
    return sa.select(units.c.slug)


def takes_part(
    name: str, roles: tuple[ParticipationRole, ...], *, walk: bool = False
) -> sa.ColumnElement[bool]:
    """The event has a participation, in one of `roles`, of the actor whose key the parameters
    `{name}_code` (a state's code) and `{name}_slug` (an organisation's or person's slug) bind
    (`actor_values` gives them).

    `name` also names the recursive CTE: each use in one query needs its own. With `walk`, each
    event is tested as the ordered walk meets it (its few participations, by event); without,
    the matching events come from the actor indexes (see `event_conditions`).
    """
    code = sa.bindparam(f"{name}_code", type_=sa.String)
    slug: sa.BindParameter[str] = sa.bindparam(f"{name}_slug", type_=sa.String)
    units = organization_units(slug, f"{name}_units").cte(f"{name}_unit_slugs")
    actor = sa.or_(
        col(Participation.state_code) == code,
        col(Participation.organization_slug).in_(sa.select(units.c.slug)),
        col(Participation.person_slug) == slug,
    )
    role = col(Participation.role).in_(roles) if roles else sa.true()
    if walk:
        return (
            sa.select(1)
            .where(col(Participation.event_slug) == col(Event.slug), actor, role)
            .exists()
        )
    # One branch per kind of actor, each on its own index. The organisations' branch starts
    # from their few units: SQLite, which cannot tell a CTE's size, otherwise scans every
    # participation; `|| ''` leaves it no index on the units' side to start from instead.
    branches = [
        sa.select(col(Participation.event_slug)).where(col(Participation.state_code) == code),
        sa.select(col(Participation.event_slug)).join_from(
            units, Participation, col(Participation.organization_slug) == units.c.slug.concat("")
        ),
        sa.select(col(Participation.event_slug)).where(col(Participation.person_slug) == slug),
    ]
    return col(Event.slug).in_(sa.union(*(branch.where(role) for branch in branches)))


def actor_values(name: str, key: str) -> dict[str, str]:
    """The values `takes_part(name, …)` binds for the actor `key`."""
    return {f"{name}_code": key.upper(), f"{name}_slug": key.lower()}


def has_alias(subject_type: SubjectType, key: Any, word: str) -> sa.ColumnElement[bool]:
    """The record (`key` a column of its table) has a preferred alias holding `word`.

    An alias is stored as a JSON string: the word is matched inside its quotes, JSON-escaped as
    the value is, so that a `"` looks for a quote in a name, not for the quotes around it.
    """
    escaped = json.dumps(word, ensure_ascii=False)[1:-1]
    pattern = '"' + like_pattern(escaped) + '"'
    return (
        sa.select(1)
        .where(
            col(Claim.subject_type) == subject_type,
            col(Claim.subject_id) == key,
            col(Claim.field) == "aliases",
            col(Claim.rank) == ClaimRank.preferred,
            col(Claim.value).ilike(pattern, escape="\\"),
        )
        .exists()
    )


# The full-text index of events, one row per event (app.seed.loader.index_events writes it):
# an FTS5 table on SQLite, a tsvector with a GIN index on PostgreSQL.
EVENT_SEARCH = sa.table(
    "event_search", sa.column("rowid"), sa.column("slug"), sa.column("body"), sa.column("document")
)
# A word as both tokenizers cut text: letters and digits, any script (no underscore).
_WORD = re.compile(r"[^\W_]+")


def search_words(q: str) -> list[str]:
    """The words of a query as the index holds them; punctuation, FTS syntax included, dropped."""
    return _WORD.findall(q)


def search_values(q: str) -> dict[str, str]:
    """The values `mentions` binds for `q`: the words as each index's query syntax reads them
    (only letters and digits reach it, so no user input can be read as an operator), or, when
    `q` holds no word, a value that makes `mentions` match nothing."""
    words = search_words(q)
    if not words:
        return {"q_nothing": ""}
    return {
        "q_fts": " ".join(f'"{word}"*' for word in words),
        "q_tsquery": " & ".join(f"'{word}':*" for word in words),
    }


def mentions(*, walk: bool = False, nothing: bool = False) -> sa.ColumnElement[bool]:
    """Every word `search_values` bound starts a word of the event's title, aliases, summary or
    themes (each word a prefix, as in a search box: "migra", "remittance").

    With `walk`, the matches are a set each event is looked up in as the ordered walk meets it;
    without, the events are fetched from the matches (see `event_conditions`).
    """
    if nothing:
        return sa.false()
    # SQLite: an index row carries its event's rowid, so the matches are integers read straight
    # from the index's lists; the unary plus keeps SQLite from driving the walk by them.
    rowid = sa.literal_column(f"{'+' if walk else ''}{Event.__tablename__}.rowid", sa.Integer)
    sqlite = rowid.in_(
        sa.select(EVENT_SEARCH.c.rowid).where(
            sa.text("event_search MATCH :q_fts").bindparams(sa.bindparam("q_fts", type_=sa.String))
        )
    )
    matches = EVENT_SEARCH.c.document.op("@@")(
        sa.func.to_tsquery(
            sa.literal_column("'simple'::regconfig"), sa.bindparam("q_tsquery", type_=sa.String)
        )
    )
    postgresql = (
        sa.select(1).where(EVENT_SEARCH.c.slug == col(Event.slug), matches).exists()
        if walk
        else col(Event.slug).in_(sa.select(EVENT_SEARCH.c.slug).where(matches))
    )
    return _by_dialect(sqlite, postgresql)


class _ByDialect(sa.ColumnElement[bool]):
    """One condition written twice: the compiler renders the one of its database.

    The query layer builds statements before it knows the database; the search index is an FTS5
    table on one and a tsvector on the other.
    """

    inherit_cache = True
    _is_implicitly_boolean = True  # a condition already: SQLite needs no "= 1" after it
    _traverse_internals = [  # noqa: RUF012 (SQLAlchemy's own declaration is a list)
        ("sqlite", InternalTraversal.dp_clauseelement),
        ("postgresql", InternalTraversal.dp_clauseelement),
    ]
    type = sa.Boolean()

    def __init__(self, sqlite: sa.ColumnElement[bool], postgresql: sa.ColumnElement[bool]):
        self.sqlite = sqlite
        self.postgresql = postgresql


@compiles(_ByDialect)
def _compile_by_dialect(element: _ByDialect, compiler: Any, **kw: Any) -> str:
    chosen = element.sqlite if compiler.dialect.name == "sqlite" else element.postgresql
    return str(compiler.process(chosen, **kw))


def _by_dialect(
    sqlite: sa.ColumnElement[bool], postgresql: sa.ColumnElement[bool]
) -> sa.ColumnElement[bool]:
    return _ByDialect(sqlite, postgresql)


def _day(name: str) -> sa.BindParameter[date]:
    return sa.bindparam(name, type_=sa.Date)


def filter_values(filters: EventFilters, *, longest_span: int | None = None) -> dict[str, Any]:
    """What `filters` bind, by parameter name: the names say which conditions `event_conditions`
    builds, the values are bound when its statement runs.

    `longest_span`, the most years any event spans, gives the year filter a lower bound on the
    start date, so that a walk of the order's index starts near the year.
    """
    values: dict[str, Any] = {}
    if filters.year is not None:
        values["year_last"] = date(filters.year, 12, 31)
        values["year_first"] = date(filters.year, 1, 1)
        if longest_span is not None:
            values["year_earliest"] = date(max(1, filters.year - longest_span), 1, 1)
    if filters.date_from is not None:
        values["date_from"] = filters.date_from
    if filters.date_to is not None:
        values["date_to"] = filters.date_to
    if filters.city is not None:
        values["city"] = filters.city.lower()
    if filters.country is not None:
        values["country"] = filters.country.upper()
    for name in ("kind", "status", "process_relation"):
        if (value := getattr(filters, name)) is not None:
            values[name] = value
    for name in ACTOR_FILTERS:
        if (key := getattr(filters, name)) is not None:
            values.update(actor_values(name, key))
    if filters.q is not None:
        values.update(search_values(filters.q))
    return values


@dataclass(frozen=True)
class FilterShape:
    """Which conditions a filter set needs, whatever their values: one statement serves every
    filter set of a shape, its values bound when it runs (built once, it costs nothing after)."""

    names: frozenset[str]
    related: bool
    walk: bool

    @classmethod
    def of(
        cls, filters: EventFilters, values: dict[str, Any], *, walk: bool = False
    ) -> "FilterShape":
        return cls(frozenset(values), filters.related, walk)


# The actor filters, each with the roles it asks for (none: any role).
ACTOR_FILTERS: dict[str, tuple[ParticipationRole, ...]] = {
    "participant": (),
    "organizer": ORGANIZER_ROLES,
    "funder": FUNDER_ROLES,
}


def event_conditions(shape: FilterShape) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses that select the events of a filter set of this shape, each value a
    bound parameter named as `filter_values` names it.

    The actor and text filters come in two forms that select the same events. By default the
    database starts from their matches (read from the participations' and the search index):
    best to count, and for a page when few events match. With `walk`, each event is tested as
    a walk of the list's order index meets it, which stops after one page: best for a page
    when many match.
    """
    names, walk = shape.names, shape.walk
    conditions: list[sa.ColumnElement[bool]] = []
    if not shape.related:
        conditions.append(col(Event.process_slug).is_not(None))
    if "year_last" in names:
        conditions.append(col(Event.start_date) <= _day("year_last"))
        conditions.append(col(Event.end_date) >= _day("year_first"))
    if "year_earliest" in names:
        conditions.append(col(Event.start_date) >= _day("year_earliest"))
    if "date_from" in names:
        conditions.append(col(Event.end_date) >= _day("date_from"))
    if "date_to" in names:
        conditions.append(col(Event.start_date) <= _day("date_to"))
    if "city" in names:
        conditions.append(sa.func.lower(col(Event.city)) == sa.bindparam("city", type_=sa.String))
    if "country" in names:
        conditions.append(col(Event.country_code) == sa.bindparam("country", type_=sa.String))
    for name, column in (
        ("kind", Event.kind),
        ("status", Event.status),
        ("process_relation", Event.process_relation),
    ):
        if name in names:
            conditions.append(col(column) == sa.bindparam(name))
    for name, roles in ACTOR_FILTERS.items():
        if f"{name}_code" in names:
            conditions.append(takes_part(name, roles, walk=walk))
    if "q_fts" in names or "q_nothing" in names:
        conditions.append(mentions(walk=walk, nothing="q_nothing" in names))
    return conditions
