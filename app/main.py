"""The FastAPI application."""

from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlmodel import Session

from app.db import EngineDep
from app.migrations import current_revision, head_revision
from app.seed.loader import latest_version

app = FastAPI(
    title="Almaty Process open data API",
    summary="Events, states, organisations and documents of the Almaty Process, "
    "every fact cited to the passage it comes from.",
    version="0.1.0",
)


@app.get("/health", tags=["operations"])
def health() -> dict[str, str]:
    """Liveness: the process is up and answering."""
    return {"status": "ok"}


def _not_ready(detail: str) -> JSONResponse:
    body = {"type": "about:blank", "title": "Service Unavailable", "status": 503, "detail": detail}
    return JSONResponse(body, status_code=503, media_type="application/problem+json")


@app.get("/ready", tags=["operations"], responses={503: {"description": "not ready"}})
def ready(engine: EngineDep) -> Any:
    """Readiness: the database answers, its schema is at head and the seed is loaded."""
    try:
        with Session(engine) as session:
            revision = current_revision(session.connection())
            version = latest_version(session) if revision == head_revision() else None
    except sa.exc.SQLAlchemyError as error:
        return _not_ready(f"database unreachable: {type(error).__name__}")
    if revision != head_revision():
        return _not_ready(f"schema at revision {revision}, expected {head_revision()}")
    if version is None:
        return _not_ready("the seed data is not loaded")
    return {"status": "ready", "schema_revision": revision, "data_version": version.version}
