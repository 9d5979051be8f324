"""/process, /processes, /states, /organizations, /documents, /sources: the entities by key."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.config import settings
from app.db import EngineDep
from app.queries import actors, documents, processes
from app.queries.pagination import PageParams
from app.rest.openapi import answers
from app.rest.params import (
    DocumentListParams,
    NoQueryParams,
    OrganizationListParams,
    StateListParams,
)
from app.rest.reading import reading, respond
from app.schemas.actors import OrganizationDetail, OrganizationSummary, StateDetail, StateSummary
from app.schemas.documents import DocumentDetail, DocumentSummary, SourceDetail, SourceSummary
from app.schemas.pages import page_of
from app.schemas.processes import ProcessDetail, ProcessSummary

router = APIRouter()
StateCode = Annotated[
    str, Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3", examples=["KAZ"])
]


def slug(example: str) -> object:
    """The `{slug}` of a path, with an example of that kind of record."""
    return Path(pattern=r"^[a-z0-9-]{1,120}$", description="the slug", examples=[example])


def not_found(kind: str, key: str) -> dict[int | str, dict[str, object]]:
    return answers(f"the {kind}", not_found=f"no {kind} has this key", kind=kind, key=key)


@router.get("/process", response_model=ProcessDetail, tags=["processes"], responses=answers())
def get_main_process(request: Request, engine: EngineDep, _: NoQueryParams) -> Response:
    """The Almaty Process: who initiated, chairs and serves it, its members, objectives, areas."""
    with reading(engine) as (session, version):
        process = processes.get_process(session, settings.main_process)
    return respond(request, process, version)


@router.get(
    "/processes",
    response_model=page_of(ProcessSummary),
    tags=["processes"],
    responses=answers(page=True),
)
def list_processes(
    request: Request, engine: EngineDep, page: Annotated[PageParams, Query()]
) -> Response:
    """The Almaty Process and the other regional consultative processes the documents name."""
    with reading(engine) as (session, version):
        found = processes.list_processes(session, page=page)
    return respond(request, found, version)


@router.get(
    "/processes/{slug}",
    response_model=ProcessDetail,
    tags=["processes"],
    responses=not_found("process", "tehran-process"),
)
def get_process(
    request: Request,
    engine: EngineDep,
    slug: Annotated[str, slug("budapest-process")],
    _: NoQueryParams,
) -> Response:
    """One process in full."""
    with reading(engine) as (session, version):
        process = processes.get_process(session, slug)
    return respond(request, process, version)


@router.get(
    "/states", response_model=page_of(StateSummary), tags=["states"], responses=answers(page=True)
)
def list_states(
    request: Request, engine: EngineDep, params: Annotated[StateListParams, Query()]
) -> Response:
    """States by ISO code, with their role (member or observer) in the Almaty Process."""
    with reading(engine) as (session, version):
        found = actors.list_states(session, role=params.role, page=params)
    return respond(request, found, version)


@router.get(
    "/states/{code}",
    response_model=StateDetail,
    tags=["states"],
    responses=not_found("state", "FRA"),
)
def get_state(request: Request, engine: EngineDep, code: StateCode, _: NoQueryParams) -> Response:
    """A state, its roles in the processes, and the events it took part in with its role at each."""
    with reading(engine) as (session, version):
        state = actors.get_state(session, code)
    return respond(request, state, version)


@router.get(
    "/organizations",
    response_model=page_of(OrganizationSummary),
    tags=["organizations"],
    responses=answers(page=True),
)
def list_organizations(
    request: Request, engine: EngineDep, params: Annotated[OrganizationListParams, Query()]
) -> Response:
    """Organisations by name, optionally of one kind or matching `q`."""
    with reading(engine) as (session, version):
        listing = actors.list_organizations(
            session,
            kind=params.kind,
            q=params.q,
            page=params,
        )
    return respond(request, listing.page, version)


@router.get(
    "/organizations/{slug}",
    response_model=OrganizationDetail,
    tags=["organizations"],
    responses=not_found("organization", "unicef"),
)
def get_organization(
    request: Request, engine: EngineDep, slug: Annotated[str, slug("iom")], _: NoQueryParams
) -> Response:
    """An organisation, its units and people, and its events grouped by its role."""
    with reading(engine) as (session, version):
        organization = actors.get_organization(session, slug)
    return respond(request, organization, version)


@router.get(
    "/documents",
    response_model=page_of(DocumentSummary),
    tags=["documents"],
    responses=answers(page=True),
)
def list_documents(
    request: Request, engine: EngineDep, params: Annotated[DocumentListParams, Query()]
) -> Response:
    """Declarations, frameworks, plans, reports: documents the processes produced or used."""
    with reading(engine) as (session, version):
        found = documents.list_documents(
            session, kind=params.kind, status=params.status, page=params
        )
    return respond(request, found, version)


@router.get(
    "/documents/{slug}",
    response_model=DocumentDetail,
    tags=["documents"],
    responses=not_found("document", "bali-declaration"),
)
def get_document(
    request: Request,
    engine: EngineDep,
    slug: Annotated[str, slug("almaty-declaration")],
    _: NoQueryParams,
) -> Response:
    """A document, where it was adopted, endorsed, issued or presented, its parts and relations."""
    with reading(engine) as (session, version):
        document = documents.get_document(session, slug)
    return respond(request, document, version)


@router.get(
    "/sources",
    response_model=page_of(SourceSummary),
    tags=["sources"],
    responses=answers(page=True),
)
def list_sources(
    request: Request, engine: EngineDep, page: Annotated[PageParams, Query()]
) -> Response:
    """The source documents every fact cites, with their SHA-256 and citation coverage."""
    with reading(engine) as (session, version):
        found = documents.list_sources(session, page=page)
    return respond(request, found, version)


@router.get(
    "/sources/{slug}",
    response_model=SourceDetail,
    tags=["sources"],
    responses=not_found("source", "bali-process"),
)
def get_source(
    request: Request,
    engine: EngineDep,
    slug: Annotated[str, slug("almaty-process")],
    _: NoQueryParams,
) -> Response:
    """A source document: its full text (citation offsets index into it) and uncited sentences."""
    with reading(engine) as (session, version):
        source = documents.get_source(session, slug)
    return respond(request, source, version)
