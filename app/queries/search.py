"""Search across every kind of entity, ranked: names and titles first, then descriptions."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from app.models import Document, Event, Organization, Person, Process, Project, State
from app.models.enums import EntityType, SubjectType
from app.queries.filters import has_alias, like_pattern, mentions
from app.queries.pagination import decode_cursor, encode_cursor
from app.schemas.discovery import SearchHit
from app.schemas.pages import Page


@dataclass(frozen=True)
class Searchable:
    """How to search one kind of entity: its key, its title, and its other text fields."""

    type: EntityType
    subject: SubjectType  # what its aliases are filed under
    key: Any
    title: Any
    names: tuple[Any, ...]  # short names that rank like the title (acronym, official name)
    texts: tuple[Any, ...]  # longer text, ranked below
    path: str | None  # the REST path under /api/v1, when the entity has one


SEARCHABLES = (
    Searchable(
        EntityType.state,
        SubjectType.state,
        col(State.code),
        col(State.name),
        (col(State.official_name),),
        (),
        "states",
    ),
    Searchable(
        EntityType.organization,
        SubjectType.organization,
        col(Organization.slug),
        col(Organization.name),
        (col(Organization.acronym),),
        (),
        "organizations",
    ),
    Searchable(
        EntityType.person,
        SubjectType.person,
        col(Person.slug),
        col(Person.name),
        (),
        (col(Person.position),),
        None,
    ),
    Searchable(
        EntityType.event,
        SubjectType.event,
        col(Event.slug),
        col(Event.title),
        (),
        (col(Event.summary),),
        "events",
    ),
    Searchable(
        EntityType.document,
        SubjectType.document,
        col(Document.slug),
        col(Document.title),
        (col(Document.acronym),),
        (col(Document.description),),
        "documents",
    ),
    Searchable(
        EntityType.process,
        SubjectType.process,
        col(Process.slug),
        col(Process.name),
        (col(Process.acronym),),
        (col(Process.description),),
        "processes",
    ),
    Searchable(
        EntityType.project,
        SubjectType.project,
        col(Project.slug),
        col(Project.title),
        (),
        (col(Project.description),),
        None,
    ),
)


def _score(query: str, words: Sequence[str], title: str, names: Sequence[str | None]) -> float:
    """Exact name > name prefix > all words in the name > the words only in the text."""
    lowered = [name.lower() for name in (title, *names) if name]
    phrase = query.lower()
    if phrase in lowered:
        return 100.0
    if any(name.startswith(phrase) for name in lowered):
        return 50.0
    if any(all(word.lower() in name for word in words) for name in lowered):
        return 30.0
    return 10.0


def _snippet(words: Sequence[str], texts: Sequence[str | None]) -> str | None:
    for text in texts:
        if text and words[0].lower() in text.lower():
            flat = " ".join(text.split())
            at = flat.lower().find(words[0].lower())
            start = max(0, at - 60)
            return (
                ("…" if start else "")
                + flat[start : start + 200]
                + ("…" if start + 200 < len(flat) else "")
            )
    return None


def search(session: Session, *, q: str, limit: int, cursor: str | None) -> Page[SearchHit]:
    """Every entity whose name or text holds all the words of `q`: one query per kind."""
    words = q.split()
    hits: list[SearchHit] = []
    for kind in SEARCHABLES:
        fields = [kind.title, *kind.names, *kind.texts]
        matches = [
            # Events match as the `q` filter of /events matches them, themes included.
            mentions(word)
            if kind.type == EntityType.event
            else sa.or_(
                *(f.ilike(like_pattern(word), escape="\\") for f in fields),
                has_alias(kind.subject, kind.key, word),
            )
            for word in words
        ]
        statement = sa.select(kind.key, kind.title, *kind.names, *kind.texts).where(*matches)
        for key, title, *rest in session.execute(statement):
            names, texts = rest[: len(kind.names)], rest[len(kind.names) :]
            score = _score(q, words, title, names)
            hits.append(
                SearchHit(
                    type=kind.type,
                    id=key,
                    title=title,
                    snippet=_snippet(words, texts) if score <= 10.0 else None,
                    score=score,
                    url=f"/api/v1/{kind.path}/{key}" if kind.path else None,
                )
            )
    hits.sort(key=lambda hit: (-hit.score, hit.type, hit.id))
    total = len(hits)
    if cursor:
        score, kind_name, key = decode_cursor("search", cursor, 3)
        hits = [h for h in hits if (-h.score, h.type, h.id) > (-float(score), kind_name, key)]
    page = hits[:limit]
    more = len(hits) > limit
    last = page[-1] if page else None
    return Page[SearchHit](
        items=page,
        total=total,
        next_cursor=encode_cursor("search", [last.score, last.type, last.id])
        if more and last
        else None,
    )
