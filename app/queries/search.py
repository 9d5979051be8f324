"""Search across every kind of entity, ranked: names and titles first, then descriptions."""

from collections.abc import Sequence
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.models.enums import EntityType
from app.queries.entities import ENTITIES, Entity
from app.queries.filters import has_alias, like_pattern, mentions, search_values
from app.queries.pagination import count_rows, cursor_values, encode_cursor, remembered
from app.schemas.discovery import SearchHit
from app.schemas.pages import Page

# The kinds search finds, in the registry's order.
SEARCHED = tuple(entity for entity in ENTITIES if entity.searched is not None)


def _score(q: str, words: Sequence[str], names: Sequence[Any]) -> sa.ColumnElement[float]:
    """Exact name > name prefix > all words in the name > the words only in the text, in SQL,
    so that only one page of hits leaves the database."""
    phrase = q.lower()
    lowered = [sa.func.lower(name) for name in names]
    ranked = sa.case(
        (sa.or_(*(name == phrase for name in lowered)), 100.0),
        (sa.or_(*(name.like(like_pattern(phrase)[1:], escape="\\") for name in lowered)), 50.0),
        (
            sa.or_(
                *(
                    sa.and_(*(name.like(like_pattern(word.lower()), escape="\\") for word in words))
                    for name in lowered
                )
            ),
            30.0,
        ),
        else_=10.0,
    )
    return sa.cast(ranked, sa.Float)


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


def _after(
    kind: Entity, score: sa.ColumnElement[float], last: tuple[float, str, str]
) -> sa.ColumnElement[bool]:
    """The hits of `kind` that sort after the last one seen, in (-score, type, id) order."""
    last_score, last_type, last_key = last
    assert kind.search_type is not None
    if kind.search_type > last_type:
        return score <= last_score
    if kind.search_type < last_type:
        return score < last_score
    return sa.or_(score < last_score, sa.and_(score == last_score, kind.key > last_key))


def search(session: Session, *, q: str, limit: int, cursor: str | None) -> Page[SearchHit]:
    """Every entity whose name or text holds all the words of `q`, best first: per kind, a
    count (remembered per data version) and one page ranked in SQL."""
    words = q.split()
    last: tuple[float, str, str] | None = None
    if cursor:
        score, kind_name, key = cursor_values("search", cursor, (float, EntityType, str))
        last = (score, kind_name, key)
    hits: list[SearchHit] = []
    total = 0
    values = search_values(q)
    for kind in SEARCHED:
        assert kind.searched is not None
        assert kind.search_type is not None
        found_as, subject = kind.search_type, kind.subject
        title, names, texts = kind.searched.title, kind.searched.names, kind.searched.texts
        fields = [title, *names, *texts]
        if found_as == EntityType.event:
            # Events match as the `q` filter of /events matches them: the full-text index.
            match = mentions(nothing="q_nothing" in values)
        else:
            match = sa.and_(
                sa.true(),
                *(
                    sa.or_(
                        *(f.ilike(like_pattern(word), escape="\\") for f in fields),
                        *([has_alias(subject, kind.key, word)] if subject is not None else []),
                    )
                    for word in words
                ),
            )
        # The match is a function of `q` alone: keyed by it, a remembered count builds nothing.
        counting = sa.select(kind.key).where(match)
        total += remembered(
            session, ("search count", found_as, q), partial(count_rows, session, counting, values)
        )
        score = _score(q, words, [title, *names]).label("score")
        statement = sa.select(kind.key, title, score, *texts).where(match)
        if last is not None:
            statement = statement.where(_after(kind, score, last))
        statement = statement.order_by(score.desc(), kind.key).limit(limit + 1)
        for key, hit_title, found, *hit_texts in session.execute(statement, values):
            hits.append(
                SearchHit(
                    type=found_as,
                    id=key,
                    title=hit_title,
                    snippet=_snippet(words, hit_texts) if found <= 10.0 else None,
                    score=found,
                    url=kind.url(key),
                )
            )
    hits.sort(key=lambda hit: (-hit.score, hit.type, hit.id))
    page = hits[:limit]
    more = len(hits) > limit
    last_hit = page[-1] if page else None
    return Page[SearchHit](
        items=page,
        total=total,
        next_cursor=encode_cursor("search", [last_hit.score, last_hit.type, last_hit.id])
        if more and last_hit
        else None,
    )
