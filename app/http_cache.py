"""Strong ETags, conditional GETs and Cache-Control for every successful GET."""

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison, a list of tags, or *."""
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))


class HttpCacheMiddleware:
    """Buffers 200 answers to GET and HEAD, tags them, and answers 304 when the client has them.

    HEAD is answered here too: the route runs as for GET and the body is dropped, so every GET
    endpoint also answers HEAD with the same headers (ETag included).

    The tag hashes the data version, the content type and the exact bytes sent (after
    compression), so it is a strong validator: a different media type, encoding or data
    version gives a different tag. It
    wraps the compression middleware, whose gzip output is deterministic (no timestamp).
    """

    def __init__(self, app: ASGIApp, *, cache_control: str) -> None:
        self.app = app
        self.cache_control = cache_control

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        start: Message = {}
        chunks: list[bytes] = []

        async def buffer(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._answer(scope, start, b"".join(chunks), send, head=head)
            else:
                await send(message)

        await self.app(scope, receive, buffer)

    async def _answer(
        self, scope: Scope, start: Message, body: bytes, send: Send, *, head: bool
    ) -> None:
        headers = MutableHeaders(scope=start)
        if start["status"] == 200 and "no-store" not in headers.get("cache-control", ""):
            if "etag" not in headers:
                # The content type too: GraphQL answers one GET in two media types (by Accept).
                tagged = (headers.get("x-data-version", ""), headers.get("content-type", ""))
                digest = hashlib.sha256("\0".join(tagged).encode() + b"\0" + body)
                headers["ETag"] = f'"{digest.hexdigest()[:32]}"'
            if "cache-control" not in headers:
                headers["Cache-Control"] = self.cache_control
            if_none_match = Headers(scope=scope).get("if-none-match")
            if if_none_match is not None and _matches(if_none_match, headers["etag"]):
                for name in ("content-length", "content-type", "content-encoding"):
                    if name in headers:
                        del headers[name]
                await send({**start, "status": 304})
                await send({"type": "http.response.body", "body": b""})
                return
        await send(start)
        await send({"type": "http.response.body", "body": b"" if head else body})
