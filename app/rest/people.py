"""/people: the people the documents name, each with the passages that state who they are."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.db import EngineDep
from app.queries import people
from app.queries.pagination import PageParams
from app.rest.catalogue import not_found, slug
from app.rest.openapi import answers
from app.rest.params import NoQueryParams
from app.rest.reading import reading, respond
from app.schemas.pages import page_of
from app.schemas.people import PersonDetail, PersonSummary

router = APIRouter(tags=["people"])


@router.get("/people", response_model=page_of(PersonSummary), responses=answers(page=True))
def list_people(
    request: Request, engine: EngineDep, page: Annotated[PageParams, Query()]
) -> Response:
    """People by name, with their positions and the bodies they serve."""
    with reading(engine) as (session, version):
        listing = people.list_people(session, page=page)
    return respond(request, listing.page, version)


@router.get(
    "/people/{slug}",
    response_model=PersonDetail,
    responses=not_found("person", "jane-doe"),
)
def get_person(
    request: Request,
    engine: EngineDep,
    slug: Annotated[str, slug("birzhan-nurymbetov")],
    _: NoQueryParams,
) -> Response:
    """One person: name, position and organisation, each with its passages and claims."""
    with reading(engine) as (session, version):
        person = people.get_person(session, slug)
    return respond(request, person, version)
