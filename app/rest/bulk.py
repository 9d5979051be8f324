"""The whole dataset in one download: a SQLite file, and NDJSON per table, per data version."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.db import EngineDep
from app.errors import NotFoundError
from app.http.hosts import site_base
from app.queries.bulk import ABOUT, BulkCache
from app.rest.openapi import answers
from app.rest.params import NoQueryParams
from app.rest.reading import respond
from app.schemas.discovery import BulkFileInfo, BulkListing

router = APIRouter(tags=["bulk"])
# One per process: the files of the newest version, built on the first request for them.
_FILES = BulkCache()
FileName = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9._-]{1,160}$",
        description="a file name from GET /api/v1/bulk",
        examples=["almaty-process-e0d40525ab3c.sqlite"],
    ),
]


@router.get(
    "/bulk",
    response_model=BulkListing,
    responses=answers(
        "the files",
        not_found="the data is not loaded yet",
        kind="data version",
        key="any: the seed data is not loaded",
    ),
)
def list_bulk_files(request: Request, engine: EngineDep, _: NoQueryParams) -> Response:
    """The files that hold the whole dataset of the current data version, and their licence."""
    version, by_name = _FILES.current(engine)
    files = list(by_name.values())
    listing = BulkListing(
        data_version=version.version,
        licence=ABOUT["licence"],
        attribution=ABOUT["attribution"],
        files=[
            BulkFileInfo(
                name=f.name,
                url=site_base(request) + request.app.url_path_for("get_bulk_file", name=f.name),
                media_type=f.media_type,
                size=len(f.body),
            )
            for f in files
        ],
    )
    return respond(request, listing, version)


@router.get(
    "/bulk/{name}",
    response_class=Response,
    responses=answers(
        "the file",
        content={
            "application/vnd.sqlite3": {"schema": {"type": "string", "format": "binary"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
        not_found="not a file of the current data version",
        kind="bulk file of the current data version",
        key="almaty-process-0123abcd.sqlite",
        attachment=True,
    ),
)
def get_bulk_file(
    request: Request, engine: EngineDep, name: FileName, _: NoQueryParams
) -> Response:
    """One file of the current data version; a file of an older version is gone (404)."""
    version, by_name = _FILES.current(engine)
    found = by_name.get(name)
    if found is None:
        raise NotFoundError("bulk file of the current data version", name)
    return respond(
        request,
        found.body,
        version,
        media_type=found.media_type,
        headers={"Content-Disposition": f'attachment; filename="{found.name}"'},
    )
