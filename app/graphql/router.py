"""/graphql: POST and GET run queries (by text, or by a persisted query's hash); a browser's GET
is sent on to GraphiQL, served from local assets (no CDN), opened on its query or the example."""

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from functools import cache
from http import HTTPStatus
from typing import Any, overload
from urllib.parse import quote

import orjson
from cross_web import AsyncHTTPRequestAdapter
from cross_web import HTTPException as StrawberryHTTPException
from fastapi import Request, Response, WebSocket
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi_problem.error import Problem
from graphql import GraphQLError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from app.config import settings
from app.db import EngineDep
from app.graphql.context import GraphQLContext, OverproducedError, TimeBudgetExceededError
from app.graphql.errors import (
    BAD_USER_INPUT,
    PERSISTED_QUERY_NOT_FOUND,
    PERSISTED_QUERY_NOT_SUPPORTED,
)
from app.graphql.executor import GRAPHQL
from app.graphql.schema import MEMO_QUERY_BYTES, introspection_only, schema
from app.http.assets import InstalledFiles
from app.http.memo import SmallInputMemo
from app.http.persisted import (
    PersistedQueries,
    PersistedQueryError,
    PersistedQueryNotFoundError,
    PersistedQueryNotSupportedError,
    PersistedQueryTooLargeError,
)
from app.http.problems import problem_answer
from app.http.weights import weighted
from app.schemas.discovery import GRAPHQL_EXAMPLE

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
ASSETS_PATH = "/graphql/assets"
# The files strawberry's GraphiQL page loads, as npm installs them (graphiql/package.json
# pins the same versions, so the page's integrity hashes still match).
ASSETS = InstalledFiles(
    "GraphiQL's scripts",
    lambda: settings.graphiql_assets,
    {
        path: path
        for path in (
            "react/umd/react.production.min.js",
            "react-dom/umd/react-dom.production.min.js",
            "js-cookie/dist/js.cookie.min.js",
            "graphiql/graphiql.min.css",
            "graphiql/graphiql.min.js",
            "@graphiql/plugin-explorer/dist/style.css",
            "@graphiql/plugin-explorer/dist/index.umd.js",
        )
    },
    max_age=86400,
)
_CDN = re.compile(r"https://unpkg\.com/(@?[^@\"]+)@[0-9][^/\"]*/")


async def graphql_context(engine: EngineDep) -> AsyncIterator[GraphQLContext]:
    context = GraphQLContext(engine=engine, budget=settings.graphql_time_budget)
    try:
        yield context
    finally:
        # Where its reads ran: the executor's loop holds its session and its place.
        await GRAPHQL.run(context.close())


# Answers about the schema alone (GraphiQL's and code generators' introspection, 4,000 values
# each), worked out once per query text and variables: they never change while the process
# runs. At most INTROSPECTION_ENTRIES, of queries up to 8 KB, each answer as large as an answer
# may be (GRAPHQL_MAX_RESPONSE_BYTES).
INTROSPECTION_ENTRIES = 16
_INTROSPECTIONS: SmallInputMemo[bytes, ExecutionResult] = SmallInputMemo(
    "graphql_introspection",
    lambda key: ExecutionResult(data=None, errors=None),
    entries=INTROSPECTION_ENTRIES,
    max_input=MEMO_QUERY_BYTES,
)


def _introspection_key(request: GraphQLRequestData) -> bytes | None:
    """What identifies an introspection-only request (None for any other)."""
    query = request.query or ""
    if len(query) > MEMO_QUERY_BYTES or not introspection_only(query, request.operation_name):
        return None
    try:
        return orjson.dumps([query, request.operation_name, request.variables])
    except TypeError:
        return None


# The texts of automatic persisted queries, by their SHA-256 (app.http.persisted): this
# process's own, as each replica has its own.
PERSISTED = PersistedQueries(
    entries=settings.graphql_persisted_queries,
    max_bytes=settings.graphql_persisted_bytes,
    max_query_bytes=settings.graphql_persisted_query_bytes,
)


class TooLargeError(GraphQLError):
    """A query text, or an answer, larger than its limit allows (`limit` names which)."""

    def __init__(self, what: str, size: int, maximum: int, *, limit: str, advice: str) -> None:
        super().__init__(
            f"the {what} is {size:,} bytes, more than the {maximum:,} allowed{advice} "
            f"(limit: {limit})",
            extensions={"code": BAD_USER_INPUT, "limit": limit, "bytes": size, "maxBytes": maximum},
        )


def _persisted_error(refused: PersistedQueryError) -> GraphQLError:
    """A persisted-query request that cannot run, as the GraphQL error Apollo's clients expect."""
    if isinstance(refused, PersistedQueryTooLargeError):
        return TooLargeError(
            "query",
            refused.size,
            refused.maximum,
            limit="persistedQueryBytes",
            advice=" for a persisted query: send it without extensions.persistedQuery",
        )
    code = BAD_USER_INPUT
    if isinstance(refused, PersistedQueryNotFoundError):
        code = PERSISTED_QUERY_NOT_FOUND
    elif isinstance(refused, PersistedQueryNotSupportedError):
        code = PERSISTED_QUERY_NOT_SUPPORTED
    extensions = {"code": code}
    if refused.argument is not None:
        extensions["argument"] = refused.argument
    return GraphQLError(refused.message, extensions=extensions)


def _refused(result: ExecutionResult) -> bool:
    """Whether the request was refused before it ran (it did not parse or validate, a limit
    refused it): then the GraphQL spec wants no data. A query stopped at its time budget, or
    past the cost limit as it ran, did start: its data stays, null."""
    return result.data is None and any(
        e.path is None and not isinstance(e, TimeBudgetExceededError | OverproducedError)
        for e in result.errors or []
    )


def _quality(accept: str, media_type: str) -> float:
    """How much an Accept header wants `media_type` (RFC 9110: the most specific range wins)."""
    best: tuple[int, float] = (-1, 0.0)
    kind = media_type.split("/")[0]
    for name, quality in weighted(accept):
        specificity = {media_type: 2, f"{kind}/*": 1, "*/*": 0}.get(name, -1)
        if specificity > best[0]:
            best = (specificity, quality)
    return best[1]


def wants_graphql_response(request: Request) -> bool:
    """Whether the answer should be application/graphql-response+json (GraphQL over HTTP).

    Only when the client names it and does not prefer application/json: a client that sends no
    Accept, or */*, gets application/json, as the spec asks of servers during its transition.
    """
    accept = request.headers.get("accept", "")
    if GRAPHQL_RESPONSE not in accept.lower():
        return False
    wanted = _quality(accept, GRAPHQL_RESPONSE)
    return wanted > 0 and wanted >= _quality(accept, JSON)


def _to_graphiql(request: Request) -> Response | None:
    """A browser's GET without GraphiQL's own `q` (nor a persisted query's hash), sent on to
    the page holding its query (or the example) in `q`, the one parameter strawberry's page
    opens its editor on. A client that prefers JSON is not sent: its GET runs the query."""
    accept = request.headers.get("accept", "")
    # A GET by persisted-query hash is a query, whoever sends it.
    if request.method != "GET" or {"q", "extensions"} & set(request.query_params):
        return None
    if _quality(accept, "text/html") <= _quality(accept, JSON):
        return None
    parameters = {
        "q": request.query_params.get("query") or GRAPHQL_EXAMPLE,
        "variables": request.query_params.get("variables"),
    }
    # The page decodes its parameters with decodeURIComponent, which leaves a "+" as it is.
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in parameters.items() if v)
    return RedirectResponse(
        f"{request.url.path}?{query}", status_code=303, headers={"Vary": "Accept"}
    )


class LocalGraphQLRouter(GraphQLRouter[GraphQLContext, None]):
    """Strawberry's router, its GraphiQL page pointed at assets this app serves and opened on
    a query (`_to_graphiql`).

    It also speaks GraphQL over HTTP: a request error (the query did not parse or validate, a
    variable was refused) has no `data`; with application/graphql-response+json it is a 400,
    with application/json a 200 as before. A GET query is cached like every GET (ETag, 304)
    unless its answer holds errors, which may not last (a time budget) and are not kept.

    Its limits: a query text over MAX_BODY_BYTES is refused before it is parsed; the whole of
    a query's work, waits included, ends at its time budget (GRAPHQL_TIME_BUDGET, wall time);
    an answer over GRAPHQL_MAX_RESPONSE_BYTES is replaced by an error; JSON nested deeper than
    1,024 levels is a 400 (orjson's limit), not a RecursionError.
    """

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # A GET by persisted-query hash has no `query`, yet is no browser asking for GraphiQL.
        return "extensions" not in request.query_params and super().should_render_graphql_ide(
            request
        )

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(_local_page(self.graphql_ide_html))

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    def parse_json(self, data: str | bytes) -> Any:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise StrawberryHTTPException(
                400, f"Unable to parse request body as JSON: {error}"
            ) from None

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: GraphQLContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            resolved = PERSISTED.resolve(request_data.query, request_data.extensions)
        except PersistedQueryError as refused:
            return ExecutionResult(data=None, errors=[_persisted_error(refused)])
        # A query named by its hash runs as if its text had been sent: same limits, same checks.
        request_data = replace(request_data, query=resolved.query)
        result = await self._execute(
            request, request_adapter, sub_response, context, root_value, request_data
        )
        if resolved.register is not None and resolved.query is not None:
            # Served again from a cache, this answer would not register the query again.
            request.state.graphql_uncacheable = True
            if not _refused(result):
                # Kept once it ran: a query that fails to parse, validate or pass a limit never is.
                PERSISTED.register(resolved.register, resolved.query)
        return result

    async def _execute(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: GraphQLContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """The answer to a query text, within the limits."""
        query, maximum = request_data.query or "", settings.max_body_bytes
        # Characters first: a 20 MB query is refused without encoding it.
        if len(query) > maximum or len(query.encode()) > maximum:
            size = len(query.encode())
            error = TooLargeError("query", size, maximum, limit="queryBytes", advice="")
            return ExecutionResult(data=None, errors=[error])
        introspection = _introspection_key(request_data)
        if introspection is not None and (known := _INTROSPECTIONS.find(introspection)):
            return known
        deadline = asyncio.timeout(context.left())
        try:
            async with deadline:
                # Worked out on the executor's loop: this one stays free, and its deadline fires.
                result = await GRAPHQL.run(
                    super().execute_single(
                        request, request_adapter, sub_response, context, root_value, request_data
                    )
                )
            if context.overproduced is not None:
                # Stopped as it ran, past the cost limit: refused whole, as the estimate would.
                return ExecutionResult(data=None, errors=[context.overproduced])
            if introspection is not None and not result.errors:
                _INTROSPECTIONS.keep(introspection, result)
            return result
        except TimeoutError:
            if not deadline.expired():
                raise
        context.stop()
        return ExecutionResult(data=None, errors=[TimeBudgetExceededError(context.budget)])

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        answer = await super().process_result(request, result)
        request_error = _refused(result)
        if request_error:
            answer.pop("data", None)
        request.state.graphql_request_error = request_error
        request.state.graphql_errors = bool(result.errors)
        return answer

    @overload
    async def run(
        self, request: Request, context: GraphQLContext = UNSET, root_value: None = UNSET
    ) -> Response: ...

    @overload
    async def run(
        self, request: WebSocket, context: GraphQLContext = UNSET, root_value: None = UNSET
    ) -> WebSocket: ...

    async def run(
        self,
        request: Request | WebSocket,
        context: GraphQLContext = UNSET,
        root_value: None = UNSET,
    ) -> Response | WebSocket:
        if isinstance(request, WebSocket):
            return await super().run(request, context, root_value)
        if (redirect := _to_graphiql(request)) is not None:
            return redirect
        try:
            response = await super().run(request, context, root_value)
        except StrawberryHTTPException as refused:
            # Strawberry would answer in plain text; every error of this service is a problem.
            return _transport_problem(refused)
        if response.media_type == JSON and len(response.body) > settings.graphql_max_response_bytes:
            response = _too_large(len(response.body))
            request.state.graphql_errors = True
        # GraphiQL or JSON, and which JSON: every answer here depends on Accept.
        response.headers["Vary"] = "Accept"
        if context is not UNSET and context.version is not None:
            response.headers["X-Data-Version"] = context.version
        if response.media_type != JSON:
            return response
        if getattr(request.state, "graphql_errors", False) or getattr(
            request.state, "graphql_uncacheable", False
        ):
            response.headers["Cache-Control"] = "no-store"
        if wants_graphql_response(request):
            response.headers["Content-Type"] = GRAPHQL_RESPONSE
            if getattr(request.state, "graphql_request_error", False):
                response.status_code = 400
        return response


def _transport_problem(refused: StrawberryHTTPException) -> Response:
    """A request the GraphQL transport cannot read (no query, bad JSON, an unknown media type),
    as application/problem+json."""
    headers = {"Cache-Control": "no-store"}
    if refused.reason == "Unsupported content type":
        problem = Problem(
            "Unsupported media type",
            type_="unsupported-media-type",
            status=415,
            detail="a GraphQL POST is application/json (or application/graphql, or a multipart "
            "form)",
        )
    else:
        status = refused.status_code
        problem = Problem(
            HTTPStatus(status).phrase,
            type_="invalid-graphql-request" if status == 400 else f"graphql-{status}",
            status=status,
            detail=refused.reason,
        )
        if status == 405:
            # A mutation over GET: GraphQL over HTTP runs it over POST only.
            headers["Allow"] = "GET, POST"
    return problem_answer(problem, headers=headers)


def _too_large(size: int) -> Response:
    """The error answer sent instead of an answer too large to send."""
    error = TooLargeError(
        "answer",
        size,
        settings.graphql_max_response_bytes,
        limit="responseBytes",
        advice=": ask for fewer fields or smaller pages",
    )
    return Response(orjson.dumps({"data": None, "errors": [error.formatted]}), media_type=JSON)


@cache
def _local_page(page: str) -> str:
    return _CDN.sub(lambda match: f"{ASSETS_PATH}/{match.group(1)}/", page)


# A FastAPI dependency with yield: the request's transaction ends once it is answered (strawberry
# resolves the getter with Depends; its annotation leaves generators out).
router = LocalGraphQLRouter(schema, context_getter=graphql_context)  # type: ignore[arg-type]


@router.get(ASSETS_PATH.removeprefix("/graphql") + "/{path:path}", include_in_schema=False)
def graphiql_asset(path: str) -> FileResponse:
    """One of GraphiQL's scripts or styles (only those, not all of node_modules)."""
    return ASSETS.answer(path)
