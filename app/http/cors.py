"""Who may read the API from a browser: one configuration for the CORS layer, and for the
answers made outside it (a refused request, an unexpected error), which a browser would
otherwise hide from the page as a CORS failure."""

import orjson
from fastapi_problem.cors import CorsConfiguration
from fastapi_problem.error import Problem
from fastapi_problem.handler import CorsPostHook
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response

from app.config import settings

CORS = CorsConfiguration(
    allow_origins=settings.cors_origins,
    # POST for /graphql (JSON bodies need a preflight); still no credentials: open reading only.
    allow_methods=["GET", "HEAD", "OPTIONS", "POST"],
    allow_headers=["*"],
    allow_credentials=False,
)
EXPOSED = ["ETag", "Link", "X-Data-Version", "X-Request-ID"]

_label = CorsPostHook(CORS)


def labelled(request: Request, response: Response) -> Response:
    """`response` with the CORS headers the CORS layer would have given it."""
    _label({}, request, response)
    return response


# What each of Starlette's refusal tokens means for the page that asked.
_REFUSALS = {
    "origin": "this origin may not read the API",
    "method": "this method may not be used from another origin",
    "headers": "one of these request headers may not be sent from another origin",
    "private-network": "a private network request is not allowed",
}


class ProblemCORSMiddleware(CORSMiddleware):
    """Starlette's CORS layer, whose refused preflight (a plain-text 400) is a problem here."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ").split(", ")
        problem = Problem(
            "CORS preflight refused",
            type_="cors-refused",
            status=400,
            detail="; ".join(_REFUSALS.get(token, token) for token in refused),
        )
        # The preflight's own headers (Vary, the allowed methods and headers) stay.
        kept = {
            k: v for k, v in response.headers.items() if k not in ("content-type", "content-length")
        }
        return Response(
            orjson.dumps(problem.marshal()),
            status_code=400,
            headers=kept,
            media_type="application/problem+json",
        )
