"""/graphql: POST runs queries; GET in a browser serves GraphiQL from local assets (no CDN)."""

import re
from functools import cache

from fastapi import HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from strawberry.fastapi import GraphQLRouter

from app.config import settings
from app.db import EngineDep
from app.graphql.context import GraphQLContext
from app.graphql.schema import schema

ASSETS_PATH = "/graphql/assets"
# The files strawberry's GraphiQL page loads, as npm installs them (graphiql/package.json
# pins the same versions, so the page's integrity hashes still match).
ASSETS = {
    "react/umd/react.production.min.js",
    "react-dom/umd/react-dom.production.min.js",
    "js-cookie/dist/js.cookie.min.js",
    "graphiql/graphiql.min.css",
    "graphiql/graphiql.min.js",
    "@graphiql/plugin-explorer/dist/style.css",
    "@graphiql/plugin-explorer/dist/index.umd.js",
}
_CDN = re.compile(r"https://unpkg\.com/(@?[^@\"]+)@[0-9][^/\"]*/")


async def graphql_context(engine: EngineDep) -> GraphQLContext:
    return GraphQLContext(engine=engine, budget=settings.graphql_time_budget)


class LocalGraphQLRouter(GraphQLRouter[GraphQLContext, None]):
    """Strawberry's router, its GraphiQL page pointed at assets this app serves."""

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(_local_page(self.graphql_ide_html))


@cache
def _local_page(page: str) -> str:
    return _CDN.sub(lambda match: f"{ASSETS_PATH}/{match.group(1)}/", page)


router = LocalGraphQLRouter(schema, context_getter=graphql_context)


@router.get(ASSETS_PATH.removeprefix("/graphql") + "/{path:path}", include_in_schema=False)
def graphiql_asset(path: str) -> FileResponse:
    """One of GraphiQL's scripts or styles (only those, not all of node_modules)."""
    if path not in ASSETS:
        raise HTTPException(status_code=404)
    file = settings.graphiql_assets / path
    if not file.is_file():
        raise HTTPException(status_code=404, detail="GraphiQL assets not installed: npm ci")
    return FileResponse(file, headers={"Cache-Control": "public, max-age=86400"})
