"""How every REST route reads and answers: one short transaction, then serialisation outside it."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

import sqlalchemy as sa
from fastapi import Request, Response
from pydantic import BaseModel
from sqlmodel import Session

from app.http.hosts import reference
from app.queries.changes import Seen, snapshot_version
from app.schemas.pages import Page


class Versioned(Protocol):
    """What names a data version (a read's `Seen`, a `DataVersion`)."""

    @property
    def version(self) -> str: ...


@contextmanager
def reading(engine: sa.Engine) -> Iterator[tuple[Session, Seen | None]]:
    """A read-only transaction and the data version it sees.

    The route opens and closes it itself, so the pooled connection is back in the pool before
    the response is serialised: holding it across serialisation (a yield dependency) is what
    deadlocks a sync route under load.
    """
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session, snapshot_version(session)


def respond(
    request: Request,
    payload: BaseModel | bytes,
    version: Versioned | None,
    *,
    media_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Response:
    """The payload as bytes, with the data version and, for a page, its RFC 8288 next link."""
    # Straight to bytes (pydantic-core writes them): no str in between.
    body = (
        payload if isinstance(payload, bytes) else payload.__pydantic_serializer__.to_json(payload)
    )
    response = Response(body, media_type=media_type, headers=headers)
    if version is not None:
        response.headers["X-Data-Version"] = version.version
    if isinstance(payload, Page) and payload.next_cursor is not None:
        following = request.url.include_query_params(cursor=payload.next_cursor)
        response.headers["Link"] = f'<{reference(following)}>; rel="next"'
    return response
