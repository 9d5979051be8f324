"""The event filters: declared once, applied once, shared by every format and by GraphQL."""

import json
import re
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


def organization_units(slug: str, name: str) -> sa.Select[Any]:
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
    key: str, roles: tuple[ParticipationRole, ...], name: str, *, walk: bool = False
) -> sa.ColumnElement[bool]:
    """The event has a participation of `key` (state, organisation or person) in one of `roles`.

    `name` names the recursive CTE: each use in one query needs its own. With `walk`, each
    event is tested as the ordered walk meets it (its few participations, by event); without,
    the matching events come from the actor indexes (see `event_conditions`).
    """
    units = organization_units(key.lower(), f"{name}_units").cte(f"{name}_unit_slugs")
    actor = sa.or_(
        col(Participation.state_code) == key.upper(),
        col(Participation.organization_slug).in_(sa.select(units.c.slug)),
        col(Participation.person_slug) == key.lower(),
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
        sa.select(col(Participation.event_slug)).where(
            col(Participation.state_code) == key.upper()
        ),
        sa.select(col(Participation.event_slug)).join_from(
            units, Participation, col(Participation.organization_slug) == units.c.slug.concat("")
        ),
        sa.select(col(Participation.event_slug)).where(
            col(Participation.person_slug) == key.lower()
        ),
    ]
    return col(Event.slug).in_(sa.union(*(branch.where(role) for branch in branches)))


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


def mentions(q: str, *, walk: bool = False) -> sa.ColumnElement[bool]:
    """Every word of `q` starts a word of the event's title, aliases, summary or themes.

    Each word is a prefix, as in a search box ("migra", "remittance"); only letters and digits
    reach the query syntax, so no user input can be read as an operator. With `walk`, the
    matches are a set each event is looked up in as the ordered walk meets it; without, the
    events are fetched from the matches (see `event_conditions`).
    """
    words = search_words(q)
    if not words:
        return sa.false()
    # SQLite: an index row carries its event's rowid, so the matches are integers read straight
    # from the index's lists; the unary plus keeps SQLite from driving the walk by them.
    rowid = sa.literal_column(f"{'+' if walk else ''}{Event.__tablename__}.rowid", sa.Integer)
    sqlite = rowid.in_(
        sa.select(EVENT_SEARCH.c.rowid).where(
            sa.text("event_search MATCH :fts").bindparams(
                fts=" ".join(f'"{word}"*' for word in words)
            )
        )
    )
    matches = EVENT_SEARCH.c.document.op("@@")(
        sa.func.to_tsquery(
            sa.literal_column("'simple'::regconfig"),
            " & ".join(f"'{word}':*" for word in words),
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


def event_conditions(
    filters: EventFilters, *, walk: bool = False, longest_span: int | None = None
) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses that select the events `filters` describes.

    The actor and text filters come in two forms that select the same events. By default the
    database starts from their matches (read from the participations' and the search index):
    best to count, and for a page when few events match. With `walk`, each event is tested as
    a walk of the list's order index meets it, which stops after one page: best for a page
    when many match. `longest_span`, the most years any event spans, gives the year filter a
    lower bound on the start date, so that a walk of the order's index starts near the year.
    """
    conditions: list[sa.ColumnElement[bool]] = []
    if not filters.related:
        conditions.append(col(Event.process_slug).is_not(None))
    if filters.year is not None:
        conditions.append(col(Event.start_date) <= date(filters.year, 12, 31))
        conditions.append(col(Event.end_date) >= date(filters.year, 1, 1))
        if longest_span is not None:
            earliest = max(1, filters.year - longest_span)
            conditions.append(col(Event.start_date) >= date(earliest, 1, 1))
    if filters.date_from is not None:
        conditions.append(col(Event.end_date) >= filters.date_from)
    if filters.date_to is not None:
        conditions.append(col(Event.start_date) <= filters.date_to)
    if filters.city is not None:
        conditions.append(sa.func.lower(col(Event.city)) == filters.city.lower())
    if filters.country is not None:
        conditions.append(col(Event.country_code) == filters.country.upper())
    if filters.kind is not None:
        conditions.append(col(Event.kind) == filters.kind)
    if filters.status is not None:
        conditions.append(col(Event.status) == filters.status)
    if filters.process_relation is not None:
        conditions.append(col(Event.process_relation) == filters.process_relation)
    if filters.participant is not None:
        conditions.append(takes_part(filters.participant, (), "participant", walk=walk))
    if filters.organizer is not None:
        conditions.append(takes_part(filters.organizer, ORGANIZER_ROLES, "organizer", walk=walk))
    if filters.funder is not None:
        conditions.append(takes_part(filters.funder, FUNDER_ROLES, "funder", walk=walk))
    if filters.q is not None:
        conditions.append(mentions(filters.q, walk=walk))
    return conditions
