"""What the OpenAPI document says beyond what FastAPI derives: ids, every answer, examples.

Operation ids are the route function's name in camelCase (`list_events` → `listEvents`): the
names read as a verb and a noun (list*, get*, search*, check*), so a generated client gets
`list_events(...)`, not `list_events_api_v1_events_get(...)`.
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from app.http.problems import PROBLEM_JSON

Responses = dict[int | str, dict[str, Any]]


def operation_id(route: APIRoute) -> str:
    """`list_events` → `listEvents`."""
    first, *rest = route.name.split("_")
    return first + "".join(word.capitalize() for word in rest)


class Problem(BaseModel):
    """An error, as application/problem+json (RFC 9457)."""

    type: str = Field(description="what kind of problem, a stable token", examples=["not-found"])
    title: str = Field(description="the kind of problem, for people", examples=["Not found"])
    status: int = Field(description="the HTTP status code", examples=[404])
    detail: str = Field(description="this occurrence, for people", examples=["no event 'x'"])


class InvalidParam(BaseModel):
    """One parameter at fault and why."""

    name: str = Field(examples=["limit"])
    in_: str | None = Field(
        default=None, alias="in", description="query or path", examples=["query"]
    )
    reason: str = Field(examples=["Input should be less than or equal to 500"])


class InvalidParameterProblem(Problem):
    """A parameter the request cannot be answered with (400)."""

    parameter: str = Field(description="the first parameter at fault", examples=["limit"])
    invalid_params: list[InvalidParam] = Field(description="every parameter at fault")


class NotFoundProblem(Problem):
    """No record of that kind has that key (404)."""

    kind: str = Field(description="the kind of record looked for", examples=["event"])
    key: str = Field(description="the key that was not found", examples=["second-som-2016"])


class LimitProblem(Problem):
    """A request over one of the service's limits, refused before it is read (400, 413)."""

    limit: int = Field(description="the limit the request went over", examples=[64])


PROBLEMS = (Problem, InvalidParameterProblem, LimitProblem, NotFoundProblem)


def _header(description: str, example: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}, "example": example}


CACHE_HEADERS = {
    "ETag": _header(
        "a strong tag of this answer; send it in If-None-Match to get a 304 while it holds",
        '"0f343b0931126a20f133d67c2b018a3b"',
    ),
    "Cache-Control": _header("how long a cache may reuse the answer", "public, max-age=300"),
    "X-Data-Version": _header(
        "the version of the data the answer was read from, for /api/v1/changes?since= "
        "(absent before the data is loaded)",
        "e0d40525ab3c4f1e",
    ),
}
LINK = _header(
    'RFC 8288 link to the next page, rel="next"; absent on the last page. A reference relative '
    "to the request's URL, absolute (from the service's public URL) when one is configured",
    '</api/v1/events?cursor=...>; rel="next"',
)
VARY = _header("the answer depends on Accept", "Accept")
ATTACHMENT = _header("a file name to save the answer as", 'attachment; filename="events.csv"')


def _problem(
    description: str, model: type[Problem], example: dict[str, Any], *others: type[Problem]
) -> dict[str, Any]:
    schema: dict[str, Any] = {"$ref": f"#/components/schemas/{model.__name__}"}
    if others:
        schema = {
            "anyOf": [schema, *({"$ref": f"#/components/schemas/{o.__name__}"} for o in others)]
        }
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": schema, "example": example}},
    }


INVALID_PARAMETER = _problem(
    "a parameter is invalid or unknown (`parameter` names it), or there are more parameters "
    "than a request may have (`limit` says how many)",
    InvalidParameterProblem,
    {
        "type": "invalid-parameter",
        "title": "Invalid parameter",
        "status": 400,
        "detail": "limit: Input should be less than or equal to 500",
        "parameter": "limit",
        "invalid_params": [
            {"name": "limit", "in": "query", "reason": "Input should be less than or equal to 500"}
        ],
    },
    LimitProblem,
)
INTERNAL_ERROR = _problem(
    "the server failed; the error was logged",
    Problem,
    {
        "type": "internal-error",
        "title": "Internal server error",
        "status": 500,
        "detail": "the server failed to answer; the error was logged",
    },
)
UNAVAILABLE = _problem(
    "the database is unavailable; retry shortly",
    Problem,
    {
        "type": "service-unavailable",
        "title": "Service unavailable",
        "status": 503,
        "detail": "the database is unavailable; retry shortly",
    },
)


def answers(
    description: str = "the answer",
    *,
    content: dict[str, Any] | None = None,
    page: bool = False,
    not_found: str | None = None,
    kind: str = "event",
    key: str = "second-som-2016",
    vary: bool = False,
    attachment: bool = False,
    headers_200: dict[str, tuple[str, str]] | None = None,
) -> Responses:
    """Every answer a read of the data may give, for `responses=` of its route.

    The 200 carries the cache headers (HttpCacheMiddleware), a 304 answers a matching
    If-None-Match, a 400 any bad or unknown parameter, a 503 a database that is down.
    `headers_200` adds or replaces headers of the 200: name -> (description, example).
    """
    headers = dict(CACHE_HEADERS)
    if page:
        headers["Link"] = LINK
    if vary:
        headers["Vary"] = VARY
    if attachment:
        headers["Content-Disposition"] = ATTACHMENT
    for name, (meaning, example) in (headers_200 or {}).items():
        headers[name] = _header(meaning, example)
    documented: Responses = {
        200: {
            "description": description,
            "headers": headers,
            **({"content": content} if content else {}),
        },
        304: {
            "description": "Not Modified: If-None-Match holds the ETag of the current answer; "
            "no body",
            "headers": CACHE_HEADERS,
        },
        400: INVALID_PARAMETER,
    }
    if not_found is not None:
        documented[404] = _problem(
            not_found,
            NotFoundProblem,
            {
                "type": "not-found",
                "title": "Not found",
                "status": 404,
                "detail": f"no {kind} {key!r}",
                "kind": kind,
                "key": key,
            },
        )
    documented[500] = INTERNAL_ERROR
    documented[503] = UNAVAILABLE
    return documented


def _finish(spec: dict[str, Any]) -> None:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    # FastAPI's and fastapi-problem's 422 shapes: this API answers a bad parameter with a 400.
    for stale in ("HTTPValidationError", "ValidationError", "RequestValidationError"):
        schemas.pop(stale, None)
    _, definitions = models_json_schema(
        [(model, "serialization") for model in PROBLEMS],
        ref_template="#/components/schemas/{model}",
    )
    schemas.update(definitions["$defs"])
    for operations in spec["paths"].values():
        for operation in operations.values():
            operation["responses"].pop("422", None)
            # The example is the field's own (`examples=` where the parameter is declared):
            # Swagger UI and generated clients read it from the parameter.
            for parameter in operation.get("parameters", []):
                examples = parameter["schema"].get("examples")
                if "example" not in parameter and examples:
                    parameter["example"] = examples[0]


def document_http(app: FastAPI) -> None:
    """Finish the app's OpenAPI document once, when it is first asked for."""
    generated: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = generated()
            _finish(spec)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
