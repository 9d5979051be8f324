"""The response cache: each answer kept once per data version, with its strong ETag.

The data changes only when a seed is loaded, which makes a new data version. So an answer,
once made, is kept as bytes under everything that selects it (method, path, query, the headers
that choose a representation, the database and its data version) and served again without
running any route: a 200, a 304 for a client that has it, the headers of a HEAD. A new data
version makes every older answer unreachable; they are dropped as the new ones arrive.

Only answers that can be trusted to belong to one version are kept: a 200 whose
`X-Data-Version` is the version the cache expected (the route read it in its own transaction),
or, for an answer without one, when the expected version did not change while it was made.
POST is kept only for GraphQL (`graphql_paths`), keyed by the parsed body (query, variables and
operation name in canonical form), since a GraphQL POST only reads. A GraphQL request, GET or
POST, is keyed by the SHA-256 of the query text it runs, whether it sent the text or only its
hash (app.http.persisted): a dashboard's short GET by hash and the GET of the whole text share
one kept answer.
"""

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
import sqlalchemy as sa
from prometheus_client import Counter, Gauge
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.bodies import read_body, replay
from app.http.compression import accepts_gzip
from app.http.memo import SmallInputMemo
from app.http.observability import ROUTE_KEY, route_template
from app.http.persisted import request_identity
from app.http.versions import VersionWatcher, database_of

HITS = Counter("almaty_response_cache_hits_total", "answers served from the response cache")
MISSES = Counter("almaty_response_cache_misses_total", "cacheable requests that ran a route")
EVICTIONS = Counter(
    "almaty_response_cache_evictions_total", "answers dropped: space needed or data reloaded"
)
STORED_BYTES = Gauge("almaty_response_cache_bytes", "bytes the response cache holds")
STORED_ANSWERS = Gauge("almaty_response_cache_answers", "answers the response cache holds")

MAX_POST_BODY = 64 * 1024  # a larger GraphQL POST runs, but is not kept
_ENTRY_OVERHEAD = 256  # the key, the tuple and the dict slot, roughly
_DROPPED_ON_304 = frozenset({b"content-length", b"content-type", b"content-encoding"})
# The request headers that choose a representation (ASGI gives names in lower case).
_SELECTING = (b"accept", b"accept-encoding", b"host", b"origin")


def matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison, a list of tags, or *."""
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))


def _etag(version: str, content_type: str, body: bytes) -> str:
    """A strong tag of the exact bytes, their media type and the data version."""
    digest = hashlib.sha256(f"{version}\0{content_type}\0".encode() + body)
    return f'"{digest.hexdigest()[:32]}"'


@dataclass(frozen=True)
class Stored:
    """One answer as it was sent: status, headers (ETag included), body; and its route."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str
    route: str | None
    size: int
    # The headers of a 304 for it: the same, without those describing a body.
    unchanged: list[tuple[bytes, bytes]] = field(init=False)

    def __post_init__(self) -> None:
        kept = [(k, v) for k, v in self.headers if k.lower() not in _DROPPED_ON_304]
        object.__setattr__(self, "unchanged", kept)


class ResponseStore:
    """Answers by key, least recently used first out, within `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entry_limit = max_bytes // 8  # one answer may not crowd out all the others
        self.size = 0
        self._entries: OrderedDict[tuple[Any, ...], Stored] = OrderedDict()
        self._versions: dict[str, str | None] = {}

    def get(self, key: tuple[Any, ...]) -> Stored | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: tuple[Any, ...], stored: Stored) -> None:
        database, version = key[0], key[1]
        if self._versions.get(database, version) != version:
            # A reload: nothing of the database's earlier versions can be asked for again.
            self._drop(lambda old: old[0] == database and old[1] != version)
        self._versions[database] = version
        if stored.size > self.entry_limit:
            return
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.size -= previous.size
        self._entries[key] = stored
        self.size += stored.size
        while self.size > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.size -= evicted.size
            EVICTIONS.inc()
        self._count()

    def clear(self) -> None:
        """Forget every answer (each is made again on its next request)."""
        self._drop(lambda _: True)

    def _drop(self, condition: Callable[[tuple[Any, ...]], bool]) -> None:
        for key in [key for key in self._entries if condition(key)]:
            self.size -= self._entries.pop(key).size
            EVICTIONS.inc()
        self._count()

    def _count(self) -> None:
        STORED_BYTES.set(self.size)
        STORED_ANSWERS.set(len(self._entries))


def _canonical(query_string: bytes) -> str:
    """The query with parameters in name order (a repeated name keeps its values' order)."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


# Query strings of up to 2 KB (every real client's): at most 8 MB of them, and their forms.
_canonical_query = SmallInputMemo("canonical_query", _canonical, entries=4096, max_input=2048)


def _graphql_get(query_string: bytes) -> tuple[str, str | None]:
    """A GraphQL GET's parameters in canonical form without its query, and the SHA-256 of the
    text it runs; all of them, and None, when that cannot be told without running it."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    names = [name for name, _ in pairs]
    if names.count("query") > 1 or names.count("extensions") > 1:
        return _canonical_query(query_string), None
    fields = dict(pairs)
    try:
        extensions = orjson.loads(fields["extensions"]) if "extensions" in fields else None
        digest, rest = request_identity(fields.get("query"), extensions)
        if digest is None:
            return _canonical_query(query_string), None
        kept = [(name, value) for name, value in pairs if name not in ("query", "extensions")]
        if rest is not None:
            kept.append(("extensions", orjson.dumps(rest, option=orjson.OPT_SORT_KEYS).decode()))
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return _canonical_query(query_string), None
    return urlencode(sorted(kept, key=lambda pair: pair[0])), digest


# A GET by hash is a few hundred bytes: kept like the other query strings, 4 MB of them at most.
_graphql_query = SmallInputMemo("graphql_query_key", _graphql_get, entries=2048, max_input=2048)


def _graphql_body(body: bytes) -> tuple[bytes, str | None] | None:
    """A GraphQL POST body in canonical JSON (keys sorted) without its query, and the SHA-256 of
    the text it runs (the whole body and None when that cannot be told); None if the body is
    not a JSON object."""
    try:
        parsed = orjson.loads(body)
        if not isinstance(parsed, dict):
            return None
        digest, rest = request_identity(parsed.get("query"), parsed.get("extensions"))
        if digest is not None:
            parsed = {k: v for k, v in parsed.items() if k not in ("query", "extensions")}
            if rest is not None:
                parsed["extensions"] = rest
        # orjson writes less deeply nested JSON than it reads: a body between the two goes
        # uncached rather than failing.
        return orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS), digest
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return None


class HttpCacheMiddleware:
    """Keeps and serves answers per data version; tags every 200 and answers 304s.

    HEAD is answered here too: the route runs as for GET and the body is dropped, so every GET
    endpoint also answers HEAD with the same headers (ETag included). It sits outside the
    compressor, so what it keeps is what was sent: `Accept-Encoding` is part of the key.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        cache_control: str,
        versions: VersionWatcher,
        engine: Callable[[Scope], sa.Engine],
        store: ResponseStore | None,
        graphql_paths: frozenset[str] = frozenset(),
        uncached_paths: frozenset[str] = frozenset(),
        streamed_prefixes: tuple[str, ...] = (),
        origin_value_matters: bool = True,
    ) -> None:
        self.app = app
        self.cache_control = cache_control
        self.versions = versions
        self.engine = engine
        self.store = store
        # GraphQL endpoints: POST kept too, and requests keyed by the query they run.
        self.graphql_paths = graphql_paths
        # Answers about the process itself: never kept, and never waiting for a version check.
        self.uncached_paths = uncached_paths
        # Answers streamed as they are read (files): never held whole, so never kept.
        self.streamed_prefixes = streamed_prefixes
        self.origin_value_matters = origin_value_matters
        self._making: dict[tuple[Any, ...], asyncio.Future[Stored | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] in self.uncached_paths
            or scope["path"].startswith(self.streamed_prefixes)
        ):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method in ("GET", "HEAD"):
            await self._read(scope, receive, send, head=method == "HEAD")
        elif method == "POST" and self.store is not None and scope["path"] in self.graphql_paths:
            await self._post(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _key(
        self, scope: Scope, database: str, version: str | None, *extra: Any
    ) -> tuple[Any, ...]:
        selecting = dict.fromkeys(_SELECTING, b"")
        for name, value in scope["headers"]:
            if name in selecting:
                selecting[name] = value
        query, digest = (
            _graphql_query(scope["query_string"])
            if scope["path"] in self.graphql_paths
            else (_canonical_query(scope["query_string"]), None)
        )
        return (
            database,
            version,
            scope["path"],
            query,
            digest,
            selecting[b"accept"],
            # What the compressor looks at, as it looks at it.
            accepts_gzip(selecting[b"accept-encoding"].decode("latin-1")),
            # Absolute links (feeds, Link, JSON-LD) are built from the scheme and Host.
            scope.get("scheme"),
            selecting[b"host"],
            # It sits outside CORS, which answers by the Origin the request names (or none).
            selecting[b"origin"] if self.origin_value_matters else bool(selecting[b"origin"]),
            *extra,
        )

    async def _read(self, scope: Scope, receive: Receive, send: Send, *, head: bool) -> None:
        await self._through_cache(scope, receive, send, ("GET",), head=head)

    async def _post(self, scope: Scope, receive: Receive, send: Send) -> None:
        read = await read_body(receive, limit=MAX_POST_BODY)
        canonical = None
        json = Headers(scope=scope).get("content-type", "").startswith("application/json")
        if json and read.ended and len(read.data) <= MAX_POST_BODY:
            canonical = _graphql_body(read.data)
        if canonical is None:
            await self.app(scope, replay(read, receive), send)
            return
        await self._through_cache(
            scope, replay(read, receive), send, ("POST", *canonical), head=False
        )

    async def _through_cache(
        self, scope: Scope, receive: Receive, send: Send, extra: tuple[Any, ...], *, head: bool
    ) -> None:
        """A kept answer; or the one another request is making now; or a new one, kept."""
        engine = self.engine(scope)
        expected = await self.versions.current(engine)
        key = self._key(scope, database_of(engine), expected, *extra)
        usable = self.store is not None and expected is not None
        if usable:
            stored = self.store.get(key) if self.store is not None else None
            if stored is None and key in self._making:
                # Single flight: 64 clients asking at once for what nobody has yet cost one run.
                stored = await asyncio.shield(self._making[key])
            if stored is not None:
                HITS.inc()
                scope[ROUTE_KEY] = stored.route
                await self._send(scope, send, stored, head=head)
                return
        making: asyncio.Future[Stored | None] | None = None
        if usable and key not in self._making:
            making = self._making[key] = asyncio.get_running_loop().create_future()
        kept = None
        try:
            answer, kept = await self._make(scope, receive, engine, expected, key, head=head)
        finally:
            if making is not None:
                # Those waiting get the answer if it was kept; otherwise each makes its own.
                making.set_result(kept)
                del self._making[key]
        await self._send(scope, send, answer, head=head)

    async def _make(
        self,
        scope: Scope,
        receive: Receive,
        engine: sa.Engine,
        expected: str | None,
        key: tuple[Any, ...],
        *,
        head: bool,
    ) -> tuple[Stored, Stored | None]:
        """Run the app; the answer as sent, and as kept (None when it may not be kept)."""
        read = scope["method"] != "POST"
        start, body = await self._run(scope if not head else {**scope, "method": "GET"}, receive)
        scope[ROUTE_KEY] = start.get("route")
        headers = MutableHeaders(raw=list(start["headers"]))
        cacheable = start["status"] == 200 and not _private(headers)
        version = headers.get("x-data-version")
        if cacheable and read:
            if "etag" not in headers:
                headers["ETag"] = _etag(version or "", headers.get("content-type", ""), body)
            if "cache-control" not in headers:
                headers["Cache-Control"] = self.cache_control
        answer = Stored(
            status=start["status"],
            headers=headers.raw,
            body=body,
            etag=headers.get("etag", "") if read else "",
            route=start.get("route"),
            size=len(body)
            + sum(len(k) + len(v) for k, v in headers.raw)
            + sum(len(part) for part in key if isinstance(part, str | bytes))
            + _ENTRY_OVERHEAD,
        )
        if not cacheable or self.store is None or expected is None:
            return answer, None
        MISSES.inc()
        # Kept only when it surely belongs to one version: the one it names, or, if it names
        # none, the one expected before and after it was made.
        if (version or await self.versions.current(engine)) != expected:
            self.versions.outdated(engine)
            return answer, None
        self.store.put(key, answer)
        return answer, answer

    async def _run(self, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
        """The app's answer, whole: its start message (with the route it matched) and body."""
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = dict(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, keep)
        start["route"] = route_template(scope)
        return start, b"".join(chunks)

    async def _send(self, scope: Scope, send: Send, stored: Stored, *, head: bool) -> None:
        if stored.etag:
            if_none_match = next((v for k, v in scope["headers"] if k == b"if-none-match"), None)
            if if_none_match is not None and matches(if_none_match.decode("latin-1"), stored.etag):
                await send(
                    {"type": "http.response.start", "status": 304, "headers": stored.unchanged}
                )
                await send({"type": "http.response.body", "body": b""})
                return
        headers = list(stored.headers)
        await send({"type": "http.response.start", "status": stored.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else stored.body})


def _private(headers: Headers) -> bool:
    control = headers.get("cache-control", "")
    return "no-store" in control or "private" in control or "set-cookie" in headers
