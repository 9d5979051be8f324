"""What operators and orchestrators ask of the process: is it alive, is it ready to serve."""

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from fastapi_problem.error import Problem
from sqlmodel import Session
from starlette.responses import Response

from app.db import EngineDep
from app.errors import OverBudgetError
from app.http.problems import PROBLEM_JSON, problem_answer
from app.migrations import current_revision, head_revision
from app.queries.changes import latest_version

# Probes and scrapers reach these by address (Docker's HEALTHCHECK asks 127.0.0.1): their
# answers hold no URL, depend on no Host and are never stored.
OPERATIONS_PATHS = frozenset({"/health", "/ready", "/metrics"})
NO_STORE = {"Cache-Control": "no-store"}

router = APIRouter(tags=["operations"])


@router.get("/health", name="check_health")
async def health() -> JSONResponse:
    """Liveness: the process is up and answering."""
    # async: it does no I/O, and must answer while every worker thread is busy.
    return JSONResponse({"status": "ok"}, headers=NO_STORE)


def _not_ready(detail: str) -> Response:
    problem = Problem("Service Unavailable", type_="not-ready", status=503, detail=detail)
    return problem_answer(problem, headers=NO_STORE)


@router.get(
    "/ready",
    name="check_readiness",
    responses={
        503: {
            "description": "not ready: the database is unreachable, behind or not seeded",
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    },
)
def ready(engine: EngineDep) -> Any:
    """Readiness: the database answers, its schema is at head and the seed is loaded."""
    try:
        with Session(engine) as session:
            revision = current_revision(session.connection())
            version = latest_version(session) if revision == head_revision() else None
    except (sa.exc.SQLAlchemyError, OverBudgetError) as error:
        return _not_ready(f"database unreachable: {type(error).__name__}")
    if revision != head_revision():
        return _not_ready(f"schema at revision {revision}, expected {head_revision()}")
    if version is None:
        return _not_ready("the seed data is not loaded")
    return JSONResponse(
        {"status": "ready", "schema_revision": revision, "data_version": version.version},
        headers=NO_STORE,
    )
