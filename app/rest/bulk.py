"""The whole dataset in one download: a SQLite file, and NDJSON and CSV per table, per data
version, with what it is and its licence in an `about` file.

The files are built once per version on disk (app.queries.bulk) and streamed from there with
their length, a strong ETag of their bytes (alike on every replica), and byte ranges, so that an
interrupted download resumes: memory stays that of one chunk whatever the size of the data.
Each file is also at a URL without the version (`/bulk/latest/...`) for the tools that read one
URL again and again (dashboards): it serves the current version's file, and asks caches to
revalidate it every time. The listing answers at once; while the files of a new version are
being built, all answer 503 with Retry-After.
"""

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Path, Request, Response
from fastapi_problem.error import Problem
from starlette.responses import FileResponse, MalformedRangeHeader, RangeNotSatisfiable

from app.config import settings
from app.db import EngineDep
from app.errors import NotFoundError, NotReadyError
from app.http.cache import matches
from app.http.hosts import reference, site_base
from app.http.problems import problem_answer
from app.queries.bulk import ABOUT, BuiltVersion, BulkFile, BulkStore
from app.queries.changes import current_version
from app.rest.openapi import answers
from app.rest.params import NoQueryParams
from app.rest.reading import respond
from app.schemas.discovery import BulkFileInfo, BulkListing

# How long a request waits for a build under way before it answers 503 (a seed's files take
# well under this; 100k events' a minute or more).
WAIT_FOR_BUILD = 2.0
RETRY_AFTER = 10

router = APIRouter(tags=["bulk"])
# One per process: the files of the newest version, built on the first request for them.
_FILES = BulkStore(settings.bulk_dir)


def _built(engine: sa.Engine) -> BuiltVersion:
    built = _FILES.files(engine, wait=WAIT_FOR_BUILD)
    if built is not None:
        return built
    if current_version(engine) is None:
        raise NotFoundError("data version", "any: the seed data is not loaded")
    raise NotReadyError(
        "the bulk files of the current data version are being built; retry shortly",
        retry_after=RETRY_AFTER,
    )


FileName = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9._-]{1,160}$",
        description="a file name from GET /api/v1/bulk",
        examples=["almaty-process-e0d40525ab3c.sqlite"],
    ),
]
LatestName = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9._-]{1,160}$",
        description="a file name from GET /api/v1/bulk without its data version",
        examples=["almaty-process-event.csv"],
    ),
]
# Contents of each kind of file, for the OpenAPI document.
_CONTENT = {
    "application/vnd.sqlite3": {"schema": {"type": "string", "format": "binary"}},
    "application/x-ndjson": {"schema": {"type": "string"}},
    "text/csv": {"schema": {"type": "string"}},
    # The about file: what the SQLite file's `about` table holds.
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {key: {"type": "string"} for key in (*ABOUT, "data_version")},
            "example": {**ABOUT, "data_version": "e0d40525ab3c4f1e"},
        }
    },
}
# A versioned file's bytes never change; the latest file's change with the data version, which
# a cache cannot know of: it asks each time (a 304 while the version holds).
LATEST_CACHE_CONTROL = "public, no-cache"


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
    built = _built(engine)
    listing = BulkListing(
        data_version=built.version,
        licence=ABOUT["licence"],
        attribution=ABOUT["attribution"],
        files=[
            BulkFileInfo(
                name=f.name,
                url=site_base(request) + request.app.url_path_for("get_bulk_file", name=f.name),
                latest_url=site_base(request)
                + request.app.url_path_for("get_latest_bulk_file", name=f.latest),
                media_type=f.media_type,
                size=f.size,
            )
            for f in built.files.values()
        ],
    )
    return respond(request, listing, None, headers={"X-Data-Version": built.version})


@router.get(
    "/bulk/{name}",
    response_class=Response,
    responses=answers(
        "the file",
        content=_CONTENT,
        not_found="not a file of the current data version",
        kind="bulk file of the current data version",
        key="almaty-process-0123abcd.sqlite",
        attachment=True,
    ),
)
def get_bulk_file(
    request: Request, engine: EngineDep, name: FileName, _: NoQueryParams
) -> Response:
    """One file of the current data version; a file of an older version is gone (404). Byte
    ranges (`Range`, `If-Range`) resume a download."""
    built = _built(engine)
    found = built.files.get(name)
    if found is None:
        raise NotFoundError("bulk file of the current data version", name)
    return _send(request, built, found, {"Cache-Control": "public, max-age=300"})


@router.get(
    "/bulk/latest/{name}",
    response_class=Response,
    responses=answers(
        "the file of the current data version",
        content=_CONTENT,
        not_found="not a name of the listing's latest_url",
        kind="bulk file",
        key="almaty-process-no-such-table.csv",
        attachment=True,
        headers_200={
            "Cache-Control": (
                "revalidate every time: the file changes with the data version",
                LATEST_CACHE_CONTROL,
            ),
            "Content-Location": (
                "this version's file",
                "/api/v1/bulk/almaty-process-e0d40525ab3c-event.csv",
            ),
        },
    ),
)
def get_latest_bulk_file(
    request: Request, engine: EngineDep, name: LatestName, _: NoQueryParams
) -> Response:
    """The file of the current data version at a URL that does not change with the version
    (its name without the version, e.g. `almaty-process-event.csv`): for tools that read one
    URL again and again. Its ETag is the versioned file's; caches revalidate it each time."""
    built = _built(engine)
    found = built.latest.get(name)
    if found is None:
        raise NotFoundError("bulk file", name)
    versioned = request.url_for("get_bulk_file", name=found.name)
    return _send(
        request,
        built,
        found,
        {"Cache-Control": LATEST_CACHE_CONTROL, "Content-Location": reference(versioned)},
    )


# HEAD of a file: its headers (length, ETag) without its bytes, e.g. to see whether the latest
# file changed. The response cache answers HEAD for the other routes; it lets the files by.
for _path, _endpoint in (
    ("/bulk/{name}", get_bulk_file),
    ("/bulk/latest/{name}", get_latest_bulk_file),
):
    router.add_api_route(_path, _endpoint, methods=["HEAD"], include_in_schema=False)


def _send(
    request: Request, built: BuiltVersion, found: BulkFile, headers: dict[str, str]
) -> Response:
    """The file from disk: a 304 for its ETag, a byte range, or the whole of it."""
    # Strong, of the file's bytes: alike on every replica that built the same bytes.
    etag = f'"{found.digest[:32]}"'
    headers = {
        **headers,
        "ETag": etag,
        "X-Data-Version": built.version,
        "Content-Disposition": f'attachment; filename="{found.name}"',
    }
    asked = request.headers.get("if-none-match")
    if asked is not None and matches(asked, etag):
        return Response(status_code=304, headers=headers)
    wanted = request.headers.get("range")
    if wanted is not None:
        try:
            FileResponse._parse_range_header(wanted, found.size)
        except MalformedRangeHeader:
            return _refused_range(
                400,
                "Bad Request",
                "invalid-range",
                "not a byte range this file has (bytes=first-last, ...)",
            )
        except RangeNotSatisfiable:
            return _refused_range(
                416,
                "Range Not Satisfiable",
                "range-not-satisfiable",
                f"the file has {found.size:,} bytes",
                {"Content-Range": f"bytes */{found.size}"},
            )
    return FileResponse(found.path, media_type=found.media_type, headers=headers)


def _refused_range(
    status: int, title: str, kind: str, reason: str, headers: dict[str, str] | None = None
) -> Response:
    """A Range header this file cannot answer, as a problem naming the header."""
    problem = Problem(title, type_=kind, status=status, detail=f"Range: {reason}")
    return problem_answer(problem, headers={**(headers or {}), "Cache-Control": "no-store"})
