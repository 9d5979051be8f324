"""Compression as the client asked for it: `Accept-Encoding` with its q-values honoured."""

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.types import ASGIApp, Receive, Scope, Send

from app.http.memo import SmallInputMemo
from app.http.weights import weighted

_GZIP = frozenset({"gzip", "x-gzip"})  # RFC 9110 12.5.3: x-gzip is gzip


def _accepts_gzip(accept_encoding: str) -> bool:
    """Whether an `Accept-Encoding` value lets the answer be gzipped (RFC 9110 12.5.3).

    gzip named with a q-value above 0 lets it; named with q=0 refuses it, whatever `*` says;
    not named, `*` decides; neither named (`identity` alone, no header): no gzip.
    """
    named: float | None = None
    anything: float | None = None
    for coding, weight in weighted(accept_encoding):
        if coding in _GZIP:
            named = weight if named is None else max(named, weight)
        elif coding == "*":
            anything = weight
    chosen = named if named is not None else anything
    return chosen is not None and chosen > 0


# Accept-Encoding values as browsers and clients send them (a few dozen bytes), remembered.
accepts_gzip = SmallInputMemo("accept_encoding", _accepts_gzip, entries=1024, max_input=256)


class NegotiatedGZipMiddleware(GZipMiddleware):
    """Starlette's compressor, which gzips for any header holding "gzip", even `gzip;q=0`:
    here it gzips only what `accepts_gzip` allows, and nothing under `stored_prefixes`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        minimum_size: int,
        compresslevel: int,
        stored_prefixes: tuple[str, ...] = (),
    ) -> None:
        super().__init__(app, minimum_size=minimum_size, compresslevel=compresslevel)
        # Files sent as stored: their length, ETag and byte ranges are of those bytes.
        self.stored_prefixes = stored_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.stored_prefixes):
            await self.app(scope, receive, send)
            return
        responder: ASGIApp
        if accepts_gzip(Headers(scope=scope).get("accept-encoding", "")):
            responder = GZipResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
        else:
            responder = IdentityResponder(
                self.app, self.minimum_size, exclude_content_types=self.exclude_content_types
            )
        await responder(scope, receive, send)
