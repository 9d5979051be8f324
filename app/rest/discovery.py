"""/search and /changes: finding entities across kinds, and following the data as it changes."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.db import EngineDep
from app.queries import changes, search
from app.rest.openapi import answers
from app.rest.params import ChangesParams, SearchParams
from app.rest.reading import reading, respond
from app.schemas.discovery import ChangeSet, SearchHit
from app.schemas.pages import page_of

router = APIRouter(tags=["discovery"])


@router.get("/search", response_model=page_of(SearchHit), responses=answers(page=True))
def search_everything(
    request: Request, engine: EngineDep, params: Annotated[SearchParams, Query()]
) -> Response:
    """States, organisations, people, events, documents, processes and projects matching `q`."""
    with reading(engine) as (session, version):
        hits = search.search(session, q=params.q, limit=params.limit, cursor=params.cursor)
    return respond(request, hits, version)


@router.get(
    "/changes",
    response_model=ChangeSet,
    responses=answers(
        "what changed, oldest first",
        not_found="`since` names no data version, or the data is not loaded yet",
        kind="data version",
        key="0123abcd",
    ),
)
def list_changes(
    request: Request, engine: EngineDep, params: Annotated[ChangesParams, Query()]
) -> Response:
    """What was added, changed or removed since a data version (X-Data-Version) or a time."""
    with reading(engine) as (session, version):
        found = changes.changes_since(session, since=params.since)
    return respond(request, found, version)
